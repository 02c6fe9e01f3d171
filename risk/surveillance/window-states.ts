// WindowAccounts: the per-account state the window indicators share in shape (order-to-trade, fast
// cancels, quote stuffing, self-trade attempts): a few sliding counters, the account's recent orders as
// evidence, and whether an alert is out for the current episode. An account's state is a row of three
// tables (counters, recent orders, raised flags), not an object, and its row is its index in the
// market's account index (account-index.ts), so finding it is no lookup at all: a market's thousands of
// accounts live in three arrays that grow to the most accounts held at once and are reused from then on.

import { AccountHolds, type AccountIndex } from './account-index.js';
import type { DetectorId } from './alert.js';
import type { AlertDraft } from './market-watch.js';
import { grown } from '../grown.js';
import { RecentOrders, RecentOrderView, type SharedRecentOrders } from './recent-orders.js';
import { type HeadRows, SlidingCounts } from './sliding-counts.js';

/**
 * Per-account window state of `metrics` counters over buckets × bucketUs, and the sweep every window
 * indicator runs on timer ticks: accounts idle for a whole window are dropped, at most once per window.
 */
export class WindowAccounts {
  private readonly holds: AccountHolds;
  private readonly windowUs: number;
  private lastSweepUs = 0;
  readonly counts: SlidingCounts;
  readonly recent: RecentOrders | RecentOrderView;
  /** Per row: an alert was raised and the measure has not yet fallen back under its threshold (1). */
  private raisedFlags = new Uint8Array(64);

  /**
   * `heads`: where to keep the counters' row headers beside other indicators' (sliding-counts.ts), and
   * `colds`, if given, where to keep the headers' cold fields apart from them; `notes`: a ring of recent
   * orders shared with other indicators that note the same orders (recent-orders.ts).
   */
  constructor(index: AccountIndex, metrics: number, buckets: number, bucketUs: number, heads?: HeadRows, notes?: SharedRecentOrders, colds?: HeadRows) {
    this.holds = new AccountHolds(index);
    this.windowUs = buckets * bucketUs;
    this.counts = new SlidingCounts(metrics, buckets, bucketUs, 64, heads, colds);
    this.recent = notes !== undefined ? new RecentOrderView(notes) : new RecentOrders(16, 64);
  }

  /**
   * The row of the account at index ix (held by an open order of it), taken if the account has none.
   * A row taken again was dropped idle (tick()), so the O(1) clear applies; a row never used is as new.
   */
  get(ix: number): number {
    if (!this.holds.take(ix)) return ix;
    this.counts.ensureRows(ix + 1);
    this.recent.ensureRows(ix + 1);
    if (ix >= this.raisedFlags.length) this.raisedFlags = grown(this.raisedFlags, ix);
    this.counts.clearIdle(ix);
    this.recent.clear(ix);
    this.raisedFlags[ix] = 0;
    return ix;
  }

  /** The account's row, −1 if it has none (ix −1: no index). */
  peek(ix: number): number {
    return this.holds.has(ix) ? ix : -1;
  }

  raised(row: number): boolean {
    return this.raisedFlags[row] === 1;
  }

  setRaised(row: number, raised: boolean): void {
    this.raisedFlags[row] = raised ? 1 : 0;
  }

  /**
   * One alert per episode: true when the account's measure, `over` its threshold now, starts an episode
   * (once, on crossing: the row is raised from then on); false while over it and raised, and while under
   * it, which re-arms the row.
   */
  crossed(row: number, over: boolean): boolean {
    if (!over) {
      this.setRaised(row, false);
      return false;
    }
    if (this.raised(row)) return false;
    this.setRaised(row, true);
    return true;
  }

  /** An episode's alert about the account in `row`: from the window's first count, its recent orders as evidence. */
  episodeAlert(row: number, detector: DetectorId, accountId: number, score: number, summary: string, figures: Record<string, number>): AlertDraft {
    const first = this.counts.firstInWindow(row);
    return { detector, accounts: [accountId], score, fromUs: first.timeUs, fromSeq: first.seq, summary, figures, orders: this.recent.list(row), trades: [] };
  }

  /** Drops the accounts idle for a whole window, once a window has passed since the last sweep. */
  tick(nowUs: number): void {
    if (nowUs - this.lastSweepUs < this.windowUs) return;
    this.lastSweepUs = nowUs;
    this.holds.sweep((row) => this.counts.idleAt(row, nowUs));
  }

  get size(): number {
    return this.holds.size;
  }
}
