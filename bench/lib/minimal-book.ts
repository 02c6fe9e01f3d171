// The book-stream yardstick: the least a typed-array book can do with the stream, so the suite can say
// how far OrderBook is from the machine as well as from the npm peer, both measured in the same process
// run (the machine is shared, so absolute figures drift; the ratio to this book drifts much less).
//
// Plain price-time matching and nothing else: no validation, no events, no accounts, no self-trade
// prevention, no L2 diff, no id index beyond orderId itself. It relies on what the stream guarantees
// (order-stream.ts): order ids are 1, 2, 3... (an order's row is its id), prices stay in a known window,
// cancels name open orders. One FIFO per price index, a doubly linked list through order ids; a price
// holds bids or asks, never both, because the book is never crossed at rest. Best prices move by
// scanning, which stays short because resting orders cluster near the touch.
// It shares its layout with ShadowBook (shadow-book.ts), the stream generator's model, on purpose but not
// its code: ShadowBook also keeps the list of open ids the generator picks cancels from, work a
// yardstick must not carry, and the generator must not depend on what the benchmark times.

import type { Depth } from './depth.js';
import { StreamOp, type OrderStream } from './order-stream.js';

const NONE = 0;
const BUY = 0;

class MinimalBook {
  tradedLots = 0;
  private readonly minPriceTicks: number;
  private readonly width: number;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly levelLots: Float64Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly restLots: Float64Array;
  private readonly levelOf: Int32Array;
  private bestBid = -1;
  private bestAsk: number;

  constructor(minPriceTicks: number, maxPriceTicks: number, maxOrderId: number) {
    this.minPriceTicks = minPriceTicks;
    this.width = maxPriceTicks - minPriceTicks + 1;
    this.head = new Int32Array(this.width);
    this.tail = new Int32Array(this.width);
    this.levelLots = new Float64Array(this.width);
    this.next = new Int32Array(maxOrderId + 1);
    this.prev = new Int32Array(maxOrderId + 1);
    this.restLots = new Float64Array(maxOrderId + 1);
    this.levelOf = new Int32Array(maxOrderId + 1);
    this.bestAsk = this.width;
  }

  /** Matches a buy (side 0) or sell (1) up to priceTicks; the remainder rests when rest is true. Returns the lots left. */
  place(id: number, side: number, priceTicks: number, qtyLots: number, rest: boolean): number {
    const limit = priceTicks - this.minPriceTicks;
    let left = qtyLots;
    while (left > 0) {
      const level = side === BUY ? this.bestAsk : this.bestBid;
      if (side === BUY ? level > limit || level >= this.width : level < limit || level < 0) break;
      const maker = this.head[level]!;
      const have = this.restLots[maker]!;
      const take = left < have ? left : have;
      left -= take;
      this.tradedLots += take;
      this.restLots[maker] = have - take;
      this.levelLots[level] = this.levelLots[level]! - take;
      if (have === take) this.unlink(maker);
    }
    if (left === 0 || !rest) return left;
    this.restLots[id] = left;
    this.levelOf[id] = limit;
    this.levelLots[limit] = this.levelLots[limit]! + left;
    const t = this.tail[limit]!;
    this.prev[id] = t;
    this.next[id] = NONE;
    if (t === NONE) this.head[limit] = id;
    else this.next[t] = id;
    this.tail[limit] = id;
    if (side === BUY) {
      if (limit > this.bestBid) this.bestBid = limit;
    } else if (limit < this.bestAsk) this.bestAsk = limit;
    return left;
  }

  /** Removes an open order; false when it is not open. */
  cancel(id: number): boolean {
    if (this.restLots[id] === 0) return false;
    this.levelLots[this.levelOf[id]!] = this.levelLots[this.levelOf[id]!]! - this.restLots[id]!;
    this.unlink(id);
    return true;
  }

  /** Resting depth, best first (allocates: never inside a timed loop). */
  depth(): Depth {
    const bids: Array<[number, number]> = [];
    const asks: Array<[number, number]> = [];
    for (let p = this.width - 1; p >= 0; p--) if (this.head[p] !== NONE && p <= this.bestBid) bids.push([p + this.minPriceTicks, this.levelLots[p]!]);
    for (let p = 0; p < this.width; p++) if (this.head[p] !== NONE && p >= this.bestAsk) asks.push([p + this.minPriceTicks, this.levelLots[p]!]);
    return { bids, asks };
  }

  private unlink(id: number): void {
    const level = this.levelOf[id]!;
    const p = this.prev[id]!;
    const n = this.next[id]!;
    if (p === NONE) this.head[level] = n;
    else this.next[p] = n;
    if (n === NONE) this.tail[level] = p;
    else this.prev[n] = p;
    this.restLots[id] = 0;
    if (this.head[level] !== NONE) return;
    // The level emptied: if it was the best, walk to the next occupied one.
    if (level === this.bestBid) {
      let b = level - 1;
      while (b >= 0 && this.head[b] === NONE) b--;
      this.bestBid = b;
    } else if (level === this.bestAsk) {
      let a = level + 1;
      while (a < this.width && this.head[a] === NONE) a++;
      this.bestAsk = a;
    }
  }
}

/** A minimal book wide enough for every price of the stream. */
export function newMinimalBook(stream: OrderStream): MinimalBook {
  let lo = Number.MAX_SAFE_INTEGER;
  let hi = 0;
  for (let i = 0; i < stream.length; i++) {
    const p = stream.priceTicks[i]!;
    if (p < lo) lo = p;
    if (p > hi) hi = p;
  }
  return new MinimalBook(lo, hi, stream.orderCount);
}

/** Applies stream[from, to) to the minimal book: LIMIT rests its remainder, MARKET (slippage limit) does not. */
export function runMinimalRange(book: MinimalBook, stream: OrderStream, from: number, to: number): number {
  const { op, side, orderId, priceTicks, qtyLots } = stream;
  let cancelMisses = 0;
  for (let i = from; i < to; i++) {
    const kind = op[i];
    if (kind === StreamOp.CANCEL) {
      if (!book.cancel(orderId[i]!)) cancelMisses++;
    } else {
      book.place(orderId[i]!, side[i]!, priceTicks[i]!, qtyLots[i]!, kind === StreamOp.LIMIT);
    }
  }
  return cancelMisses;
}
