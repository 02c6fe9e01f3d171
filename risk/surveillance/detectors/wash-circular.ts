// Wash trading found from the trade graph: two accounts, not declared linked, that trade mostly with each
// other over a window and end it with almost no position change (the volume goes round in a circle).
//
// Source: Delegated Regulation (EU) 2016/522, Annex II, Section 1 ("wash trades": no change in beneficial
// interests or market risk, or a transfer only between parties acting in concert), and the indicators of
// MAR Annex I A(b): transactions leading to reversals of position in a short period. The graph form (a
// pair trading mostly with itself at near-zero net) is the usual exchange-side reading of it.
//
// Measure: windows of windowUs that start every windowUs / 2 (each pair's history sits whole in one of
// them if it lasts at most half a window). At a window's end, a pair of accounts is flagged when it
// traded at least minTrades times, its mutual lots are at least minShareBps of each account's lots in the
// market in the window, and each account's net position change is at most maxNetBps of its lots. One
// alert per pair per window span (cooldown).

import { DetectorId, type EvidenceTrade } from '../alert.js';
import type { Detector } from '../detector.js';
import type { MarketWatch, TradeView } from '../market-watch.js';
import { FramePairs } from './frame-pairs.js';
import { U32Index } from '../u32-index.js';
import { seconds } from '../format.js';

export interface WashCircularParams {
  /** Window length (µs); windows start every half of it. Default 10 min. */
  readonly windowUs: number;
  /** Trades between the two accounts in the window. Default 6. */
  readonly minTrades: number;
  /** Their mutual lots as a share of each one's lots in the window, bps. Default 8,000. */
  readonly minShareBps: number;
  /** |bought − sold| of each, as a share of its lots, at most (bps). Default 1,000. */
  readonly maxNetBps: number;
  /** Trades kept as evidence per pair and half window. Default 20. */
  readonly maxEvidence: number;
}

export const WASH_CIRCULAR_DEFAULTS: WashCircularParams = { windowUs: 600_000_000, minTrades: 6, minShareBps: 8_000, maxNetBps: 1_000, maxEvidence: 20 };

interface Flow {
  boughtLots: number;
  soldLots: number;
}

/**
 * What each account bought and sold in one half window: account → row of two columns (no object per
 * account and frame: at a busy venue that was an allocation for most trades, collected ten minutes later),
 * the rows found through a typed hash table (U32Index) that keeps its size from one half window to the next.
 */
class FrameFlows {
  readonly rows = new U32Index();
  private cols = new Float64Array(2 * 1_024);

  /** Adds lots to what the account bought (side 0) or sold (side 1). */
  add(account: number, side: number, lots: number): void {
    const before = this.rows.size;
    const row = this.rows.intern(account);
    if (row === before) {
      if (2 * row + 2 > this.cols.length) {
        const grown = new Float64Array(this.cols.length * 2);
        grown.set(this.cols);
        this.cols = grown;
      }
      this.cols[2 * row] = 0;
      this.cols[2 * row + 1] = 0;
    }
    this.cols[2 * row + side] += lots;
  }

  /** Adds the account's flow in this frame to out. */
  addTo(account: number, out: Flow): void {
    const row = this.rows.find(account);
    if (row < 0) return;
    out.boughtLots += this.cols[2 * row]!;
    out.soldLots += this.cols[2 * row + 1]!;
  }

  clear(): void {
    this.rows.clear();
  }
}

/** Half a window of trades. */
interface Frame {
  startUs: number;
  accounts: FrameFlows;
  pairs: FramePairs;
}

export class WashCircularDetector implements Detector {
  readonly id = DetectorId.WASH_CIRCULAR;
  private readonly halfUs: number;
  /** The previous half window and the current one. */
  private previous: Frame | undefined;
  private current: Frame | undefined;
  /** Frames whose window was judged, kept for reuse (their maps and pair columns stay allocated). */
  private readonly spare: Frame[] = [];
  /** Pairs raised recently ("low:high" → until µs). */
  private readonly cooldown = new Map<string, number>();

  constructor(
    private readonly m: MarketWatch,
    private readonly p: WashCircularParams = WASH_CIRCULAR_DEFAULTS,
  ) {
    this.halfUs = Math.floor(p.windowUs / 2);
  }

  traded(t: TradeView): void {
    const a = t.takerAccountId;
    const b = t.makerAccountId;
    if (a === b) return;
    const f = this.frameAt(t.timeUs);
    const buyer = t.takerSide === 0 ? a : b;
    const seller = buyer === a ? b : a;
    f.accounts.add(buyer, 0, t.qtyLots);
    f.accounts.add(seller, 1, t.qtyLots);
    f.pairs.note(t, a < b ? a : b, a < b ? b : a, this.p.maxEvidence);
  }

  tick(nowUs: number): void {
    if (this.current !== undefined && nowUs >= this.current.startUs + this.halfUs) this.frameAt(nowUs);
  }

  size(): number {
    let n = this.cooldown.size;
    for (const f of [this.previous, this.current]) if (f) n += f.accounts.rows.size;
    return n;
  }

