// Wash trading between linked accounts: trades whose two sides belong to one beneficial owner, or to a
// group an operator linked (SetBeneficialOwner).
//
// Source: Regulation (EU) No 596/2014 (MAR), Annex I A(a)-(b), and Delegated Regulation (EU) 2016/522,
// Annex II, Section 1: "wash trades", the sale or purchase of a financial instrument where there is no
// change in beneficial interests or market risk, or where the transfer is only between parties acting in
// concert or collusion.
//
// Measure: every trade between two linked accounts joins the episode of that pair; an episode closes
// after gapUs without another such trade (or maxEpisodeUs after it opened) and is raised as one alert if
// it holds at least minTrades trades. Score grows with the trades and the lots in the episode.

import { DetectorId, type EvidenceTrade } from '../alert.js';
import type { Detector } from '../detector.js';
import type { MarketWatch, TradeView } from '../market-watch.js';
import { seconds } from '../format.js';

export interface WashLinkedParams {
  /** An episode closes after this long without a linked trade (µs). Default 30 s. */
  readonly gapUs: number;
  /** ...or this long after it opened. Default 10 min. */
  readonly maxEpisodeUs: number;
  /** Linked trades an episode needs to be raised. Default 1: any trade between linked accounts is one too many. */
  readonly minTrades: number;
  /** Trades kept as evidence per episode. Default 50. */
  readonly maxEvidence: number;
}

export const WASH_LINKED_DEFAULTS: WashLinkedParams = { gapUs: 30_000_000, maxEpisodeUs: 600_000_000, minTrades: 1, maxEvidence: 50 };

interface Episode {
  low: number;
  high: number;
  ownerId: number;
  openedUs: number;
  openedSeq: number;
  lastUs: number;
  trades: number;
  lots: number;
  evidence: EvidenceTrade[];
}

export class WashLinkedDetector implements Detector {
  readonly id = DetectorId.WASH_LINKED;
  /** Open episodes by "low:high" account pair, in the order they opened. */
  private readonly episodes = new Map<string, Episode>();

  constructor(
    private readonly m: MarketWatch,
    private readonly p: WashLinkedParams = WASH_LINKED_DEFAULTS,
  ) {}

  traded(t: TradeView): void {
    const a = t.takerAccountId;
    const b = t.makerAccountId;
    if (!this.m.owners.linked(a, b)) return;
    const low = a < b ? a : b;
    const high = a < b ? b : a;
    const key = `${low}:${high}`;
    let e = this.episodes.get(key);
    if (e === undefined) {
      e = { low, high, ownerId: this.m.owners.owner(a), openedUs: t.timeUs, openedSeq: t.seq, lastUs: t.timeUs, trades: 0, lots: 0, evidence: [] };
      this.episodes.set(key, e);
    }
    e.lastUs = t.timeUs;
    e.trades++;
    e.lots += t.qtyLots;
    if (e.evidence.length < this.p.maxEvidence) e.evidence.push(t.evidence());
  }

  tick(nowUs: number): void {
    for (const [key, e] of this.episodes) {
      if (nowUs - e.lastUs < this.p.gapUs && nowUs - e.openedUs < this.p.maxEpisodeUs) continue;
      this.episodes.delete(key);
      if (e.trades < this.p.minTrades) continue;
      this.m.alert({
        detector: this.id,
        accounts: [e.low, e.high],
        score: 6_000 + Math.min(4_000, 400 * (e.trades - 1)),
        fromUs: e.openedUs,
        fromSeq: e.openedSeq,
        summary: `${e.trades} trades (${e.lots} lots) between accounts ${e.low} and ${e.high}, declared to one beneficial owner (${e.ownerId}), over ${seconds(e.lastUs - e.openedUs)}`,
        figures: { trades: e.trades, lots: e.lots, ownerId: e.ownerId },
        orders: [],
        trades: e.evidence,
      });
    }
  }

  size(): number {
    return this.episodes.size;
  }
}
