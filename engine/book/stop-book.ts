// StopBook: untriggered stop and take-profit orders, in four lists by trigger source (MARK, LAST) and
// direction (fires on a rising price, fires on a falling one). Each list is sorted so that the next
// order to fire is at the END: the key is −trigger for rising (smallest trigger fires first) and
// +trigger for falling (largest first), ascending; equal triggers keep the smallest orderId at the end.
// Checking whether anything fires is O(1) (look at the ends); insert and remove are a binary search and a
// short shift.

import { firesOnRise } from './order-rules.js';
import { flagSide, flagSource, flagType, type OrderPool } from './order-pool.js';

class StopList {
  keys = new Float64Array(16);
  slots = new Int32Array(16);
  len = 0;
}

export class StopBook {
  /** Index: source * 2 + (rising ? 0 : 1). */
  readonly lists: readonly StopList[] = [new StopList(), new StopList(), new StopList(), new StopList()];
  count = 0;

  constructor(private readonly pool: OrderPool) {}

  add(slot: number): void {
    const l = this.listOf(slot);
    const key = this.keyOf(slot);
    const i = this.lowerBound(l, key, this.pool.orderId(slot));
    if (l.len === l.keys.length) {
      const k = new Float64Array(l.len * 2);
      k.set(l.keys);
      l.keys = k;
      const s = new Int32Array(l.len * 2);
      s.set(l.slots);
      l.slots = s;
    }
    l.keys.copyWithin(i + 1, i, l.len);
    l.slots.copyWithin(i + 1, i, l.len);
    l.keys[i] = key;
    l.slots[i] = slot;
    l.len++;
    this.count++;
  }

  remove(slot: number): void {
    const l = this.listOf(slot);
    const i = this.lowerBound(l, this.keyOf(slot), this.pool.orderId(slot));
    if (l.slots[i] !== slot) throw new Error(`invariant: stop slot ${slot} is not in its list`);
    l.keys.copyWithin(i, i + 1, l.len);
    l.slots.copyWithin(i, i + 1, l.len);
    l.len--;
    this.count--;
  }

  /**
   * The next order of list `li` that fires at priceTicks, or −1. Rising lists fire when price ≥ trigger,
   * falling lists when price ≤ trigger; a price of 0 (no source price yet) fires nothing.
   */
  due(li: number, priceTicks: number): number {
    const l = this.lists[li]!;
    if (l.len === 0 || priceTicks <= 0) return -1;
    const key = l.keys[l.len - 1]!;
    const fires = (li & 1) === 0 ? priceTicks >= -key : priceTicks <= key;
    return fires ? l.slots[l.len - 1]! : -1;
  }

  /** Removes the order due() just returned (the end of its list). */
  popDue(li: number): void {
    this.lists[li]!.len--;
    this.count--;
  }

  /** Every stop slot, in no particular order (callers sort). */
  forEach(fn: (slot: number) => void): void {
    for (const l of this.lists) for (let i = 0; i < l.len; i++) fn(l.slots[i]!);
  }

  byteLength(): number {
    let b = 0;
    for (const l of this.lists) b += l.keys.byteLength + l.slots.byteLength;
    return b;
  }

  private listOf(slot: number): StopList {
    const f = this.pool.flags(slot);
    return this.lists[flagSource(f) * 2 + (firesOnRise(flagType(f), flagSide(f)) ? 0 : 1)]!;
  }

  private keyOf(slot: number): number {
    const t = this.pool.triggerPriceTicks[slot]!;
    const f = this.pool.flags(slot);
    return firesOnRise(flagType(f), flagSide(f)) ? -t : t;
  }

  /** First index whose (key ascending, orderId descending) position is at or after (key, orderId). */
  private lowerBound(l: StopList, key: number, orderId: number): number {
    const pool = this.pool;
    let lo = 0;
    let hi = l.len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = l.keys[mid]!;
      if (k < key || (k === key && pool.orderId(l.slots[mid]!) > orderId)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
