// OrderPool: every open order (resting or waiting for its trigger) and the orders being matched, in
// slots of typed arrays. No object per order; freed slots go on a free list threaded through I_NEXT.
//
// What matching, cancel and the indexes touch shares one 64-byte record per slot, a cache line, read
// through two views of one buffer:
//
//   byte 0          8            16        24              32       40    44    48   52   56    60  64
//        +----------+------------+---------+---------------+--------+-----+-----+----+----+-----+---+
//        | orderId  | priceTicks | qtyLots | remainingLots | timeUs | acct|level|prev|next|flags| 0 |
//        +----------+------------+---------+---------------+--------+-----+-----+----+----+-----+---+
//          f64[s*8 + F_*]                                              i32[s*16 + I_*]
//
// Fields most orders never use live in separate arrays that the hot paths leave alone, so they take no
// cache, and that exist only once some order needs them (then sized to the pool): clientOrderId (read
// only when flags has HAS_CLIENT_ID), triggerPriceTicks (stop and take-profit types only) and the
// reduce-only list links (reduce-only orders only). 64 bytes per slot, up to 88 with all of them.
// On this design's target hardware a random access beyond the private L2 costs about 100 ns, so bytes
// touched per order decide throughput more than instructions do.
//
// Float64 holds the integer fields: every value is an integer below 2^53, which a double represents
// exactly, and every arithmetic on them (remaining − fill, level sums bounded by maxQtyLots · maxOrders
// < 2^53, market-spec.ts) stays integral and exact.
//
// flags: the state hash's ORDER flags word (state-hash.ts: type, tif, stp, source, reduce-only, origin in
// bits 0..23), the side in bit 24, HAS_CLIENT_ID in bit 25.
//
// The pool starts small and doubles up to its limit (maxOrders + 1: one slot for the incoming order
// while the book is full of resting ones), so a quiet market does not hold 4M slots. Growing replaces
// the arrays: callers read them through the pool (pool.f64, pool.i32) rather than caching them across a
// call that may allocate.

import { isTriggerType } from './order-rules.js';

/**
 * The record layout as one table. Hot modules copy the entries they use into module-local constants
 * (`const { F_PRICE } = OrderRecord`): V8 folds a module's own constants into optimised code, while every
 * use of an imported (or exported) binding is a load from the binding's cell plus a check that it is
 * initialised. This module reads the table through its own binding, LAYOUT, for the same reason.
 */
const LAYOUT = {
  F_STRIDE_SHIFT: 3,
  I_STRIDE_SHIFT: 4,
  F_ORDER_ID: 0,
  F_PRICE: 1,
  F_QTY: 2,
  F_REMAINING: 3,
  F_TIME: 4,
  I_ACCOUNT: 10,
  I_LEVEL: 11,
  I_PREV: 12,
  I_NEXT: 13,
  I_FLAGS: 14,
  /** The flags word: one nibble per enum at these shifts (state-hash.ts orderFlags), then single bits. */
  NIBBLE: 15,
  TIF_SHIFT: 4,
  STP_SHIFT: 8,
  SOURCE_SHIFT: 12,
  ORIGIN_SHIFT: 20,
  SIDE_SHIFT: 24,
  FLAG_REDUCE_ONLY: 1 << 16,
  FLAG_HAS_CLIENT_ID: 1 << 25,
} as const;
export const OrderRecord = LAYOUT;

export const { F_STRIDE_SHIFT, I_STRIDE_SHIFT, F_PRICE, F_REMAINING, I_ACCOUNT, I_NEXT, I_FLAGS, FLAG_REDUCE_ONLY, FLAG_HAS_CLIENT_ID } = OrderRecord;
const { F_ORDER_ID, F_QTY, F_TIME, I_LEVEL, SIDE_SHIFT } = OrderRecord;

const RECORD_BYTES = 64;
export const flagType = (f: number): number => f & 15;
export const flagTif = (f: number): number => (f >>> OrderRecord.TIF_SHIFT) & 15;
export const flagStp = (f: number): number => (f >>> OrderRecord.STP_SHIFT) & 15;
export const flagSource = (f: number): number => (f >>> OrderRecord.SOURCE_SHIFT) & 15;
export const flagOrigin = (f: number): number => (f >>> OrderRecord.ORIGIN_SHIFT) & 15;
export const flagSide = (f: number): number => (f >>> SIDE_SHIFT) & 1;
/** The flags word without side and HAS_CLIENT_ID: what the state hash records. */
export const hashFlags = (f: number): number => f & 0xff_ffff;

const INITIAL_SLOTS = 1024;

function grownF64(a: Float64Array<ArrayBuffer>, length: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(length);
  b.set(a);
  return b;
}

function grownI32(a: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(length);
  b.set(a);
  return b;
}

export class OrderPool {
  f64 = new Float64Array(0);
  i32 = new Int32Array(0);
  clientOrderId = new Float64Array(0);
  triggerPriceTicks = new Float64Array(0);
  /** Links of the account's list of reduce-only orders (AccountTable.reduceOnlyHead). */
  roPrev = new Int32Array(0);
  roNext = new Int32Array(0);

  capacity = 0;
  /** Slots in use. */
  used = 0;
  private freeHead = -1;

