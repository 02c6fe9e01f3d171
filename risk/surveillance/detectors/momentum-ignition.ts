// Momentum ignition: a burst of aggressive orders sweeping several levels in one direction, then an
// opposite fill for the same account within a short window (it sells into the move it started, or buys
// back the fall).
//
// Source: Delegated Regulation (EU) 2016/522, Annex II, Section 1, point 4(e): "entering orders to trade
// or a series of orders to trade, or executing transactions or series of transactions, likely to start or
// exacerbate a trend and to encourage other participants to accelerate or extend the trend in order to
// create an opportunity to close out or open a position at a favourable price — usually known as
// momentum ignition"; MAR Annex I A(a)-(b) (reversals of position in a short period).
//
// Measure: an account's taker fills in one direction, each within burstGapUs of the previous, form a
// burst; it qualifies with at least minOrders taker orders, at least minLevels distinct trade prices and
// a sweep of at least minMoveBps: the sum over its orders of how far each one's fills reached beyond the
// opposite touch it met (a sweep, even where other participants refill the book behind it at once). The alert is
// raised when the account then trades the other way (as taker or maker) within reverseWithinUs of the
// burst's last fill for at least minReverseShareBps of the burst's lots. A taker working a large order
// in slices sweeps the same way but never turns round; that is the look-alike this keeps out.

import { DetectorId } from '../alert.js';
import { AccountStates } from '../account-states.js';
import type { Detector } from '../detector.js';
import type { MarketWatch, TradeView } from '../market-watch.js';
import type { WatchedOrder } from '../watched-order.js';
import { hundredths, seconds } from '../format.js';
import { RecentOrders } from '../recent-orders.js';
import { RecentTradeRows } from '../recent-trades.js';
import { grown } from '../../grown.js';

export interface MomentumParams {
  /** Largest gap between two fills of one burst (µs). Default 1 s. */
  readonly burstGapUs: number;
  /** Taker orders in the burst. Default 3. */
  readonly minOrders: number;
  /** Distinct trade prices in the burst. Default 4. */
  readonly minLevels: number;
  /** Summed reach of the burst's orders beyond the touch each met, bps of price. Default 1. */
  readonly minMoveBps: number;
  /** The opposite fill must come within this long of the burst's last fill (µs). Default 10 s. */
  readonly reverseWithinUs: number;
  /** Opposite lots as a share of the burst's lots, bps. Default 5,000. */
  readonly minReverseShareBps: number;
}

export const MOMENTUM_DEFAULTS: MomentumParams = { burstGapUs: 1_000_000, minOrders: 3, minLevels: 4, minMoveBps: 1, reverseWithinUs: 10_000_000, minReverseShareBps: 5_000 };

/**
 * One account's current burst, reused from one burst to the next (no allocation per burst). Its evidence
 * (orders and trades) is in the detector's row tables, at the account's index.
 */
class Burst {
  active = false;
  side = 0;
  firstUs = 0;
  firstSeq = 0;
  lastUs = 0;
  /** Opposite touch when the burst's first order arrived. */
  startTicks = 0;
  extremeTicks = 0;
  orders = 0;
  lastOrderId = 0;
  levels = 0;
  lastPriceTicks = 0;
  lots = 0;
  /** Reach of the finished orders of the burst, and of the current one (ticks). */
  sweptTicks = 0;
  currentReachTicks = 0;
  currentTouchTicks = 0;
  reverseLots = 0;
  raised = false;
  /**
   * Trades noted as evidence since the burst began (its orders noted are `orders`): the burst counts its
   * evidence rows' entries itself, so a note writes only the entry (RowRings.entryAt).
   */
  tradeNotes = 0;
}

export class MomentumIgnitionDetector implements Detector {
  readonly id = DetectorId.MOMENTUM_IGNITION;
  private readonly accounts: AccountStates<Burst>;
  /** Per account index: the burst's orders and trades as evidence. */
  private readonly orderEvidence = new RecentOrders(20, 64);
  private readonly trades = new RecentTradeRows(48, 64);
  /**
   * Per account index: until when (µs) a fill against its burst could reverse it (the burst active,
   * qualified and not yet raised), −1 when it cannot. Every trade's maker is tested here first, so the
   * maker's burst (a cache line of its own, rarely reversible) is read only when it may matter.
   */
  private reversibleUntil = new Float64Array(64);
  private lastSweepUs = 0;

  constructor(
    private readonly m: MarketWatch,
    private readonly p: MomentumParams = MOMENTUM_DEFAULTS,
  ) {
    this.accounts = new AccountStates<Burst>(
      m.accounts,
      () => new Burst(),
      // A burst starts over from inactive: every field is set when the next one begins.
      (b) => {
        b.active = false;
        b.raised = false;
      },
    );
  }

  traded(t: TradeView, taker: WatchedOrder | undefined): void {
    // A fill of a maker against its own burst's direction reverses it too.
    const mx = t.makerIx;
    if (mx >= 0 && mx < this.reversibleUntil.length && t.timeUs <= this.reversibleUntil[mx]!) {
      const makerBurst = this.accounts.peek(mx);
      if (makerBurst?.active) {
        this.reverse(t.makerAccountId, mx, makerBurst, 1 - t.takerSide, t);
        this.noteReversible(mx, makerBurst);
      }
    }
    if (taker === undefined) return;
    const ix = taker.accountIx;
    const b = this.accounts.get(ix);
    this.takerFill(t, taker, ix, b);
    this.noteReversible(ix, b);
  }

