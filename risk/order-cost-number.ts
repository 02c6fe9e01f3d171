// The number fast path of risk/order-cost.ts: a side's netted order cost, the open-order margin and the
// increment of one more order, on doubles, with the same results as the bigint functions; NaN when a
// guard refuses (the caller then takes the bigint path).
//
// Range proof: every per-order product (qty·price, qty·|price − mark|) comes from productBelow51 and every
// sum from addBelow51, so all sums stay exact and below 2^51; the notional (ticks·a) and the loss in atoms
// come from productBelow51 too; IM = ceil(notional / leverage) by ceilDivExact; the fee reserve
// ceil(notional·rate / R) by mulDivCeil. The netting (the best-priced `reducible` lots close the position
// and cost nothing) removes exact products from exact sums. Orders at one price are interchangeable
// there, so the order of equal prices does not matter: orders read from their columns come best first
// from the columns' best-first lists (risk/shard/order-map.ts), and the netting reads only the m orders it
// takes; orders gathered by a pass go on a binary heap by price, with no comparator closure, in
// O(k + m·log k).
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

/**
 * The same orders' figures in columns, one slot per order (risk/shard/order-map.ts keeps them): P_assumed,
 * open lots, and flags (bit 0 the side, bit 1 reduce-only). count slots are in use.
 */
export interface OrderColumns {
  readonly count: number;
  readonly prices: ArrayLike<number>;
  readonly remaining: ArrayLike<number>;
  readonly flags: ArrayLike<number>;
  /** The sums are exact (else refresh() them). */
  readonly exact: boolean;
  readonly buys: SideSums;
  readonly sells: SideSums;
  /**
   * Per side, the slots of the orders that are not reduce-only and whose price is a number, best price
   * first (buys highest, sells lowest). While the sums are exact every order that costs is listed.
   */
  readonly bestBuys: ArrayLike<number>;
  readonly bestSells: ArrayLike<number>;
  /** Recomputes the sums from the columns (exact again unless some value or sum is out of range). */
  refresh(): void;
}

/** One side's orders that cost (not reduce-only, lots left): Σ lots, Σ lots·price (ticks), how many. */
export interface SideSums {
  readonly lots: number;
  readonly notionalTicks: number;
  readonly count: number;
}

/**
 * Open orders as the number path takes them: a map of them or an array (iterated afresh by every call),
 * read from their columns when they come with them (no walk over the order objects).
 */
export interface NumberOrders {
  values(): IterableIterator<NumberOrder>;
  readonly columns?: OrderColumns;
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

/**
 * One side's orders as one pass over the open orders gathered them: the sums, and each order's
 * (price, quantity) for the netting. gatherOrders fills both sides at once, so the several side costs a
 * check needs (before and after an order, the other side) share one walk over the orders.
 */
class GatheredSide {
  lots = 0;
  notionalTicks = 0;
  lossTicks = 0;
  count = 0;
  prices = new Float64Array(64);
  quantities = new Float64Array(64);
  /** Taken from columns' running sums: prices and quantities are not filled, the netting reads the columns. */
  columns: OrderColumns | undefined = undefined;

  reset(): void {
    this.lots = 0;
    this.notionalTicks = 0;
    this.lossTicks = 0;
    this.count = 0;
    this.columns = undefined;
  }

  /**
   * The side from the running sums of its orders, and the loss of those priced worse than the mark from
   * the front of its best-first list: a buy above the mark or a sell below it is also the first the book
   * would fill, so only those orders are walked.
   */
  fromSums(s: SideSums, columns: OrderColumns, best: ArrayLike<number>, buy: boolean, mark: number): void {
    this.lots = s.lots < TWO_51 ? s.lots : NaN;
    this.notionalTicks = s.notionalTicks < TWO_51 ? s.notionalTicks : NaN;
    this.count = s.count;
    this.columns = columns;
    const prices = columns.prices;
    const remaining = columns.remaining;
    let loss = 0;
    for (let j = 0, n = best.length; j < n; j++) {
      const i = best[j]!;
      const p = prices[i]!;
      const worse = buy ? p - mark : mark - p;
      if (!(worse > 0)) break;
      const q = remaining[i]!;
      if (q > 0) loss = addBelow51(loss, productBelow51(q, worse, 1));
    }
    this.lossTicks = loss;
  }

  /** Adds one order of this side that is not reduce-only, q open lots at P_assumed p (NaN sums when it cannot be taken in numbers). */
  add(q: number, p: number, buy: boolean, mark: number): void {
    if (!(q > 0)) {
      if (q !== q) this.lots = NaN;
      return;
    }
    this.lots = addBelow51(this.lots, q);
    this.notionalTicks = addBelow51(this.notionalTicks, productBelow51(q, p, 1));
    const worse = buy ? p - mark : mark - p;
    if (worse > 0) this.lossTicks = addBelow51(this.lossTicks, productBelow51(q, worse, 1));
    if (this.count === this.prices.length) this.grow();
    this.prices[this.count] = p;
    this.quantities[this.count] = q;
    this.count++;
  }

