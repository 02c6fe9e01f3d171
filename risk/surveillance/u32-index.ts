// U32Index: unsigned 32-bit keys (account ids) numbered 0, 1, 2... in the order they were first added,
// found through an open-addressing table in typed arrays. It stands where a Map<number, number> from an
// account to its row stood, for tables that are filled and cleared as a whole (a detector's half window):
// a lookup is a multiply and a probe or two in one Int32Array instead of a Map's hashing and chain walk,
// clear() keeps the table's size (a Map's clear() shrinks it, and it grew back through every rehash each
// half window), and nothing is allocated once the table has reached its size.
//
// Nothing is iterated by hash order: entries are numbered in insertion order (keyAt), which is a function
// of the input alone.

import { grown } from '../grown.js';

/** A 32-bit key's home slot in a table of 2^(32 − shift) slots (Fibonacci hashing): U32Index, AccountIndex. */
export const homeSlot = (key: number, shift: number): number => Math.imul(key, 0x9e3779b1) >>> shift;

export class U32Index {
  /** Entry + 1 per hash slot (0: empty). */
  private slots: Int32Array;
  private shift: number;
  private mask: number;
  private keys: Uint32Array;
  /** Entries held (numbered 0 .. size − 1). */
  size = 0;

  constructor(initial = 1_024) {
    let bits = 4;
    while (1 << bits < 2 * initial) bits++;
    this.slots = new Int32Array(1 << bits);
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
    this.keys = new Uint32Array(initial);
  }

  /** The entry of key, −1 when it has none. */
  find(key: number): number {
    const slots = this.slots;
    let h = homeSlot(key, this.shift);
    for (;;) {
      const v = slots[h]!;
      if (v === 0) return -1;
      if (this.keys[v - 1] === key) return v - 1;
      h = (h + 1) & this.mask;
    }
  }

  /** The entry of key, added as the next entry when it has none. */
  intern(key: number): number {
    const slots = this.slots;
    let h = homeSlot(key, this.shift);
    for (;;) {
      const v = slots[h]!;
      if (v === 0) break;
      if (this.keys[v - 1] === key) return v - 1;
      h = (h + 1) & this.mask;
    }
    const e = this.size++;
    if (e === this.keys.length) this.keys = grown(this.keys, e);
    this.keys[e] = key;
    if (2 * this.size > slots.length) this.rehash(slots.length * 2);
    else slots[h] = e + 1;
    return e;
  }

  keyAt(entry: number): number {
    return this.keys[entry]!;
  }

  /** Empties the index, keeping its size. */
  clear(): void {
    if (this.size === 0) return;
    this.slots.fill(0);
    this.size = 0;
  }

  private rehash(length: number): void {
    this.slots = new Int32Array(length);
    this.mask = length - 1;
    this.shift = 32 - Math.log2(length);
    for (let e = 0; e < this.size; e++) {
      let h = homeSlot(this.keys[e]!, this.shift);
      while (this.slots[h] !== 0) h = (h + 1) & this.mask;
      this.slots[h] = e + 1;
    }
  }
}
