// OpenOrders: one market's open watched orders by order id, for the surveillance engine (every order
// event looks its order up; every acceptance first checks the id is new).
//
// Exchanges issue order ids from counters, so the open orders' ids mostly lie in a recent window: the
// index is a direct-mapped ring (id mod W, W a power of two at least four times the open orders) of slots
// into an array of the orders, checked against the order's own id. An id whose ring entry another open
// order holds (an old order still open W ids later, or ids that are not sequential) goes to an overflow
// map. Any id pattern stays correct; hostile ones cost a map lookup. A Map of every open order missed
// the cache on nearly every lookup on a large book (the new-id check of every acceptance above all): the
// ring is walked in order by sequential ids. The same idea as the matching book's OrderIdIndex
// (engine/book/id-index.ts), over objects instead of the book's pool records.
//
// Each ring entry also counts the overflow ids that map to it, so a lookup whose entry holds another
// order (or none) goes to the map only when some open id there shares the entry: every acceptance's
// new-id check used to miss the ring and then ask the map as soon as one old order anywhere had
// overflowed, which on a large book is always.
//
// Nothing here is iterated to raise alerts: lookups only, so the layout cannot change what is found.

import type { WatchedOrder } from './watched-order.js';

export class OpenOrders {
  /**
   * Per entry (id mod W) two words: slot + 1 of the order whose id maps here (0: none), and how many
   * overflow ids map here.
   */
  private ring = new Int32Array(2 * 4_096);
  private mask = 4_095;
  /** Open orders by slot (undefined: a free slot). */
  private readonly bySlot: (WatchedOrder | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  /** Ids whose ring entry another open order holds → slot. */
  private readonly overflow = new Map<number, number>();
  size = 0;

  get(orderId: number): WatchedOrder | undefined {
    const i = ((orderId >>> 0) & this.mask) << 1;
    const v = this.ring[i]!;
    if (v !== 0) {
      const o = this.bySlot[v - 1]!;
      if (o.orderId === orderId) return o;
    }
    if (this.ring[i + 1] === 0) return undefined;
    const slot = this.overflow.get(orderId);
    return slot === undefined ? undefined : this.bySlot[slot];
  }

  has(orderId: number): boolean {
    return this.get(orderId) !== undefined;
  }

  /** Adds an open order under its id (o.orderId, which must not be open already and must not change while open). */
  add(o: WatchedOrder): void {
    const slot = this.freeSlots.pop() ?? this.bySlot.length;
    this.bySlot[slot] = o;
    this.size++;
    if (this.size > this.ring.length >> 3) this.resize(this.ring.length);
    else this.place(o.orderId, slot);
  }

  /** Removes the open order with this id (nothing if there is none). */
  delete(orderId: number): void {
    const i = ((orderId >>> 0) & this.mask) << 1;
    const v = this.ring[i]!;
    let slot: number;
    if (v !== 0 && this.bySlot[v - 1]!.orderId === orderId) {
      slot = v - 1;
      this.ring[i] = 0;
    } else {
      if (this.ring[i + 1] === 0) return;
      const s = this.overflow.get(orderId);
      if (s === undefined) return;
      this.overflow.delete(orderId);
      this.ring[i + 1]--;
      slot = s;
    }
    this.bySlot[slot] = undefined;
    this.freeSlots.push(slot);
    this.size--;
  }

  private place(orderId: number, slot: number): void {
    const i = ((orderId >>> 0) & this.mask) << 1;
    if (this.ring[i] === 0) this.ring[i] = slot + 1;
    else {
      this.overflow.set(orderId, slot);
      this.ring[i + 1]++;
    }
  }

  /** Rebuilds the ring at `entries` (a power of two) from every open order; overflow entries move into it where they can. */
  private resize(entries: number): void {
    this.ring = new Int32Array(2 * entries);
    this.mask = entries - 1;
    this.overflow.clear();
    for (let slot = 0; slot < this.bySlot.length; slot++) {
      const o = this.bySlot[slot];
      if (o !== undefined) this.place(o.orderId, slot);
    }
  }
}
