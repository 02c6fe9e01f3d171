// Pre-trade order cost (docs/RISK.md, "Pre-trade check"), netted BitMEX-style.
//
// One order:  qty·P_assumed/leverage + OpenLoss + fee reserve
//   P_assumed  its limit price; for a market order the worst price its slippage limit allows
//   OpenLoss   qty·|min(0, dir·(MP − P))| = qty·max(0, dir·(P − MP))·atomsPerTickLot, dir +1 buy, −1 sell:
//              the loss the fill books at once against the mark (buying above it, selling below it)
//   fee        qty·P·takerRate, as if the order took liquidity
// Netting, per market and account:
//   - a side's orders fill in price priority (buys highest first, sells lowest first: a buy at a lower
//     price fills only after the price has passed the higher ones), so the first |q| lots of the side that
//     reduces the position close it and cost nothing; the rest of that side, and all of the other side,
//     open exposure and cost margin;
//   - buys and sells net against each other: the account's open-order margin in the market is the larger
//     of the two sides' costs;
//   - reduce-only orders cost nothing.
// Rounding: once per side, up (IM and fee), on the exact sums, so a side's cost does not depend on how its
// lots are split into orders or in which order they are listed. The leverage is the account's, capped by
// the tier the position would reach if the whole side filled (at mark).
//
// Pure; the risk shard calls incrementalOrderCostAtoms on every PlaceOrder and compares it with Available.

import { Code } from '../engine/codes.js';
import { Side } from '../engine/enums.js';
import { ceilDiv } from '../engine/market/decimal.js';
import { effectiveLeverage, positionLimitCode, type TierTable } from './tiers.js';
import { absBig, RATE_ONE } from './units.js';

export interface OpenOrder {
  readonly side: Side;
  /** P_assumed: the limit price, or a market order's worst price within its slippage limit. */
  readonly priceTicks: bigint;
  /** Unfilled lots. */
  readonly qtyLots: bigint;
  readonly reduceOnly: boolean;
}

export interface OrderCostContext {
  /** The account's position in this market, signed. */
  readonly positionQtyLots: bigint;
  /** 0n: no mark yet, costs are undefined. */
  readonly markTicks: bigint;
  readonly atomsPerTickLot: bigint;
  readonly tiers: TierTable;
  /** The account's chosen leverage in this market. */
  readonly leverage: bigint;
  readonly takerFeeRate: bigint;
}

function betterFirst(buy: boolean): (a: OpenOrder, b: OpenOrder) => number {
  return buy
    ? (a, b) => (a.priceTicks > b.priceTicks ? -1 : a.priceTicks < b.priceTicks ? 1 : 0)
    : (a, b) => (a.priceTicks < b.priceTicks ? -1 : a.priceTicks > b.priceTicks ? 1 : 0);
}

/** Cost of one side's orders (plus `extra`, if given and on that side), after netting against the position. */
export function sideCostAtoms(orders: readonly OpenOrder[], side: Side, ctx: OrderCostContext, extra?: OpenOrder): bigint {
  const buy = side === Side.BUY;
  const mark = ctx.markTicks;
  let lots = 0n;
  let notionalTicks = 0n;
  let lossTicks = 0n;
  const count = (o: OpenOrder): void => {
    if (o.side !== side || o.reduceOnly || o.qtyLots <= 0n) return;
    lots += o.qtyLots;
    notionalTicks += o.qtyLots * o.priceTicks;
    const worse = buy ? o.priceTicks - mark : mark - o.priceTicks;
    if (worse > 0n) lossTicks += o.qtyLots * worse;
  };
  for (const o of orders) count(o);
  if (extra !== undefined) count(extra);
  const q = ctx.positionQtyLots;
  const reducible = (buy ? q < 0n : q > 0n) ? absBig(q) : 0n;
  if (lots <= reducible) return 0n;
  if (reducible > 0n) {
    // The best-priced `reducible` lots close the position: take them out of the sums.
    const sideOrders = orders.filter((o) => o.side === side && !o.reduceOnly && o.qtyLots > 0n);
    if (extra !== undefined && extra.side === side && !extra.reduceOnly && extra.qtyLots > 0n) sideOrders.push(extra);
    sideOrders.sort(betterFirst(buy));
    let free = reducible;
    for (const o of sideOrders) {
      if (free === 0n) break;
      const k = o.qtyLots < free ? o.qtyLots : free;
      free -= k;
      notionalTicks -= k * o.priceTicks;
      const worse = buy ? o.priceTicks - mark : mark - o.priceTicks;
      if (worse > 0n) lossTicks -= k * worse;
    }
  }
  const a = ctx.atomsPerTickLot;
  const after = absBig(q + (buy ? lots : -lots)) * mark * a;
  const leverage = effectiveLeverage(ctx.tiers, after, ctx.leverage);
  const notional = notionalTicks * a;
  return ceilDiv(notional, leverage) + lossTicks * a + ceilDiv(notional * ctx.takerFeeRate, RATE_ONE);
}

/** Margin held for the account's open orders in this market: the larger side's cost. undefined without a mark. */
export function openOrdersCostAtoms(orders: readonly OpenOrder[], ctx: OrderCostContext): bigint | undefined {
  if (ctx.markTicks <= 0n) return undefined;
  const buys = sideCostAtoms(orders, Side.BUY, ctx);
  const sells = sideCostAtoms(orders, Side.SELL, ctx);
  return buys > sells ? buys : sells;
}

/**
 * What adding `order` to the open orders raises that margin by (≥ 0; 0 for reduce-only): the figure the
 * pre-trade check compares with Available. undefined without a mark.
 */
export function incrementalOrderCostAtoms(orders: readonly OpenOrder[], order: OpenOrder, ctx: OrderCostContext): bigint | undefined {
  if (ctx.markTicks <= 0n) return undefined;
  if (order.reduceOnly) return 0n;
  const other = sideCostAtoms(orders, order.side === Side.BUY ? Side.SELL : Side.BUY, ctx);
  const before = sideCostAtoms(orders, order.side, ctx);
  const after = sideCostAtoms(orders, order.side, ctx, order);
  const was = before > other ? before : other;
  const will = after > other ? after : other;
  return will - was;
}

/**
 * OK, or POSITION_LIMIT_EXCEEDED when the position could pass the top tier if this order and every other
 * open order on its side filled, valued at the higher of mark and the order's price; MARK_PRICE_UNAVAILABLE
 * without a mark. Reduce-only orders never grow the position.
 */
export function orderPositionLimitCode(orders: readonly OpenOrder[], order: OpenOrder, ctx: OrderCostContext): number {
  if (order.reduceOnly) return Code.OK;
  if (ctx.markTicks <= 0n) return Code.MARK_PRICE_UNAVAILABLE;
  let lots = order.qtyLots;
  for (const o of orders) if (o.side === order.side && !o.reduceOnly && o.qtyLots > 0n) lots += o.qtyLots;
  const q = ctx.positionQtyLots + (order.side === Side.BUY ? lots : -lots);
  const price = order.priceTicks > ctx.markTicks ? order.priceTicks : ctx.markTicks;
  return positionLimitCode(ctx.tiers, absBig(q) * price * ctx.atomsPerTickLot);
}
