// RecentTrades: the last `capacity` trades a detector noted for one account or episode, as typed-array
// columns (noting allocates nothing); list() builds EvidenceTrade objects only when an alert is raised.
// RecentTradeRows holds such a ring for many accounts, one row each, all rows in one array (row-rings.ts,
// as recent-orders.ts): a detector that notes a trade for most trades (momentum
// ignition, per account by the market's account index) reaches the row through one array it uses all
// the time, not through an object and a typed array of each account's, three dependent loads that were
// each a cache miss at a venue of thousands of accounts.

import type { EvidenceTrade } from './alert.js';
import type { TradeView } from './market-watch.js';
import { RowRings } from './row-rings.js';

/** Writes a trade's ten fields at c[b..b+9], in TradeView.evidence()'s order. */
export function writeTrade(c: Float64Array, b: number, t: TradeView): void {
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
}

/** The trade writeTrade() wrote at c[b..], as evidence (allocates: alerts only). */
export function tradeAt(c: Float64Array, b: number): EvidenceTrade {
  return {
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
  };
}

export class RecentTradeRows extends RowRings {
  constructor(capacity = 32, rows = 1) {
    super(10, capacity, rows);
  }

  note(row: number, t: TradeView): void {
    writeTrade(this.cols, this.nextEntry(row), t);
  }

  list(row: number): EvidenceTrade[] {
    const out: EvidenceTrade[] = [];
    const count = this.count(row);
    for (let k = 0; k < count; k++) out.push(tradeAt(this.cols, this.entry(row, k)));
    return out;
  }

  /** note() as the row's n-th entry (its owner counts them; RowRings.entryAt). */
  noteAt(row: number, n: number, t: TradeView): void {
    writeTrade(this.cols, this.entryAt(row, n), t);
  }

  /** list() of a row whose owner counted `total` entries (noteAt). */
  listCounted(row: number, total: number): EvidenceTrade[] {
    const out: EvidenceTrade[] = [];
    const count = total < this.capacity ? total : this.capacity;
    for (let n = total - count; n < total; n++) out.push(tradeAt(this.cols, this.entryAt(row, n)));
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
