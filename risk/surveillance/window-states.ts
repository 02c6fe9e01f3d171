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

/** Per-account window states of `metrics` counters over buckets × bucketUs. */
export function windowStates(metrics: number, buckets: number, bucketUs: number): AccountStates<WindowState> {
  return new AccountStates<WindowState>(
    () => ({ counts: new SlidingCounts(metrics, buckets, bucketUs), recent: new RecentOrders(), raised: false }),
    (s) => {
      s.counts.clear();
      s.recent.clear();
      s.raised = false;
    },
  );
}
