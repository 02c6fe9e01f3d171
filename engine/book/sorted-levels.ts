// SortedLevels: one side's listed price levels as a sorted array of (key, level slot) with the best
// level at the END: keys ascend (bid: price, ask: −price), so the best bid (highest price) and the best
// ask (lowest price) both sit last. Best is O(1); new levels mostly appear near the top of the book, so
// the insertion shift is short. Listed levels may be empty ("dormant", price-levels.ts says why), never
// the last one; `dormant` counts them.

/**
 * Shifts longer than this use copyWithin (a memmove, but a call into the runtime costing tens of ns);
 * shorter ones, the usual case near the top of the book, are a plain loop.
 */
const LONG_SHIFT = 48;
/** Entries from the top a lookup walks before it bisects. */
const TOP_SCAN = 8;

export class SortedLevels {
  /** Listed levels with no orders (never the last entry). */
  dormant = 0;
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
