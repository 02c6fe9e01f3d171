// FramePairs: the account pairs that traded with each other in one half window of the circular
// wash-trading detector (wash-circular.ts): per pair its trade count, lots, and its first trade, kept in
// typed-array columns rather than an object per pair. At a busy venue most pairs meet once in a half
// window, so a run of 100k trades makes ~100k pairs that live ten minutes: as objects they were promoted
// out of the young generation and were much of the engine's garbage-collection time.
//
// Pairs are found through an open-addressing table on (low, high) in typed arrays, and each low account's
// pairs are chained in the order they first traded, the low accounts themselves numbered in the order
// they first traded (U32Index): forEach() visits the pairs in the order the detector has always judged
// them (each low account in the order it first traded, within it each high account in the order it first
// traded with it), which nested maps (low → high → pair) gave before; those cost two map lookups per
// trade, and every cleared inner map regrew through its rehashes each half window. A table is cleared and
// reused for a later half window: after the first few windows, noting a pair allocates nothing.

import type { EvidenceTrade } from '../alert.js';
import type { TradeView } from '../market-watch.js';
import { grown } from '../grown.js';
import { U32Index } from '../u32-index.js';

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
  /** The most trades any pair made in this half window (0 when none traded). */
  maxTrades = 0;
  /** Per pair: its accounts, and the next pair of the same low account (−1: its last). */
  private lowKey = new Uint32Array(1_024);
  private highKey = new Uint32Array(1_024);
  private nextOfLow = new Int32Array(1_024);
  /** Pair + 1 per hash slot (0: empty). */
  private slots = new Int32Array(2_048);
  private shift = 32 - 11;
  /** Low accounts in the order they first traded, and each one's first and last pair. */
  private readonly lows = new U32Index();
  private headOf = new Int32Array(1_024);
  private tailOf = new Int32Array(1_024);
  /** Every trade of a pair that traded more than once (first included), up to the detector's limit. */
  private readonly kept = new Map<number, EvidenceTrade[]>();

  /** Counts trade t for the pair (low, high), keeping it as evidence while the pair has fewer than maxEvidence. */
  note(t: TradeView, low: number, high: number, maxEvidence: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let h = hashPair(low, high) >>> this.shift;
    for (;;) {
      const v = slots[h]!;
      if (v === 0) break;
      const i = v - 1;
      if (this.highKey[i] === high && this.lowKey[i] === low) {
        this.again(t, i, maxEvidence);
        return;
      }
      h = (h + 1) & mask;
    }
    const i = this.add(t, low, high);
    if (2 * this.count > slots.length) this.rehash(slots.length * 2);
    else slots[h] = i + 1;
  }

  private again(t: TradeView, i: number, maxEvidence: number): void {
    const b = i * FIELDS;
    let kept = this.kept.get(i);
    if (kept === undefined) {
      kept = [this.firstTrade(i)];
      this.kept.set(i, kept);
    }
    if (kept.length < maxEvidence) kept.push(t.evidence());
    const trades = this.cols[b + TRADES]! + 1;
    this.cols[b + TRADES] = trades;
    this.cols[b + LOTS]! += t.qtyLots;
    if (trades > this.maxTrades) this.maxTrades = trades;
  }

  /** The pair's index, or −1 when it did not trade in this half window. */
  find(low: number, high: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    let h = hashPair(low, high) >>> this.shift;
    for (;;) {
      const v = slots[h]!;
      if (v === 0) return -1;
      const i = v - 1;
      if (this.highKey[i] === high && this.lowKey[i] === low) return i;
      h = (h + 1) & mask;
    }
  }

  /**
   * Every pair as (low, high, its index): low accounts in the order they first traded, within each its
   * high accounts likewise.
   */
  forEach(fn: (low: number, high: number, i: number) => void): void {
    for (let l = 0; l < this.lows.size; l++) {
      for (let i = this.headOf[l]!; i >= 0; i = this.nextOfLow[i]!) fn(this.lowKey[i]!, this.highKey[i]!, i);
    }
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
    if (this.count > 0) this.slots.fill(0);
    this.lows.clear();
    this.kept.clear();
    this.count = 0;
    this.maxTrades = 0;
  }

  private add(t: TradeView, low: number, high: number): number {
    if ((this.count + 1) * FIELDS > this.cols.length) {
      const grown = new Float64Array(this.cols.length * 2);
      grown.set(this.cols);
      this.cols = grown;
    }
    const i = this.count++;
    if (this.maxTrades === 0) this.maxTrades = 1;
    if (i === this.lowKey.length) {
      this.lowKey = grown(this.lowKey, i);
      this.highKey = grown(this.highKey, i);
      this.nextOfLow = grown(this.nextOfLow, i);
    }
    this.lowKey[i] = low;
    this.highKey[i] = high;
    this.nextOfLow[i] = -1;
    const before = this.lows.size;
    const l = this.lows.intern(low);
    if (l === before) {
      if (l === this.headOf.length) {
        this.headOf = grown(this.headOf, l);
        this.tailOf = grown(this.tailOf, l);
      }
      this.headOf[l] = i;
    } else this.nextOfLow[this.tailOf[l]!] = i;
    this.tailOf[l] = i;
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

  private rehash(length: number): void {
    const slots = new Int32Array(length);
    const mask = length - 1;
    this.shift = 32 - Math.log2(length);
    for (let i = 0; i < this.count; i++) {
      let h = hashPair(this.lowKey[i]!, this.highKey[i]!) >>> this.shift;
      while (slots[h] !== 0) h = (h + 1) & mask;
      slots[h] = i + 1;
    }
    this.slots = slots;
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

/** A 32-bit mix of two account ids (its high bits pick the slot). */
function hashPair(low: number, high: number): number {
  return Math.imul(Math.imul(low, 0x9e3779b1) ^ high, 0x85ebca77);
}
