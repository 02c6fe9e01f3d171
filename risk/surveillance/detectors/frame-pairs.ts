// FramePairs: the account pairs that traded with each other in one half window of the circular
// wash-trading detector (wash-circular.ts): per pair its trade count, lots, and its first trade, kept in
// typed-array columns rather than an object per pair. At a busy venue most pairs meet once in a half
// window, so a run of 100k trades makes ~100k pairs that live ten minutes: as objects they were promoted
// out of the young generation and were much of the engine's garbage-collection time.
//
// Pairs are found by low account → high account → index (nested maps of numbers, no object per pair);
// iterating `rows` visits them in the order the detector has always judged them (each low account in the
// order it first traded, and within it each high account in the same way). A table is cleared and reused
// for a later half window: after the first few windows, noting a pair allocates nothing.

import type { EvidenceTrade } from '../alert.js';
import type { TradeView } from '../market-watch.js';

const TRADES = 0;
const LOTS = 1;
const SEQ = 2;
const TIME_US = 3;
const TRADE_ID = 4;
const PRICE = 5;
const QTY = 6;
const TAKER = 7;
const MAKER = 8;
const TAKER_ORDER = 9;
const MAKER_ORDER = 10;
const TAKER_SIDE = 11;
const FIELDS = 12;

export class FramePairs {
  private cols = new Float64Array(FIELDS * 1_024);
  private count = 0;
  /** low account → high account → pair index. */
  readonly rows = new Map<number, Map<number, number>>();
  /** Every trade of a pair that traded more than once (first included), up to the detector's limit. */
  private readonly kept = new Map<number, EvidenceTrade[]>();
  /** Row maps of cleared tables, reused. */
  private readonly freeRows: Map<number, number>[] = [];

  /** Counts trade t for the pair (low, high), keeping it as evidence while the pair has fewer than maxEvidence. */
  note(t: TradeView, low: number, high: number, maxEvidence: number): void {
    let row = this.rows.get(low);
    if (row === undefined) {
      row = this.freeRows.pop() ?? new Map<number, number>();
      this.rows.set(low, row);
    }
    const i = row.get(high);
    if (i === undefined) {
      row.set(high, this.add(t));
      return;
    }
    const b = i * FIELDS;
    let kept = this.kept.get(i);
    if (kept === undefined) {
      kept = [this.firstTrade(i)];
      this.kept.set(i, kept);
    }
    if (kept.length < maxEvidence) kept.push(t.evidence());
    this.cols[b + TRADES]! += 1;
    this.cols[b + LOTS]! += t.qtyLots;
  }

  /** The pair's index, or −1 when it did not trade in this half window. */
  find(low: number, high: number): number {
    return this.rows.get(low)?.get(high) ?? -1;
  }

  trades(i: number): number {
    return this.cols[i * FIELDS + TRADES]!;
  }

  lots(i: number): number {
    return this.cols[i * FIELDS + LOTS]!;
  }

  /** Seq and time of the pair's first trade. */
  firstSeq(i: number): number {
    return this.cols[i * FIELDS + SEQ]!;
  }

  firstUs(i: number): number {
    return this.cols[i * FIELDS + TIME_US]!;
  }

  /** The pair's trades as evidence (allocates: only for a pair being raised). */
  evidence(i: number): EvidenceTrade[] {
    return this.kept.get(i) ?? [this.firstTrade(i)];
  }

  clear(): void {
    for (const row of this.rows.values()) {
      row.clear();
      if (this.freeRows.length < 4_096) this.freeRows.push(row);
    }
    this.rows.clear();
    this.kept.clear();
    this.count = 0;
  }

  private add(t: TradeView): number {
    if ((this.count + 1) * FIELDS > this.cols.length) {
      const grown = new Float64Array(this.cols.length * 2);
      grown.set(this.cols);
      this.cols = grown;
    }
    const i = this.count++;
    const c = this.cols;
    const b = i * FIELDS;
    c[b + TRADES] = 1;
    c[b + LOTS] = t.qtyLots;
    c[b + SEQ] = t.seq;
    c[b + TIME_US] = t.timeUs;
    c[b + TRADE_ID] = t.tradeId;
    c[b + PRICE] = t.priceTicks;
    c[b + QTY] = t.qtyLots;
    c[b + TAKER] = t.takerAccountId;
    c[b + MAKER] = t.makerAccountId;
    c[b + TAKER_ORDER] = t.takerOrderId;
    c[b + MAKER_ORDER] = t.makerOrderId;
    c[b + TAKER_SIDE] = t.takerSide;
    return i;
  }

  /** The pair's first trade as evidence, fields in TradeView.evidence()'s order. */
  private firstTrade(i: number): EvidenceTrade {
    const c = this.cols;
    const b = i * FIELDS;
    return {
      tradeId: c[b + TRADE_ID]!,
      seq: c[b + SEQ]!,
      timeUs: c[b + TIME_US]!,
      priceTicks: c[b + PRICE]!,
      qtyLots: c[b + QTY]!,
      takerAccountId: c[b + TAKER]!,
      makerAccountId: c[b + MAKER]!,
      takerOrderId: c[b + TAKER_ORDER]!,
      makerOrderId: c[b + MAKER_ORDER]!,
      takerSide: c[b + TAKER_SIDE]!,
    };
  }
}
