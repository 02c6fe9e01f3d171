// OpenOrders: one market's open watched orders by order id, for the surveillance engine (every order
// event looks its order up; every acceptance first checks the id is new).
//
// Exchanges issue order ids from counters, so the open orders' ids mostly lie in a recent window: the
// index is a direct-mapped ring (id mod W, W a power of two at least four times the open orders) of the
// orders, checked against the order's own id. An id whose ring entry another open
// order holds (an old order still open W ids later, or ids that are not sequential) goes to an overflow
// map. Any id pattern stays correct; hostile ones cost a map lookup. A Map of every open order missed
// the cache on nearly every lookup on a large book (the new-id check of every acceptance above all): the
// ring is walked in order by sequential ids. The same idea as the matching book's OrderIdIndex
// (engine/book/id-index.ts), over objects instead of the book's pool records.
//
// The ring holds the orders themselves (not slots into an array of them): a lookup of a cancel's or a
// trade's order is the ring entry and the order, where going through a slot array was a third dependent
// load, often a miss of its own on a large book.
//
// Each ring entry also counts the overflow ids that map to it, so a lookup whose entry holds another
// order (or none) goes to the map only when some open id there shares the entry: every acceptance's
// new-id check used to miss the ring and then ask the map as soon as one old order anywhere had
// overflowed, which on a large book is always.
//
// Nothing here is iterated to raise alerts: lookups only, so the layout cannot change what is found.

import type { WatchedOrder } from './watched-order.js';

export class OpenOrders {
  /** The open order whose id maps to each entry (id mod W), if any. */
  private ring: (WatchedOrder | undefined)[] = new Array<WatchedOrder | undefined>(4_096).fill(undefined);
  /** Per entry: how many overflow ids map here. */
  private spill = new Int32Array(4_096);
  private mask = 4_095;
  /** Open orders whose ring entry another open order holds, by id. */
  private readonly overflow = new Map<number, WatchedOrder>();
  size = 0;

  get(orderId: number): WatchedOrder | undefined {
    const i = (orderId >>> 0) & this.mask;
    const o = this.ring[i];
    if (o !== undefined && o.orderId === orderId) return o;
    if (this.spill[i] === 0) return undefined;
    return this.overflow.get(orderId);
  }

  has(orderId: number): boolean {
    return this.get(orderId) !== undefined;
  }

  /** Adds an open order under its id (o.orderId, which must not be open already and must not change while open). */
  add(o: WatchedOrder): void {
    this.size++;
    if (this.size > this.ring.length >> 2) this.resize(2 * this.ring.length, o);
    else this.place(o);
  }

  /** Removes the open order with this id (nothing if there is none). */
  delete(orderId: number): void {
    const i = (orderId >>> 0) & this.mask;
    const o = this.ring[i];
    if (o !== undefined && o.orderId === orderId) this.ring[i] = undefined;
    else {
      if (this.spill[i] === 0 || !this.overflow.delete(orderId)) return;
      this.spill[i]!--;
    }
    this.size--;
  }

  private place(o: WatchedOrder): void {
    const i = (o.orderId >>> 0) & this.mask;
    if (this.ring[i] === undefined) this.ring[i] = o;
    else {
      this.overflow.set(o.orderId, o);
      this.spill[i]!++;
    }
  }

  /** Rebuilds the ring at `entries` (a power of two) from every open order and `added`; overflow entries move into it where they can. */
  private resize(entries: number, added: WatchedOrder): void {
    const open: WatchedOrder[] = [];
    for (const o of this.ring) if (o !== undefined) open.push(o);
    for (const o of this.overflow.values()) open.push(o);
    open.push(added);
    this.ring = new Array<WatchedOrder | undefined>(entries).fill(undefined);
    this.spill = new Int32Array(entries);
    this.mask = entries - 1;
    this.overflow.clear();
    for (const o of open) this.place(o);
  }
}
