// AccountStates: a detector's per-account state in one market, created on first use and dropped once the
// account has been idle long enough (the detector says when). Iteration is in insertion order (a Map's),
// which is a function of the input alone, so sweeps are replayable.

export class AccountStates<S> {
  private readonly byAccount = new Map<number, S>();

  constructor(private readonly create: (accountId: number) => S) {}

  get(accountId: number): S {
    let s = this.byAccount.get(accountId);
    if (s === undefined) {
      s = this.create(accountId);
      this.byAccount.set(accountId, s);
    }
    return s;
  }

  peek(accountId: number): S | undefined {
    return this.byAccount.get(accountId);
  }

  /** Drops every account for which idle(state) is true. */
  sweep(idle: (s: S) => boolean): void {
    for (const [a, s] of this.byAccount) if (idle(s)) this.byAccount.delete(a);
  }

  get size(): number {
    return this.byAccount.size;
  }
}
