// LevelChanges: the L2 diff of one command without allocation. PriceLevels reports every level it is
// about to change (touch), create or free; the first report of a level in a command records its
// (qty, count) before the command. At the end, flush emits one BOOK_LEVEL_CHANGED per level whose
// aggregate differs from that record: bids best (highest) first, then asks best (lowest) first.
//
// Levels are identified by (side, price), not by slot: a level emptied and created again in the same
// command reuses its first record, so it is reported once, against its state before the command.

import { Side } from '../enums.js';
import type { EventWriter } from './event-writer.js';

export interface LevelArrays {
  priceTicks: Float64Array;
  qtyLots: Float64Array;
  orderCount: Int32Array;
  side: Uint8Array;
}

export class LevelChanges {
  private epoch = 1;
  /** Per level slot: the epoch in which it was last reported, and its record's index. */
  private stamp = new Int32Array(0);
  private record = new Int32Array(0);

  private n = 0;
  private gone = 0;
  private rSide = new Uint8Array(64);
  private rPrice = new Float64Array(64);
  private rQty = new Float64Array(64);
  private rCount = new Int32Array(64);
  /** The level slot the record now describes, −1 once the level was freed. */
  private rSlot = new Int32Array(64);
  private order = new Int32Array(64);

  /** Called by PriceLevels when its level pool grows. */
  ensureLevels(capacity: number): void {
    if (this.stamp.length >= capacity) return;
    const s = new Int32Array(capacity);
    s.set(this.stamp);
    this.stamp = s;
    const r = new Int32Array(capacity);
    r.set(this.record);
    this.record = r;
  }

  begin(): void {
    this.n = 0;
    this.gone = 0;
    if (++this.epoch === 0x7fffffff) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
  }

  /** Before a change to an existing level. */
  touch(lv: number, l: LevelArrays): void {
    if (this.stamp[lv] === this.epoch) return;
    this.stamp[lv] = this.epoch;
    this.record[lv] = this.add(l.side[lv]!, l.priceTicks[lv]!, l.qtyLots[lv]!, l.orderCount[lv]!, lv);
  }

  /** After a level was created at (side, price): it did not exist before, unless freed earlier in this command. */
  created(lv: number, side: number, priceTicks: number): void {
    this.stamp[lv] = this.epoch;
    if (this.gone > 0) {
      for (let i = 0; i < this.n; i++) {
        if (this.rSlot[i] === -1 && this.rSide[i] === side && this.rPrice[i] === priceTicks) {
          this.rSlot[i] = lv;
          this.record[lv] = i;
          this.gone--;
          return;
        }
      }
    }
    this.record[lv] = this.add(side, priceTicks, 0, 0, lv);
  }

  /** Before a level slot is freed (it was touched first: its last order just left). */
  freed(lv: number): void {
    if (this.stamp[lv] !== this.epoch) return;
    this.rSlot[this.record[lv]!] = -1;
    this.stamp[lv] = 0;
    this.gone++;
  }

  flush(out: EventWriter, l: LevelArrays): void {
    const n = this.n;
    if (n === 0) return;
    const order = this.order;
    // Insertion sort of record indices: bids (side 0) by price descending, then asks ascending. A
    // command usually changes one or two levels, and sweeps report them already nearly in order.
    for (let i = 0; i < n; i++) {
      let j = i;
      while (j > 0 && this.before(i, order[j - 1]!)) {
        order[j] = order[j - 1]!;
        j--;
      }
      order[j] = i;
    }
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const slot = this.rSlot[i]!;
      const qty = slot >= 0 ? l.qtyLots[slot]! : 0;
      const count = slot >= 0 ? l.orderCount[slot]! : 0;
      if (qty !== this.rQty[i] || count !== this.rCount[i]) out.level(this.rSide[i] as Side, this.rPrice[i]!, qty, count);
    }
  }

  private before(a: number, b: number): boolean {
    const sa = this.rSide[a]!;
    const sb = this.rSide[b]!;
    if (sa !== sb) return sa < sb;
    return sa === Side.BUY ? this.rPrice[a]! > this.rPrice[b]! : this.rPrice[a]! < this.rPrice[b]!;
  }

  private add(side: number, priceTicks: number, qtyLots: number, orderCount: number, lv: number): number {
    if (this.n === this.rSide.length) this.growRecords();
    const i = this.n++;
    this.rSide[i] = side;
    this.rPrice[i] = priceTicks;
    this.rQty[i] = qtyLots;
    this.rCount[i] = orderCount;
    this.rSlot[i] = lv;
    return i;
  }

  private growRecords(): void {
    const cap = this.rSide.length * 2;
    const grow = <T extends Uint8Array | Float64Array | Int32Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.rSide = grow(this.rSide, new Uint8Array(cap));
    this.rPrice = grow(this.rPrice, new Float64Array(cap));
    this.rQty = grow(this.rQty, new Float64Array(cap));
    this.rCount = grow(this.rCount, new Int32Array(cap));
    this.rSlot = grow(this.rSlot, new Int32Array(cap));
    this.order = new Int32Array(cap);
  }
}
