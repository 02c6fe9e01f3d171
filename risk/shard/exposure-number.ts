// The pre-trade checks of pre-trade.ts (checkExposure) on the number fast path: order costs from
// risk/order-cost-number.ts, the scope and the cross Available from the shard's number figures. The same
// codes in the same order as the bigint checks; −1 when a guard refuses a figure (pre-trade.ts then runs
// the bigint checks). Nothing is written here.
// Thread contract: the risk-shard thread.

import { Code } from '../../engine/codes.js';
import { Side } from '../../engine/enums.js';
import { productBelow51 } from '../margin-number.js';
import { gatherOrders, gatheredSideCost, openLotsOnSide, type NumberOrder, type NumberOrders } from '../order-cost-number.js';
import { fillNumberContext } from './reservation.js';
import type { ShardParts } from './shard-parts.js';
import { MarginMode, type AccountState, type MarketRiskState, type OpenOrderState, type PositionState } from './state.js';

/** The number path could not decide: run the bigint checks. */
export const EXPOSURE_UNDECIDED = -1;

let reservation = NaN;

/**
 * After exposureNumber accepted a new order: the open-order margin of the position once that order is
 * added (max of the two sides' costs it computed anyway), so the caller need not recompute it. NaN after
 * anything else.
 */
export function reservationWithOrder(): number {
  return reservation;
}

/**
 * checkExposure on numbers: `others` the position's other open orders, `order` the new or amended one
 * (number slots priceN, remainingN), `replacing` the order an amendment replaces.
 */
export function exposureNumber(
  p: ShardParts,
  account: AccountState,
  pos: PositionState,
  market: MarketRiskState,
  others: NumberOrders,
  order: NumberOrder,
  replacing: OpenOrderState | undefined,
): number {
  reservation = NaN;
  const ctx = fillNumberContext(p.numberCost, pos, market, p.numberFees.takerRate[account.feeTier]!);
  const opposite = order.side === Side.BUY ? Side.SELL : Side.BUY;
  // incrementalOrderCostAtoms and the side's cost with the order, from three side costs.
  gatherOrders(others, ctx);
  const other = gatheredSideCost(opposite, ctx);
  const was = gatheredSideCost(order.side, ctx, replacing);
  const will = gatheredSideCost(order.side, ctx, order);
  if (other !== other || was !== was || will !== will) return EXPOSURE_UNDECIDED;
  const before = was > other ? was : other;
  const after = will > other ? will : other;
  let increment: number;
  if (replacing === undefined) increment = order.reduceOnly ? 0 : after - before;
  else {
    if (after <= before && (order.priceN === replacing.priceN || !p.scopeOf(account, pos).belowInitial)) return Code.OK;
    increment = after > before ? after - before : 0;
  }
  const reduces = order.reduceOnly || will === 0;
  const code = exposureCodes(p, account, pos, market, others, order, increment, reduces);
  if (code === Code.OK && replacing === undefined) reservation = after;
  return code;
}

/** The checks after the order costs, in checkExposure's order. */
function exposureCodes(p: ShardParts, account: AccountState, pos: PositionState, market: MarketRiskState, others: NumberOrders, order: NumberOrder, increment: number, reduces: boolean): number {
  if (market.reduceOnly && !reduces) return Code.MARKET_REDUCE_ONLY;
  if (order.reduceOnly) {
    const q = pos.qtyN;
    if (q !== q) return EXPOSURE_UNDECIDED;
    if (q === 0) return Code.REDUCE_ONLY_NO_POSITION;
    if ((order.side === Side.BUY) === q > 0) return Code.REDUCE_ONLY_WOULD_INCREASE;
    return Code.OK;
  }
  const limit = positionLimitNumber(others, order, pos, market);
  if (limit !== Code.OK) return limit;
  // A cross position's scope is the cross scope: its figures serve both checks (valued once).
  const cross = p.cross(account);
  if (!reduces && (pos.marginMode === MarginMode.CROSS ? cross : p.scopeOf(account, pos)).belowInitial) return Code.BELOW_INITIAL_MARGIN;
  const available = cross.availableN;
  if (available === available) return increment > available ? Code.INSUFFICIENT_MARGIN : Code.OK;
  return BigInt(increment) > cross.availableAtoms ? Code.INSUFFICIENT_MARGIN : Code.OK;
}

/** orderPositionLimitCode on numbers (the order is not reduce-only here). */
function positionLimitNumber(others: NumberOrders, order: NumberOrder, pos: PositionState, market: MarketRiskState): number {
  const mark = market.markN;
  if (!(mark > 0)) return mark === 0 ? Code.MARK_PRICE_UNAVAILABLE : EXPOSURE_UNDECIDED;
  const lots = order.remainingN + openLotsOnSide(others, order.side);
  const q = pos.qtyN + (order.side === Side.BUY ? lots : -lots);
  const price = order.priceN > mark ? order.priceN : mark;
  const n = productBelow51(q < 0 ? -q : q, price, market.atomsPerTickLotN);
  const t = market.numberTiers;
  if (!(n >= 0 && t.usable && lots < 2 ** 51)) return EXPOSURE_UNDECIDED;
  return n > t.hiAtoms[t.count - 1]! ? Code.POSITION_LIMIT_EXCEEDED : Code.OK;
}
