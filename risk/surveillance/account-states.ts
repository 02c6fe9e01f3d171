// AccountStates: a detector's per-account state objects in one market, by the market's account index
// (account-index.ts), created on first use and dropped once the account has been idle long enough (the
// detector says when). A dropped state stays at its index and is reset and reused by the next account
// given that index: at a busy venue accounts fall idle and come back all the time, and allocating their
// state afresh each time was the surveillance worker's largest cost (allocation and its collection). A
// reset state is indistinguishable from a new one, so reuse changes no result.

import { AccountHolds, type AccountIndex } from './account-index.js';

export class AccountStates<S> {
  private readonly holds: AccountHolds;
  private readonly states: (S | undefined)[] = [];

  constructor(
    index: AccountIndex,
    private readonly create: () => S,
    /** Makes a dropped state as new. */
    private readonly reset: (s: S) => void,
  ) {
    this.holds = new AccountHolds(index);
  }

  /** The state of the account at index ix (held by an open order of it), created or reset if it has none. */
  get(ix: number): S {
    if (!this.holds.take(ix)) return this.states[ix]!;
    while (this.states.length <= ix) this.states.push(undefined);
    let s = this.states[ix];
    if (s === undefined) {
      s = this.create();
      this.states[ix] = s;
    } else this.reset(s);
    return s;
  }

  /** The state at index ix if the account has one (ix −1: none). */
  peek(ix: number): S | undefined {
    return this.holds.has(ix) ? this.states[ix] : undefined;
  }

  /** Drops every account for which idle(state) is true. */
  sweep(idle: (s: S) => boolean): void {
    this.holds.sweep((ix) => idle(this.states[ix]!));
  }

  get size(): number {
    return this.holds.size;
  }
}
