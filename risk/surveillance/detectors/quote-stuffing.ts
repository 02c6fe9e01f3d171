// Quote-stuffing bursts per account (a scored indicator).
//
// Source: the KX surveillance white paper (Stanton-Cook et al., 2014), "Quote stuffing": a trader floods
// the market with orders and rapidly cancels them; the noise slows other participants and, inside the
// spread, gives a false picture of the market; bursts last under 10 s on average (Credit Suisse, 2012).
// Their query flags periods where the best bid changed more than N times within a burst period (60
// changes in 5 s in the example). Delegated Regulation (EU) 2016/522, Annex II, Section 1 lists the
// practice ("usually known as quote stuffing") among the indicators of manipulation.
//
// Measure, per account rather than per book (the book-level count of the paper cannot say whose orders
// they were): order messages (accepted, amended, cancelled on request) in a short sliding window, and the
// share of its accepted orders that it cancelled there. An alert when messages ≥ minMessages and
// cancels ≥ minCancelShareBps of acceptances; one alert per burst (re-armed once the rate falls back).

import { CancelReason } from '../../../engine/enums.js';
import { DetectorId } from '../alert.js';
import type { Detector } from '../detector.js';
import type { MarketWatch } from '../market-watch.js';
import { WindowAccounts } from '../window-states.js';
import type { WatchedOrder } from '../watched-order.js';

export interface QuoteStuffingParams {
  /** Sliding window: buckets × bucketUs. Default 1 s in 100 ms buckets. */
  readonly buckets: number;
  readonly bucketUs: number;
  /** Order messages in the window for an alert. Default 200. */
  readonly minMessages: number;
  /** Requested cancels as a share of acceptances in the window, bps. Default 8,000. */
  readonly minCancelShareBps: number;
}

export const QUOTE_STUFFING_DEFAULTS: QuoteStuffingParams = { buckets: 10, bucketUs: 100_000, minMessages: 200, minCancelShareBps: 8_000 };

const MESSAGES = 0;
const ACCEPTED = 1;
const CANCELLED = 2;


export class QuoteStuffingDetector implements Detector {
  readonly id = DetectorId.QUOTE_STUFFING;
  private readonly accounts: WindowAccounts;

  constructor(
    private readonly m: MarketWatch,
    private readonly p: QuoteStuffingParams = QUOTE_STUFFING_DEFAULTS,
  ) {
    this.accounts = new WindowAccounts(m.accounts, 3, p.buckets, p.bucketUs, m.windowHeads, m.cancelNotes);
  }

  accepted(o: WatchedOrder): void {
    const s = this.accounts.get(o.accountIx);
    this.accounts.counts.addBoth(s, MESSAGES, ACCEPTED, this.m.timeUs, this.m.seq);
    this.check(o.accountId, s);
  }

  amended(o: WatchedOrder): void {
    const s = this.accounts.get(o.accountIx);
    this.accounts.counts.add(s, MESSAGES, 1, this.m.timeUs, this.m.seq);
    this.check(o.accountId, s);
  }

  ended(o: WatchedOrder): void {
    if (o.endReason !== CancelReason.USER && o.endReason !== CancelReason.CANCEL_ALL) return;
    const s = this.accounts.get(o.accountIx);
    this.accounts.counts.addBoth(s, MESSAGES, CANCELLED, this.m.timeUs, this.m.seq);
    this.accounts.recent.note(s, o);
    this.check(o.accountId, s);
  }

  tick(nowUs: number): void {
    this.accounts.tick(nowUs);
  }

  size(): number {
    return this.accounts.size;
  }

  private check(accountId: number, s: number): void {
    const messages = this.accounts.counts.sum(s, MESSAGES);
    const accepted = this.accounts.counts.sum(s, ACCEPTED);
    const cancelled = this.accounts.counts.sum(s, CANCELLED);
    const over = messages >= this.p.minMessages && cancelled * 10_000 >= this.p.minCancelShareBps * accepted;
    if (!this.accounts.crossed(s, over)) return;
    const windowUs = this.accounts.counts.windowUs;
    const score = Math.floor((5_000 * messages) / this.p.minMessages);
    // Cancels of orders placed before the window count too, so there may be more cancels than placements.
    const summary = `${messages} order messages in ${windowUs / 1_000} ms: ${accepted} orders placed and ${cancelled} cancelled`;
    this.m.alert(this.accounts.episodeAlert(s, this.id, accountId, score, summary, { messages, accepted, cancelled, windowUs }));
  }
}