  constructor(readonly maxSlots: number) {
    this.grow(Math.min(INITIAL_SLOTS, maxSlots));
  }

  /** Grows the pool at once to hold `slots` (at most maxSlots): a snapshot restore knows its count up front. */
  reserve(slots: number): void {
    let capacity = this.capacity;
    while (capacity < slots && capacity < this.maxSlots) capacity = Math.min(capacity * 2, this.maxSlots);
    if (capacity > this.capacity) this.grow(capacity);
  }

  /** A free slot, or −1 when maxSlots are in use. May grow (and so replace) every array. */
  alloc(): number {
    const slot = this.freeHead;
    if (slot < 0) return this.allocGrowing();
    this.freeHead = this.i32[(slot << LAYOUT.I_STRIDE_SHIFT) + LAYOUT.I_NEXT]!;
    this.used++;
    return slot;
  }

  free(slot: number): void {
    const i = slot << LAYOUT.I_STRIDE_SHIFT;
    this.i32[i + LAYOUT.I_LEVEL] = -1;
    this.i32[i + LAYOUT.I_NEXT] = this.freeHead;
    this.freeHead = slot;
    this.used--;
  }

  private allocGrowing(): number {
    if (this.capacity >= this.maxSlots) return -1;
    this.grow(Math.min(this.capacity * 2, this.maxSlots));
    return this.alloc();
  }

  // Accessors for code off the matching path (views, stops, indexes' rare paths).
  orderId(slot: number): number {
    return this.f64[(slot << F_STRIDE_SHIFT) + F_ORDER_ID]!;
  }
  priceTicks(slot: number): number {
    return this.f64[(slot << F_STRIDE_SHIFT) + F_PRICE]!;
  }
  qtyLots(slot: number): number {
    return this.f64[(slot << F_STRIDE_SHIFT) + F_QTY]!;
  }
  remainingLots(slot: number): number {
    return this.f64[(slot << F_STRIDE_SHIFT) + F_REMAINING]!;
  }
  account(slot: number): number {
    return this.i32[(slot << I_STRIDE_SHIFT) + I_ACCOUNT]!;
  }
  level(slot: number): number {
    return this.i32[(slot << I_STRIDE_SHIFT) + I_LEVEL]!;
  }
  next(slot: number): number {
    return this.i32[(slot << I_STRIDE_SHIFT) + I_NEXT]!;
  }
  timeUs(slot: number): number {
    return this.f64[(slot << F_STRIDE_SHIFT) + F_TIME]!;
  }
  flags(slot: number): number {
    return this.i32[(slot << I_STRIDE_SHIFT) + I_FLAGS]!;
  }
  side(slot: number): number {
    return flagSide(this.flags(slot));
  }
  clientOrderIdOf(slot: number): number {
    return (this.flags(slot) & FLAG_HAS_CLIENT_ID) !== 0 ? this.clientOrderId[slot]! : 0;
  }
  /** The trigger price of a stop or take-profit order, 0 for other types (the array is not cleared). */
  triggerOf(slot: number): number {
    return isTriggerType(flagType(this.flags(slot))) ? this.triggerPriceTicks[slot]! : 0;
  }

  /** Bytes held by the arrays (for the memory benchmark). */
  byteLength(): number {
    return this.f64.byteLength + this.clientOrderId.byteLength + this.triggerPriceTicks.byteLength + this.roPrev.byteLength + this.roNext.byteLength;
  }

  /** Call before writing clientOrderId: allocates the array on first use. */
  useClientIds(): void {
    if (this.clientOrderId.length < this.capacity) this.clientOrderId = grownF64(this.clientOrderId, this.capacity);
  }

  /** Call before writing triggerPriceTicks. */
  useTriggers(): void {
    if (this.triggerPriceTicks.length < this.capacity) this.triggerPriceTicks = grownF64(this.triggerPriceTicks, this.capacity);
  }

  /** Call before linking a reduce-only order. */
  useReduceOnlyLinks(): void {
    if (this.roPrev.length < this.capacity) {
      this.roPrev = grownI32(this.roPrev, this.capacity);
      this.roNext = grownI32(this.roNext, this.capacity);
    }
  }

  private grow(capacity: number): void {
    const old = this.capacity;
    const buffer = new ArrayBuffer(capacity * RECORD_BYTES);
    new Uint8Array(buffer).set(new Uint8Array(this.f64.buffer));
    this.f64 = new Float64Array(buffer);
    this.i32 = new Int32Array(buffer);
    // Cold arrays grow with the pool once they exist.
    if (this.clientOrderId.length > 0) this.clientOrderId = grownF64(this.clientOrderId, capacity);
    if (this.triggerPriceTicks.length > 0) this.triggerPriceTicks = grownF64(this.triggerPriceTicks, capacity);
    if (this.roPrev.length > 0) {
      this.roPrev = grownI32(this.roPrev, capacity);
      this.roNext = grownI32(this.roNext, capacity);
    }
    // New slots join the free list in ascending order, so allocation order is deterministic.
    for (let s = capacity - 1; s >= old; s--) {
      const i = s << I_STRIDE_SHIFT;
      this.i32[i + I_LEVEL] = -1;
      this.i32[i + I_NEXT] = this.freeHead;
      this.freeHead = s;
    }
    this.capacity = capacity;
  }
}
