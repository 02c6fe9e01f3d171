// The order-stream generator's model of the book: plain price-time FIFO over a fixed price window, with
// no validation, no self-trade prevention (the stream's buyers and sellers never share an account) and
// no events. It lets the generator know which orders are open, so every cancel names an open order and
// takers are priced against the real touch. It is a load-generator aid, not an engine: the benchmark
// checks the engines against each other, and against this model's traded volume.
//
// Layout: one FIFO per price index (a doubly linked list through order ids), valid because the book is
// never crossed, so a price holds bids or asks, not both. Best prices move by scanning, which stays short
// because resting orders cluster near the touch.

const NONE = 0;

export class ShadowBook {
  /** Lots traded so far (each trade counted once). */
  tradedLots = 0;
  private readonly minPriceTicks: number;
  private readonly width: number;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly restLots: Uint32Array;
  private readonly levelOf: Int32Array;
  /** Open order ids in no particular order (removal swaps in the last); slot[id] is the position + 1. */
  private readonly open: Int32Array;
  private readonly slot: Int32Array;
  private openLen = 0;
  private bestBid = -1;
  private bestAsk: number;

  constructor(minPriceTicks: number, maxPriceTicks: number, maxOrderId: number) {
    this.minPriceTicks = minPriceTicks;
    this.width = maxPriceTicks - minPriceTicks + 1;
    this.head = new Int32Array(this.width);
    this.tail = new Int32Array(this.width);
    this.next = new Int32Array(maxOrderId + 1);
    this.prev = new Int32Array(maxOrderId + 1);
    this.restLots = new Uint32Array(maxOrderId + 1);
    this.levelOf = new Int32Array(maxOrderId + 1);
    this.open = new Int32Array(maxOrderId);
    this.slot = new Int32Array(maxOrderId + 1);
    this.bestAsk = this.width;
  }

  get openCount(): number {
    return this.openLen;
  }

  /** The k-th open order id, 0 ≤ k < openCount (an arbitrary but deterministic order). */
  openAt(k: number): number {
    return this.open[k]!;
  }

  isOpen(id: number): boolean {
    return this.slot[id]! !== 0;
  }

  /** Best bid and ask in ticks; 0 when that side is empty. */
  bestBidTicks(): number {
    return this.bestBid >= 0 ? this.bestBid + this.minPriceTicks : 0;
  }

  bestAskTicks(): number {
    return this.bestAsk < this.width ? this.bestAsk + this.minPriceTicks : 0;
  }

  /** Matches a buy (side 0) or sell (1) up to priceTicks; the remainder rests when rest is true. */
  place(id: number, side: number, priceTicks: number, qtyLots: number, rest: boolean): void {
    const limit = priceTicks - this.minPriceTicks;
    if (limit < 0 || limit >= this.width) throw new RangeError(`price ${priceTicks} outside the model's window`);
    let left = qtyLots;
    while (left > 0) {
      const level = side === 0 ? this.bestAsk : this.bestBid;
      if (side === 0 ? level > limit || level >= this.width : level < limit || level < 0) break;
      const maker = this.head[level]!;
      const take = Math.min(left, this.restLots[maker]!);
      left -= take;
      this.tradedLots += take;
      this.restLots[maker] = this.restLots[maker]! - take;
      if (this.restLots[maker] === 0) this.remove(maker);
    }
    if (left === 0 || !rest) return;
    this.restLots[id] = left;
    this.levelOf[id] = limit;
    const t = this.tail[limit]!;
    this.prev[id] = t;
    this.next[id] = NONE;
    if (t === NONE) this.head[limit] = id;
    else this.next[t] = id;
    this.tail[limit] = id;
    if (side === 0 && limit > this.bestBid) this.bestBid = limit;
    if (side === 1 && limit < this.bestAsk) this.bestAsk = limit;
    this.open[this.openLen++] = id;
    this.slot[id] = this.openLen;
  }

  /** Removes an open order; false when it is not open. */
  cancel(id: number): boolean {
    if (this.slot[id] === 0) return false;
    this.remove(id);
    return true;
  }

  private remove(id: number): void {
    const level = this.levelOf[id]!;
    const p = this.prev[id]!;
    const n = this.next[id]!;
    if (p === NONE) this.head[level] = n;
    else this.next[p] = n;
    if (n === NONE) this.tail[level] = p;
    else this.prev[n] = p;
    this.restLots[id] = 0;
    const k = this.slot[id]! - 1;
    const last = this.open[--this.openLen]!;
    this.open[k] = last;
    this.slot[last] = k + 1;
    this.slot[id] = 0;
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
