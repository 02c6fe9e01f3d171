// A market shard's records towards a risk shard say whether their input wrote more after them
// (HeaderFlag.MORE, engine/shard/input-end-marker.ts): the risk shard's liquidation runs wait for an
// input's last record before they step (risk/shard/escalation-order.ts).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrderType, Side, TimeInForce } from '../../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { HeaderFlag, RecordBuffer } from '../../../engine/ring/record.js';
import { RecordType } from '../../../engine/ring/types.js';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { InputEndMarker } from '../../../engine/shard/input-end-marker.js';
import { MarketShard } from '../../../engine/shard/market-shard.js';
import { encodeStream, place, type Cmd } from '../../support/commands.js';

function moreFlags(out: MemoryOutput): boolean[] {
  return Array.from({ length: out.length }, (_, i) => (out.records.flags(out.offsetOf(i)) & HeaderFlag.MORE) !== 0);
}

test('every record of an input but its last says MORE, in sequence', () => {
  const inner = new MemoryOutput();
  const out = new InputEndMarker(inner);
  const rec = RecordBuffer.allocate(1);
  rec.setType(0, RecordType.OrderAccepted);
  for (let i = 0; i < 3; i++) out.append(rec, 0);
  assert.deepEqual(moreFlags(inner), [true, true, false], 'the input may end after any record: the last has no flag yet');
  assert.equal(out.nextSeq, 4);
  out.endInput();
  out.append(rec, 0);
  out.endInput();
  out.endInput();
  assert.deepEqual(moreFlags(inner), [true, true, false, false]);
  assert.deepEqual(Array.from({ length: inner.length }, (_, i) => inner.records.seq(inner.offsetOf(i))), [1, 2, 3, 4]);
  assert.equal(out.nextSeq, inner.nextSeq);
});

test('a taker order\'s records towards the risk shard: MORE on all but the last; a single record ends its input', () => {
  const BTC = DEFAULT_MARKETS[0]!;
  const risk = new MemoryOutput();
  const shard = new MarketShard([BTC], new MemoryOutput(), [risk]);
  const feed = (cmds: readonly Cmd[]): void => {
    const buf = encodeStream(cmds, shard.lastSeq(1) + 1);
    for (let i = 0; i < cmds.length; i++) shard.handle(buf, buf.at(i), 1);
    shard.flush();
  };
  const ask = (orderId: number, accountId: number, priceTicks: number): Cmd => place({ orderId, accountId, side: Side.SELL, priceTicks, qtyLots: 100, orderType: OrderType.LIMIT, timeInForce: TimeInForce.GTC });
  feed([ask(1, 3, 600_000), ask(2, 4, 600_010)]);
  assert.deepEqual(moreFlags(risk), [false, false], 'each maker order is accepted by an input of its own');
  feed([place({ orderId: 3, accountId: 5, side: Side.BUY, priceTicks: 600_010, qtyLots: 200, orderType: OrderType.LIMIT, timeInForce: TimeInForce.IOC })]);
  const taker = moreFlags(risk).slice(2);
  assert.ok(taker.length >= 3, `the taker's acceptance and two trades at least (${taker.length} records)`);
  assert.deepEqual(taker, [...taker.slice(0, -1).map(() => true), false]);
});
