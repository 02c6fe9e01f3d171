// PriceLevels: the price levels of both sides and the FIFO queue of orders in each.
//
// A level is a slot in a struct of typed arrays (price, total remaining qty, order count, head and tail
// of an intrusive doubly linked FIFO through the pool's I_PREV/I_NEXT links), so cancel is O(1). Each side keeps
// its active levels in a sorted array with the best level at the END: bids by ascending price, asks by
// descending price, stored as one ascending key (bid: price, ask: −price). Best price is O(1); a lookup
// is a binary search; new levels mostly appear near the top of the book, so the insertion shift is short.
//
// Every change goes through this class so LevelChanges sees it (L2 events).

import { Side } from '../enums.js';
import { LevelChanges } from './level-changes.js';
import { F_REMAINING, F_STRIDE_SHIFT, I_LEVEL, I_NEXT, I_PREV, I_STRIDE_SHIFT, type OrderPool } from './order-pool.js';

const INITIAL_LEVELS = 256;
/**
 * Shifts longer than this use copyWithin (a memmove, but a call into the runtime costing tens of ns);
 * shorter ones, the usual case near the top of the book, are a plain loop.
 */
const LONG_SHIFT = 48;
/** Entries from the top a lookup walks before it bisects. */
const TOP_SCAN = 8;

class SortedSide {
  keys = new Float64Array(64);
  slots = new Int32Array(64);
  len = 0;

  /** Index of key, or −(insertion index) − 1 when absent. */
  search(key: number): number {
    const keys = this.keys;
    const len = this.len;
    // Most lookups land near the top of the book (the end): walk down a few entries before bisecting.
    const stop = len > TOP_SCAN ? len - TOP_SCAN : 0;
    let j = len - 1;
    while (j >= stop && keys[j]! > key) j--;
    if (j >= stop) return keys[j] === key ? j : -j - 2;
    if (stop === 0) return -1;
    // keys[stop] > key (scanned above), so lo ends in [0, stop] and keys[lo] is a live entry.
    let lo = 0;
    let hi = stop;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return keys[lo] === key ? lo : -lo - 1;
  }

  insertAt(i: number, key: number, slot: number): void {
    if (this.len === this.keys.length) {
      const k = new Float64Array(this.len * 2);
      k.set(this.keys);
      this.keys = k;
      const s = new Int32Array(this.len * 2);
      s.set(this.slots);
      this.slots = s;
    }
    const keys = this.keys;
    const slots = this.slots;
    if (this.len - i > LONG_SHIFT) {
      keys.copyWithin(i + 1, i, this.len);
      slots.copyWithin(i + 1, i, this.len);
    } else {
      for (let j = this.len; j > i; j--) {
        keys[j] = keys[j - 1]!;
        slots[j] = slots[j - 1]!;
      }
    }
    keys[i] = key;
    slots[i] = slot;
    this.len++;
  }

  removeAt(i: number): void {
    const keys = this.keys;
    const slots = this.slots;
    const last = --this.len;
    if (last - i > LONG_SHIFT) {
      keys.copyWithin(i, i + 1, last + 1);
      slots.copyWithin(i, i + 1, last + 1);
    } else {
      for (let j = i; j < last; j++) {
        keys[j] = keys[j + 1]!;
        slots[j] = slots[j + 1]!;
      }
    }
  }
}

export class PriceLevels {
  priceTicks = new Float64Array(0);
  qtyLots = new Float64Array(0);
  orderCount = new Int32Array(0);
  head = new Int32Array(0);
  tail = new Int32Array(0);
  side = new Uint8Array(0);
  readonly sides: readonly [SortedSide, SortedSide] = [new SortedSide(), new SortedSide()];
  readonly changes = new LevelChanges();
  private capacity = 0;
  private freeHead = -1;

  constructor(private readonly pool: OrderPool) {
    this.grow(INITIAL_LEVELS);
  }

  /** Slot of the side's best level, −1 when the side is empty. */
  best(side: number): number {
    const s = this.sides[side]!;
    return s.len > 0 ? s.slots[s.len - 1]! : -1;
  }

  bestPrice(side: number): number {
    const s = this.sides[side]!;
    return s.len > 0 ? this.priceTicks[s.slots[s.len - 1]!]! : 0;
  }

