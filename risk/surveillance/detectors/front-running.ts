// Front-running: an account trading in the same direction just ahead of a large order it could have known
// of (an order of an account declared to the same beneficial owner or linked group), then unwinding into
// that order.
//
// Source: the KX surveillance white paper (Stanton-Cook et al., 2014), "Demand for surveillance":
// identifying a definite buyer, buying from a seller and selling to the buyer at an inflated price. MAR
// (Regulation (EU) No 596/2014) Article 7 and recital 30 treat trading ahead of a known pending order as
// use of inside information; the exchange can see it only where it knows the accounts are connected, so
// the detector watches linked accounts (SetBeneficialOwner), as issue 12 asks.
//
// Measure: a large order is one of at least minAvgMultiple × the typical resting order near its side's touch. When an
// account trades against a large order of a linked account (it sells to the large buy, or buys from the
// large sell), its own fills in the large order's direction within lookbackUs before that order arrived
// are the pre-position; an alert is raised once what it has unwound into the large order reaches
// minUnwindShareBps of the pre-position. Fills are remembered only for accounts with a declared owner.

import { DetectorId } from '../alert.js';
import type { Detector } from '../detector.js';
import type { MarketWatch, TradeView } from '../market-watch.js';
import { RecentTrades } from '../recent-trades.js';
import type { WatchedOrder } from '../watched-order.js';
import { seconds } from '../format.js';

export interface FrontRunningParams {
  /** The victim order against the typical resting order near the touch of its side. Default 5. */
  readonly minAvgMultiple: number;
  /** How long before the large order the pre-position may be built (µs). Default 10 s. */
  readonly lookbackUs: number;
  /** Unwound into the large order, as a share of the pre-position, bps. Default 5,000. */
  readonly minUnwindShareBps: number;
  /** Fills remembered per linked account. Default 64. */
  readonly fillMemory: number;
}

export const FRONT_RUNNING_DEFAULTS: FrontRunningParams = { minAvgMultiple: 5, lookbackUs: 10_000_000, minUnwindShareBps: 5_000, fillMemory: 64 };

/** A large order, and who has unwound into it. */
interface Victim {
  order: WatchedOrder;
  /** Per front-runner account: lots unwound so far, and whether it was raised. */
  unwound: Map<number, { lots: number; raised: boolean; trades: RecentTrades }>;
}

export class FrontRunningDetector implements Detector {
  readonly id = DetectorId.FRONT_RUNNING;
  /** Recent fills of accounts with a declared owner. */
  private readonly fills = new Map<number, RecentTrades>();
  /** Large orders of accounts with a declared owner, while open. */
  private readonly victims = new Map<number, Victim>();

  constructor(
    private readonly m: MarketWatch,
    private readonly p: FrontRunningParams = FRONT_RUNNING_DEFAULTS,
  ) {}

  accepted(o: WatchedOrder): void {
    if (this.m.owners.owner(o.accountId) === 0) return;
    const typical = o.typicalLots(this.m.avgOrderLots);
    if (typical === 0 || o.qtyLots < this.p.minAvgMultiple * typical) return;
    this.victims.set(o.orderId, { order: o, unwound: new Map() });
  }

  traded(t: TradeView, taker: WatchedOrder | undefined, maker: WatchedOrder | undefined): void {
    if (this.m.owners.size === 0) return;
    if (taker !== undefined) this.against(t, taker, t.makerAccountId);
    if (maker !== undefined) this.against(t, maker, t.takerAccountId);
    this.remember(t, t.takerAccountId);
    this.remember(t, t.makerAccountId);
  }

  private remember(t: TradeView, accountId: number): void {
    if (this.m.owners.owner(accountId) === 0) return;
    let r = this.fills.get(accountId);
    if (r === undefined) {
      r = new RecentTrades(this.p.fillMemory);
      this.fills.set(accountId, r);
    }
    r.note(t);
  }

  /** `order` (a possible victim) traded with `other`. */
  private against(t: TradeView, order: WatchedOrder, other: number): void {
    const v = this.victims.get(order.orderId);
    if (v === undefined || !this.m.owners.linked(order.accountId, other)) return;
    let u = v.unwound.get(other);
    if (u === undefined) {
      u = { lots: 0, raised: false, trades: new RecentTrades(16) };
      v.unwound.set(other, u);
    }
    u.lots += t.qtyLots;
    u.trades.note(t);
    if (u.raised) return;
    // The pre-position: the other account's fills in the victim's direction, before the victim arrived.
    const history = this.fills.get(other)?.list() ?? [];
    let preLots = 0;
    // Notional in ticks·lots passes 2^53 on fine-grained markets (1e-8 ticks and lots): bigint.
    let preNotional = 0n;
    const pre = [];
    for (const f of history) {
      if (f.timeUs >= order.acceptedUs || order.acceptedUs - f.timeUs > this.p.lookbackUs) continue;
      const otherBought = f.takerAccountId === other ? f.takerSide === 0 : f.takerSide === 1;
      if (otherBought !== (order.side === 0)) continue;
      preLots += f.qtyLots;
      preNotional += BigInt(f.qtyLots) * BigInt(f.priceTicks);
      pre.push(f);
    }
    if (preLots === 0 || u.lots * 10_000 < this.p.minUnwindShareBps * preLots) return;
    u.raised = true;
    const unwind = u.trades.list();
    let unwindNotional = 0n;
    for (const f of unwind) unwindNotional += BigInt(f.qtyLots) * BigInt(f.priceTicks);
    // Gain in ticks·lots of the unwind against the pre-position's average price (sold above it, or bought
    // below it), rounded toward zero: unwindNotional − avgPre × unwoundLots.
    const matched = Math.min(preLots, u.lots);
    const gain = ((unwindNotional * BigInt(preLots) - preNotional * BigInt(u.lots)) * (order.side === 0 ? 1n : -1n)) / BigInt(preLots);
    const gainTickLots = Number(gain);
    this.m.alert({
      detector: this.id,
      accounts: [other, order.accountId],
      score: 6_000 + Math.min(2_000, Math.floor((Math.min(u.lots, preLots) * 2_000) / preLots)) + (gainTickLots > 0 ? 2_000 : 0),
      fromUs: pre[0]?.timeUs ?? order.acceptedUs,
      fromSeq: pre[0]?.seq ?? order.acceptedSeq,
      summary:
        `account ${other} ${order.side === 0 ? 'bought' : 'sold'} ${preLots} lots in the ${seconds(order.acceptedUs - (pre[0]?.timeUs ?? order.acceptedUs))} before a ` +
        `${order.qtyLots}-lot ${order.side === 0 ? 'buy' : 'sell'} order of linked account ${order.accountId}, then traded ${u.lots} lots against it`,
      figures: { preLots, unwoundLots: u.lots, victimLots: order.qtyLots, matchedLots: matched, gainTickLots, ownerId: this.m.owners.owner(other) },
      orders: [order.evidence()],
      trades: [...pre, ...unwind],
    });
  }

  ended(o: WatchedOrder): void {
    this.victims.delete(o.orderId);
  }

  tick(nowUs: number): void {
    // A fill memory older than the look-back can no longer be a pre-position: dropped, so memory follows
    // the linked accounts trading now, not every linked account ever seen.
    for (const [a, r] of this.fills) if (nowUs - r.lastUs > this.p.lookbackUs || this.m.owners.owner(a) === 0) this.fills.delete(a);
  }

  size(): number {
    return this.fills.size + this.victims.size;
  }
}
