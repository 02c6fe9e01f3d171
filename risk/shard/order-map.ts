// OrderMap: a position's open orders by order id (read like a Map, iterated in insertion order), that
// also keeps the figures the order-cost number path reads in columns (risk/order-cost-number.ts,
// OrderColumns): each order's P_assumed, open lots and side/reduce-only flags, one slot per order.
//
// Why: the reservation and the pre-trade check walk a position's open orders on every order event and
// every fill. Read from the OpenOrderState objects that walk was a pointer chase per order (a quoting
// maker holds dozens), the largest single cost of the risk shard in the pipeline suite (bench/RESULTS.md,
// "risk-settlement"); read from the columns it is one pass over three arrays of numbers.
//
// Small form: up to SMALL_ORDERS orders the map is one array searched linearly, a Map only past that,
// and the columns are plain arrays as long as they need be (docs/SNAPSHOTS.md, "The open orders' small
// form": a Map's table and three typed arrays were about 1,260 bytes of a position with one order).
//
//   set / delete / clear ─▶ an order takes a slot (appended) or gives it up (the last slot moves into it)
//   OpenOrderState.priceN / remainingN setters ─▶ write through to the order's slot (open-order-state.ts)
//   each of these ─▶ per side, running sums of the orders that cost (not reduce-only, lots left): lots,
//                    Σ lots·price, how many
//                └─▶ per side, the slots of its orders that are not reduce-only, best price first
//                    (bestBuys, bestSells: an order joins, leaves, or moves when its price does)
//
// With the sums and the lists a side's cost reads only the orders that matter: those priced worse than
// the mark (the loss term; they are the front of the list) and those the netting against the position
// takes (the front again) (order-cost-number.ts, gatherOrders). The sums are exact:
// every term is an exact product below 2^51 and a sum that reaches 2^52 (or a term the number path cannot
// take: a value kept in bigint) makes them inexact until refresh() recomputes them from the columns.
//
// The columns hold exactly the map's values (in another order: the cost sums are order-independent,
// order-cost-number.ts says why). An order is in at most one OrderMap and under its own id: set refuses
// anything else (a programming error, never input). No caller changes a map while iterating it (the
// small form's iterators are an array's, which a deletion would shift).
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

  reset(): void {
    this.lots = this.notionalTicks = this.count = 0;
  }

  /** Adds (sign 1) or takes out (−1) q lots at p (n = q·p); false when a sum could stop being exact. */
  add(q: number, n: number, sign: number): boolean {
    this.lots += sign * q;
    this.notionalTicks += sign * n;
    this.count += sign;
    return this.lots < TWO_52 && this.notionalTicks < TWO_52;
  }
}

/**
 * The columns of one OrderMap; an attached OpenOrderState writes its price and open lots into its slot.
 * Plain arrays, not typed arrays: a typed array and its buffer are about 240 bytes of heap even for four
 * slots, three of them most of what a position with one order cost (docs/SNAPSHOTS.md). Each array's
 * length is its capacity (1, 2, 4, ...: grown by doubling, never shortened); slots past count are stale.
 */
export class OrderSlots implements OrderColumns {
  count = 0;
  prices: number[] = NO_NUMBERS;
  remaining: number[] = NO_NUMBERS;
  flags: number[] = NO_NUMBERS;
  /** The order in each slot (to move the last one into a freed slot); undefined past count. */
  held: (OpenOrderState | undefined)[] = NO_ORDERS;
  /**
   * Per side, the slots of the orders that are not reduce-only and whose price is a number, best price
   * first (buys highest, sells lowest; equal prices in any order): the netting takes lots from the front,
   * and the orders priced worse than the mark (a buy above it, a sell below) are the front too
   * (order-cost-number.ts). Kept as orders come, go and move
   * their price (a binary search and a shift of the slots behind); derived from the columns, so neither
   * hashed nor written to snapshots (a decode lists the orders again, which rebuilds it).
   */
  bestBuys: number[] = NO_NUMBERS;
  bestSells: number[] = NO_NUMBERS;
  exact = true;
  readonly buys = new Sums();
  readonly sells = new Sums();

  attach(o: OpenOrderState): void {
    const i = this.count;
    const f = o.side | (o.reduceOnly ? 2 : 0);
    if (i === 0 && this.held.length === 0) {
      this.prices = [o.priceN];
      this.remaining = [o.remainingN];
      this.flags = [f];
      this.held = [o];
    } else {
      if (i === this.held.length) this.grow();
      this.prices[i] = o.priceN;
      this.remaining[i] = o.remainingN;
      this.flags[i] = f;
      this.held[i] = o;
    }
    o.slots = this;
    o.slot = i;
    this.count = i + 1;
    this.sum(f, o.remainingN, o.priceN, 1);
    this.rank(f, i);
  }

