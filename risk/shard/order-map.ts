// OrderMap: a position's open orders by order id (a Map, iterated in insertion order like any Map), that
// also keeps the figures the order-cost number path reads in columns (risk/order-cost-number.ts,
// OrderColumns): each order's P_assumed, open lots and side/reduce-only flags, one slot per order.
//
// Why: the reservation and the pre-trade check walk a position's open orders on every order event and
// every fill. Read from the OpenOrderState objects that walk was a pointer chase per order (a quoting
// maker holds dozens), the largest single cost of the risk shard in the pipeline suite (bench/RESULTS.md,
// "risk-settlement"); read from the columns it is one pass over three typed arrays.
//
//   set / delete / clear ─▶ an order takes a slot (appended) or gives it up (the last slot moves into it)
//   OpenOrderState.priceN / remainingN setters ─▶ write through to the order's slot (open-order-state.ts)
//   each of these ─▶ per side, running sums of the orders that cost (not reduce-only, lots left): lots,
//                    Σ lots·price, how many, and the worst price (highest buy, lowest sell; a bound that
//                    only tightens on refresh)
//
// With the sums a side's cost needs no pass over the orders at all unless it nets against the position
// or some order is priced worse than the mark (order-cost-number.ts, gatherOrders). The sums are exact:
// every term is an exact product below 2^51 and a sum that reaches 2^52 (or a term the number path cannot
// take: a value kept in bigint) makes them inexact until refresh() recomputes them from the columns.
//
// The columns hold exactly the Map's values (in another order: the cost sums are order-independent,
// order-cost-number.ts says why). An order is in at most one OrderMap and under one key: set refuses
// anything else (a programming error, never input).
// Thread contract: the risk-shard thread.

import { Side } from '../../engine/enums.js';
import { TWO_52 } from '../exact-number.js';
import { productBelow51 } from '../margin-number.js';
import type { OrderColumns, SideSums } from '../order-cost-number.js';
import type { OpenOrderState } from './open-order-state.js';

/** Running sums of one side's orders that cost (order-cost-number.ts, SideSums). */
class Sums implements SideSums {
  lots = 0;
  notionalTicks = 0;
  count = 0;
  /** ≥ every such buy's price, or ≤ every such sell's: a bound that only tightens on refresh. */
  bound: number;

  constructor(readonly buy: boolean) {
    this.bound = buy ? -Infinity : Infinity;
  }

  reset(): void {
    this.lots = this.notionalTicks = this.count = 0;
    this.bound = this.buy ? -Infinity : Infinity;
  }

  /** Adds (sign 1) or takes out (−1) q lots at p (n = q·p); false when a sum could stop being exact. */
  add(q: number, p: number, n: number, sign: number): boolean {
    this.lots += sign * q;
    this.notionalTicks += sign * n;
    this.count += sign;
    if (this.buy ? p > this.bound : p < this.bound) this.bound = p;
    return this.lots < TWO_52 && this.notionalTicks < TWO_52;
  }
}

/** The columns of one OrderMap; an attached OpenOrderState writes its price and open lots into its slot. */
export class OrderSlots implements OrderColumns {
  count = 0;
  prices = new Float64Array(4);
  remaining = new Float64Array(4);
  flags = new Uint8Array(4);
  /** The order in each slot (to move the last one into a freed slot). */
  readonly held: OpenOrderState[] = [];
  exact = true;
  readonly buys = new Sums(true);
  readonly sells = new Sums(false);

  attach(o: OpenOrderState): void {
    const i = this.count;
    if (i === this.prices.length) this.grow();
    const f = o.side | (o.reduceOnly ? 2 : 0);
    this.prices[i] = o.priceN;
    this.remaining[i] = o.remainingN;
    this.flags[i] = f;
    this.held[i] = o;
    o.slots = this;
    o.slot = i;
    this.count = i + 1;
    this.sum(f, o.remainingN, o.priceN, 1);
  }

  /** Slot i's price or open lots changed from (q, p): the sums follow. */
  changed(i: number, q: number, p: number): void {
    const f = this.flags[i]!;
    this.sum(f, q, p, -1);
    this.sum(f, this.remaining[i]!, this.prices[i]!, 1);
  }

  refresh(): void {
    this.exact = true;
    this.buys.reset();
    this.sells.reset();
    for (let i = 0; i < this.count; i++) this.sum(this.flags[i]!, this.remaining[i]!, this.prices[i]!, 1);
  }

  /**
   * Adds (sign 1) or takes out (−1) one order's share of the sums: none for a reduce-only order or one
   * with no lots left; inexact for a value the number path cannot take or a sum that could stop being exact.
   */
  private sum(f: number, q: number, p: number, sign: number): void {
    if (f > 1 || q <= 0) return;
    const n = productBelow51(q, p, 1);
    if (n !== n || !(p >= 0) || !(f === Side.BUY ? this.buys : this.sells).add(q, p, n, sign)) this.exact = false;
  }

  detach(o: OpenOrderState): void {
    const i = o.slot;
    this.sum(this.flags[i]!, this.remaining[i]!, this.prices[i]!, -1);
    const last = --this.count;
    if (i !== last) {
      const moved = this.held[last]!;
      this.prices[i] = this.prices[last]!;
      this.remaining[i] = this.remaining[last]!;
      this.flags[i] = this.flags[last]!;
      this.held[i] = moved;
      moved.slot = i;
    }
    this.held.length = last;
    o.slots = undefined;
    o.slot = 0;
  }

  private grow(): void {
    const n = this.prices.length * 2;
    this.prices = grown(this.prices, new Float64Array(n));
    this.remaining = grown(this.remaining, new Float64Array(n));
    this.flags = grown(this.flags, new Uint8Array(n));
  }
}

function grown<T extends Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

export class OrderMap extends Map<number, OpenOrderState> {
  readonly columns = new OrderSlots();

  override set(orderId: number, o: OpenOrderState): this {
    const old = super.get(orderId);
    if (old !== o) {
      if (o.slots !== undefined) throw new RangeError(`order ${o.orderId} is already listed`);
      if (old !== undefined) this.columns.detach(old);
      this.columns.attach(o);
    }
    return super.set(orderId, o);
  }

  override delete(orderId: number): boolean {
    const old = super.get(orderId);
    if (old === undefined) return false;
    this.columns.detach(old);
    return super.delete(orderId);
  }

  override clear(): void {
    const c = this.columns;
    while (c.count > 0) c.detach(c.held[c.count - 1]!);
    super.clear();
  }
}
