// An index tick for a market no shard owns is refused with UNKNOWN_MARKET by market shard 0, in both
// exchanges (docs/COMMANDS.md): the in-process exchange used to throw, the threaded one to refuse the offer
// as if its ring were full, so the gateway would have answered back-pressure and retried for ever.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { decodeRecord, encodeRecord, type DecodedRecord } from '../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { InProcessExchange } from '../../exchange/in-process-exchange.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';
import { indexTick } from '../support/commands.js';

const T0 = 1_700_000_000_000_000;
const topology = new Topology({ marketShards: [[DEFAULT_MARKETS[0]!], [DEFAULT_MARKETS[1]!]], riskShards: 1 });
const riskMarkets = DEFAULT_MARKETS.map((m) => riskMarket(m));

function assertRefused(events: readonly DecodedRecord[]): void {
  assert.deepEqual(events.map((e) => [e.type, e.code, e.commandType, e.marketId]), [['OrderRejected', Code.UNKNOWN_MARKET, RecordType.UpdateIndexPrice, 77]]);
}

test('in process, an index tick for a market nobody owns is answered UNKNOWN_MARKET', () => {
  const x = new InProcessExchange({ topology, riskMarkets });
  const events: DecodedRecord[] = [];
  x.onGateway((b, at) => events.push(decodeRecord(b, at)));
  const c = indexTick(600_000, T0, 77);
  assert.doesNotThrow(() => x.send(c.layout, c.header, c.body));
  assertRefused(events);
});

test('on threads, an index tick for a market nobody owns is taken and answered UNKNOWN_MARKET', async () => {
  const x = await ThreadedExchange.start({ topology, riskMarkets });
  try {
    const b = RecordBuffer.allocate(1);
    const c = indexTick(600_000, T0, 77);
    encodeRecord(b, 0, c.layout, c.header, c.body);
    assert.equal(x.offer(b, 0), true, 'taken, not refused as back-pressure');
    x.flush();
    const events: DecodedRecord[] = [];
    // Liveness, not speed: an answer that has not come in ten seconds is not coming.
    for (let waits = 0; events.length === 0 && waits < 200; waits++) {
      await x.waitForOutput(50);
      x.poll((buf, at) => events.push(decodeRecord(buf, at)));
      assert.equal(x.failure, undefined);
    }
    assertRefused(events);
  } finally {
    await x.stop();
  }
});
