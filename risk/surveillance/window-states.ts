// WindowStates: the per-account state the window indicators share in shape (order-to-trade, fast
// cancels, quote stuffing, self-trade attempts): a few sliding counters, the account's recent orders as
// evidence, and whether an alert is out for the current episode. Reused through AccountStates' free list.

import { AccountStates } from './account-states.js';
import { RecentOrders } from './recent-orders.js';
import { SlidingCounts } from './sliding-counts.js';

export interface WindowState {
  readonly counts: SlidingCounts;
  readonly recent: RecentOrders;
  /** An alert was raised and the measure has not yet fallen back under its threshold. */
  raised: boolean;
}

/**
 * Per-account window states of `metrics` counters over buckets × bucketUs, and the sweep every window
 * indicator runs on timer ticks: accounts idle for a whole window are dropped, at most once per window.
 */
export class WindowAccounts {
  private readonly states: AccountStates<WindowState>;
  private readonly windowUs: number;
  private lastSweepUs = 0;

  constructor(metrics: number, buckets: number, bucketUs: number) {
    this.windowUs = buckets * bucketUs;
    this.states = new AccountStates<WindowState>(
      () => ({ counts: new SlidingCounts(metrics, buckets, bucketUs), recent: new RecentOrders(), raised: false }),
      // Only states swept as idle are reset (AccountStates), so the O(1) clear applies.
      (s) => {
        s.counts.clearIdle();
        s.recent.clear();
        s.raised = false;
      },
    );
  }

  get(accountId: number): WindowState {
    return this.states.get(accountId);
  }

  peek(accountId: number): WindowState | undefined {
    return this.states.peek(accountId);
  }

  /** Drops the accounts idle for a whole window, once a window has passed since the last sweep. */
  tick(nowUs: number): void {
    if (nowUs - this.lastSweepUs < this.windowUs) return;
    this.lastSweepUs = nowUs;
    this.states.sweep((s) => s.counts.idleAt(nowUs));
  }

  get size(): number {
    return this.states.size;
  }
}
