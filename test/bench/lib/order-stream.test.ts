import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_STREAM, generateOrderStream, StreamOp, type OrderStream } from '../../../bench/lib/order-stream.js';
import { newPeerBook, newTally, peerOrderIds, runPeerRange } from '../../../bench/lib/peer-book.js';
import { testSeed } from '../../support/seed.js';

const OPS = 40_000;

function count(stream: OrderStream, kind: StreamOp): number {
  let n = 0;
  for (let i = 0; i < stream.length; i++) if (stream.op[i] === kind) n++;
  return n;
}

test('the same seed gives the same stream, field by field', () => {
  const seed = testSeed('order-stream same seed');
  const a = generateOrderStream({ seed, ops: OPS });
  const b = generateOrderStream({ seed, ops: OPS });
  for (const field of ['op', 'side', 'orderId', 'accountId', 'priceTicks', 'qtyLots', 'midTicks'] as const) assert.deepEqual(a[field], b[field], field);
  assert.equal(a.tradedLots, b.tradedLots);
});

test('a different seed gives a different stream', () => {
  const seed = testSeed('order-stream other seed');
  const a = generateOrderStream({ seed, ops: OPS });
  const b = generateOrderStream({ seed: seed + 1, ops: OPS });
  assert.notDeepEqual(a.priceTicks, b.priceTicks);
});

test('the operation mix holds within one percentage point', () => {
  const seed = testSeed('order-stream mix');
  const s = generateOrderStream({ seed, ops: OPS });
  const permille = (kind: StreamOp): number => Math.round((count(s, kind) * 1000) / OPS);
  assert.ok(Math.abs(permille(StreamOp.LIMIT) - DEFAULT_STREAM.limitPermille) <= 10, `limit ${permille(StreamOp.LIMIT)}‰`);
  assert.ok(Math.abs(permille(StreamOp.CANCEL) - DEFAULT_STREAM.cancelPermille) <= 10, `cancel ${permille(StreamOp.CANCEL)}‰`);
  assert.ok(Math.abs(permille(StreamOp.MARKET) - DEFAULT_STREAM.marketPermille) <= 10, `market ${permille(StreamOp.MARKET)}‰`);
});

test('every cancel names a limit order placed earlier, once, with its account, side and price', () => {
  const seed = testSeed('order-stream cancel targets');
  const s = generateOrderStream({ seed, ops: OPS });
  const placedAt = new Int32Array(s.orderCount + 1).fill(-1);
  const cancelled = new Uint8Array(s.orderCount + 1);
  for (let i = 0; i < s.length; i++) {
    const id = s.orderId[i]!;
    if (s.op[i] !== StreamOp.CANCEL) {
      placedAt[id] = i;
      continue;
    }
    const p = placedAt[id]!;
    assert.ok(p >= 0, `op ${i} cancels order ${id}, never placed before it`);
    assert.equal(s.op[p], StreamOp.LIMIT, `op ${i} cancels a market order`);
    assert.equal(cancelled[id], 0, `op ${i} cancels order ${id} a second time`);
    cancelled[id] = 1;
    assert.deepEqual([s.accountId[i], s.side[i], s.priceTicks[i]], [s.accountId[p], s.side[p], s.priceTicks[p]]);
  }
});

test('an independent price-time book finds every cancelled order still open and trades what the model says', () => {
  const seed = testSeed('order-stream open on cancel');
  const s = generateOrderStream({ seed, ops: OPS });
  const tally = newTally();
  runPeerRange(newPeerBook(), s, peerOrderIds(s), 0, s.length, tally);
  assert.deepEqual(tally, { tradedLots: s.tradedLots, rejected: 0, cancelMisses: 0 });
  assert.ok(s.tradedLots > 0);
});

test('buyers and sellers come from disjoint accounts, so no order can meet its own account', () => {
  const seed = testSeed('order-stream accounts');
  const s = generateOrderStream({ seed, ops: OPS });
  for (let i = 0; i < s.length; i++) assert.equal(s.accountId[i]! % 2, s.side[i] === 0 ? 1 : 0, `op ${i}`);
});

test('prices stay within the reach of the walk and quantities within the configured sizes', () => {
  const seed = testSeed('order-stream ranges');
  const s = generateOrderStream({ seed, ops: OPS });
  const d = DEFAULT_STREAM;
  const reach = d.wanderTicks + d.depthTicks + d.crossTicks + d.slippageTicks;
  for (let i = 0; i < s.length; i++) {
    assert.ok(Math.abs(s.priceTicks[i]! - d.startMidTicks) <= reach, `op ${i} price ${s.priceTicks[i]}`);
    if (s.op[i] !== StreamOp.CANCEL) assert.ok(s.qtyLots[i]! >= 1 && s.qtyLots[i]! <= d.maxTakerLots, `op ${i} qty ${s.qtyLots[i]}`);
  }
});

test('a mix that does not add up to 1000 per mille is refused', () => {
  assert.throws(() => generateOrderStream({ seed: 1, ops: 10, cancelPermille: 300 }), RangeError);
});
