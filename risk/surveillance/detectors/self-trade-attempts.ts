// Self-trade attempts that self-trade prevention stopped (a form of wash trading).
//
// Source: Regulation (EU) No 596/2014 (MAR), Annex I A(a) and Delegated Regulation (EU) 2016/522,
// Annex II, Section 1 ("wash trades": arrangements for the sale or purchase of a financial instrument
// where there is no change in beneficial interests or market risk). perpx never executes a trade between
// an account and itself (engine/enums.ts StpMode: there is no "allow"), so a wash trade attempted inside
// one account shows only as orders that STP expired. One such event is an accident (a market maker's
// taker meeting its own quote); repeated ones are a pattern.
//
// Measure: OrderExpired records with an STP reason (taker, maker or both expired), per account over a
// sliding window. An alert when they reach minAttempts; one alert per episode (re-armed once the count
// falls back under).

import { CancelReason } from '../../../engine/enums.js';
import { DetectorId } from '../alert.js';
import type { Detector } from '../detector.js';
import type { MarketWatch } from '../market-watch.js';
import { WindowAccounts } from '../window-states.js';
import type { WatchedOrder } from '../watched-order.js';

export interface SelfTradeParams {
  /** Sliding window: buckets × bucketUs. Default 10 min in 1 min buckets. */
  readonly buckets: number;
  readonly bucketUs: number;
  /** STP expiries in the window for an alert. Default 3. */
  readonly minAttempts: number;
}

export const SELF_TRADE_DEFAULTS: SelfTradeParams = { buckets: 10, bucketUs: 60_000_000, minAttempts: 3 };


export class SelfTradeAttemptDetector implements Detector {
  readonly id = DetectorId.SELF_TRADE_ATTEMPTS;
  private readonly accounts: WindowAccounts;

  constructor(
    private readonly m: MarketWatch,
    private readonly p: SelfTradeParams = SELF_TRADE_DEFAULTS,
  ) {
    this.accounts = new WindowAccounts(m.accounts, 1, p.buckets, p.bucketUs);
  }

  ended(o: WatchedOrder): void {
    const r = o.endReason;
    if (r !== CancelReason.STP_TAKER && r !== CancelReason.STP_MAKER && r !== CancelReason.STP_BOTH) return;
    const s = this.accounts.get(o.accountIx);
    this.accounts.counts.add(s, 0, 1, this.m.timeUs, this.m.seq);
    this.accounts.recent.note(s, o);
    const attempts = this.accounts.counts.sum(s, 0);
    if (!this.accounts.crossed(s, attempts >= this.p.minAttempts)) return;
    const windowUs = this.accounts.counts.windowUs;
    const score = Math.floor((5_000 * attempts) / this.p.minAttempts);
    const summary = `${attempts} orders expired by self-trade prevention in ${windowUs / 60_000_000} min: the account repeatedly met its own resting orders`;
    this.m.alert(this.accounts.episodeAlert(s, this.id, o.accountId, score, summary, { attempts, windowUs }));
  }

  tick(nowUs: number): void {
    this.accounts.tick(nowUs);
  }

  size(): number {
    return this.accounts.size;
  }
}
