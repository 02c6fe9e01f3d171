// Cancels within 1 ms per account (a scored indicator).
//
// Source: the KX surveillance white paper (Stanton-Cook et al., 2014), "Cancellation rates": the number of
// orders each participant created and cancelled under a holding time, shown for a 1 ms holding time;
// such orders test the market ("fishing") and are unlikely to be filled by fundamental investors, and high
// cancellation rates within the spread can indicate quote stuffing. The paper's chart lists brokers with
// at least 750 such orders in a day.
//
// Measure: orders cancelled on request with (cancel time − acceptance time) < maxLifeUs, counted over a
// sliding window, against all the account's requested cancels there. An alert when the count reaches
// minCount and makes up at least minShareBps of the cancels; one alert per episode (re-armed once the
// count falls back under). Timestamps are the gateway's, so "within 1 ms" is the time between the two
// commands entering the venue.

import { CancelReason } from '../../../engine/enums.js';
import { DetectorId } from '../alert.js';
import type { Detector } from '../detector.js';
import type { MarketWatch } from '../market-watch.js';
import { WindowAccounts } from '../window-states.js';
import type { WatchedOrder } from '../watched-order.js';

export interface FastCancelParams {
  /** An order living less than this (µs) before its cancel counts. Default 1,000 (1 ms). */
  readonly maxLifeUs: number;
  /** Sliding window: buckets × bucketUs. Default 60 s in 10 s buckets. */
  readonly buckets: number;
  readonly bucketUs: number;
  /** Fast cancels in the window for an alert. Default 50. */
  readonly minCount: number;
  /** Share of the account's cancels in the window that were fast, bps. Default 5,000 (half). */
  readonly minShareBps: number;
}

export const FAST_CANCEL_DEFAULTS: FastCancelParams = { maxLifeUs: 1_000, buckets: 6, bucketUs: 10_000_000, minCount: 50, minShareBps: 5_000 };

const FAST = 0;
const ALL = 1;


export class FastCancelDetector implements Detector {
  readonly id = DetectorId.FAST_CANCELS;
  private readonly accounts: WindowAccounts;

  constructor(
    private readonly m: MarketWatch,
    private readonly p: FastCancelParams = FAST_CANCEL_DEFAULTS,
  ) {
    this.accounts = new WindowAccounts(m.accounts, 2, p.buckets, p.bucketUs, m.windowHeads, undefined, m.windowColds);
  }

  ended(o: WatchedOrder): void {
    if (o.endReason !== CancelReason.USER && o.endReason !== CancelReason.CANCEL_ALL) return;
    const s = this.accounts.get(o.accountIx);
    const fast = o.endedUs - o.acceptedUs < this.p.maxLifeUs;
    if (fast) {
      this.accounts.counts.addBoth(s, ALL, FAST, this.m.timeUs, this.m.seq);
      this.accounts.recent.note(s, o);
    } else this.accounts.counts.add(s, ALL, 1, this.m.timeUs, this.m.seq);
    const count = this.accounts.counts.sum(s, FAST);
    const all = this.accounts.counts.sum(s, ALL);
    const over = count >= this.p.minCount && count * 10_000 >= this.p.minShareBps * all;
    if (!this.accounts.crossed(s, over)) return;
    const windowUs = this.accounts.counts.windowUs;
    const shareBps = Math.floor((count * 10_000) / all);
    // 5,000 at the threshold count, 10,000 at twice it; scaled by the fast share.
    const score = Math.floor((Math.floor((5_000 * count) / this.p.minCount) * shareBps) / 10_000);
    const summary = `${count} orders cancelled within ${this.p.maxLifeUs} µs of acceptance in ${windowUs / 1_000_000} s (${shareBps / 100}% of ${all} cancels)`;
    this.m.alert(this.accounts.episodeAlert(s, this.id, o.accountId, score, summary, { fastCancels: count, cancels: all, shareBps, maxLifeUs: this.p.maxLifeUs, windowUs }));
  }

  tick(nowUs: number): void {
    this.accounts.tick(nowUs);
  }

  size(): number {
    return this.accounts.size;
  }
}
