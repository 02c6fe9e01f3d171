// AccountStates: a detector's per-account state in one market, created on first use and dropped once the
// account has been idle long enough (the detector says when). Iteration is in insertion order (a Map's),
// which is a function of the input alone, so sweeps are replayable.
//
// Dropped states go to a bounded free list and are reset and reused by the next new account: at a busy
// venue accounts fall idle and come back all the time (a one-second window drops an account a second
// after its last order), and allocating their typed-array counters afresh each time was the surveillance
// worker's largest cost (allocation and its collection). A reset state is indistinguishable from a new
// one, so reuse changes no result.

export class AccountStates<S> {
  private readonly byAccount = new Map<number, S>();
  private readonly free: S[] = [];
  /**
   * The account of the last get or peek that found a state, and that state: consecutive records are
   * often the same account's (an order and its fills, a sweep's trades), and each saved lookup is a
   * cache miss in the map at a venue of thousands of accounts. Forgotten when a sweep drops states.
   */
  private lastAccount = -1;
  private lastState: S | undefined;

  constructor(
    private readonly create: (accountId: number) => S,
    /** Makes a dropped state as new (absent: dropped states are left to the collector). */
    private readonly reset?: (s: S) => void,
    /** Dropped states kept for reuse at most (bounds memory after a burst of accounts). */
    private readonly maxFree = 4_096,
  ) {}

  get(accountId: number): S {
    if (accountId === this.lastAccount) return this.lastState!;
    let s = this.byAccount.get(accountId);
    if (s === undefined) {
      s = this.free.pop();
      if (s === undefined) s = this.create(accountId);
      else this.reset!(s);
      this.byAccount.set(accountId, s);
    }
    this.lastAccount = accountId;
    this.lastState = s;
    return s;
  }

  peek(accountId: number): S | undefined {
    if (accountId === this.lastAccount) return this.lastState;
    const s = this.byAccount.get(accountId);
    if (s !== undefined) {
      this.lastAccount = accountId;
      this.lastState = s;
    }
    return s;
  }

  /** Drops every account for which idle(state) is true. */
  sweep(idle: (s: S) => boolean): void {
    this.lastAccount = -1;
    this.lastState = undefined;
    for (const [a, s] of this.byAccount) {
      if (!idle(s)) continue;
      this.byAccount.delete(a);
      if (this.reset !== undefined && this.free.length < this.maxFree) this.free.push(s);
    }
  }

  get size(): number {
    return this.byAccount.size;
  }
}
