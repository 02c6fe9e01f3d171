// Spoofing: a large order near the touch on one side, a fill for the same account on the other side while
// it rests, then the large order cancelled shortly after, unfilled or nearly so.
//
// Source: Delegated Regulation (EU) 2016/522, Annex II, Section 1, point 5(e): "submitting multiple or
// large orders to trade often away from the touch on one side of the order book in order to execute a
// trade on the other side of the order book. Once the trade has taken place, the orders with no
// intention to be executed shall be removed — usually known as layering and spoofing." The single large
// order near the touch is the spoofing reading (the several orders away from it: layering.ts).
//
// Measure: a candidate is a resting limit order accepted within nearTouchBps of its side's touch whose
// size is at least minAvgMultiple × the typical resting order near that touch (and at least minDepthShareBps of the
// near-touch depth it joined). A fill of the same account on the other side within fillWithinUs of the
// candidate's acceptance arms it; the alert is raised when the candidate is then cancelled on request
// within cancelWithinUs of the last such fill, with at most maxFilledBps of it filled, and it was at least
// minGenuineMultiple × the size of the order that did trade. The last condition is what separates a
// spoof from a market maker requoting (its two sides are alike in size).

import { DetectorId, type EvidenceOrder, type EvidenceTrade } from '../alert.js';
import type { Detector } from '../detector.js';
import type { MarketWatch, TradeView } from '../market-watch.js';
import type { WatchedOrder } from '../watched-order.js';
import { cancelledOnRequest, isRestingLimit, nearTouch, ticksBehindTouch } from './order-facts.js';
import { seconds } from '../format.js';

export interface SpoofingParams {
  /** How close to its side's touch the large order must arrive (bps of price). Default 10. */
  readonly nearTouchBps: number;
  /** Size against the typical resting order near the touch of its side (WatchedOrder.typicalLots). Default 5. */
  readonly minAvgMultiple: number;
  /** Size as a share of the near-touch depth (MarketWatch settings) after it joined, bps. Default 300. */
  readonly minDepthShareBps: number;
  /** The other-side fill must come within this long of the large order's acceptance (µs). Default 10 s. */
  readonly fillWithinUs: number;
  /** The large order must be cancelled within this long of the last other-side fill (µs). Default 3 s. */
  readonly cancelWithinUs: number;
  /** At most this share of the large order filled, bps. Default 1,000. */
  readonly maxFilledBps: number;
  /** The large order against the order that traded on the other side. Default 4. */
  readonly minGenuineMultiple: number;
}

export const SPOOFING_DEFAULTS: SpoofingParams = {
  nearTouchBps: 10,
  minAvgMultiple: 5,
  minDepthShareBps: 300,
  fillWithinUs: 10_000_000,
  cancelWithinUs: 3_000_000,
  maxFilledBps: 1_000,
  minGenuineMultiple: 4,
};

interface Candidate {
  order: WatchedOrder;
  typicalLots: number;
  behindTicks: number;
  filledOppositeLots: number;
  /** Largest order of the account that traded on the other side while the candidate rested. */
  genuineLots: number;
  lastFillUs: number;
  fills: EvidenceTrade[];
  genuine: EvidenceOrder[];
}

export class SpoofingDetector implements Detector {
  readonly id = DetectorId.SPOOFING;
  private readonly candidates = new Map<number, Candidate>();
  /** Candidate order ids by account, so a trade finds them without a scan. */
  private readonly byAccount = new Map<number, number[]>();

  constructor(
    private readonly m: MarketWatch,
    private readonly p: SpoofingParams = SPOOFING_DEFAULTS,
  ) {}

  accepted(o: WatchedOrder): void {
    if (!isRestingLimit(o)) return;
    const typical = o.typicalLots(this.m.avgOrderLots);
    if (typical === 0 || o.qtyLots < this.p.minAvgMultiple * typical) return;
    if (o.qtyLots * 10_000 < this.p.minDepthShareBps * (o.sideDepthLots + o.qtyLots)) return;
    if (!nearTouch(o, this.m, this.p.nearTouchBps)) return;
    this.candidates.set(o.orderId, { order: o, typicalLots: typical, behindTicks: ticksBehindTouch(o, this.m), filledOppositeLots: 0, genuineLots: 0, lastFillUs: 0, fills: [], genuine: [] });
    const list = this.byAccount.get(o.accountId);
    if (list === undefined) this.byAccount.set(o.accountId, [o.orderId]);
    else list.push(o.orderId);
  }

