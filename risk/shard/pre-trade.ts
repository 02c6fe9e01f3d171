// Pre-trade (docs/RISK-SHARD.md, "Pre-trade"; docs/RISK.md, "Pre-trade check"): the order commands from the
// gateway. An accepted command is copied to the market shard's stream; a refused one returns its code
// and changes nothing (the dispatcher publishes OrderRejected). PlaceOrder, in this order:
//
//   UNKNOWN_ACCOUNT, UNKNOWN_MARKET; INVALID_FLAGS for a reduce-only flag past 1; the order's shape, with
//   the codes and in the order the market's book checks it (engine/book/validate-order.ts, every check
//   but the price band, which needs the book's reference), so no malformed order reaches a market;
//   INVALID_ORDER_ID past the gateway's range (system ids are the shard's own); DUPLICATE_ORDER_ID;
//   MARK_PRICE_UNAVAILABLE; ACCOUNT_LIQUIDATING (the liquidation engine froze the scope);
//   MARKET_REDUCE_ONLY (stale index) unless the order reduces; reduce-only: REDUCE_ONLY_NO_POSITION /
//   REDUCE_ONLY_WOULD_INCREASE, then accepted at no cost; POSITION_LIMIT_EXCEEDED; BELOW_INITIAL_MARGIN
//   unless the order reduces; INSUFFICIENT_MARGIN when the incremental cost with netting exceeds the
//   account's Available.
//
// An accepted PlaceOrder records the order and the reservation its acceptance computed, with what that
// computation replaced (the mark and the acceptance before it): the market can still refuse the order
// on its book (post-only would take, FOK not fillable, outside the band, ...), and then order-events.ts
// withdraws it as if it had never been accepted.
//
// "Reduces" means the order's whole side, this order included, nets inside the position (its side's
// cost is 0 in risk/order-cost.ts): it can only close. Every order is funded from the wallet, so the
// cost is compared with the cross Available whatever the position's margin mode; the below-IM rule looks
// at the order's own scope.
// AmendOrder: its new price and quantity on the market's grid (validateAmendArgs), then checked when it
// raises the order margin (the cost of the amended order against the others), and below initial margin
// when it moves the price (it could trade: the below-IM rule applies); the shard's copy changes when the
// market confirms with OrderAmended. CancelOrder and CancelAllOrders only need a known account and
// market; SetAccountConfig also a self-trade mode the book accepts (INVALID_STP_MODE).
// Thread contract: the risk-shard thread.

import { Code } from '../../engine/codes.js';
import { OrderOrigin, OrderType, Side, StpMode } from '../../engine/enums.js';
import { OrderRequest } from '../../engine/book/types.js';
import { validateAmendArgs, validateOrderRequest } from '../../engine/book/validate-order.js';
import { SetAccountConfigLayout } from '../../engine/ring/layouts/set-account-config.js';
import { readPlaceOrder } from '../../engine/shard/place-order-request.js';
import { AmendOrderLayout } from '../../engine/ring/layouts/amend-order.js';
import { PlaceOrderLayout } from '../../engine/ring/layouts/place-order.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { incrementalOrderCostAtoms, orderPositionLimitCode, sideCostAtoms, type OpenOrder } from '../order-cost.js';
import { ceilDiv } from '../../engine/market/decimal.js';
import { fitsNumber } from './exact-slot.js';
import { EXPOSURE_UNDECIDED, exposureNumber, reservationWithOrder } from './exposure-number.js';
import { openOrdersOf } from './reservation.js';
import { SYSTEM_ORDER_ID_BASE } from './seams.js';
import type { ShardParts } from './shard-parts.js';
import { OpenOrderState, PositionState, type AccountState, type MarketRiskState } from './state.js';

const PO = PlaceOrderLayout.offsets;
const AM = AmendOrderLayout.offsets;
const SC = SetAccountConfigLayout.offsets;
const BPS = 10_000n;
/** No band reference: validateOrderRequest then leaves the band to the market's book. */
const NO_BAND_REFERENCE = 0;