  /** Slot i's price or open lots changed from (q, p): the sums follow, and its rank when the price moved. */
  changed(i: number, q: number, p: number): void {
    const f = this.flags[i]!;
    this.sum(f, q, p, -1);
    this.sum(f, this.remaining[i]!, this.prices[i]!, 1);
    const now = this.prices[i]!;
    if (now !== p && (now === now || p === p)) {
      this.unrank(f, i, p);
      this.rank(f, i);
    }
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
    if (n !== n || !(p >= 0) || !(f === Side.BUY ? this.buys : this.sells).add(q, n, sign)) this.exact = false;
  }

  /** Puts slot i (flags f, its price already in the column) in its side's best-first list, after its equals. */
  private rank(f: number, i: number): void {
    const p = this.prices[i]!;
    if (f > 1 || p !== p) return;
    const buy = f === Side.BUY;
    let list = buy ? this.bestBuys : this.bestSells;
    if (list === NO_NUMBERS) {
      list = [];
      if (buy) this.bestBuys = list;
      else this.bestSells = list;
    }
    const prices = this.prices;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = prices[list[mid]!]!;
      if (buy ? m >= p : m <= p) lo = mid + 1;
      else hi = mid;
    }
    list.push(i);
    for (let j = list.length - 1; j > lo; j--) list[j] = list[j - 1]!;
    list[lo] = i;
  }

  /** Takes slot i (flags f, listed at price p) out of its side's list. */
  private unrank(f: number, i: number, p: number): void {
    if (f > 1 || p !== p) return;
    const list = f === Side.BUY ? this.bestBuys : this.bestSells;
    const at = list.indexOf(i);
    for (let j = at + 1; j < list.length; j++) list[j - 1] = list[j]!;
    list.pop();
  }

  /** The order in slot `from` (flags f, price p) moves to slot `to`: its list entry follows. */
  private reslot(f: number, from: number, to: number, p: number): void {
    if (f > 1 || p !== p) return;
    const list = f === Side.BUY ? this.bestBuys : this.bestSells;
    list[list.indexOf(from)] = to;
  }

  /**
   * The self-check of the best-first lists (tests): each side's list holds exactly the slots of that
   * side's orders that are not reduce-only and have a number price, once each, best price first. An
   * error names what is wrong; undefined when they are right.
   */
  checkRanks(): string | undefined {
    for (const side of [Side.BUY, Side.SELL]) {
      const list = side === Side.BUY ? this.bestBuys : this.bestSells;
      const want: number[] = [];
      for (let i = 0; i < this.count; i++) if (this.flags[i] === side && this.prices[i] === this.prices[i]) want.push(i);
      const have = [...list].sort((a, b) => a - b);
      if (have.join() !== want.join()) return `side ${side}: listed slots ${have.join()}, want ${want.join()}`;
      for (let j = 1; j < list.length; j++) {
        const a = this.prices[list[j - 1]!]!;
        const b = this.prices[list[j]!]!;
        if (side === Side.BUY ? a < b : a > b) return `side ${side}: ${a} before ${b}`;
      }
    }
    return undefined;
  }

  detach(o: OpenOrderState): void {
    const i = o.slot;
    this.sum(this.flags[i]!, this.remaining[i]!, this.prices[i]!, -1);
    this.unrank(this.flags[i]!, i, this.prices[i]!);
    const last = --this.count;
    if (i !== last) {
      const moved = this.held[last]!;
      this.reslot(this.flags[last]!, last, i, this.prices[last]!);
      this.prices[i] = this.prices[last]!;
      this.remaining[i] = this.remaining[last]!;
      this.flags[i] = this.flags[last]!;
      this.held[i] = moved;
      moved.slot = i;
    }
    this.held[last] = undefined;
    o.slots = undefined;
    o.slot = 0;
  }

  /** Doubles every column (copies of itself appended: the arrays stay packed, their length exact). */
  private grow(): void {
    this.prices = this.prices.concat(this.prices);
    this.remaining = this.remaining.concat(this.remaining);
    this.flags = this.flags.concat(this.flags);
    this.held = this.held.concat(this.held);
  }
}

/** The columns of an OrderMap that never held an order (never written: attach makes arrays first). */
const NO_NUMBERS: number[] = [];
const NO_ORDERS: (OpenOrderState | undefined)[] = [];

/** At most this many orders a map keeps as a plain array (linear search); past it, a Map by order id. */
export const SMALL_ORDERS = 8;

