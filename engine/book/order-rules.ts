// Small predicates both books share, so the two agree on what an order type means. Pure functions of
// enums and integers; no state.

import { OrderType, Side, TimeInForce } from '../enums.js';

/** Stop and take-profit types: they wait in the stop book until their trigger fires. */
export function isTriggerType(orderType: number): boolean {
  return orderType >= OrderType.STOP_MARKET && orderType <= OrderType.TAKE_PROFIT_LIMIT;
}

/** Types that carry a limit price (LIMIT, STOP_LIMIT, TAKE_PROFIT_LIMIT). */
export function isLimitPriced(orderType: number): boolean {
  return orderType === OrderType.LIMIT || orderType === OrderType.STOP_LIMIT || orderType === OrderType.TAKE_PROFIT_LIMIT;
}

/**
 * Whether a trigger order fires on a rising source price (price ≥ trigger) rather than a falling one
 * (price ≤ trigger). Stops fire against the position: a stop BUY on a rise, a stop SELL on a fall.
 * Take-profits fire in its favour: a take-profit SELL on a rise, a take-profit BUY on a fall.
 */
export function firesOnRise(orderType: number, side: number): boolean {
  const stop = orderType === OrderType.STOP_MARKET || orderType === OrderType.STOP_LIMIT;
  return stop === (side === Side.BUY);
}

/** Whether the trigger condition holds at priceTicks (a source price of 0, none yet, never fires). */
export function triggerHolds(orderType: number, side: number, triggerPriceTicks: number, priceTicks: number): boolean {
  if (priceTicks <= 0) return false;
  return firesOnRise(orderType, side) ? priceTicks >= triggerPriceTicks : priceTicks <= triggerPriceTicks;
}

/** Whether a taker on `side` limited to limitTicks may trade against a maker resting at makerPriceTicks. */
export function crosses(side: number, limitTicks: number, makerPriceTicks: number): boolean {
  return side === Side.BUY ? makerPriceTicks <= limitTicks : makerPriceTicks >= limitTicks;
}

/** Lots a reduce-only order on `side` may still fill: what shrinks |position| without flipping it. */
export function reducibleLots(positionLots: number, side: number): number {
  if (side === Side.SELL) return positionLots > 0 ? positionLots : 0;
  return positionLots < 0 ? -positionLots : 0;
}

/**
 * Orders that may end up open (resting or waiting for a trigger) and so count against the per-account
 * and per-book limits: trigger orders, and LIMIT orders that are GTC or post-only. IOC, FOK and MARKET
 * orders never stay, so a full book or an account at its limit can still close positions with them.
 */
export function mayStayOpen(orderType: number, timeInForce: number): boolean {
  if (isTriggerType(orderType)) return true;
  return orderType === OrderType.LIMIT && (timeInForce === TimeInForce.GTC || timeInForce === TimeInForce.POST_ONLY);
}

/** The position change of the account on `side` when it fills qtyLots. */
export function signedLots(side: number, qtyLots: number): number {
  return side === Side.BUY ? qtyLots : -qtyLots;
}