/** A candidate order as order-cost.ts reads it, and as the number path does (priceN, remainingN: the same values). */
class Candidate implements OpenOrder {
  side: Side = Side.BUY;
  reduceOnly = false;
  priceN = 0;
  remainingN = 0;
  /** The bigint forms when set() was given them; undefined: made from the numbers when the bigint path asks. */
  private priceBig: bigint | undefined = 0n;
  private qtyBig: bigint | undefined = 0n;

  get priceTicks(): bigint {
    return this.priceBig ?? BigInt(this.priceN);
  }

  get qtyLots(): bigint {
    return this.qtyBig ?? BigInt(this.remainingN);
  }

  /** Sets price and quantity in both forms. */
  set(priceTicks: bigint, qtyLots: bigint): void {
    this.priceBig = priceTicks;
    this.qtyBig = qtyLots;
    this.priceN = fitsNumber(priceTicks) ? Number(priceTicks) : NaN;
    this.remainingN = fitsNumber(qtyLots) ? Number(qtyLots) : NaN;
  }

  /** Sets price and quantity from safe integers (u53 fields): no bigint made unless the bigint path reads them. */
  setNumbers(priceTicks: number, qtyLots: number): void {
    this.priceBig = undefined;
    this.qtyBig = undefined;
    this.priceN = priceTicks;
    this.remainingN = qtyLots;
  }
}

const candidate = new Candidate();
const request = new OrderRequest();

/**
 * P_assumed: the limit price; for an order without one (a market order relying on the default slippage
 * band) the worst price that band allows from the trigger price or else the mark, rounded away from the
 * trader (the market shard resolves the real limit from the touch and OrderAccepted brings it back),
 * and kept on the market's price range [1, maxPriceTicks]: it goes to the market as the order's limit.
 */
function assumedPriceTicks(side: Side, priceTicks: number, triggerPriceTicks: number, market: MarketRiskState): bigint {
  if (priceTicks > 0) return BigInt(priceTicks);
  const base = triggerPriceTicks > 0 ? BigInt(triggerPriceTicks) : market.markPriceTicks;
  const bps = BigInt(market.spec.marketSlippageBps);
  if (side === Side.BUY) {
    const p = ceilDiv(base * (BPS + bps), BPS);
    const max = BigInt(market.spec.maxPriceTicks);
    return p < max ? p : max;
  }
  const p = (base * (BPS - bps)) / BPS;
  return p > 0n ? p : 1n;
}

