// RecentTrades: the last `capacity` trades a detector noted for one account or episode, as typed-array
// columns (noting allocates nothing); list() builds EvidenceTrade objects only when an alert is raised.
// RecentTradeRows holds such a ring for many accounts, one row each, all rows in one array (as
// recent-orders.ts and sliding-counts.ts): a detector that notes a trade for most trades (momentum
// ignition, per account by the market's account index) reaches the row through one array it uses all
// the time, not through an object and a typed array of each account's, three dependent loads that were
// each a cache miss at a venue of thousands of accounts.

import type { EvidenceTrade } from './alert.js';
import type { TradeView } from './market-watch.js';

const FIELDS = 10;
/** A row: the next entry to write and the entries held, then the ring. */
const NEXT = 0;
const COUNT = 1;
const RING = 2;

export class RecentTradeRows {
  private cols: Float64Array;
  private readonly rowStride: number;
  private rows: number;

  constructor(
    readonly capacity = 32,
    rows = 1,
  ) {
    this.rowStride = RING + capacity * FIELDS;
    this.rows = rows;
    this.cols = new Float64Array(rows * this.rowStride);
  }

  /** Makes room for rows 0 .. rows − 1 (new rows empty). */
  ensureRows(rows: number): void {
    if (rows <= this.rows) return;
    let cap = this.rows * 2;
    while (cap < rows) cap *= 2;
    const cols = new Float64Array(cap * this.rowStride);
    cols.set(this.cols);
    this.cols = cols;
    this.rows = cap;
  }

  note(row: number, t: TradeView): void {
    const c = this.cols;
    const r = row * this.rowStride;
    const next = c[r + NEXT]!;
    const b = r + RING + next * FIELDS;
    c[b] = t.tradeId;
    c[b + 1] = t.seq;
    c[b + 2] = t.timeUs;
    c[b + 3] = t.priceTicks;
    c[b + 4] = t.qtyLots;
    c[b + 5] = t.takerAccountId;
    c[b + 6] = t.makerAccountId;
    c[b + 7] = t.takerOrderId;
    c[b + 8] = t.makerOrderId;
    c[b + 9] = t.takerSide;
    c[r + NEXT] = next + 1 === this.capacity ? 0 : next + 1;
    const count = c[r + COUNT]!;
    if (count < this.capacity) c[r + COUNT] = count + 1;
  }

  /** Trades a row holds. */
  count(row: number): number {
    return this.cols[row * this.rowStride + COUNT]!;
  }

  clear(row: number): void {
    this.cols[row * this.rowStride + NEXT] = 0;
    this.cols[row * this.rowStride + COUNT] = 0;
  }

  list(row: number): EvidenceTrade[] {
    const out: EvidenceTrade[] = [];
    const c = this.cols;
    const r = row * this.rowStride;
    const next = c[r + NEXT]!;
    const count = c[r + COUNT]!;
    for (let k = 0; k < count; k++) {
      const b = r + RING + ((next - count + k + this.capacity) % this.capacity) * FIELDS;
      out.push({
        tradeId: c[b]!,
        seq: c[b + 1]!,
        timeUs: c[b + 2]!,
        priceTicks: c[b + 3]!,
        qtyLots: c[b + 4]!,
        takerAccountId: c[b + 5]!,
        makerAccountId: c[b + 6]!,
        takerOrderId: c[b + 7]!,
        makerOrderId: c[b + 8]!,
        takerSide: c[b + 9]!,
      });
    }
    return out;
  }
}

/** One ring (an account's or an episode's), with the time of its newest trade. */
export class RecentTrades {
  private readonly ring: RecentTradeRows;
  /** Time of the newest trade noted (µs). */
  lastUs = 0;

  constructor(capacity = 32) {
    this.ring = new RecentTradeRows(capacity, 1);
  }

  note(t: TradeView): void {
    this.ring.note(0, t);
    this.lastUs = t.timeUs;
  }

  list(): EvidenceTrade[] {
    return this.ring.list(0);
  }
}
