// Small facts about a watched order that several detectors ask: is it a resting limit order, how far did
// it sit from the touch when it arrived, was its end the owner's request.

import { CancelReason, OrderType, TimeInForce } from '../../../engine/enums.js';
import type { MarketWatch } from '../market-watch.js';
import type { WatchedOrder } from '../watched-order.js';

/** A limit order that may rest in the book (GTC or post-only). */
export function isRestingLimit(o: WatchedOrder): boolean {
  return o.orderType === OrderType.LIMIT && (o.timeInForce === TimeInForce.GTC || o.timeInForce === TimeInForce.POST_ONLY);
}

/**
 * Ticks the order sat behind the best price of its own side when it arrived (0 at or better than it;
 * an empty side counts the distance from the reference price it arrived at).
 */
export function ticksBehindTouch(o: WatchedOrder, m: MarketWatch): number {
  const touch = o.touchTicks > 0 ? o.touchTicks : m.referenceTicks();
  if (touch === 0) return 0;
  const behind = o.side === 0 ? touch - o.priceTicks : o.priceTicks - touch;
  return behind > 0 ? behind : 0;
}

/** Within bps of the touch (or better) when it arrived. */
export function nearTouch(o: WatchedOrder, m: MarketWatch, bps: number): boolean {
  return ticksBehindTouch(o, m) <= m.ticksOfBps(o.priceTicks, bps);
}

/** The order left the book because its owner asked (cancel, cancel-all), not by a venue rule. */
export function cancelledOnRequest(o: WatchedOrder): boolean {
  return o.endReason === CancelReason.USER || o.endReason === CancelReason.CANCEL_ALL;
}
