// The state hash taken in step with a snapshot's pass over the accounts (risk-state-hash.ts,
// AccountsInStep): encode and the decode-time check hash each account as it is written or built instead
// of walking the accounts again. It must give riskStateHash's value exactly, and give way to a walk of its
// own whenever the pass was not riskStateHash's walk: accounts out of id order, one missing, or a value
// hashed before the accounts changed after the pass began.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { readSnapshotStreams } from '../../../engine/snapshot/shard-streams.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { DEFAULT_POOL, riskMarket } from '../../../risk/shard/config.js';
import { LiquidationEngine } from '../../../risk/shard/liquidation-engine.js';
import { AccountsInStep } from '../../../risk/shard/risk-state-hash.js';
import { RiskShard } from '../../../risk/shard/risk-shard.js';
import { positionFields } from '../../../risk/shard/state-snapshot.js';
import { AccountState } from '../../../risk/shard/state.js';
import { ActionDriver } from '../../property/action-driver.js';
import { worldArb } from '../../property/exchange-actions.js';
import { testSeed } from '../../support/seed.js';

function decodeRisk(bytes: Uint8Array, verifyHash = true): RiskShard {
  const { streams } = readSnapshotStreams(bytes);
  return RiskShard.decode(bytes, new MemoryOutput(1, streams.gatewayNextSeq), streams.outputNextSeqs.map((s) => new MemoryOutput(1, s)), { verifyHash });
}

/** A shard holding these accounts, opened in this order, each with a wallet and a position. */
function shardWith(ids: readonly number[]): RiskShard {
  const markets = DEFAULT_MARKETS.map((m) => riskMarket(m));
  const shard = new RiskShard(0, 1, markets, DEFAULT_POOL, () => 0, new MemoryOutput(), [new MemoryOutput()], (state, effects) => new LiquidationEngine(state, effects, DEFAULT_POOL));
  for (const id of ids) {
    const a = new AccountState(id);
    shard.state.accounts.set(id, a);
    a.walletAtoms = BigInt(id) * 1_000_000n;
    shard.parts.positionOf(a, shard.state.markets.get(1 + (id % 2))!).qtyLots = BigInt(id);
  }
  return shard;
}

/** The accounts through an AccountsInStep in this order, as a snapshot's pass would. */
function inStep(shard: RiskShard, order: readonly number[]): AccountsInStep {
  const step = new AccountsInStep(shard.parts);
  step.start(shard.state.accounts.size);
  for (const id of order) step.account(shard.state.accounts.get(id)!);
  return step;
}

test('accounts hashed in step give the state hash of a walk, on random worlds; encode and decode agree with it', () => {
  fc.assert(
    fc.property(worldArb({ shards: true, jumpPercent: 40 }, 20, 80), (world) => {
      const d = new ActionDriver(world.population);
      d.run(world);
      for (const shard of d.h.exchange.riskShards) {
        const ids = shard.state.sortedAccountIds();
        const step = inStep(shard, ids);
        assert.notEqual(step.hashedAll(shard.parts), undefined, 'ascending and complete: the pass stands for the walk');
        assert.equal(shard.stateHash(step), shard.stateHash());
        const bytes = shard.encodeState();
        const decoded = decodeRisk(bytes);
        assert.equal(decoded.stateHash(), shard.stateHash());
        assert.deepEqual(decoded.encodeState(), bytes);
      }
    }),
    { seed: testSeed('risk hash in step'), numRuns: 10, includeErrorInReport: true },
  );
});

test('a pass out of id order, missing an account, or after the head changed gives way to a walk of its own', () => {
  const shard = shardWith([3, 1, 2, 7]);
  const want = shard.stateHash();
  const cases: [string, AccountsInStep][] = [
    ['out of order', inStep(shard, [3, 1, 2, 7])],
    ['an account missing', inStep(shard, [1, 2, 3])],
  ];
  const changed = inStep(shard, [1, 2, 3, 7]);
  assert.notEqual(changed.hashedAll(shard.parts), undefined);
  shard.state.netDepositsAtoms += 5n;
  cases.push(['the ledgers changed after the pass began', changed]);
  const after = shard.stateHash();
  assert.notEqual(after, want);
  for (const [what, step] of cases) {
    assert.equal(step.hashedAll(shard.parts), undefined, what);
    assert.equal(shard.stateHash(step), after, what);
  }
});

test('a shard whose accounts were opened out of id order encodes and decodes with its hash checked', () => {
  const shard = shardWith([9, 4, 6, 1, 8]);
  const bytes = shard.encodeState();
  const decoded = decodeRisk(bytes);
  assert.equal(decoded.stateHash(), shard.stateHash());
  assert.deepEqual([...decoded.state.accounts.keys()], [9, 4, 6, 1, 8]);
  assert.deepEqual(decoded.encodeState(), bytes);
  const unchecked = decodeRisk(bytes, false);
  assert.equal(unchecked.stateHash(), shard.stateHash());
});

test('an encode hashes a position as it writes it only when its account writes them in market order and none is blank; either way the header holds the walk’s hash', () => {
  const shard = shardWith([1, 2, 3, 4]);
  const market = (id: number) => shard.state.markets.get(id)!;
  // Account 3 holds market 2 (shardWith), then opens market 1: its map order is descending.
  shard.parts.positionOf(shard.state.accounts.get(3)!, market(1)).qtyLots = -5n;
  // Account 4 holds market 1, and a blank position in market 2 (pre-trade makes one for an order the
  // market may refuse): the hash leaves it out, the section writes it.
  shard.parts.positionOf(shard.state.accounts.get(4)!, market(2));
  const step = new AccountsInStep(shard.parts);
  step.start(4);
  const interleaved = [1, 2, 3, 4].map((id) => {
    const a = shard.state.accounts.get(id)!;
    const h = step.positionsInStep(a);
    if (h === undefined) step.account(a);
    else a.positions.forEach((pos) => positionFields(undefined, h, pos));
    return h !== undefined;
  });
  assert.deepEqual(interleaved, [true, true, false, false]);
  assert.equal(shard.stateHash(step), shard.stateHash());
  const bytes = shard.encodeState();
  assert.equal(readSnapshotStreams(bytes).header.stateHash, shard.stateHash());
  const decoded = decodeRisk(bytes);
  assert.equal(decoded.stateHash(), shard.stateHash());
  assert.deepEqual(decoded.encodeState(), bytes);
});
