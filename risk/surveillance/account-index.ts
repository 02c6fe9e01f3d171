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
// account gets is a function of the input alone (the free list is a stack), and nothing iterates the map:
// indices are storage, never an order in which anything is visited to raise an alert.

import { grown } from '../grown.js';

export class AccountIndex {
  private readonly ixOf = new Map<number, number>();
  /** Per index: its account, and how many holders it has. */
  private ids = new Float64Array(64);
  private refs = new Int32Array(64);
  private readonly free: number[] = [];
  /** Indices handed out so far: every index is below this. */
  extent = 0;

  /** The account's index, −1 when nothing holds one for it. */
  lookup(accountId: number): number {
    return this.ixOf.get(accountId) ?? -1;
  }

  /** The account's index (a new one if it has none), held once more. */
  hold(accountId: number): number {
    let ix = this.ixOf.get(accountId);
    if (ix === undefined) {
      ix = this.free.pop();
      if (ix === undefined) {
        ix = this.extent++;
        this.ids = grown(this.ids, ix);
        this.refs = grown(this.refs, ix);
      }
      this.ids[ix] = accountId;
      this.ixOf.set(accountId, ix);
    }
    this.refs[ix]!++;
    return ix;
  }

  /** Holds an index once more (it must be held already). */
  holdIx(ix: number): void {
    this.refs[ix]!++;
  }

  /** Lets go of one hold; the index is freed with its last. */
  release(ix: number): void {
    if (--this.refs[ix]! > 0) return;
    this.ixOf.delete(this.ids[ix]!);
    this.free.push(ix);
  }

  /** Accounts holding an index now. */
  get size(): number {
    return this.ixOf.size;
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
    this.held = grown(this.held, ix);
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