  private grow(): void {
    const p = new Float64Array(this.prices.length * 2);
    const q = new Float64Array(this.prices.length * 2);
    p.set(this.prices);
    q.set(this.quantities);
    this.prices = p;
    this.quantities = q;
  }
}

// Module state (one risk-shard thread): the two gathered sides, the mark they were gathered at, and the
// heap the netting pops (a copy, so one gathering serves several side costs).
const gathered = [new GatheredSide(), new GatheredSide()] as const;
let gatheredMark = NaN;
let prices = new Float64Array(64);
let quantities = new Float64Array(64);

function room(n: number): void {
  if (n <= prices.length) return;
  const c = Math.max(n, prices.length * 2);
  prices = new Float64Array(c);
  quantities = new Float64Array(c);
}

/**
 * Restores the heap below slot i of the first k (price, quantity) pairs, best price on top: the highest
 * for buys, the lowest for sells.
 */
function siftDown(i: number, k: number, buy: boolean): void {
  const p = prices[i]!;
  const q = quantities[i]!;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= k) break;
    if (c + 1 < k && (buy ? prices[c + 1]! > prices[c]! : prices[c + 1]! < prices[c]!)) c++;
    if (!(buy ? prices[c]! > p : prices[c]! < p)) break;
    prices[i] = prices[c]!;
    quantities[i] = quantities[c]!;
    i = c;
  }
  prices[i] = p;
  quantities[i] = q;
}

/** Makes the first k pairs a heap, best price on top: O(k), where sorting them would be O(k log k). */
function heapify(k: number, buy: boolean): void {
  for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(i, k, buy);
}

/** One pass over the open orders: both sides' sums and prices, at the context's mark. */
export function gatherOrders(orders: NumberOrders, ctx: NumberCostContext): void {
  const mark = ctx.markTicks;
  const buys = gathered[Side.BUY];
  const sells = gathered[Side.SELL];
  buys.reset();
  sells.reset();
  gatheredMark = mark;
  const c = orders.columns;
  if (c !== undefined) {
    if (!c.exact) c.refresh();
    // The sums are the side's figures; the loss comes from the orders priced worse than the mark alone.
    if (c.exact) {
      buys.fromSums(c.buys, c, c.bestBuys, true, mark);
      sells.fromSums(c.sells, c, c.bestSells, false, mark);
      return;
    }
    const flags = c.flags;
    const remaining = c.remaining;
    const prices = c.prices;
    for (let i = 0, n = c.count; i < n; i++) {
      const f = flags[i]!;
      if (f === Side.BUY) buys.add(remaining[i]!, prices[i]!, true, mark);
      else if (f === Side.SELL) sells.add(remaining[i]!, prices[i]!, false, mark);
    }
    return;
  }
  for (const o of orders.values()) {
    if (o.reduceOnly) continue;
    if (o.side === Side.BUY) buys.add(o.remainingN, o.priceN, true, mark);
    else sells.add(o.remainingN, o.priceN, false, mark);
  }
}

/**
 * The open lots of the orders on `side` that are not reduce-only (an order with no lots left adds none,
 * one whose lots are kept in bigint makes the sum NaN): the position-limit check's sum.
 */
export function openLotsOnSide(orders: NumberOrders, side: Side): number {
  let lots = 0;
  const c = orders.columns;
  if (c !== undefined) {
    // Exact sums count the same lots (every order that costs has a number of lots then).
    if (c.exact) return (side === Side.BUY ? c.buys : c.sells).lots;
    for (let i = 0, n = c.count; i < n; i++) if (c.flags[i] === side && !(c.remaining[i]! <= 0)) lots += c.remaining[i]!;
    return lots;
  }
  for (const o of orders.values()) if (o.side === side && !o.reduceOnly && !(o.remainingN <= 0)) lots += o.remainingN;
  return lots;
}

// What a netting took: Σ lots·price and Σ lots·(loss per lot against the mark), in ticks (exact: each is
// at most its side's exact sum).
let takenNotional = 0;
let takenLoss = 0;

function take(lots: number, p: number, buy: boolean, mark: number): void {
  takenNotional += productBelow51(lots, p, 1);
  const worse = buy ? p - mark : mark - p;
  if (worse > 0) takenLoss += productBelow51(lots, worse, 1);
}

/**
 * Takes the best-priced `free` lots of a side read from its columns (and of the new order, extraQty lots
 * at extraPrice, when it has any): the side's best-first list walked until they are found, the new order
 * merged at its price; the orders after are never read (a maker with many quotes on a side closes its
 * position with a few of them). Orders at one price are interchangeable here, so equal prices may come
 * in any order.
 */
function takeBestListed(c: OrderColumns, buy: boolean, free: number, extraQty: number, extraPrice: number, mark: number): void {
  const best = buy ? c.bestBuys : c.bestSells;
  let extraLeft = extraQty;
  for (let j = 0, n = best.length; free > 0 && j < n; j++) {
    const i = best[j]!;
    const p = c.prices[i]!;
    if (extraLeft > 0 && (buy ? extraPrice > p : extraPrice < p)) {
      const taken = extraLeft < free ? extraLeft : free;
      take(taken, extraPrice, buy, mark);
      free -= taken;
      extraLeft = 0;
      if (free === 0) return;
    }
    const r = c.remaining[i]!;
    if (!(r > 0)) continue;
    const taken = r < free ? r : free;
    take(taken, p, buy, mark);
    free -= taken;
  }
  if (free > 0 && extraLeft > 0) take(extraLeft < free ? extraLeft : free, extraPrice, buy, mark);
}

