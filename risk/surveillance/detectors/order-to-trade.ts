// Order-to-trade ratio per account (a scored indicator).
//
// Source: the KX surveillance white paper ("Surveillance techniques to effectively monitor algo- and
// high-frequency trading", Stanton-Cook, Sparks, O'Riordan, Hodgkinson, 2014), "Order-to-trade ratio":
// order messages (new, amend, cancel) divided by trades, per broker, client or account; traders above
// about 15 are typically HFT, and the paper suggests the maximum OTR in 10-minute buckets or bursts
// through the day. Delegated Regulation (EU) 2016/522, Annex II, Section 1, point 4(e) names a high ratio
// of cancelled orders (e.g. order-to-trade ratio) as an illustration of momentum ignition.
//
// Measure: over a sliding window, messages = orders accepted + amended + cancelled on request (not
// expiries: those are the venue's doing), trades = trades the account took part in. An alert when
// messages ≥ minMessages and messages ≥ minRatio × max(trades, 1); one alert per episode (re-armed once
// the ratio has fallen back under the threshold). A high OTR alone is what market makers do; the
// defaults flag only the extreme (100, against HFT's ~15), and the alert is an indicator to read beside
// the pattern detectors, not an accusation.

import { CancelReason } from '../../../engine/enums.js';
import { DetectorId } from '../alert.js';
import type { Detector } from '../detector.js';
import type { MarketWatch, TradeView } from '../market-watch.js';
import { WindowAccounts } from '../window-states.js';
import type { WatchedOrder } from '../watched-order.js';
import { hundredths } from '../format.js';

export interface OrderToTradeParams {
  /** Sliding window: buckets × bucketUs. Default 5 min in 30 s buckets. */
  readonly buckets: number;
  readonly bucketUs: number;
  /** Order messages in the window before the ratio counts. Default 500. */
  readonly minMessages: number;
  /** Messages per trade at or above which an alert is raised. Default 100. */
  readonly minRatio: number;
}

export const ORDER_TO_TRADE_DEFAULTS: OrderToTradeParams = { buckets: 10, bucketUs: 30_000_000, minMessages: 500, minRatio: 100 };

const MESSAGES = 0;
const TRADES = 1;


export class OrderToTradeDetector implements Detector {
  readonly id = DetectorId.ORDER_TO_TRADE;
  private readonly accounts: WindowAccounts;

  constructor(
    private readonly m: MarketWatch,
    private readonly p: OrderToTradeParams = ORDER_TO_TRADE_DEFAULTS,
  ) {
    this.accounts = new WindowAccounts(m.accounts, 2, p.buckets, p.bucketUs, m.windowHeads, m.cancelNotes, m.windowColds);
  }

  accepted(o: WatchedOrder): void {
    this.message(o.accountIx, o.accountId);
  }

  amended(o: WatchedOrder): void {
    this.message(o.accountIx, o.accountId);
  }

  ended(o: WatchedOrder): void {
    if (o.endReason !== CancelReason.USER && o.endReason !== CancelReason.CANCEL_ALL) return;
    const s = this.message(o.accountIx, o.accountId);
    this.accounts.recent.note(s, o);
  }

  traded(t: TradeView): void {
    this.trade(t.takerIx, t.takerAccountId);
    if (t.makerAccountId !== t.takerAccountId) this.trade(t.makerIx, t.makerAccountId);
  }

  tick(nowUs: number): void {
    this.accounts.tick(nowUs);
  }

  size(): number {
    return this.accounts.size;
  }

  private trade(ix: number, accountId: number): void {
    const s = this.accounts.peek(ix);
    if (s < 0) return;
    this.accounts.counts.add(s, TRADES, 1, this.m.timeUs, this.m.seq);
    this.check(accountId, s);
  }

  private message(ix: number, accountId: number): number {
    const s = this.accounts.get(ix);
    this.accounts.counts.add(s, MESSAGES, 1, this.m.timeUs, this.m.seq);
    this.check(accountId, s);
    return s;
  }

  private check(accountId: number, s: number): void {
    const messages = this.accounts.counts.sum(s, MESSAGES);
    const trades = this.accounts.counts.sum(s, TRADES);
    const over = messages >= this.p.minMessages && messages >= this.p.minRatio * Math.max(trades, 1);
    if (!this.accounts.crossed(s, over)) return;
    const windowUs = this.accounts.counts.windowUs;
    // Score: 5,000 at the threshold ratio, 10,000 at twice it or more.
    const ratioX100 = Math.floor((messages * 100) / Math.max(trades, 1));
    const score = Math.floor((5_000 * messages) / (this.p.minRatio * Math.max(trades, 1)));
    const summary = `${messages} order messages against ${trades} trades in ${windowUs / 1_000_000} s (ratio ${hundredths(ratioX100)}, threshold ${this.p.minRatio})`;
    this.m.alert(this.accounts.episodeAlert(s, this.id, accountId, score, summary, { messages, trades, ratioX100, windowUs }));
  }
}
