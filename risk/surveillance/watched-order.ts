// WatchedOrder: what the surveillance worker keeps of one open order, from its OrderAccepted to its end
// (cancel, expiry, or filled out). Objects are pooled per market (market-watch.ts): taken at acceptance,
// returned at the end, so the per-record path allocates nothing once the pool is warm.

import type { EvidenceOrder } from './alert.js';

export class WatchedOrder {
  /**
   * The object's number among its market's order objects, fixed for its life in the pool (market-watch.ts):
   * a detector keeps per-order state in typed arrays by it instead of in fields of the object.
   */
  constructor(readonly slot: number) {}

  orderId = 0;
  accountId = 0;
  /** The account's index in the market's AccountIndex, held while the order is open. */
  accountIx = -1;
  side = 0;
  orderType = 0;
  timeInForce = 0;
  priceTicks = 0;
  qtyLots = 0;
  remainingLots = 0;
  filledLots = 0;
  acceptedUs = 0;
  acceptedSeq = 0;
  /** Best price on the order's own side just before it was accepted (0: empty side). */
  touchTicks = 0;
  /** Best price on the other side just before it was accepted (0: empty side). */
  oppositeTicks = 0;
  /** Quantity resting on the order's own side within the detectors' near-touch band, before it arrived. */
  sideDepthLots = 0;
  /** Orders making up that depth. */
  sideOrders = 0;
  endedUs = 0;
  endedSeq = 0;
  endReason = 0;
  /** Distinct prices this order traded at as the taker (sweep depth), and the last of them. */
  takerLevels = 0;
  lastTakerPriceTicks = 0;

  reset(): void {
    this.orderId = 0;
    this.accountId = 0;
    this.filledLots = 0;
    this.endedUs = 0;
    this.endedSeq = 0;
    this.endReason = 0;
    this.takerLevels = 0;
    this.lastTakerPriceTicks = 0;
  }

  /** A copy for evidence (allocates: only when an alert is raised or a detector keeps an order past its end). */
  /**
   * The typical resting order near the touch on the order's side when it arrived (near-touch lots per
   * resting order there), or `fallback` when nothing rested there. Robust to bursts of tiny orders away
   * from the touch, which an average over all orders placed is not.
   */
  typicalLots(fallback: number): number {
    return this.sideOrders > 0 ? Math.max(1, Math.floor(this.sideDepthLots / this.sideOrders)) : fallback;
  }

  evidence(): EvidenceOrder {
    return {
      orderId: this.orderId,
      accountId: this.accountId,
      side: this.side,
      priceTicks: this.priceTicks,
      qtyLots: this.qtyLots,
      filledLots: this.filledLots,
      acceptedUs: this.acceptedUs,
      acceptedSeq: this.acceptedSeq,
      endedUs: this.endedUs,
      endedSeq: this.endedSeq,
      endReason: this.endReason,
      touchTicks: this.touchTicks,
    };
  }
}
