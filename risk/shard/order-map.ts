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
//
// The columns hold exactly the Map's values (in another order: the cost sums are order-independent,
// order-cost-number.ts says why). An order is in at most one OrderMap and under one key: set refuses
// anything else (a programming error, never input).
// Thread contract: the risk-shard thread.

import type { OrderColumns } from '../order-cost-number.js';
import type { OpenOrderState } from './open-order-state.js';

/** The columns of one OrderMap; an attached OpenOrderState writes its price and open lots into its slot. */
export class OrderSlots implements OrderColumns {
  count = 0;
  prices = new Float64Array(4);
  remaining = new Float64Array(4);
  flags = new Uint8Array(4);
  /** The order in each slot (to move the last one into a freed slot). */
  readonly held: OpenOrderState[] = [];

  attach(o: OpenOrderState): void {
    const i = this.count;
    if (i === this.prices.length) this.grow();
    this.prices[i] = o.priceN;
    this.remaining[i] = o.remainingN;
    this.flags[i] = o.side | (o.reduceOnly ? 2 : 0);
    this.held[i] = o;
    o.slots = this;
    o.slot = i;
    this.count = i + 1;
  }

  detach(o: OpenOrderState): void {
    const i = o.slot;
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
    const prices = new Float64Array(n);
    const remaining = new Float64Array(n);
    const flags = new Uint8Array(n);
    prices.set(this.prices);
    remaining.set(this.remaining);
    flags.set(this.flags);
    this.prices = prices;
    this.remaining = remaining;
    this.flags = flags;
  }
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
