// PriceLevels: the price levels of both sides and the FIFO queue of orders in each.
//
// A level is a 64-byte record (level-record.ts: price, total remaining qty, order count, head and tail of
// an intrusive doubly linked FIFO through the pool's I_PREV/I_NEXT links, so cancel is O(1)). Each side
// lists its levels in a sorted array, best last (sorted-levels.ts).
//
// Finding the level of a price: a direct-mapped cache (price hash → level slot, verified against the
// level's price and side, cleared when the level is released) answers most lookups with one read, since
// orders keep arriving at the few hundred prices near the touch; a miss walks the sorted array from the
// top and bisects. At most one level exists per price: the two sides never share a price at rest.
//
// Dormant levels: a level emptied below the top of its side stays listed, with no orders, and the next
// order at its price reuses it. On the benchmark stream a fifth of all commands empty a level or bring
// one back, mostly a few dozen places below the top, and taking it out of the sorted array and putting
// it back later shifts those few dozen entries twice. A dormant level is no level for every observer:
// best() and the views skip or never meet it (the last entry of a side is never dormant: a level emptied
// there leaves, with the dormant ones below it). When dormant levels outnumber the live ones of a side,
// tidy() drops them all at the end of a command.
//
// Every change goes through this class so LevelChanges sees it (L2 events), except in the two untracked
// moves (link, unlink) that the commonest commands use: a resting order that joins a level, a cancel
// that leaves one. Such a command changes exactly one level, so it reports that level itself and skips
// the diff. A level that leaves its side during a tracked command is released (back to the free list,
// out of the cache) only when the command's changes are flushed, so its record still says what it was.

import { LevelChanges } from './level-changes.js';
import { LevelRecord } from './level-record.js';
import { OrderRecord, type OrderPool } from './order-pool.js';
import { SortedLevels } from './sorted-levels.js';

// Module-local copies (order-pool.ts says why).
const { F_REMAINING, F_STRIDE_SHIFT, I_LEVEL, I_NEXT, I_PREV, I_STRIDE_SHIFT } = OrderRecord;
const { BYTES, F_SHIFT, I_SHIFT, L_PRICE, L_QTY, L_COUNT, L_HEAD, L_TAIL, L_SIDE, L_LISTED } = LevelRecord;
const BUY = 0;
const INITIAL_LEVELS = 256;
/** Price cache entries (a power of two): 16 KiB, a few times the levels a busy book keeps near its touch. */
const CACHE_BITS = 12;
const CACHE_SHIFT = 32 - CACHE_BITS;
/** Fibonacci hashing of the price's low 32 bits: venue prices are often multiples of a power of two. */
const cacheIndex = (priceTicks: number): number => Math.imul(priceTicks | 0, 0x9e3779b1) >>> CACHE_SHIFT;
/** A side is tidied once it lists more than this many dormant levels and more dormant than live ones. */
const TIDY_MIN = 32;

