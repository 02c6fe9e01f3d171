// Child process of the book-memory suite: node --expose-gc memory-child.js <order-book|reference-book> <orders>
// Builds an empty book, measures memory after a full GC, rests <orders> orders spread over
// LEVELS_PER_SIDE levels a side and ACCOUNTS accounts, measures again, and prints one JSON line. A
// process of its own, so nothing else the suite allocated is counted.
//
// Memory is heapUsed + external. Node's arrayBuffers (typed-array backing stores) is already part of
// external, so heapUsed + external + arrayBuffers counts a typed-array book's storage twice; that sum is
// reported too (doubleCountedBytesPerOrder) only because it was the first formula asked for.

import { Code } from '../../engine/codes.js';
import { OrderType, Side, TimeInForce } from '../../engine/enums.js';
import { OrderRequest } from '../../engine/book/types.js';
import { rng } from '../../test/support/seed.js';
import { timeBatches } from './batch-timer.js';
import { isBookKind, newBook } from './book-factory.js';
import { CountingSink } from './counting-sink.js';

const MID_TICKS = 500_000;
const LEVELS_PER_SIDE = 2_000;
/** 1M orders over 10,000 accounts: 100 each, under the market's 200 open orders per account. */
const ACCOUNTS = 10_000;
const SEED = 1;
const BATCH_OPS = 1_000;

export interface MemoryReport {
  book: string;
  orders: number;
  restingOrders: number;
  bytesBefore: number;
  bytesAfter: number;
  bytesPerOrder: number;
  doubleCountedBytesPerOrder: number;
  heapUsedPerOrder: number;
  arrayBuffersPerOrder: number;
  insertNs: number[];
  insertTotalNs: number;
}

interface Measured {
  total: number;
  heapUsed: number;
  arrayBuffers: number;
}

function measure(): Measured {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  // Twice: the first pass may leave finalisable garbage for the second.
  gc();
  gc();
  const m = process.memoryUsage();
  return { total: m.heapUsed + m.external, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers };
}

const [kind = '', countText = ''] = process.argv.slice(2);
const orders = Number(countText);
if (!isBookKind(kind) || !Number.isSafeInteger(orders) || orders <= 0) {
  console.error('usage: memory-child.js <order-book|reference-book> <orders>');
  process.exit(2);
}

const book = newBook(kind, new CountingSink());
const req = new OrderRequest();
req.orderType = OrderType.LIMIT;
req.timeInForce = TimeInForce.GTC;
const next = rng(SEED);
let failures = 0;
const before = measure();
const timing = timeBatches(orders, BATCH_OPS, (from, to) => {
  for (let i = from; i < to; i++) {
    // Bids below the mid, asks above, never crossing; accounts odd for bids, even for asks.
    const side = (i & 1) as Side;
    const level = 1 + (next() % LEVELS_PER_SIDE);
    req.orderId = i + 1;
    req.side = side;
    req.accountId = 2 * ((i >> 1) % (ACCOUNTS / 2)) + 1 + side;
    req.priceTicks = side === Side.BUY ? MID_TICKS - level : MID_TICKS + level;
    req.qtyLots = 1 + (next() % 100);
    if (book.place(req) !== Code.OK) failures++;
  }
});
const after = measure();
if (failures > 0) {
  console.error(`${failures} orders were not accepted`);
  process.exit(1);
}
const report: MemoryReport = {
  book: kind,
  orders,
  restingOrders: book.orderCount(),
  bytesBefore: before.total,
  bytesAfter: after.total,
  bytesPerOrder: Math.round((after.total - before.total) / orders),
  doubleCountedBytesPerOrder: Math.round((after.total + after.arrayBuffers - before.total - before.arrayBuffers) / orders),
  heapUsedPerOrder: Math.round((after.heapUsed - before.heapUsed) / orders),
  arrayBuffersPerOrder: Math.round((after.arrayBuffers - before.arrayBuffers) / orders),
  insertNs: Array.from(timing.perOpNs),
  insertTotalNs: timing.totalNs,
};
console.log(JSON.stringify(report));