  /** The frame holding timeUs, closing (and evaluating) windows that ended before it. */
  private frameAt(timeUs: number): Frame {
    const start = Math.floor(timeUs / this.halfUs) * this.halfUs;
    if (this.current !== undefined && this.current.startUs === start) return this.current;
    if (this.current !== undefined) {
      // The window [previous, current] ends now.
      this.evaluate(this.previous, this.current);
      if (this.previous !== undefined) this.recycle(this.previous);
      const adjacent = this.current.startUs + this.halfUs === start;
      if (adjacent) this.previous = this.current;
      else {
        // A gap of more than half a window: the current frame's own window (with an empty successor) ends too.
        this.evaluate(this.current, undefined);
        this.recycle(this.current);
        this.previous = undefined;
      }
    }
    const next = this.spare.pop() ?? { startUs: 0, accounts: new FrameFlows(), pairs: new FramePairs(Math.max(1, Math.ceil(this.p.minTrades / 2))) };
    next.startUs = start;
    this.current = next;
    for (const [key, until] of this.cooldown) if (until <= timeUs) this.cooldown.delete(key);
    return this.current;
  }

  private recycle(f: Frame): void {
    f.accounts.clear();
    f.pairs.clear();
    this.spare.push(f);
  }

  private evaluate(a: Frame | undefined, b: Frame | undefined): void {
    const frames = [a, b].filter((f): f is Frame => f !== undefined);
    // Pairs of the window in a fixed order: frame by frame, each in the order its pairs first traded
    // (FramePairs.inVisitOrder); a pair already met in an earlier frame is not judged twice. Only pairs
    // that traded minTrades times in the window can qualify, so at least half of that in one frame: the
    // frames' candidates (FramePairs.candidateAt) are all that need reading.
    const min = this.p.minTrades;
    const f0 = frames[0]!.pairs;
    const f1 = frames[1]?.pairs;
    const first = new Set(f0.candidates());
    if (f1 !== undefined) {
      for (const j of f1.candidates()) {
        const i = f0.find(f1.lowOf(j), f1.highOf(j));
        if (i >= 0) first.add(i);
      }
    }
    for (const i of f0.inVisitOrder([...first])) {
      const low = f0.lowOf(i);
      const high = f0.highOf(i);
      let trades = f0.trades(i);
      if (f1 !== undefined) {
        const j = f1.find(low, high);
        if (j >= 0) trades += f1.trades(j);
      }
      if (trades >= min) this.judge(frames, low, high, trades);
    }
    if (f1 === undefined) return;
    for (const j of f1.inVisitOrder(f1.candidates())) {
      // Judged with f0 if it traded there; under minTrades here alone otherwise: nothing to do.
      if (f1.trades(j) < min || f0.find(f1.lowOf(j), f1.highOf(j)) >= 0) continue;
      this.judge(frames, f1.lowOf(j), f1.highOf(j), f1.trades(j));
    }
  }

  /** Judges the pair (low, high), which traded `trades` times in the window's frames. */
  private judge(frames: Frame[], low: number, high: number, trades: number): void {
    if (trades < this.p.minTrades) return;
    const key = `${low}:${high}`;
    if (this.cooldown.has(key)) return;
    let lots = 0;
    let firstSeq = 0;
    let firstUs = 0;
    const evidence: EvidenceTrade[] = [];
    for (const f of frames) {
      const i = f.pairs.find(low, high);
      if (i < 0) continue;
      lots += f.pairs.lots(i);
      if (firstSeq === 0) {
        firstSeq = f.pairs.firstSeq(i);
        firstUs = f.pairs.firstUs(i);
      }
      evidence.push(...f.pairs.evidence(i));
    }
    const fa = sum(frames, low);
    const fb = sum(frames, high);
    const volA = fa.boughtLots + fa.soldLots;
    const volB = fb.boughtLots + fb.soldLots;
    if (lots * 10_000 < this.p.minShareBps * volA || lots * 10_000 < this.p.minShareBps * volB) return;
    const netA = Math.abs(fa.boughtLots - fa.soldLots);
    const netB = Math.abs(fb.boughtLots - fb.soldLots);
    if (netA * 10_000 > this.p.maxNetBps * volA || netB * 10_000 > this.p.maxNetBps * volB) return;
    const lastUs = evidence.length > 0 ? evidence[evidence.length - 1]!.timeUs : firstUs;
    this.cooldown.set(key, lastUs + this.p.windowUs);
    const shareBps = Math.floor((lots * 10_000) / Math.max(volA, volB));
    this.m.alert({
      detector: this.id,
      accounts: [low, high],
      // 6,000 for a qualifying pair, up to 10,000 as the share reaches 100% and the trades grow.
      score: 6_000 + Math.floor(((shareBps - this.p.minShareBps) * 2_000) / Math.max(1, 10_000 - this.p.minShareBps)) + Math.min(2_000, 100 * (trades - this.p.minTrades)),
      fromUs: firstUs,
      fromSeq: firstSeq,
      summary: `accounts ${low} and ${high} traded ${trades} times (${lots} lots) with each other, ${shareBps / 100}% of their volume, ending ${netA} and ${netB} lots from where they started, over ${seconds(lastUs - firstUs)}`,
      figures: { trades, lots, shareBps, netLotsLow: netA, netLotsHigh: netB, volumeLotsLow: volA, volumeLotsHigh: volB },
      orders: [],
      trades: evidence,
    });
  }
}

function sum(frames: Frame[], account: number): Flow {
  const out = { boughtLots: 0, soldLots: 0 };
  for (const f of frames) f.accounts.addTo(account, out);
  return out;
}