  traded(t: TradeView, taker: WatchedOrder | undefined, maker: WatchedOrder | undefined): void {
    if (this.byAccount.size === 0) return;
    this.fill(t, t.takerAccountId, t.takerSide, taker);
    this.fill(t, t.makerAccountId, 1 - t.takerSide, maker);
  }

  private fill(t: TradeView, accountId: number, side: number, own: WatchedOrder | undefined): void {
    const ids = this.byAccount.get(accountId);
    if (ids === undefined) return;
    for (const id of ids) {
      const c = this.candidates.get(id)!;
      if (c.order.side === side || t.timeUs - c.order.acceptedUs > this.p.fillWithinUs) continue;
      c.filledOppositeLots += t.qtyLots;
      c.lastFillUs = t.timeUs;
      if (c.fills.length < 20) c.fills.push(t.evidence());
      const ownLots = own?.qtyLots ?? t.qtyLots;
      if (ownLots > c.genuineLots) c.genuineLots = ownLots;
      if (own !== undefined && !c.genuine.some((g) => g.orderId === own.orderId)) c.genuine.push(own.evidence());
    }
  }

  ended(o: WatchedOrder): void {
    const c = this.candidates.get(o.orderId);
    if (c === undefined) return;
    this.candidates.delete(o.orderId);
    const list = this.byAccount.get(o.accountId)!;
    list.splice(list.indexOf(o.orderId), 1);
    if (list.length === 0) this.byAccount.delete(o.accountId);
    if (c.filledOppositeLots === 0 || !cancelledOnRequest(o)) return;
    const sinceFillUs = o.endedUs - c.lastFillUs;
    if (sinceFillUs > this.p.cancelWithinUs) return;
    if (o.filledLots * 10_000 > this.p.maxFilledBps * o.qtyLots) return;
    if (o.qtyLots < this.p.minGenuineMultiple * c.genuineLots) return;
    const multipleX100 = Math.floor((o.qtyLots * 100) / Math.max(1, c.genuineLots));
    const typicalX100 = Math.floor((o.qtyLots * 100) / c.typicalLots);
    // 5,000 for the pattern, up to 2,500 more for size against the genuine order, up to 2,500 for speed.
    const sizePart = Math.min(2_500, Math.floor(((multipleX100 - this.p.minGenuineMultiple * 100) * 2_500) / (this.p.minGenuineMultiple * 300)));
    const speedPart = Math.floor(((this.p.cancelWithinUs - sinceFillUs) * 2_500) / this.p.cancelWithinUs);
    const orders = [o.evidence(), ...c.genuine];
    this.m.alert({
      detector: this.id,
      accounts: [o.accountId],
      score: 5_000 + sizePart + speedPart,
      fromUs: o.acceptedUs,
      fromSeq: o.acceptedSeq,
      summary:
        `${o.side === 0 ? 'buy' : 'sell'} order ${o.orderId} of ${o.qtyLots} lots ${c.behindTicks} ticks from the touch ` +
        `(${Math.floor(multipleX100 / 100)}× the order that traded, ${Math.floor(typicalX100 / 100)}× the typical order near the touch) rested while the account ` +
        `${o.side === 0 ? 'sold' : 'bought'} ${c.filledOppositeLots} lots, and was cancelled ${seconds(sinceFillUs)} after, ${o.filledLots} lots filled`,
      figures: { spoofLots: o.qtyLots, filledLots: o.filledLots, oppositeLots: c.filledOppositeLots, genuineOrderLots: c.genuineLots, behindTicks: c.behindTicks, cancelAfterFillUs: sinceFillUs, typicalOrderLots: c.typicalLots },
      orders,
      trades: c.fills,
    });
  }

  size(): number {
    return this.candidates.size;
  }
}