/**
 * A position's open orders by order id, iterated in insertion order like a Map (a replaced order keeps
 * its place). Up to SMALL_ORDERS of them it is one array searched linearly (most positions hold one or
 * two orders, and a Map's hash table is several hundred bytes); past that a Map, made from the array in
 * its order; back to an array when a deletion leaves half of SMALL_ORDERS. The key is the order's own id.
 */
export class OrderMap implements ReadonlyMap<number, OpenOrderState> {
  readonly columns = new OrderSlots();
  /** The orders in insertion order while there are at most SMALL_ORDERS (else undefined). */
  private list: OpenOrderState[] | undefined = undefined;
  private map: Map<number, OpenOrderState> | undefined = undefined;

  get size(): number {
    const m = this.map;
    if (m !== undefined) return m.size;
    const l = this.list;
    return l === undefined ? 0 : l.length;
  }

  /** The array index of order id k while small (−1 when absent). */
  private indexOf(l: OpenOrderState[], k: number): number {
    for (let i = 0, n = l.length; i < n; i++) if (l[i]!.orderId === k) return i;
    return -1;
  }

  get(orderId: number): OpenOrderState | undefined {
    const m = this.map;
    if (m !== undefined) return m.get(orderId);
    const l = this.list;
    if (l === undefined) return undefined;
    for (let i = 0, n = l.length; i < n; i++) if (l[i]!.orderId === orderId) return l[i];
    return undefined;
  }

  has(orderId: number): boolean {
    return this.get(orderId) !== undefined;
  }

  set(orderId: number, o: OpenOrderState): this {
    if (o.orderId !== orderId) throw new RangeError(`order ${o.orderId} listed under ${orderId}`);
    const old = this.get(orderId);
    if (old === o) return this;
    if (o.slots !== undefined) throw new RangeError(`order ${o.orderId} is already listed`);
    if (old !== undefined) this.columns.detach(old);
    this.columns.attach(o);
    const m = this.map;
    if (m !== undefined) {
      m.set(orderId, o);
      return this;
    }
    const l = this.list;
    if (l === undefined) this.list = [o];
    else if (old !== undefined) l[this.indexOf(l, orderId)] = o;
    else if (l.length < SMALL_ORDERS) l.push(o);
    else {
      const big = new Map<number, OpenOrderState>();
      for (let i = 0; i < l.length; i++) big.set(l[i]!.orderId, l[i]!);
      big.set(orderId, o);
      this.map = big;
      this.list = undefined;
    }
    return this;
  }

  delete(orderId: number): boolean {
    const m = this.map;
    if (m !== undefined) {
      const old = m.get(orderId);
      if (old === undefined) return false;
      this.columns.detach(old);
      m.delete(orderId);
      if (m.size <= SMALL_ORDERS >> 1) {
        this.list = [...m.values()];
        this.map = undefined;
      }
      return true;
    }
    const l = this.list;
    if (l === undefined) return false;
    const i = this.indexOf(l, orderId);
    if (i < 0) return false;
    this.columns.detach(l[i]!);
    if (l.length === 1) this.list = undefined;
    else l.splice(i, 1);
    return true;
  }

  clear(): void {
    const c = this.columns;
    while (c.count > 0) c.detach(c.held[c.count - 1]!);
    this.list = undefined;
    this.map = undefined;
  }

  forEach(fn: (o: OpenOrderState, orderId: number, map: ReadonlyMap<number, OpenOrderState>) => void, thisArg?: unknown): void {
    const m = this.map;
    if (m !== undefined) {
      m.forEach((o, k) => fn.call(thisArg, o, k, this));
      return;
    }
    const l = this.list;
    if (l === undefined) return;
    for (let i = 0; i < l.length; i++) fn.call(thisArg, l[i]!, l[i]!.orderId, this);
  }

  values(): MapIterator<OpenOrderState> {
    const m = this.map;
    if (m !== undefined) return m.values();
    return (this.list ?? NONE).values();
  }

  keys(): MapIterator<number> {
    const m = this.map;
    if (m !== undefined) return m.keys();
    return (this.list ?? NONE).map((o) => o.orderId).values();
  }

  entries(): MapIterator<[number, OpenOrderState]> {
    const m = this.map;
    if (m !== undefined) return m.entries();
    return (this.list ?? NONE).map((o): [number, OpenOrderState] => [o.orderId, o]).values();
  }

  [Symbol.iterator](): MapIterator<[number, OpenOrderState]> {
    return this.entries();
  }
}

const NONE: readonly OpenOrderState[] = [];
