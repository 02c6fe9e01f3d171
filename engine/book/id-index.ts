// Indexes from an order's identity to its pool slot: orderId → slot (OrderIdIndex: a direct-mapped
// ring with an overflow hash) and (account slot, clientOrderId) → slot (ClientIdIndex: a hash). Both
// use linear probing with backward-shift deletion where they hash (no tombstones, so lookups never slow
// down with churn) and keep their load at or below 1/2.
//
// The classes are separate on purpose (no shared base with a virtual hash): each call site stays
// monomorphic on the hot path.
//
// Only open orders are indexed; the order being matched is not, until it rests.

import { OrderRecord, type OrderPool } from './order-pool.js';

const { F_STRIDE_SHIFT, I_ACCOUNT, I_STRIDE_SHIFT } = OrderRecord;

/** 2^−32: multiplying by it is exact, unlike a division V8 may not strength-reduce. */
const INV_2_32 = 1 / 4294967296;

/** Mixes a u53 (as two 32-bit halves) into a 32-bit hash (murmur3 finaliser). */
function mixU53(v: number): number {
  let h = (v >>> 0) ^ Math.imul((v * INV_2_32) >>> 0, 0x27d4eb2d);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function clientHash(accountSlot: number, clientOrderId: number): number {
  return mixU53(clientOrderId) ^ Math.imul(accountSlot + 1, 0x9e3779b1);
}

/**
 * Backward-shift deletion at bucket i of a linear-probing table: later entries of the probe run move into
 * the hole unless their home lies cyclically within (hole, position]. homeOf maps a stored value to its
 * home bucket.
 */
function deleteAt(b: Int32Array, mask: number, i: number, homeOf: (value: number) => number): void {
  for (let j = (i + 1) & mask; b[j] !== 0; j = (j + 1) & mask) {
    const k = homeOf(b[j]!) & mask;
    if (i <= j ? i < k && k <= j : i < k || k <= j) continue;
    b[i] = b[j]!;
    i = j;
  }
  b[i] = 0;
}

/**
 * An open-addressing hash from id to slot that stores the ids themselves (Float64Array, 0 = empty: ids
 * start at 1), so probing and deletion never read the pool. Linear probing, backward-shift deletion,
 * sized by its own count (load ≤ 1/2). OrderIdIndex's overflow.
 */
class IdHash {
  private keys = new Float64Array(16);
  private slots = new Int32Array(16);
  private mask = 15;
  count = 0;

  find(orderId: number): number {
    const keys = this.keys;
    const mask = this.mask;
    for (let i = mixU53(orderId) & mask; ; i = (i + 1) & mask) {
      const k = keys[i]!;
      if (k === orderId) return this.slots[i]!;
      if (k === 0) return -1;
    }
  }

  insert(orderId: number, slot: number): void {
    if (++this.count > this.keys.length >> 1) this.rebuild(this.keys.length * 2);
    this.put(orderId, slot);
  }

  /** Returns whether the id was there. */
  remove(orderId: number): boolean {
    const keys = this.keys;
    const slots = this.slots;
    const mask = this.mask;
    let i = mixU53(orderId) & mask;
    while (keys[i] !== orderId) {
      if (keys[i] === 0) return false;
      i = (i + 1) & mask;
    }
    // Backward shift: pull later entries of the probe run into the hole unless their home lies
    // cyclically within (hole, position].
    for (let j = (i + 1) & mask; keys[j] !== 0; j = (j + 1) & mask) {
      const k = mixU53(keys[j]!) & mask;
      if (i <= j ? i < k && k <= j : i < k || k <= j) continue;
      keys[i] = keys[j]!;
      slots[i] = slots[j]!;
      i = j;
    }
    keys[i] = 0;
    this.count--;
    return true;
  }

  forEach(fn: (orderId: number, slot: number) => void): void {
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] !== 0) fn(this.keys[i]!, this.slots[i]!);
  }

  byteLength(): number {
    return this.keys.byteLength + this.slots.byteLength;
  }

  private put(orderId: number, slot: number): void {
    const keys = this.keys;
    const mask = this.mask;
    let i = mixU53(orderId) & mask;
    while (keys[i] !== 0) i = (i + 1) & mask;
    keys[i] = orderId;
    this.slots[i] = slot;
  }

  private rebuild(bucketCount: number): void {
    const keys = this.keys;
    const slots = this.slots;
    this.keys = new Float64Array(bucketCount);
    this.slots = new Int32Array(bucketCount);
    this.mask = bucketCount - 1;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.put(keys[i]!, slots[i]!);
  }
}

/**
 * orderId → slot for open orders.
 *
 * Exchanges issue order ids from counters, so the open orders' ids mostly lie in a recent window. The
 * index is a direct-mapped ring indexed by id mod W (W a power of two, a few times the pool's capacity):
 * a lookup is one array read, checked against the id in the pool record (which a cancel reads anyway).
 * An id whose ring entry is taken by another open order (an old order still open W ids later, or ids
 * that are not sequential at all) goes to an overflow hash. Any id pattern stays correct; hostile ones
 * cost a hash lookup. A fully hashed index misses the cache once per lookup on a large book: this one
 * mostly does not. 4 bytes per ring entry.
 *
 * Ring entry (int32):  bits 0..26 slot + 1 (0: empty), bits 27..30 how many overflow entries share this
 * ring position, saturating at 15 (then it stays 15 until the next resize: a stale count only costs an
 * overflow probe). A lookup that finds the position empty of its id and the count 0 is answered without
 * touching the overflow, so the duplicate-id check of a new order (the common case: a fresh id on an
 * empty position) is one read of the ring, which sequential ids walk in order. Slots fit 27 bits because
 * MarketSpec caps maxOrders at 2^26.
 */
