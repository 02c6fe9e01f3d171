// AccountIndex: one market's accounts numbered densely (0, 1, 2...), shared by the engine and its
// detectors, so per-account state lives in arrays indexed by that number instead of a Map per detector.
// The engine finds an account's index once, when an order is accepted, and carries it on the order
// (WatchedOrder.accountIx) and on each trade (TradeView.takerIx, makerIx): a record then costs the
// detectors no account lookup at all, where it used to cost one Map lookup per detector that keeps
// state for the account (three on an acceptance, four on a cancel, six on a trade), and a Map delete
// and insert each time a one-second window dropped an idle account and took it back.
//
// Memory stays bounded by the accounts active now, not by every account ever seen: an index is held by
// each open order of the account and by each detector keeping state for it (AccountHolds), and returns
// to a free list when the last holder lets go, to be reused by the next new account. Which index an
// account gets is a function of the input alone (the free list is a stack), and nothing iterates the
// table: indices are storage, never an order in which anything is visited to raise an alert.
//
// Accounts are found through an open-addressing table in an Int32Array (index + 1 per slot, linear
// probing, a freed account's slot closed up by backward shift), checked against the index's account id:
// a multiply and a probe or two per acceptance, where a Map<number, number> hashed and walked a chain.

import { grown } from '../grown.js';
import { homeSlot } from './u32-index.js';

export class AccountIndex {
  /** Index + 1 per hash slot (0: empty); at most half full. */
  private slots = new Int32Array(128);
  private shift = 32 - 7;
  /** Per index: its account, and how many holders it has. */
  private ids = new Float64Array(64);
  private refs = new Int32Array(64);
  private readonly free: number[] = [];
  /** Indices handed out so far: every index is below this. */
  extent = 0;
  /** Accounts holding an index now. */
  size = 0;

  /** The account's index, −1 when nothing holds one for it. */
  lookup(accountId: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    let h = homeSlot(accountId, this.shift);
    for (;;) {
      const v = slots[h]!;
      if (v === 0) return -1;
      if (this.ids[v - 1] === accountId) return v - 1;
      h = (h + 1) & mask;
    }
  }

  /** The account's index (a new one if it has none), held once more. */
  hold(accountId: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    let h = homeSlot(accountId, this.shift);
    for (;;) {
      const v = slots[h]!;
      if (v === 0) break;
      if (this.ids[v - 1] === accountId) {
        this.refs[v - 1]!++;
        return v - 1;
      }
      h = (h + 1) & mask;
    }
    let ix = this.free.pop();
    if (ix === undefined) {
      ix = this.extent++;
      this.ids = grown(this.ids, ix);
      this.refs = grown(this.refs, ix);
    }
    this.ids[ix] = accountId;
    this.refs[ix] = 1;
    this.size++;
    if (2 * this.size > slots.length) this.rehash(2 * slots.length);
    else slots[h] = ix + 1;
    return ix;
  }

  /** Holds an index once more (it must be held already). */
  holdIx(ix: number): void {
    this.refs[ix]!++;
  }

  /** Lets go of one hold; the index is freed with its last. */
  release(ix: number): void {
    if (--this.refs[ix]! > 0) return;
    this.unslot(ix);
    this.size--;
    this.free.push(ix);
  }

  /** Takes index ix out of the table, moving later entries of its probe run back (no tombstones). */
  private unslot(ix: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = homeSlot(this.ids[ix]!, this.shift);
    while (slots[i] !== ix + 1) i = (i + 1) & mask;
    for (let j = (i + 1) & mask; slots[j] !== 0; j = (j + 1) & mask) {
      const home = homeSlot(this.ids[slots[j]! - 1]!, this.shift);
      // The entry at j may fill the hole at i unless its home lies cyclically in (i, j].
      if (((j - home) & mask) >= ((j - i) & mask)) {
        slots[i] = slots[j]!;
        i = j;
      }
    }
    slots[i] = 0;
  }

  private rehash(length: number): void {
    const slots = new Int32Array(length);
    const mask = length - 1;
    this.shift = 32 - Math.log2(length);
    for (let ix = 0; ix < this.extent; ix++) {
      if (this.refs[ix]! <= 0) continue;
      let h = homeSlot(this.ids[ix]!, this.shift);
      while (slots[h] !== 0) h = (h + 1) & mask;
      slots[h] = ix + 1;
    }
    this.slots = slots;
  }
}

/**
 * The accounts one detector keeps state for, by index: a flag per index and a count (the detector's
 * size(), part of the state hash), each taken account holding its index in the AccountIndex.
 */
export class AccountHolds {
  private held = new Uint8Array(64);
  size = 0;

  constructor(private readonly index: AccountIndex) {}

  /** True when the detector keeps state for the index (−1, no account: false). */
  has(ix: number): boolean {
    return ix >= 0 && ix < this.held.length && this.held[ix] === 1;
  }

  /** Takes the index (it must be held by someone already); false when it was taken before. */
  take(ix: number): boolean {
    if (ix < this.held.length && this.held[ix] === 1) return false;
    if (ix >= this.held.length) this.held = grown(this.held, ix);
    this.held[ix] = 1;
    this.size++;
    this.index.holdIx(ix);
    return true;
  }

  /** Lets go of every taken index for which idle(ix) is true (in index order; only drops, so the order changes nothing). */
  sweep(idle: (ix: number) => boolean): void {
    const held = this.held;
    for (let ix = 0; ix < held.length; ix++) {
      if (held[ix] !== 1 || !idle(ix)) continue;
      held[ix] = 0;
      this.size--;
      this.index.release(ix);
    }
  }
}