  /** Records until when a fill could reverse the account's burst (see reversibleUntil). */
  private noteReversible(ix: number, b: Burst): void {
    if (ix >= this.reversibleUntil.length) this.reversibleUntil = grown(this.reversibleUntil, ix);
    this.reversibleUntil[ix] = b.active && !b.raised && this.qualified(b) ? b.lastUs + this.p.reverseWithinUs : -1;
  }

  private takerFill(t: TradeView, taker: WatchedOrder, ix: number, b: Burst): void {
    if (b.active && b.side !== t.takerSide && !b.raised && t.timeUs - b.lastUs <= this.p.reverseWithinUs && this.qualified(b)) {
      this.reverse(t.takerAccountId, ix, b, t.takerSide, t);
      return;
    }
    if (!b.active || b.side !== t.takerSide || t.timeUs - b.lastUs > this.p.burstGapUs || b.raised) {
      b.active = true;
      b.side = t.takerSide;
      b.firstUs = t.timeUs;
      b.firstSeq = taker.acceptedSeq;
      b.lastUs = t.timeUs;
      b.startTicks = taker.oppositeTicks || t.priceTicks;
      b.extremeTicks = t.priceTicks;
      b.orders = 1;
      b.lastOrderId = taker.orderId;
      b.levels = 1;
      b.lastPriceTicks = t.priceTicks;
      b.lots = t.qtyLots;
      b.sweptTicks = 0;
      b.currentTouchTicks = taker.oppositeTicks || t.priceTicks;
      b.currentReachTicks = Math.abs(t.priceTicks - b.currentTouchTicks);
      b.reverseLots = 0;
      b.raised = false;
      b.tradeNotes = 1;
      this.orderEvidence.ensureRows(ix + 1);
      this.trades.ensureRows(ix + 1);
      this.orderEvidence.noteAt(ix, 0, taker);
      this.trades.noteAt(ix, 0, t);
      return;
    }
    b.lastUs = t.timeUs;
    b.lots += t.qtyLots;
    if (taker.orderId !== b.lastOrderId) {
      this.orderEvidence.noteAt(ix, b.orders, taker);
      b.orders++;
      b.lastOrderId = taker.orderId;
      b.sweptTicks += b.currentReachTicks;
      b.currentTouchTicks = taker.oppositeTicks || t.priceTicks;
      b.currentReachTicks = 0;
    }
    const reach = Math.abs(t.priceTicks - b.currentTouchTicks);
    if (reach > b.currentReachTicks) b.currentReachTicks = reach;
    if (t.priceTicks !== b.lastPriceTicks) {
      b.levels++;
      b.lastPriceTicks = t.priceTicks;
    }
    if (b.side === 0 ? t.priceTicks > b.extremeTicks : t.priceTicks < b.extremeTicks) b.extremeTicks = t.priceTicks;
    this.trades.noteAt(ix, b.tradeNotes++, t);
  }

  private reverse(accountId: number, ix: number, b: Burst, side: number, t: TradeView): void {
    if (side === b.side || b.raised) return;
    if (t.timeUs - b.lastUs > this.p.reverseWithinUs) return;
    if (!this.qualified(b)) return;
    b.reverseLots += t.qtyLots;
    this.trades.noteAt(ix, b.tradeNotes++, t);
    if (b.reverseLots * 10_000 < this.p.minReverseShareBps * b.lots) return;
    b.raised = true;
    const moveTicks = Math.abs(b.extremeTicks - b.startTicks);
    const sweptTicks = b.sweptTicks + b.currentReachTicks;
    const moveBpsX100 = Math.floor((sweptTicks * 1_000_000) / b.startTicks);
    this.m.alert({
      detector: this.id,
      accounts: [accountId],
      score: 5_000 + Math.min(2_500, 500 * (b.levels - this.p.minLevels + 1)) + Math.min(2_500, Math.floor((moveBpsX100 * 2_500) / (this.p.minMoveBps * 400))),
      fromUs: b.firstUs,
      fromSeq: b.firstSeq,
      summary:
        `${b.orders} aggressive ${b.side === 0 ? 'buy' : 'sell'} orders swept ${b.levels} price levels (${b.lots} lots, reaching ${hundredths(moveBpsX100)} bps beyond the touch in all) in ${seconds(b.lastUs - b.firstUs)}, ` +
        `then the account ${b.side === 0 ? 'sold' : 'bought'} ${b.reverseLots} lots ${seconds(t.timeUs - b.lastUs)} later`,
      figures: { burstOrders: b.orders, burstLevels: b.levels, burstLots: b.lots, sweptTicks, moveTicks, sweptBpsX100: moveBpsX100, reverseLots: b.reverseLots, reverseAfterUs: t.timeUs - b.lastUs },
      orders: this.orderEvidence.listCounted(ix, b.orders),
      trades: this.trades.listCounted(ix, b.tradeNotes),
    });
  }

  private qualified(b: Burst): boolean {
    if (b.orders < this.p.minOrders || b.levels < this.p.minLevels || b.startTicks === 0) return false;
    return (b.sweptTicks + b.currentReachTicks) * 10_000 >= this.p.minMoveBps * b.startTicks;
  }

  tick(nowUs: number): void {
    const keepUs = this.p.burstGapUs + this.p.reverseWithinUs;
    if (nowUs - this.lastSweepUs < keepUs) return;
    this.lastSweepUs = nowUs;
    this.accounts.sweep((b) => !b.active || nowUs - b.lastUs > keepUs);
  }

  size(): number {
    return this.accounts.size;
  }
}
