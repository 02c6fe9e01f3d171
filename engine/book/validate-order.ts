// The stateless checks of a PlaceOrder, shared by both books so they reject with the same code. The
// order of the checks is fixed (tests pin it); the first failure wins:
//
//    1 orderId integer in [1, 2^53)                              INVALID_ORDER_ID
//    2 clientOrderId integer in [0, 2^53), 0 = none               INVALID_CLIENT_ORDER_ID
//    3 accountId integer in [0, 2^32)                             INVALID_ACCOUNT
//    4 side, orderType, timeInForce, stpMode, triggerSource       INVALID_SIDE ... INVALID_TRIGGER_SOURCE
//    5 origin                                                     INVALID_FLAGS
//    6 qtyLots integer                                            INVALID_NUMBER
//      in [minQtyLots, maxQtyLots]                                QTY_BELOW_MIN / QTY_ABOVE_MAX
//    7 limit price for LIMIT / STOP_LIMIT / TAKE_PROFIT_LIMIT     PRICE_REQUIRED
//      any price given: integer in [1, maxPriceTicks]             PRICE_OUT_OF_RANGE (MARKET: 0 = default)
//    8 trigger price for stop / take-profit types                 TRIGGER_PRICE_REQUIRED
//      integer in [1, maxPriceTicks]; other types must send 0     TRIGGER_PRICE_OUT_OF_RANGE
//    9 POST_ONLY only on LIMIT                                    POST_ONLY_REQUIRES_LIMIT
//   10 LIMIT price within the band around the reference           PRICE_OUTSIDE_BAND
//      (stop-limit prices are band-checked when they trigger, against the reference of that moment)
//
// The books then check, against their state: 11 DUPLICATE_ORDER_ID, 12 DUPLICATE_CLIENT_ORDER_ID,
// 13 TOO_MANY_OPEN_ORDERS and 14 BOOK_FULL (orders that may stay open only: order-rules.mayStayOpen),
// 15 REDUCE_ONLY_WOULD_NOT_REDUCE, 16 STOP_WOULD_TRIGGER_IMMEDIATELY, 17 NO_LIQUIDITY (MARKET without a
// price and an empty opposite side), 18 POST_ONLY_WOULD_TAKE, 19 FOK_NOT_FILLABLE.

import { Code } from '../codes.js';
import { OrderOrigin, OrderType, Side, StpMode, TimeInForce, TriggerSource } from '../enums.js';
import type { MarketSpec } from '../market/spec.js';
import type { OrderRequest } from './types.js';
import { isLimitPriced, isTriggerType } from './order-rules.js';

const MAX_ACCOUNT_ID = 0xffff_ffff;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
// Module-local copies: every place runs these checks, and V8 folds a module's own constants into the
// code where an imported binding costs a load and an initialisation check per use.
const { OK } = Code;
const { BUY, SELL } = Side;
const { LIMIT, TAKE_PROFIT_LIMIT } = OrderType;
const { GTC, POST_ONLY } = TimeInForce;
const { DEFAULT, EXPIRE_BOTH } = StpMode;
const { MARK, LAST } = TriggerSource;
const { USER, ADL } = OrderOrigin;

function inRange(v: number, lo: number, hi: number): boolean {
  return Number.isSafeInteger(v) && v >= lo && v <= hi;
}

