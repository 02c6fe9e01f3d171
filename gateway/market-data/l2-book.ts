// L2Book: the aggregated price levels of one market (price → quantity and order count per side), kept
// best-first so the top N levels and the checksum over them are cheap. The hub keeps one per market from
// the engine's BookLevelChanged records; a client keeps one from a snapshot and diffs (book-sync.ts). A
// level set to quantity 0 is removed. Integers only: prices in ticks, quantities in lots.

import { Side } from '../../engine/enums.js';

/** One level as carried in snapshots and diffs: [priceTicks, qtyLots, orderCount]. */
export type LevelTuple = readonly [priceTicks: number, qtyLots: number, orderCount: number];

class SideLevels {
  /** Prices best-first: descending for bids, ascending for asks. */
  readonly prices: number[] = [];
  readonly byPrice = new Map<number, { qty: number; count: number }>();

  constructor(private readonly descending: boolean) {}

  /** Sets one level; returns its best-first position (where it was, for a removal), -1 when nothing changed. */
  set(priceTicks: number, qtyLots: number, orderCount: number): number {
    const had = this.byPrice.get(priceTicks);
    if (qtyLots === 0) {
      if (!had) return -1;
      this.byPrice.delete(priceTicks);
      const i = this.indexOf(priceTicks);
      this.prices.splice(i, 1);
      return i;
    }
    if (had) {
      had.qty = qtyLots;
      had.count = orderCount;
      return this.indexOf(priceTicks);
    }
    this.byPrice.set(priceTicks, { qty: qtyLots, count: orderCount });
    const i = this.indexOf(priceTicks);
    this.prices.splice(i, 0, priceTicks);
    return i;
  }

  /** Quantity at a price (0: no level). */
  qtyAt(priceTicks: number): number {
    return this.byPrice.get(priceTicks)?.qty ?? 0;
  }

  /** Where priceTicks is, or would go, in best-first order (binary search). */
  private indexOf(priceTicks: number): number {
    let lo = 0;
    let hi = this.prices.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = this.prices[mid]!;
      if (this.descending ? p > priceTicks : p < priceTicks) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  top(n: number): LevelTuple[] {
    const out: LevelTuple[] = [];
    const end = Math.min(n, this.prices.length);
    for (let i = 0; i < end; i++) {
      const p = this.prices[i]!;
      const l = this.byPrice.get(p)!;
      out.push([p, l.qty, l.count]);
    }
    return out;
  }

  clear(): void {
    this.prices.length = 0;
    this.byPrice.clear();
  }
}

export class L2Book {
  readonly bids = new SideLevels(true);
  readonly asks = new SideLevels(false);

  /**
   * Sets one level (qtyLots 0 removes it); side is engine/enums.ts Side. Returns the level's best-first
   * position on its side (-1: nothing changed), so a caller can tell whether the top N moved.
   */
  set(side: number, priceTicks: number, qtyLots: number, orderCount: number): number {
    return (side === Side.BUY ? this.bids : this.asks).set(priceTicks, qtyLots, orderCount);
  }

  /** Replaces the whole book (a snapshot). */
  load(bids: readonly LevelTuple[], asks: readonly LevelTuple[]): void {
    this.clear();
    for (const [p, q, c] of bids) this.bids.set(p, q, c);
    for (const [p, q, c] of asks) this.asks.set(p, q, c);
  }

  clear(): void {
    this.bids.clear();
    this.asks.clear();
  }

  topBids(n: number): LevelTuple[] {
    return this.bids.top(n);
  }

  topAsks(n: number): LevelTuple[] {
    return this.asks.top(n);
  }

  bestBid(): number {
    return this.bids.prices[0] ?? 0;
  }

  bestAsk(): number {
    return this.asks.prices[0] ?? 0;
  }

  get depth(): { bids: number; asks: number } {
    return { bids: this.bids.prices.length, asks: this.asks.prices.length };
  }
}
