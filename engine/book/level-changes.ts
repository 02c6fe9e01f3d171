// LevelChanges: the L2 diff of one command without allocation. PriceLevels reports every level before
// its first change in a command (touch) and every level it creates; the first report stores the level's
// aggregate (qty, count) before the command in the level's own record (level-record.ts) and lists the
// level. At the end, flush emits one BOOK_LEVEL_CHANGED per listed level whose aggregate differs from
// that record: bids best (highest) first, then asks best (lowest) first.
//
// Levels are identified by (side, price), not by slot: a reported level that leaves its side during a
// command stays out of the free list until flush, and a level made again at its (side, price) in the
// same command is that same level brought back (leftAt), so it is reported once, against its state
// before the command.
//
// Cost: most commands change one level, so the touch of an already listed level is one compare, the
// first touch three stores into a cache line the change itself writes, and a one-level flush no sort.

import type { Side } from '../enums.js';
import type { EventWriter } from './event-writer.js';
import { LevelRecord } from './level-record.js';
import type { PriceLevels } from './price-levels.js';

const { F_SHIFT, I_SHIFT, L_PRICE, L_QTY, L_QTY_BEFORE, L_COUNT, L_SIDE, L_STAMP, L_COUNT_BEFORE, L_LISTED } = LevelRecord;
const BUY = 0;
const EPOCH_WRAP = 0x7fffffff;

export class LevelChanges {
  private epoch = 1;
  /** Levels reported in this command, in report order. */
  private listed = new Int32Array(64);
  private n = 0;

  constructor(private readonly levels: PriceLevels) {}

  begin(): void {
    this.n = 0;
    if (++this.epoch === EPOCH_WRAP) {
      const li = this.levels.i32;
      for (let lv = 0; lv < this.levels.capacity; lv++) li[(lv << I_SHIFT) + L_STAMP] = 0;
      this.epoch = 1;
    }
  }

  /** Before a change to an existing level. */
  touch(lv: number): void {
    const li = this.levels.i32;
    const lo = lv << I_SHIFT;
    if (li[lo + L_STAMP] === this.epoch) return;
    li[lo + L_STAMP] = this.epoch;
    li[lo + L_COUNT_BEFORE] = li[lo + L_COUNT]!;
    const lf = this.levels.f64;
    lf[(lv << F_SHIFT) + L_QTY_BEFORE] = lf[(lv << F_SHIFT) + L_QTY]!;
    this.list(lv);
  }

  /** A level just created: it did not exist before the command. */
  created(lv: number): void {
    const lo = lv << I_SHIFT;
    const li = this.levels.i32;
    li[lo + L_STAMP] = this.epoch;
    li[lo + L_COUNT_BEFORE] = 0;
    this.levels.f64[(lv << F_SHIFT) + L_QTY_BEFORE] = 0;
    this.list(lv);
  }

  /** Whether the level was reported in this command (meaningful inside a tracked command only). */
  reported(lv: number): boolean {
    return this.levels.i32[(lv << I_SHIFT) + L_STAMP] === this.epoch;
  }

  /** The reported level at (side, price) that left its side in this command, or −1. */
  leftAt(side: number, priceTicks: number): number {
    const li = this.levels.i32;
    const lf = this.levels.f64;
    for (let k = 0; k < this.n; k++) {
      const lv = this.listed[k]!;
      const lo = lv << I_SHIFT;
      if (li[lo + L_LISTED] === 0 && li[lo + L_COUNT] === 0 && li[lo + L_SIDE] === side && lf[(lv << F_SHIFT) + L_PRICE] === priceTicks) return lv;
    }
    return -1;
  }

  flush(out: EventWriter): void {
    const n = this.n;
    if (n === 0) return;
    if (n > 1) this.sort(n);
    const levels = this.levels;
    const li = levels.i32;
    for (let k = 0; k < n; k++) {
      const lv = this.listed[k]!;
      this.emitIfChanged(out, lv);
      // Levels that left their side were kept for this report.
      if (li[(lv << I_SHIFT) + L_LISTED] === 0) levels.release(lv);
    }
    if (levels.untidy) levels.tidy();
  }

  byteLength(): number {
    return this.listed.byteLength;
  }

  private list(lv: number): void {
    if (this.n === this.listed.length) {
      const b = new Int32Array(this.n * 2);
      b.set(this.listed);
      this.listed = b;
    }
    this.listed[this.n++] = lv;
  }

  private emitIfChanged(out: EventWriter, lv: number): void {
    const lf = this.levels.f64;
    const li = this.levels.i32;
    const lo = lv << I_SHIFT;
    const fo = lv << F_SHIFT;
    const count = li[lo + L_COUNT]!;
    const qty = lf[fo + L_QTY]!;
    if (qty !== lf[fo + L_QTY_BEFORE] || count !== li[lo + L_COUNT_BEFORE]) out.level(li[lo + L_SIDE]! as Side, lf[fo + L_PRICE]!, qty, count);
  }

  /** Insertion sort of the listed levels: bids by price descending, then asks ascending. Sweeps list them nearly in order. */
  private sort(n: number): void {
    const listed = this.listed;
    const lf = this.levels.f64;
    const li = this.levels.i32;
    for (let i = 1; i < n; i++) {
      const lv = listed[i]!;
      const side = li[(lv << I_SHIFT) + L_SIDE]!;
      const price = lf[(lv << F_SHIFT) + L_PRICE]!;
      let j = i;
      for (; j > 0; j--) {
        const o = listed[j - 1]!;
        const os = li[(o << I_SHIFT) + L_SIDE]!;
        const op = lf[(o << F_SHIFT) + L_PRICE]!;
        const before = side !== os ? side < os : side === BUY ? price > op : price < op;
        if (!before) break;
        listed[j] = o;
      }
      listed[j] = lv;
    }
  }
}