export function placeOrder(p: ShardParts, buf: RecordBuffer, at: number): number {
  const account = p.state.accounts.get(buf.accountId(at));
  if (account === undefined) return Code.UNKNOWN_ACCOUNT;
  const market = p.state.markets.get(buf.marketId(at));
  if (market === undefined) return Code.UNKNOWN_MARKET;
  const reduceOnlyFlag = buf.u8At(at, PO.reduceOnly);
  if (reduceOnlyFlag > 1) return Code.INVALID_FLAGS;
  const req = readPlaceOrder(buf, at, request);
  const shape = validateOrderRequest(req, market.spec, NO_BAND_REFERENCE);
  if (shape !== Code.OK) return shape;
  const side = req.side;
  const orderId = req.orderId;
  const qtyLots = req.qtyLots;
  if (orderId >= SYSTEM_ORDER_ID_BASE) return Code.INVALID_ORDER_ID;
  const marketId = market.spec.marketId;
  const existing = account.positions.get(marketId);
  // Open, or accepted recently and ended since: a retry of a command already applied is never a second order.
  if ((existing !== undefined && existing.orders.has(orderId)) || account.placedOrderIds.has(orderId)) return Code.DUPLICATE_ORDER_ID;
  const mark = market.markN;
  if (mark === mark ? mark <= 0 : market.markPriceTicks <= 0n) return Code.MARK_PRICE_UNAVAILABLE;
  if (p.hooks.isFrozen(account.id, marketId)) return Code.ACCOUNT_LIQUIDATING;
  const pos = existing ?? new PositionState(account.id, marketId, market.config.defaultLeverage);
  const order = candidate;
  order.side = side;
  // A limit price is the record's u53 as it stands (validated): numbers only, no bigint per order.
  const limit = buf.u53At(at, PO.priceTicks);
  if (limit > 0) order.setNumbers(limit, qtyLots);
  else order.set(assumedPriceTicks(side, limit, buf.u53At(at, PO.triggerPriceTicks), market), BigInt(qtyLots));
  order.reduceOnly = reduceOnlyFlag === 1;
  let code = p.valuer.fast ? exposureNumber(p, account, pos, market, pos.orders, order, undefined) : EXPOSURE_UNDECIDED;
  if (code === EXPOSURE_UNDECIDED) code = checkExposure(p, account, pos, market, openOrdersOf(pos), order, undefined);
  if (code !== Code.OK) return code;
  if (existing === undefined) account.positions.set(marketId, pos);
  account.placedOrderIds.add(orderId);
  const open = new OpenOrderState(orderId, req.clientOrderId, marketId, side, order.priceN === order.priceN ? order.priceN : order.priceTicks, order.remainingN === order.remainingN ? order.remainingN : order.qtyLots, order.reduceOnly, OrderOrigin.USER);
  open.markBeforeTicks = pos.reserveMarkTicks;
  open.reserveOrderIdBefore = pos.reserveOrderId;
  pos.orders.set(orderId, open);
  // The number checks already costed both sides with this order: that is the new reservation.
  const reserved = p.valuer.fast ? reservationWithOrder() : NaN;
  if (reserved === reserved) {
    pos.orderMarginN = reserved;
    pos.reserveMarkTicks = market.markN;
  } else p.reserve(account, pos);
  pos.reserveOrderId = orderId;
  // A market order without a price would take its worst price from the book's touch, which can be far
  // from the mark this check assumed: it goes out with P_assumed as its limit, so it can never fill worse
  // than what it was margined for (and never drain margin other orders reserved).
  if (buf.u8At(at, PO.orderType) === OrderType.MARKET && buf.u53At(at, PO.priceTicks) === 0) p.commands.forwardWithPrice(buf, at, Number(order.priceTicks));
  else p.commands.forward(buf, at);
  return Code.OK;
}

export function amendOrder(p: ShardParts, buf: RecordBuffer, at: number): number {
  const account = p.state.accounts.get(buf.accountId(at));
  if (account === undefined) return Code.UNKNOWN_ACCOUNT;
  const market = p.state.markets.get(buf.marketId(at));
  if (market === undefined) return Code.UNKNOWN_MARKET;
  const pos = account.positions.get(market.spec.marketId);
  const target = pos === undefined ? undefined : findOrder(pos, buf.u53At(at, AM.orderId), buf.u53At(at, AM.clientOrderId));
  if (pos === undefined || target === undefined) return Code.ORDER_NOT_FOUND;
  if (target.origin !== OrderOrigin.USER) return Code.INVALID_ORDER_ID;
  if (p.hooks.isFrozen(account.id, pos.marketId)) return Code.ACCOUNT_LIQUIDATING;
  const newPrice = buf.u53At(at, AM.newPriceTicks);
  const newQty = buf.u53At(at, AM.newQtyLots);
  const args = validateAmendArgs(market.spec, newPrice, newQty);
  if (args !== Code.OK) return args;
  const order = candidate;
  order.side = target.side;
  const rest = newQty > 0 ? BigInt(newQty) - target.filledLots : target.remainingLots;
  order.set(newPrice > 0 ? BigInt(newPrice) : target.priceTicks, rest > 0n ? rest : 0n);
  order.reduceOnly = target.reduceOnly;
  const others = openOrdersOf(pos).filter((o) => o !== target);
  let code = p.valuer.fast ? exposureNumber(p, account, pos, market, others, order, target) : EXPOSURE_UNDECIDED;
  if (code === EXPOSURE_UNDECIDED) code = checkExposure(p, account, pos, market, others, order, target);
  if (code !== Code.OK) return code;
  p.commands.forward(buf, at);
  return Code.OK;
}

