// The number fast path of risk/order-cost.ts: a side's netted order cost, the open-order margin and the
// increment of one more order, on doubles, with the same results as the bigint functions; NaN when a
// guard refuses (the caller then takes the bigint path).
//
// Range proof: every per-order product (qty·price, qty·|price − mark|) comes from productBelow51 and every
// sum from addBelow51, so all sums stay exact and below 2^51; the notional (ticks·a) and the loss in atoms
// come from productBelow51 too; IM = ceil(notional / leverage) by ceilDivExact; the fee reserve
// ceil(notional·rate / R) by mulDivCeil. The netting (the best-priced `reducible` lots close the position
// and cost nothing) removes exact products from exact sums. Orders at one price are interchangeable
// there, so the order of equal prices does not matter: an insertion sort by price on the side's (few)
// orders serves, with no comparator closure.
// Pure; the scratch arrays are per module (one risk-shard thread).

import { Side } from '../engine/enums.js';
import { ceilDivExact, mulDivCeil, TWO_51 } from './exact-number.js';
import { marginTierNumber, productBelow51, RATE_ONE_NUMBER, type NumberTiers } from './margin-number.js';

/** An open order as the number path reads it (OpenOrderState has these slots). */
export interface NumberOrder {
  readonly side: Side;
  /** P_assumed in ticks (NaN: kept in bigint). */
  readonly priceN: number;
  /** Unfilled lots (NaN: kept in bigint). */
  readonly remainingN: number;
  readonly reduceOnly: boolean;
}

/** Open orders as the number path takes them: a map of them or an array (iterated afresh by every call). */
export interface NumberOrders {
  values(): IterableIterator<NumberOrder>;
}

/** OrderCostContext in numbers. */
export class NumberCostContext {
  positionQtyLots = 0;
  markTicks = 0;
  atomsPerTickLot = 0;
  tiers!: NumberTiers;
  leverage = 1;
  takerFeeRate = 0;
}

function addBelow51(a: number, b: number): number {
  const s = a + b;
  return s < TWO_51 ? s : NaN;
}

let prices = new Float64Array(64);
let quantities = new Float64Array(64);

function room(n: number): void {
  if (n <= prices.length) return;
  const c = Math.max(n, prices.length * 2);
  const p = new Float64Array(c);
  const q = new Float64Array(c);
  p.set(prices);
  q.set(quantities);
  prices = p;
  quantities = q;
}

/** Sorts the first k (price, quantity) pairs best first: buys by price descending, sells ascending. */
function sortBestFirst(k: number, buy: boolean): void {
  for (let i = 1; i < k; i++) {
    const p = prices[i]!;
    const q = quantities[i]!;
    let j = i - 1;
    while (j >= 0 && (buy ? prices[j]! < p : prices[j]! > p)) {
      prices[j + 1] = prices[j]!;
      quantities[j + 1] = quantities[j]!;
      j--;
    }
    prices[j + 1] = p;
    quantities[j + 1] = q;
  }
}

// The running sums of one sideCostNumber call (module state: no closure per call).
let lots = 0;
let notionalTicks = 0;
let lossTicks = 0;
let counted = 0;

/** Adds one order to the running sums when it is on `side` (NaN sums when it cannot be taken in numbers). */
function count(o: NumberOrder, side: Side, buy: boolean, mark: number): void {
  if (o.side !== side || o.reduceOnly) return;
  const q = o.remainingN;
  if (!(q > 0)) {
    if (q !== q) lots = NaN;
    return;
  }
  const p = o.priceN;
  lots = addBelow51(lots, q);
  notionalTicks = addBelow51(notionalTicks, productBelow51(q, p, 1));
  const worse = buy ? p - mark : mark - p;
  if (worse > 0) lossTicks = addBelow51(lossTicks, productBelow51(q, worse, 1));
  room(counted + 1);
  prices[counted] = p;
  quantities[counted] = q;
  counted++;
}

/**
 * sideCostAtoms in numbers: the cost of `orders` (plus `extra`) on `side` after netting against the
 * position. NaN when a guard refuses.
 */
export function sideCostNumber(orders: NumberOrders, side: Side, ctx: NumberCostContext, extra?: NumberOrder): number {
  const buy = side === Side.BUY;
  const mark = ctx.markTicks;
  lots = 0;
  notionalTicks = 0;
  lossTicks = 0;
  counted = 0;
  for (const o of orders.values()) count(o, side, buy, mark);
  if (extra !== undefined) count(extra, side, buy, mark);
  if (!(lots >= 0 && notionalTicks >= 0 && lossTicks >= 0 && mark > 0)) return NaN;
  const q = ctx.positionQtyLots;
  if (!(q > -TWO_51 && q < TWO_51)) return NaN;
  const reducible = (buy ? q < 0 : q > 0) ? (q < 0 ? -q : q) : 0;
  if (lots <= reducible) return 0;
  const k = counted;
  if (reducible > 0) {
    // The best-priced `reducible` lots close the position: take them out of the sums.
    sortBestFirst(k, buy);
    let free = reducible;
    for (let i = 0; i < k && free > 0; i++) {
      const taken = quantities[i]! < free ? quantities[i]! : free;
      free -= taken;
      notionalTicks -= productBelow51(taken, prices[i]!, 1);
      const worse = buy ? prices[i]! - mark : mark - prices[i]!;
      if (worse > 0) lossTicks -= productBelow51(taken, worse, 1);
    }
  }
  const a = ctx.atomsPerTickLot;
  const open = q + (buy ? lots : -lots);
  const after = productBelow51(open < 0 ? -open : open, mark, a);
  const notional = productBelow51(notionalTicks, a, 1);
  const loss = productBelow51(lossTicks, a, 1);
  if (!(after >= 0 && notional >= 0 && loss >= 0 && ctx.tiers.usable && ctx.leverage >= 1)) return NaN;
  const max = ctx.tiers.maxLeverage[marginTierNumber(ctx.tiers, after)]!;
  const im = ceilDivExact(notional, ctx.leverage < max ? ctx.leverage : max);
  const fee = mulDivCeil(notional, ctx.takerFeeRate, RATE_ONE_NUMBER);
  const cost = im + loss + fee;
  return cost < TWO_51 ? cost : NaN;
}

/** openOrdersCostAtoms in numbers: the larger side's cost. NaN when a guard refuses (or without a mark). */
export function openOrdersCostNumber(orders: NumberOrders, ctx: NumberCostContext): number {
  const buys = sideCostNumber(orders, Side.BUY, ctx);
  const sells = sideCostNumber(orders, Side.SELL, ctx);
  if (buys !== buys || sells !== sells) return NaN;
  return buys > sells ? buys : sells;
}

/** incrementalOrderCostAtoms in numbers (reduce-only: 0). NaN when a guard refuses. */
export function incrementalOrderCostNumber(orders: NumberOrders, extra: NumberOrder, ctx: NumberCostContext): number {
  if (extra.reduceOnly) return ctx.markTicks > 0 ? 0 : NaN;
  const other = sideCostNumber(orders, extra.side === Side.BUY ? Side.SELL : Side.BUY, ctx);
  const before = sideCostNumber(orders, extra.side, ctx);
  const after = sideCostNumber(orders, extra.side, ctx, extra);
  if (other !== other || before !== before || after !== after) return NaN;
  const was = before > other ? before : other;
  const will = after > other ? after : other;
  return will - was;
}
