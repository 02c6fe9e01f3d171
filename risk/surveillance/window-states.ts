// WindowAccounts: the per-account state the window indicators share in shape (order-to-trade, fast
// cancels, quote stuffing, self-trade attempts): a few sliding counters, the account's recent orders as
// evidence, and whether an alert is out for the current episode. An account's state is a row of three
// tables (counters, recent orders, raised flags), not an object: rows of accounts swept idle go to
// AccountStates' free list and are reset and reused, so a busy market's thousands of accounts live in
// three arrays that grow to the most accounts held at once and are reused from then on.

import { AccountStates } from './account-states.js';
import { RecentOrders } from './recent-orders.js';
import { SlidingCounts } from './sliding-counts.js';

/**
 * Per-account window state of `metrics` counters over buckets × bucketUs, and the sweep every window
 * indicator runs on timer ticks: accounts idle for a whole window are dropped, at most once per window.
 */
export class WindowAccounts {
  private readonly states: AccountStates<number>;
  private readonly windowUs: number;
  private lastSweepUs = 0;
  /** Rows handed out so far (the next new row). */
  private rows = 0;
  readonly counts: SlidingCounts;
  readonly recent: RecentOrders;
  /** Per row: an alert was raised and the measure has not yet fallen back under its threshold (1). */
  private raisedFlags = new Uint8Array(64);

  constructor(metrics: number, buckets: number, bucketUs: number) {
    this.windowUs = buckets * bucketUs;
    this.counts = new SlidingCounts(metrics, buckets, bucketUs, 64);
    this.recent = new RecentOrders(16, 64);
    this.states = new AccountStates<number>(
      () => this.newRow(),
      // Only rows swept as idle are reset (AccountStates), so the O(1) clear applies.
      (row) => {
        this.counts.clearIdle(row);
        this.recent.clear(row);
        this.raisedFlags[row] = 0;
      },
    );
  }

  private newRow(): number {
    const row = this.rows++;
    this.counts.ensureRows(this.rows);
    this.recent.ensureRows(this.rows);
    if (row === this.raisedFlags.length) {
      const flags = new Uint8Array(row * 2);
      flags.set(this.raisedFlags);
      this.raisedFlags = flags;
    }
    return row;
  }

  /** The account's row, created (or reused, reset) if it has none. */
  get(accountId: number): number {
    return this.states.get(accountId);
  }

  /** The account's row, −1 if it has none. */
  peek(accountId: number): number {
    return this.states.peek(accountId) ?? -1;
  }

  raised(row: number): boolean {
    return this.raisedFlags[row] === 1;
  }

  setRaised(row: number, raised: boolean): void {
    this.raisedFlags[row] = raised ? 1 : 0;
  }

  /** Drops the accounts idle for a whole window, once a window has passed since the last sweep. */
  tick(nowUs: number): void {
    if (nowUs - this.lastSweepUs < this.windowUs) return;
    this.lastSweepUs = nowUs;
    this.states.sweep((row) => this.counts.idleAt(row, nowUs));
  }

  get size(): number {
    return this.states.size;
  }
}
