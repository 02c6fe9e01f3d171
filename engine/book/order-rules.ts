// Small predicates both books share, so the two agree on what an order type means. Pure functions of
// enums and integers; no state.

import { OrderType, Side, TimeInForce } from '../enums.js';

// Module-local copies: these predicates inline into the matching path, where an imported binding would
// cost a load and an initialisation check per use.
const { LIMIT, STOP_MARKET, STOP_LIMIT, TAKE_PROFIT_LIMIT } = OrderType;
const { BUY, SELL } = Side;
const { GTC, POST_ONLY } = TimeInForce;

/** Stop and take-profit types: they wait in the stop book until their trigger fires. */
export function isTriggerType(orderType: number): boolean {
  return orderType >= STOP_MARKET && orderType <= TAKE_PROFIT_LIMIT;
}

/** Types that carry a limit price (LIMIT, STOP_LIMIT, TAKE_PROFIT_LIMIT). */
export function isLimitPriced(orderType: number): boolean {
  return orderType === LIMIT || orderType === STOP_LIMIT || orderType === TAKE_PROFIT_LIMIT;
}

/**
 * Whether a trigger order fires on a rising source price (price ≥ trigger) rather than a falling one
 * (price ≤ trigger). Stops fire against the position: a stop BUY on a rise, a stop SELL on a fall.
 * Take-profits fire in its favour: a take-profit SELL on a rise, a take-profit BUY on a fall.
 */
export function firesOnRise(orderType: number, side: number): boolean {
  const stop = orderType === STOP_MARKET || orderType === STOP_LIMIT;
  return stop === (side === BUY);
}

/** Whether the trigger condition holds at priceTicks (a source price of 0, none yet, never fires). */
export function triggerHolds(orderType: number, side: number, triggerPriceTicks: number, priceTicks: number): boolean {
  if (priceTicks <= 0) return false;
  return firesOnRise(orderType, side) ? priceTicks >= triggerPriceTicks : priceTicks <= triggerPriceTicks;
}

/** Whether a taker on `side` limited to limitTicks may trade against a maker resting at makerPriceTicks. */
export function crosses(side: number, limitTicks: number, makerPriceTicks: number): boolean {
  return side === BUY ? makerPriceTicks <= limitTicks : makerPriceTicks >= limitTicks;
}

/** Lots a reduce-only order on `side` may still fill: what shrinks |position| without flipping it. */
export function reducibleLots(positionLots: number, side: number): number {
  if (side === SELL) return positionLots > 0 ? positionLots : 0;
  return positionLots < 0 ? -positionLots : 0;
}

/**
 * Orders that may end up open (resting or waiting for a trigger) and so count against the per-account
 * and per-book limits: trigger orders, and LIMIT orders that are GTC or post-only. IOC, FOK and MARKET
 * orders never stay, so a full book or an account at its limit can still close positions with them.
 */
export function mayStayOpen(orderType: number, timeInForce: number): boolean {
  if (isTriggerType(orderType)) return true;
  return orderType === LIMIT && (timeInForce === GTC || timeInForce === POST_ONLY);
}

/** The position change of the account on `side` when it fills qtyLots. */
export function signedLots(side: number, qtyLots: number): number {
  return side === BUY ? qtyLots : -qtyLots;
}