/** CancelOrder, CancelAllOrders: never add risk; the market decides the rest. */
export function passThrough(p: ShardParts, buf: RecordBuffer, at: number): number {
  if (!p.state.accounts.has(buf.accountId(at))) return Code.UNKNOWN_ACCOUNT;
  if (!p.state.markets.has(buf.marketId(at))) return Code.UNKNOWN_MARKET;
  p.commands.forward(buf, at);
  return Code.OK;
}

/** SetAccountConfig: a known account and market, and a self-trade mode the book accepts. */
export function setAccountConfig(p: ShardParts, buf: RecordBuffer, at: number): number {
  if (!p.state.accounts.has(buf.accountId(at))) return Code.UNKNOWN_ACCOUNT;
  if (!p.state.markets.has(buf.marketId(at))) return Code.UNKNOWN_MARKET;
  const stp = buf.u8At(at, SC.stpMode);
  if (stp !== StpMode.EXPIRE_TAKER && stp !== StpMode.EXPIRE_MAKER && stp !== StpMode.EXPIRE_BOTH) return Code.INVALID_STP_MODE;
  p.commands.forward(buf, at);
  return Code.OK;
}

function findOrder(pos: PositionState, orderId: number, clientOrderId: number): OpenOrderState | undefined {
  if (orderId > 0) return pos.orders.get(orderId);
  if (clientOrderId === 0) return undefined;
  for (const o of pos.orders.values()) if (o.clientOrderId === clientOrderId) return o;
  return undefined;
}

/**
 * The risk checks shared by a new order and an amended one (`replacing` the order it amends: then only
 * an amendment that raises the order margin is checked). `others` are the position's other open orders.
 */
function checkExposure(
  p: ShardParts,
  account: AccountState,
  pos: PositionState,
  market: MarketRiskState,
  others: readonly OpenOrder[],
  order: Candidate,
  replacing: OpenOrderState | undefined,
): number {
  const ctx = p.cost.fill(pos, market, p.pool.feeTiers[account.feeTier]!);
  const opposite = order.side === Side.BUY ? Side.SELL : Side.BUY;
  let increment: bigint;
  if (replacing === undefined) increment = incrementalOrderCostAtoms(others, order, ctx) ?? 0n;
  else {
    const before = maxOf(sideCostAtoms(others, order.side, ctx, replacing), sideCostAtoms(others, opposite, ctx));
    const after = maxOf(sideCostAtoms(others, order.side, ctx, order), sideCostAtoms(others, opposite, ctx));
    // Not raising the order margin needs no margin; below initial margin it still has to pass the rule a
    // new order meets there (reducing only), unless it only shrinks in place: a lower quantity at the
    // same price cannot trade, so it adds no exposure (I7).
    if (after <= before && (order.priceTicks === replacing.priceTicks || !p.scopeOf(account, pos).belowInitial)) return Code.OK;
    increment = after > before ? after - before : 0n;
  }
  const reduces = order.reduceOnly || sideCostAtoms(others, order.side, ctx, order) === 0n;
  if (market.reduceOnly && !reduces) return Code.MARKET_REDUCE_ONLY;
  if (order.reduceOnly) {
    const q = pos.qtyLots;
    if (q === 0n) return Code.REDUCE_ONLY_NO_POSITION;
    if ((order.side === Side.BUY) === q > 0n) return Code.REDUCE_ONLY_WOULD_INCREASE;
    return Code.OK;
  }
  const limit = orderPositionLimitCode(others, order, ctx);
  if (limit !== Code.OK) return limit;
  if (!reduces && p.scopeOf(account, pos).belowInitial) return Code.BELOW_INITIAL_MARGIN;
  if (increment > p.cross(account).availableAtoms) return Code.INSUFFICIENT_MARGIN;
  return Code.OK;
}

function maxOf(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