  find(side: number, priceTicks: number): number {
    const s = this.sides[side]!;
    const i = s.search(side === Side.BUY ? priceTicks : -priceTicks);
    return i >= 0 ? s.slots[i]! : -1;
  }

  /** Appends the order at the back of its price level, creating the level if needed. */
  append(orderSlot: number, side: number, priceTicks: number): void {
    const s = this.sides[side]!;
    const key = side === Side.BUY ? priceTicks : -priceTicks;
    const i = s.search(key);
    let lv: number;
    if (i >= 0) {
      lv = s.slots[i]!;
      this.changes.touch(lv, this);
    } else {
      lv = this.allocLevel(side, priceTicks);
      s.insertAt(-i - 1, key, lv);
      this.changes.created(lv, side, priceTicks);
    }
    const i32 = this.pool.i32;
    const o = orderSlot << I_STRIDE_SHIFT;
    const t = this.tail[lv]!;
    i32[o + I_PREV] = t;
    i32[o + I_NEXT] = -1;
    if (t >= 0) i32[(t << I_STRIDE_SHIFT) + I_NEXT] = orderSlot;
    else this.head[lv] = orderSlot;
    this.tail[lv] = orderSlot;
    i32[o + I_LEVEL] = lv;
    this.orderCount[lv]!++;
    this.qtyLots[lv]! += this.pool.f64[(orderSlot << F_STRIDE_SHIFT) + F_REMAINING]!;
  }

  /** Takes a resting order out of its level (its remainingLots must be what the level counted). */
  remove(orderSlot: number): void {
    const i32 = this.pool.i32;
    const o = orderSlot << I_STRIDE_SHIFT;
    const lv = i32[o + I_LEVEL]!;
    this.changes.touch(lv, this);
    const p = i32[o + I_PREV]!;
    const n = i32[o + I_NEXT]!;
    if (p >= 0) i32[(p << I_STRIDE_SHIFT) + I_NEXT] = n;
    else this.head[lv] = n;
    if (n >= 0) i32[(n << I_STRIDE_SHIFT) + I_PREV] = p;
    else this.tail[lv] = p;
    i32[o + I_LEVEL] = -1;
    this.qtyLots[lv]! -= this.pool.f64[(orderSlot << F_STRIDE_SHIFT) + F_REMAINING]!;
    if (--this.orderCount[lv]! === 0) this.freeLevel(lv);
  }

  /** The level's total drops by qtyLots (a fill, or a quantity cut that keeps priority). */
  reduce(lv: number, qtyLots: number): void {
    this.changes.touch(lv, this);
    this.qtyLots[lv]! -= qtyLots;
  }

  byteLength(): number {
    const sides = this.sides[0].keys.byteLength * 1.5 + this.sides[1].keys.byteLength * 1.5;
    return this.capacity * (8 + 8 + 4 + 4 + 4 + 1 + 8) + sides;
  }

  private freeLevel(lv: number): void {
    const side = this.side[lv]!;
    const s = this.sides[side]!;
    const price = this.priceTicks[lv]!;
    s.removeAt(s.search(side === Side.BUY ? price : -price));
    this.changes.freed(lv);
    this.head[lv] = this.freeHead;
    this.freeHead = lv;
  }

  private allocLevel(side: number, priceTicks: number): number {
    if (this.freeHead < 0) this.grow(this.capacity * 2);
    const lv = this.freeHead;
    this.freeHead = this.head[lv]!;
    this.priceTicks[lv] = priceTicks;
    this.qtyLots[lv] = 0;
    this.orderCount[lv] = 0;
    this.head[lv] = -1;
    this.tail[lv] = -1;
    this.side[lv] = side;
    return lv;
  }

  private grow(capacity: number): void {
    const old = this.capacity;
    const f64 = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    this.priceTicks = f64(this.priceTicks);
    this.qtyLots = f64(this.qtyLots);
    this.orderCount = i32(this.orderCount);
    this.head = i32(this.head);
    this.tail = i32(this.tail);
    const side = new Uint8Array(capacity);
    side.set(this.side);
    this.side = side;
    for (let lv = capacity - 1; lv >= old; lv--) {
      this.head[lv] = this.freeHead;
      this.freeHead = lv;
    }
    this.capacity = capacity;
    this.changes.ensureLevels(capacity);
  }
}
