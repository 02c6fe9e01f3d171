// How shard threads wait unless told (exchange/topology.ts defaultWait): spin-then-park while the busy
// threads fit the cores, park when they outnumber them (docs/ARCHITECTURE.md, "Waiting").

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { defaultWait, parseWaitChoice, Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';

const ONE_RISK = { riskShards: 1, journalWriter: false, surveillanceWorkers: 0 };

test('on two cores (main, risk shard, one market worker: three busy threads) shard threads park at once', () => {
  assert.equal(defaultWait(2, 1, ONE_RISK), 'park');
  assert.equal(defaultWait(2, 1, { ...ONE_RISK, journalWriter: true }), 'park');
});

test('when the busy threads fit the cores, shard threads spin before they park', () => {
  assert.equal(defaultWait(3, 1, ONE_RISK), 'spin-then-park');
  assert.equal(defaultWait(8, 2, { riskShards: 2, journalWriter: true, surveillanceWorkers: 1 }), 'spin-then-park');
  // One thread too many tips it over.
  assert.equal(defaultWait(6, 2, { riskShards: 2, journalWriter: true, surveillanceWorkers: 1 }), 'park');
});

test('a --wait value: auto is the default (undefined), a strategy name is itself, anything else is refused', () => {
  assert.equal(parseWaitChoice('auto'), undefined);
  assert.equal(parseWaitChoice('park'), 'park');
  assert.equal(parseWaitChoice('busy-spin'), 'busy-spin');
  assert.throws(() => parseWaitChoice('fast'), /--wait 'fast' must be one of auto, busy-spin, spin-then-park, park/);
});

const start = (o: { cores?: number; wait?: 'busy-spin' | 'spin-then-park' | 'park' }) =>
  ThreadedExchange.start({ topology: Topology.spread(DEFAULT_MARKETS, 2, 1), riskMarkets: DEFAULT_MARKETS.map((m) => riskMarket(m)), ringCapacity: 64, ...o });

test('ThreadedExchange takes the default for the cores it plans for, and a configured strategy over it', async () => {
  for (const [o, want] of [
    [{ cores: 2 }, 'park'],
    [{ cores: 64 }, 'spin-then-park'],
    [{ cores: 2, wait: 'spin-then-park' }, 'spin-then-park'],
    [{ cores: 64, wait: 'park' }, 'park'],
  ] as const) {
    const x = await start(o);
    try {
      assert.equal(x.wait, want, JSON.stringify(o));
    } finally {
      await x.stop();
    }
  }
});