const SLOT_MASK = (1 << 27) - 1;
const COUNT_SHIFT = 27;
const COUNT_ONE = 1 << COUNT_SHIFT;
const COUNT_SATURATED = 15;

export class OrderIdIndex {
  private ring: Int32Array;
  private mask: number;
  private readonly overflow = new IdHash();

  constructor(
    private readonly pool: OrderPool,
    ringSize: number,
  ) {
    this.ring = new Int32Array(ringSize);
    this.mask = ringSize - 1;
  }

  get ringSize(): number {
    return this.ring.length;
  }

  /** The slot of the open order with this id, or −1. */
  find(orderId: number): number {
    const e = this.ring[(orderId >>> 0) & this.mask]!;
    const v = e & SLOT_MASK;
    if (v !== 0 && this.pool.f64[(v - 1) << F_STRIDE_SHIFT] === orderId) return v - 1;
    return e < COUNT_ONE ? -1 : this.overflow.find(orderId);
  }

  /** Adds an open order (its id must be in its pool record and not in the index). */
  insert(orderId: number, slot: number): void {
    const i = (orderId >>> 0) & this.mask;
    const e = this.ring[i]!;
    if ((e & SLOT_MASK) === 0) this.ring[i] = e | (slot + 1);
    else this.insertOverflow(i, e, orderId, slot);
  }

  /** Removes an open order, while its pool record still holds its id. */
  remove(orderId: number): void {
    const i = (orderId >>> 0) & this.mask;
    const e = this.ring[i]!;
    const v = e & SLOT_MASK;
    if (v !== 0 && this.pool.f64[(v - 1) << F_STRIDE_SHIFT] === orderId) this.ring[i] = e - v;
    else this.removeOverflow(i, e, orderId);
  }

  private removeOverflow(i: number, e: number, orderId: number): void {
    const n = e >>> COUNT_SHIFT;
    if (this.overflow.remove(orderId) && n > 0 && n < COUNT_SATURATED) this.ring[i] = e - COUNT_ONE;
  }

  private insertOverflow(i: number, e: number, orderId: number, slot: number): void {
    this.overflow.insert(orderId, slot);
    if (e >>> COUNT_SHIFT < COUNT_SATURATED) this.ring[i] = e + COUNT_ONE;
  }

  /** Rebuilds the ring at ringSize (a power of two); overflow entries move into it where they can. */
  resize(ringSize: number): void {
    const old = this.ring;
    this.ring = new Int32Array(ringSize);
    this.mask = ringSize - 1;
    const moved: [number, number][] = [];
    this.overflow.forEach((id, slot) => moved.push([id, slot]));
    for (const [id] of moved) this.overflow.remove(id);
    for (let i = 0; i < old.length; i++) {
      const v = old[i]! & SLOT_MASK;
      if (v !== 0) this.insert(this.pool.f64[(v - 1) << F_STRIDE_SHIFT]!, v - 1);
    }
    for (const [id, slot] of moved) this.insert(id, slot);
  }

  byteLength(): number {
    return this.ring.byteLength + this.overflow.byteLength();
  }
}

/**
 * Keyed by (account slot, clientOrderId); only orders with a clientOrderId other than 0 are indexed, so
 * the index sizes itself by its own count (load ≤ 1/2) and costs nothing in a market that sends none.
 */
export class ClientIdIndex {
  private buckets = new Int32Array(16);
  private mask = 15;
  private count = 0;
  private readonly homeOf = (value: number): number => clientHash(this.pool.i32[((value - 1) << I_STRIDE_SHIFT) + I_ACCOUNT]!, this.pool.clientOrderId[value - 1]!);

  constructor(private readonly pool: OrderPool) {}

  find(accountSlot: number, clientOrderId: number): number {
    if (this.count === 0) return -1;
    const b = this.buckets;
    const pool = this.pool;
    const mask = this.mask;
    let i = clientHash(accountSlot, clientOrderId) & mask;
    for (;;) {
      const v = b[i]!;
      if (v === 0) return -1;
      if (pool.clientOrderId[v - 1] === clientOrderId && pool.i32[((v - 1) << I_STRIDE_SHIFT) + I_ACCOUNT] === accountSlot) return v - 1;
      i = (i + 1) & mask;
    }
  }

  insert(slot: number): void {
    if (++this.count > this.buckets.length >> 1) this.rebuild(this.buckets.length * 2);
    this.put(slot);
  }

  remove(slot: number): void {
    const b = this.buckets;
    const mask = this.mask;
    let i = this.homeOf(slot + 1) & mask;
    while (b[i] !== slot + 1) {
      if (b[i] === 0) return;
      i = (i + 1) & mask;
    }
    deleteAt(b, mask, i, this.homeOf);
    this.count--;
  }

  byteLength(): number {
    return this.buckets.byteLength;
  }

  private put(slot: number): void {
    const b = this.buckets;
    const mask = this.mask;
    let i = this.homeOf(slot + 1) & mask;
    while (b[i] !== 0) i = (i + 1) & mask;
    b[i] = slot + 1;
  }

  private rebuild(bucketCount: number): void {
    const old = this.buckets;
    this.buckets = new Int32Array(bucketCount);
    this.mask = bucketCount - 1;
    for (let i = 0; i < old.length; i++) if (old[i] !== 0) this.put(old[i]! - 1);
  }
}