/** Returns Code.OK or the first failing check's code. bandReferenceTicks: mark, else last trade, else 0. */
export function validateOrderRequest(req: OrderRequest, spec: MarketSpec, bandReferenceTicks: number): number {
  if (!inRange(req.orderId, 1, MAX_SAFE)) return Code.INVALID_ORDER_ID;
  if (!inRange(req.clientOrderId, 0, MAX_SAFE)) return Code.INVALID_CLIENT_ORDER_ID;
  if (!inRange(req.accountId, 0, MAX_ACCOUNT_ID)) return Code.INVALID_ACCOUNT;
  if (req.side !== BUY && req.side !== SELL) return Code.INVALID_SIDE;
  const type = req.orderType;
  if (!inRange(type, LIMIT, TAKE_PROFIT_LIMIT)) return Code.INVALID_ORDER_TYPE;
  const tif = req.timeInForce;
  if (!inRange(tif, GTC, POST_ONLY)) return Code.INVALID_TIME_IN_FORCE;
  if (!inRange(req.stpMode, DEFAULT, EXPIRE_BOTH)) return Code.INVALID_STP_MODE;
  if (req.triggerSource !== MARK && req.triggerSource !== LAST) return Code.INVALID_TRIGGER_SOURCE;
  if (!inRange(req.origin, USER, ADL) || typeof req.reduceOnly !== 'boolean') return Code.INVALID_FLAGS;

  const qty = req.qtyLots;
  if (!Number.isSafeInteger(qty)) return Code.INVALID_NUMBER;
  if (qty < spec.minQtyLots) return Code.QTY_BELOW_MIN;
  if (qty > spec.maxQtyLots) return Code.QTY_ABOVE_MAX;

  const price = req.priceTicks;
  if (price === 0) {
    if (isLimitPriced(type)) return Code.PRICE_REQUIRED;
  } else if (!inRange(price, 1, spec.maxPriceTicks)) {
    return Code.PRICE_OUT_OF_RANGE;
  }

  const trigger = req.triggerPriceTicks;
  if (isTriggerType(type)) {
    if (trigger === 0) return Code.TRIGGER_PRICE_REQUIRED;
    if (!inRange(trigger, 1, spec.maxPriceTicks)) return Code.TRIGGER_PRICE_OUT_OF_RANGE;
  } else if (trigger !== 0) {
    return Code.TRIGGER_PRICE_OUT_OF_RANGE;
  }

  if (tif === POST_ONLY && type !== LIMIT) return Code.POST_ONLY_REQUIRES_LIMIT;
  if (type === LIMIT && !spec.withinBand(price, bandReferenceTicks)) return Code.PRICE_OUTSIDE_BAND;
  return OK;
}

/** A price or quantity argument of an amend: 0 keeps the current value. */
export function validateAmendArgs(spec: MarketSpec, newPriceTicks: number, newQtyLots: number): number {
  if (newPriceTicks !== 0 && !inRange(newPriceTicks, 1, spec.maxPriceTicks)) return Code.PRICE_OUT_OF_RANGE;
  if (!Number.isSafeInteger(newQtyLots) || newQtyLots < 0) return Code.INVALID_NUMBER;
  if (newQtyLots !== 0 && newQtyLots < spec.minQtyLots) return Code.QTY_BELOW_MIN;
  if (newQtyLots > spec.maxQtyLots) return Code.QTY_ABOVE_MAX;
  return Code.OK;
}

export function bandReference(markPriceTicks: number, lastTradePriceTicks: number): number {
  return markPriceTicks > 0 ? markPriceTicks : lastTradePriceTicks;
}

/** The shape checks of a Deleverage (both books): ids, side, quantity and price on the market's grid. */
export function validateDeleverage(spec: MarketSpec, liquidatedAccountId: number, counterpartyAccountId: number, side: number, qtyLots: number, priceTicks: number, deleverageId: number): number {
  if (!Number.isSafeInteger(deleverageId) || deleverageId < 1) return Code.INVALID_ORDER_ID;
  if (liquidatedAccountId === counterpartyAccountId) return Code.INVALID_ACCOUNT;
  if (side !== Side.BUY && side !== Side.SELL) return Code.INVALID_SIDE;
  if (!Number.isSafeInteger(qtyLots) || qtyLots < 1) return Code.QTY_BELOW_MIN;
  if (!Number.isSafeInteger(priceTicks) || priceTicks < 1 || priceTicks > spec.maxPriceTicks) return Code.PRICE_OUT_OF_RANGE;
  return Code.OK;
}