/** takeBestListed for a side gathered by a pass (no exact sums): its k orders on a heap, best price first. */
function takeBestGathered(g: GatheredSide, k: number, buy: boolean, free: number, extraQty: number, extraPrice: number, mark: number): void {
  room(k + 1);
  // A loop, not set(subarray): a subarray is a new view object per call.
  for (let i = 0; i < k; i++) {
    prices[i] = g.prices[i]!;
    quantities[i] = g.quantities[i]!;
  }
  if (extraQty > 0) {
    prices[k] = extraPrice;
    quantities[k] = extraQty;
    k++;
  }
  heapify(k, buy);
  let n = k;
  while (free > 0 && n > 0) {
    const p = prices[0]!;
    const taken = quantities[0]! < free ? quantities[0]! : free;
    take(taken, p, buy, mark);
    free -= taken;
    n--;
    prices[0] = prices[n]!;
    quantities[0] = quantities[n]!;
    siftDown(0, n, buy);
  }
}

/**
 * sideCostAtoms in numbers from the last gatherOrders (same context): the cost of the gathered orders on
 * `side`, plus `extra` when given, after netting against the position. NaN when a guard refuses.
 */
export function gatheredSideCost(side: Side, ctx: NumberCostContext, extra?: NumberOrder): number {
  const buy = side === Side.BUY;
  const mark = ctx.markTicks;
  if (mark !== gatheredMark) return NaN;
  const g = gathered[side];
  let lots = g.lots;
  let notionalTicks = g.notionalTicks;
  let lossTicks = g.lossTicks;
  let k = g.count;
  let extraQty = 0;
  let extraPrice = 0;
  if (extra !== undefined && extra.side === side && !extra.reduceOnly) {
    const q = extra.remainingN;
    if (q !== q) return NaN;
    if (q > 0) {
      extraQty = q;
      extraPrice = extra.priceN;
      lots = addBelow51(lots, q);
      notionalTicks = addBelow51(notionalTicks, productBelow51(q, extraPrice, 1));
      const worse = buy ? extraPrice - mark : mark - extraPrice;
      if (worse > 0) lossTicks = addBelow51(lossTicks, productBelow51(q, worse, 1));
    }
  }
  if (!(lots >= 0 && notionalTicks >= 0 && lossTicks >= 0 && mark > 0)) return NaN;
  const q = ctx.positionQtyLots;
  if (!(q > -TWO_51 && q < TWO_51)) return NaN;
  const reducible = (buy ? q < 0 : q > 0) ? (q < 0 ? -q : q) : 0;
  if (lots <= reducible) return 0;
  if (reducible > 0) {
    // The best-priced `reducible` lots close the position: they come out of the sums.
    takenNotional = 0;
    takenLoss = 0;
    if (g.columns !== undefined) takeBestListed(g.columns, buy, reducible, extraQty, extraPrice, mark);
    else takeBestGathered(g, k, buy, reducible, extraQty, extraPrice, mark);
    notionalTicks -= takenNotional;
    lossTicks -= takenLoss;
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

/**
 * sideCostAtoms in numbers: the cost of `orders` (plus `extra`) on `side` after netting against the
 * position. NaN when a guard refuses. (A check that needs several side costs gathers once instead.)
 */
export function sideCostNumber(orders: NumberOrders, side: Side, ctx: NumberCostContext, extra?: NumberOrder): number {
  gatherOrders(orders, ctx);
  return gatheredSideCost(side, ctx, extra);
}

/** openOrdersCostAtoms in numbers: the larger side's cost. NaN when a guard refuses (or without a mark). */
export function openOrdersCostNumber(orders: NumberOrders, ctx: NumberCostContext): number {
  gatherOrders(orders, ctx);
  const buys = gatheredSideCost(Side.BUY, ctx);
  const sells = gatheredSideCost(Side.SELL, ctx);
  if (buys !== buys || sells !== sells) return NaN;
  return buys > sells ? buys : sells;
}

/** incrementalOrderCostAtoms in numbers (reduce-only: 0). NaN when a guard refuses. */
export function incrementalOrderCostNumber(orders: NumberOrders, extra: NumberOrder, ctx: NumberCostContext): number {
  if (extra.reduceOnly) return ctx.markTicks > 0 ? 0 : NaN;
  gatherOrders(orders, ctx);
  const other = gatheredSideCost(extra.side === Side.BUY ? Side.SELL : Side.BUY, ctx);
  const before = gatheredSideCost(extra.side, ctx);
  const after = gatheredSideCost(extra.side, ctx, extra);
  if (other !== other || before !== before || after !== after) return NaN;
  const was = before > other ? before : other;
  const will = after > other ? after : other;
  return will - was;
}
