// DeadManSwitch: `cancelAllAfter(ms)` per account. The client re-arms it before it runs out; when it runs
// out, the gateway's own timer cancels every open order of the account in every market, as sequenced
// CancelAllOrders commands that enter the engine like any other (and are never dropped: order-entry.ts).
// It belongs to the account, not the connection: a client whose connection died is exactly who it is for.

export class DeadManSwitch {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  /** Times it fired (for metrics). */
  fired = 0;

  constructor(
    private readonly cancelAll: (accountId: number) => void,
    private readonly nowUs: () => number,
  ) {}

  /** Arms (or re-arms) for `ms`; 0 disarms. Returns the deadline in µs, 0 when disarmed. */
  arm(accountId: number, ms: number): number {
    clearTimeout(this.timers.get(accountId));
    this.timers.delete(accountId);
    if (ms === 0) return 0;
    const t = setTimeout(() => {
      this.timers.delete(accountId);
      this.fired++;
      this.cancelAll(accountId);
    }, ms);
    t.unref();
    this.timers.set(accountId, t);
    return this.nowUs() + ms * 1000;
  }

  armed(accountId: number): boolean {
    return this.timers.has(accountId);
  }

  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