export class PriceLevels {
  /** Level records (level-record.ts); replaced when the level pool grows. */
  f64 = new Float64Array(0);
  i32 = new Int32Array(0);
  readonly sides: readonly [SortedLevels, SortedLevels] = [new SortedLevels(), new SortedLevels()];
  readonly changes: LevelChanges = new LevelChanges(this);
  /** A side has enough dormant levels to tidy at the end of the command. */
  untidy = false;
  /** cacheIndex(price) → level slot + 1, 0 when empty; entries are verified on use. */
  private readonly cache = new Int32Array(1 << CACHE_BITS);
  capacity = 0;
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
    return s.len > 0 ? this.f64[s.slots[s.len - 1]! << F_SHIFT]! : 0;
  }

  priceOf(lv: number): number {
    return this.f64[(lv << F_SHIFT) + L_PRICE]!;
  }
  qtyOf(lv: number): number {
    return this.f64[(lv << F_SHIFT) + L_QTY]!;
  }
  countOf(lv: number): number {
    return this.i32[(lv << I_SHIFT) + L_COUNT]!;
  }
  sideOf(lv: number): number {
    return this.i32[(lv << I_SHIFT) + L_SIDE]!;
  }
  /** First order slot of the level's FIFO, −1 when empty. */
  headOf(lv: number): number {
    return this.i32[(lv << I_SHIFT) + L_HEAD]!;
  }
  isListed(lv: number): boolean {
    return this.i32[(lv << I_SHIFT) + L_LISTED] !== 0;
  }

  /** The level holding orders at (side, price), or −1. */
  find(side: number, priceTicks: number): number {
    const c = this.cache[cacheIndex(priceTicks)]! - 1;
    let lv = -1;
    if (c >= 0 && this.f64[(c << F_SHIFT) + L_PRICE] === priceTicks && this.i32[(c << I_SHIFT) + L_SIDE] === side) lv = c;
    else {
      const s = this.sides[side]!;
      const i = s.search(side === BUY ? priceTicks : -priceTicks);
      if (i >= 0) lv = s.slots[i]!;
    }
    return lv >= 0 && this.i32[(lv << I_SHIFT) + L_COUNT]! > 0 ? lv : -1;
  }

  /** Appends the order at the back of its price level, creating the level if needed (tracked). */
  append(orderSlot: number, side: number, priceTicks: number): void {
    const lv = this.levelAt(side, priceTicks, true);
    // A level just created or brought back in this command is stamped already: touch keeps its record.
    this.changes.touch(lv);
    this.linkAt(lv, orderSlot);
  }

  /**
   * Untracked append for a command whose only book change this is: returns the level, which the caller
   * reports (its aggregate always changes: one more order).
   */
  link(orderSlot: number, side: number, priceTicks: number): number {
    const lv = this.levelAt(side, priceTicks, false);
    this.linkAt(lv, orderSlot);
    return lv;
  }

  /** Takes a resting order out of its level (its remainingLots must be what the level counted; tracked). */
  remove(orderSlot: number): void {
    const lv = this.pool.i32[(orderSlot << I_STRIDE_SHIFT) + I_LEVEL]!;
    this.changes.touch(lv);
    if (this.unlinkAt(lv, orderSlot)) this.emptied(lv, true);
  }

  /**
   * Untracked remove for a command whose only book change this is: returns the level, which the caller
   * reports and then hands to drop.
   */
  unlink(orderSlot: number): number {
    const lv = this.pool.i32[(orderSlot << I_STRIDE_SHIFT) + I_LEVEL]!;
    if (this.unlinkAt(lv, orderSlot)) this.emptied(lv, false);
    return lv;
  }

  /**
   * The level's first order was filled (matching): it leaves the level, whose total drops by its last
   * qtyLots, in one step where reduce then remove would take two (tracked).
   */
  fillHead(lv: number, qtyLots: number): void {
    this.changes.touch(lv);
    const li = this.i32;
    const lo = lv << I_SHIFT;
    const i32 = this.pool.i32;
    const m = li[lo + L_HEAD]!;
    const n = i32[(m << I_STRIDE_SHIFT) + I_NEXT]!;
    li[lo + L_HEAD] = n;
    if (n >= 0) i32[(n << I_STRIDE_SHIFT) + I_PREV] = -1;
    else li[lo + L_TAIL] = -1;
    i32[(m << I_STRIDE_SHIFT) + I_LEVEL] = -1;
    this.f64[(lv << F_SHIFT) + L_QTY]! -= qtyLots;
    if (--li[lo + L_COUNT]! === 0) this.emptied(lv, true);
  }

  /** After an untracked change was reported: a level that left its side goes back to the free list. */
  drop(lv: number): void {
    if (this.i32[(lv << I_SHIFT) + L_COUNT] === 0 && this.i32[(lv << I_SHIFT) + L_LISTED] === 0) this.release(lv);
  }

  /** The level's total drops by qtyLots (a fill, or a quantity cut that keeps priority). */
  reduce(lv: number, qtyLots: number): void {
    this.changes.touch(lv);
    this.f64[(lv << F_SHIFT) + L_QTY]! -= qtyLots;
  }

  /** Puts a level that left its side back on the free list, once reported. */
  release(lv: number): void {
    const h = cacheIndex(this.f64[(lv << F_SHIFT) + L_PRICE]!);
    if (this.cache[h] === lv + 1) this.cache[h] = 0;
    this.i32[(lv << I_SHIFT) + L_HEAD] = this.freeHead;
    this.freeHead = lv;
  }

  /** Brings back a level that left its side earlier in this command (its record is kept): listed, empty. */
  relist(lv: number): void {
    const li = this.i32;
    const lo = lv << I_SHIFT;
    const price = this.f64[(lv << F_SHIFT) + L_PRICE]!;
    const s = this.sides[li[lo + L_SIDE]!]!;
    const key = li[lo + L_SIDE] === BUY ? price : -price;
    s.insertAt(-s.search(key) - 1, key, lv);
    li[lo + L_HEAD] = -1;
    li[lo + L_TAIL] = -1;
    li[lo + L_LISTED] = 1;
    s.dormant++;
  }

  /** End of a command: drops the dormant levels of a side that has more of them than live ones. */
  tidy(): void {
    this.untidy = false;
    for (const s of this.sides) {
      if (s.dormant <= TIDY_MIN || s.dormant * 2 <= s.len) continue;
      const li = this.i32;
      let k = 0;
      for (let i = 0; i < s.len; i++) {
        const lv = s.slots[i]!;
        if (li[(lv << I_SHIFT) + L_COUNT] === 0) {
          li[(lv << I_SHIFT) + L_LISTED] = 0;
          this.release(lv);
        } else {
          s.keys[k] = s.keys[i]!;
          s.slots[k++] = lv;
        }
      }
      s.len = k;
      s.dormant = 0;
    }
  }

  byteLength(): number {
    const sides = this.sides[0].keys.byteLength * 1.5 + this.sides[1].keys.byteLength * 1.5;
    return this.f64.byteLength + sides + this.cache.byteLength + this.changes.byteLength();
  }

  /** The listed level at (side, price), made or brought back if needed. */
  private levelAt(side: number, priceTicks: number, tracked: boolean): number {
    const h = cacheIndex(priceTicks);
    const c = this.cache[h]! - 1;
    if (c >= 0 && this.f64[(c << F_SHIFT) + L_PRICE] === priceTicks && this.i32[(c << I_SHIFT) + L_SIDE] === side) {
      if (this.i32[(c << I_SHIFT) + L_LISTED] === 0) this.relist(c);
      return c;
    }
    const lv = this.levelFor(side, priceTicks, tracked);
    this.cache[h] = lv + 1;
    return lv;
  }

  /** The level at (side, price) from the sorted array (a cache miss), created if absent; reported when tracked. */
  private levelFor(side: number, priceTicks: number, tracked: boolean): number {
    const s = this.sides[side]!;
    const key = side === BUY ? priceTicks : -priceTicks;
    const i = s.search(key);
    if (i >= 0) return s.slots[i]!;
    if (tracked) {
      const back = this.changes.leftAt(side, priceTicks);
      if (back >= 0) {
        this.relist(back);
        return back;
      }
    }
    const lv = this.allocLevel(side, priceTicks);
    s.insertAt(-i - 1, key, lv);
    s.dormant++;
    if (tracked) this.changes.created(lv);
    return lv;
  }

  private linkAt(lv: number, orderSlot: number): void {
    const li = this.i32;
    const pool = this.pool;
    const i32 = pool.i32;
    const o = orderSlot << I_STRIDE_SHIFT;
    const lo = lv << I_SHIFT;
    const t = li[lo + L_TAIL]!;
    i32[o + I_PREV] = t;
    i32[o + I_NEXT] = -1;
    if (t >= 0) i32[(t << I_STRIDE_SHIFT) + I_NEXT] = orderSlot;
    else li[lo + L_HEAD] = orderSlot;
    li[lo + L_TAIL] = orderSlot;
    i32[o + I_LEVEL] = lv;
    if (li[lo + L_COUNT]!++ === 0) this.sides[li[lo + L_SIDE]!]!.dormant--;
    this.f64[(lv << F_SHIFT) + L_QTY]! += pool.f64[(orderSlot << F_STRIDE_SHIFT) + F_REMAINING]!;
  }

  /** Unlinks the order from level lv; returns whether the level emptied (the caller calls emptied). */
  private unlinkAt(lv: number, orderSlot: number): boolean {
    const pool = this.pool;
    const i32 = pool.i32;
    const o = orderSlot << I_STRIDE_SHIFT;
    const li = this.i32;
    const lo = lv << I_SHIFT;
    const p = i32[o + I_PREV]!;
    const n = i32[o + I_NEXT]!;
    if (p >= 0) i32[(p << I_STRIDE_SHIFT) + I_NEXT] = n;
    else li[lo + L_HEAD] = n;
    if (n >= 0) i32[(n << I_STRIDE_SHIFT) + I_PREV] = p;
    else li[lo + L_TAIL] = p;
    i32[o + I_LEVEL] = -1;
    this.f64[(lv << F_SHIFT) + L_QTY]! -= pool.f64[(orderSlot << F_STRIDE_SHIFT) + F_REMAINING]!;
    return --li[lo + L_COUNT]! === 0;
  }

  /**
   * Level lv lost its last order. Below the top it turns dormant; at the top it leaves its side (L_LISTED
   * 0) with the dormant levels now on top (the last entry is never dormant). Those not reported in this
   * tracked command go back to the free list at once; the others wait for the flush, and lv for its
   * reporter (flush, or the untracked caller's drop).
   */
  private emptied(lv: number, tracked: boolean): void {
    const li = this.i32;
    const s = this.sides[li[(lv << I_SHIFT) + L_SIDE]!]!;
    if (s.slots[s.len - 1] !== lv) {
      s.dormant++;
      if (s.dormant > TIDY_MIN && s.dormant * 2 > s.len) this.untidy = true;
      return;
    }
    s.len--;
    li[(lv << I_SHIFT) + L_LISTED] = 0;
    while (s.len > 0) {
      const top = s.slots[s.len - 1]!;
      if (li[(top << I_SHIFT) + L_COUNT] !== 0) return;
      s.len--;
      s.dormant--;
      li[(top << I_SHIFT) + L_LISTED] = 0;
      if (!tracked || !this.changes.reported(top)) this.release(top);
    }
  }

  private allocLevel(side: number, priceTicks: number): number {
    if (this.freeHead < 0) this.grow(this.capacity * 2);
    const lv = this.freeHead;
    const li = this.i32;
    const lo = lv << I_SHIFT;
    this.freeHead = li[lo + L_HEAD]!;
    const fo = lv << F_SHIFT;
    this.f64[fo + L_PRICE] = priceTicks;
    this.f64[fo + L_QTY] = 0;
    li[lo + L_COUNT] = 0;
    li[lo + L_HEAD] = -1;
    li[lo + L_TAIL] = -1;
    li[lo + L_SIDE] = side;
    li[lo + L_LISTED] = 1;
    return lv;
  }

  private grow(capacity: number): void {
    const old = this.capacity;
    const buffer = new ArrayBuffer(capacity * BYTES);
    new Uint8Array(buffer).set(new Uint8Array(this.f64.buffer));
    this.f64 = new Float64Array(buffer);
    this.i32 = new Int32Array(buffer);
    for (let lv = capacity - 1; lv >= old; lv--) {
      this.i32[(lv << I_SHIFT) + L_HEAD] = this.freeHead;
      this.freeHead = lv;
    }
    this.capacity = capacity;
  }
}
