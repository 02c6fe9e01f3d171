// FramePairs: the account pairs that traded with each other in one half window of the circular
// wash-trading detector (wash-circular.ts): per pair its trade count, lots, and its first trade, kept in
// typed-array columns rather than an object per pair. At a busy venue most pairs meet once in a half
// window, so a run of 100k trades makes ~100k pairs that live ten minutes: as objects they were promoted
// out of the young generation and were much of the engine's garbage-collection time.
//
// Pairs are found through an open-addressing table on (low, high) in typed arrays. The detector judges a
// window's pairs in a fixed order (each low account in the order it first traded, within it each high
// account in the order it first traded with it: what nested maps low → high → pair gave), so each pair
// carries its low account's rank in first-trade order (U32Index), and a list of pairs is put in that
// order by (rank, pair index) (inVisitOrder). Only a few pairs are ever judged: a pair must trade
// minTrades times over the window's two half windows, so at least half of that in one of them, and the
// table lists the pairs that reached that count (candidates) as they reach it; the window's end reads
// those instead of walking every pair of both half windows with a lookup in the other table (most pairs
// trade once, and each lookup in a table of a hundred thousand pairs was a cache miss). A table is
// cleared and reused for a later half window: after the first few windows, noting a pair allocates
// nothing.

import type { EvidenceTrade } from '../alert.js';
import type { TradeView } from '../market-watch.js';
import { grown } from '../../grown.js';
import { tradeAt, writeTrade } from '../recent-trades.js';
import { U32Index } from '../u32-index.js';

/** Per pair: trades, lots, its first trade's seq and time, and its evidence chain (rows kept, first, last). */
const TRADES = 0;
const LOTS = 1;
const SEQ = 2;
const TIME_US = 3;
const EV_COUNT = 4;
const EV_HEAD = 5;
const EV_TAIL = 6;
const FIELDS = 7;
/** An evidence row: a trade's fields in TradeView.evidence()'s order, then the next row of its pair (−1: none). */
const EV_NEXT = 10;
const EV_FIELDS = 11;

export class FramePairs {
  private cols = new Float64Array(FIELDS * 1_024);
  private count = 0;
  /** Per pair: its accounts, and its low account's rank in the order low accounts first traded. */
  private lowKey = new Uint32Array(1_024);
  private highKey = new Uint32Array(1_024);
  private rankOf = new Int32Array(1_024);
  /** Pair + 1 per hash slot (0: empty). */
  private slots = new Int32Array(2_048);
  private shift = 32 - 11;
  /** Low accounts in the order they first traded. */
  private readonly lows = new U32Index();
  /** The pairs that reached candidateAt trades, in the order they reached it. */
  private candidateList = new Int32Array(64);
  private candidateCount = 0;
  /**
   * Each pair's trades as evidence (its first, then later ones up to the detector's limit), rows chained
   * per pair in the order they traded: numbers, not an object per trade kept (a repeated pair's trades
   * were a third of the engine's allocation); evidence() builds the objects for a pair being judged.
   */
  private ev = new Float64Array(EV_FIELDS * 1_024);
  private evRows = 0;

  /** A pair becomes a candidate when its trades reach this count (at least 1). */
  constructor(readonly candidateAt = 1) {}

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
    if (this.cols[b + EV_COUNT]! < maxEvidence) {
      const r = this.keep(t);
      this.ev[this.cols[b + EV_TAIL]! * EV_FIELDS + EV_NEXT] = r;
      this.cols[b + EV_TAIL] = r;
      this.cols[b + EV_COUNT]! += 1;
    }
    const trades = this.cols[b + TRADES]! + 1;
    this.cols[b + TRADES] = trades;
    this.cols[b + LOTS]! += t.qtyLots;
    if (trades === this.candidateAt) this.candidate(i);
  }

  private candidate(i: number): void {
    this.candidateList = grown(this.candidateList, this.candidateCount);
    this.candidateList[this.candidateCount++] = i;
  }

  /** The pairs that reached candidateAt trades (each once), in the order they reached it. */
  candidates(): number[] {
    return Array.from(this.candidateList.subarray(0, this.candidateCount));
  }

  lowOf(i: number): number {
    return this.lowKey[i]!;
  }

  highOf(i: number): number {
    return this.highKey[i]!;
  }

  /** The pairs given, in the order forEach() visits pairs (each low account in the order it first traded, then as each first traded). */
  inVisitOrder(pairs: number[]): number[] {
    return pairs.sort((a, b) => this.rankOf[a]! - this.rankOf[b]! || a - b);
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
    const all: number[] = [];
    for (let i = 0; i < this.count; i++) all.push(i);
    for (const i of this.inVisitOrder(all)) fn(this.lowKey[i]!, this.highKey[i]!, i);
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
    const out: EvidenceTrade[] = [];
    const e = this.ev;
    for (let r = this.cols[i * FIELDS + EV_HEAD]!; r >= 0; r = e[r * EV_FIELDS + EV_NEXT]!) out.push(tradeAt(e, r * EV_FIELDS));
    return out;
  }

  /** Appends trade t as an evidence row (the last of its chain) and returns the row. */
  private keep(t: TradeView): number {
    const r = this.evRows++;
    if ((r + 1) * EV_FIELDS > this.ev.length) this.ev = grown(this.ev, (r + 1) * EV_FIELDS - 1);
    writeTrade(this.ev, r * EV_FIELDS, t);
    this.ev[r * EV_FIELDS + EV_NEXT] = -1;
    return r;
  }

  clear(): void {
    if (this.count > 0) this.slots.fill(0);
    this.lows.clear();
    this.candidateCount = 0;
    this.evRows = 0;
    this.count = 0;
  }

  private add(t: TradeView, low: number, high: number): number {
    if ((this.count + 1) * FIELDS > this.cols.length) this.cols = grown(this.cols, (this.count + 1) * FIELDS - 1);
    const i = this.count++;
    if (i === this.lowKey.length) {
      this.lowKey = grown(this.lowKey, i);
      this.highKey = grown(this.highKey, i);
      this.rankOf = grown(this.rankOf, i);
    }
    this.lowKey[i] = low;
    this.highKey[i] = high;
    this.rankOf[i] = this.lows.intern(low);
    const c = this.cols;
    const b = i * FIELDS;
    c[b + TRADES] = 1;
    c[b + LOTS] = t.qtyLots;
    c[b + SEQ] = t.seq;
    c[b + TIME_US] = t.timeUs;
    const r = this.keep(t);
    c[b + EV_COUNT] = 1;
    c[b + EV_HEAD] = r;
    c[b + EV_TAIL] = r;
    if (this.candidateAt <= 1) this.candidate(i);
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

}

/** A 32-bit mix of two account ids (its high bits pick the slot). */
function hashPair(low: number, high: number): number {
  return Math.imul(Math.imul(low, 0x9e3779b1) ^ high, 0x85ebca77);
}
