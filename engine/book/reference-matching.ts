// The reference book's matching: the taker loop, self-trade prevention, reduce-only clipping and
// clean-up, the fill-or-kill check and stop triggering, on plain objects (reference-state.ts). The
// commands and queries are in reference-book.ts. As in the rest of the oracle, nothing is clever: every
// lookup is a scan, every order an explicit sort.

import { CancelReason, Side, StpMode, TimeInForce, TriggerSource } from '../enums.js';
import type { MarketSpec } from '../market/spec.js';
import { EventWriter } from './event-writer.js';
import { crosses, firesOnRise, isLimitPriced, reducibleLots, signedLots, triggerHolds } from './order-rules.js';
import { defaultMarketLimit } from './slippage.js';
import type { RefOrder, RefState } from './reference-state.js';
import { BookEventType, type BookEventSink } from './types.js';
import { bandReference } from './validate-order.js';

const NO_SINK: BookEventSink = { emit() {} };
export const CANCELLED = BookEventType.ORDER_CANCELLED;
const EXPIRED = BookEventType.ORDER_EXPIRED;

export class ReferenceMatching {
  protected readonly out: EventWriter;
  protected state: RefState = {
    resting: [],
    stops: [],
    positions: new Map(),
    stpDefaults: new Map(),
    nextTradeId: 1,
    lastTradePrice: 0,
    markPrice: 0,
    nextSeq: 1,
  };

  constructor(
    readonly spec: MarketSpec,
    sink: BookEventSink,
  ) {
    this.out = new EventWriter(sink, spec.marketId);
  }

  positionLots(accountId: number): number {
    return this.state.positions.get(accountId) ?? 0;
  }

  /**
   * Matches an order that is in no container. Each round: a filled taker is done; a reduce-only taker
   * that can no longer reduce is cancelled; no maker or none within the limit ends the taker by its
   * kind; a maker of the same account applies the taker's STP mode; otherwise one trade at the maker's
   * price, clipped for reduce-only on either side, then the reduce-only clean-up of both accounts.
   */
  protected runTaker(o: RefOrder, isMarket: boolean): void {
    const s = this.state;
    for (;;) {
      if (o.remainingLots === 0) return;
      if (o.reduceOnly && reducibleLots(this.positionLots(o.accountId), o.side) === 0) return this.endOrder(CANCELLED, o, CancelReason.REDUCE_ONLY);
      const maker = this.bestMaker(o.side === Side.BUY ? Side.SELL : Side.BUY);
      if (!maker || !crosses(o.side, o.priceTicks, maker.priceTicks)) return this.endTaker(o, isMarket, !maker);
      if (maker.accountId === o.accountId) {
        if (o.stpMode === StpMode.EXPIRE_TAKER) return this.endOrder(EXPIRED, o, CancelReason.STP_TAKER);
        const both = o.stpMode === StpMode.EXPIRE_BOTH;
        this.removeOpen(maker);
        this.endOrder(EXPIRED, maker, both ? CancelReason.STP_BOTH : CancelReason.STP_MAKER);
        if (both) return this.endOrder(EXPIRED, o, CancelReason.STP_BOTH);
        continue;
      }
      let qty = Math.min(o.remainingLots, maker.remainingLots);
      if (o.reduceOnly) qty = Math.min(qty, reducibleLots(this.positionLots(o.accountId), o.side));
      if (maker.reduceOnly) qty = Math.min(qty, reducibleLots(this.positionLots(maker.accountId), maker.side));
      if (qty <= 0) throw new Error(`invariant: reduce-only maker ${maker.orderId} rests with nothing to reduce`);
      const tradeId = s.nextTradeId++;
      s.lastTradePrice = maker.priceTicks;
      o.remainingLots -= qty;
      maker.remainingLots -= qty;
      this.addPosition(o.accountId, signedLots(o.side, qty));
      this.addPosition(maker.accountId, signedLots(maker.side, qty));
      this.out.trade(tradeId, maker.priceTicks, qty, o.accountId, o.orderId, o.clientOrderId, o.side, o.origin, o.remainingLots, maker.accountId, maker.orderId, maker.clientOrderId, maker.origin, maker.remainingLots);
      if (maker.remainingLots === 0) this.removeOpen(maker);
      this.cleanUpReduceOnly(o.accountId);
      this.cleanUpReduceOnly(maker.accountId);
    }
  }

  /** A taker's remainder that met no (acceptable) maker: market orders expire, IOC/FOK expire, the rest rests. */
  protected endTaker(o: RefOrder, isMarket: boolean, sideEmpty: boolean): void {
    if (isMarket) return this.endOrder(EXPIRED, o, sideEmpty ? CancelReason.NO_LIQUIDITY : CancelReason.SLIPPAGE_LIMIT);
    if (o.timeInForce === TimeInForce.IOC || o.timeInForce === TimeInForce.FOK) return this.endOrder(EXPIRED, o, CancelReason.IOC_REMAINDER);
    this.rest(o);
  }

  /** Whether all of o would fill now: run it on a deep copy of the state with a sink that drops events. */
  protected fillable(o: RefOrder, isMarket: boolean): boolean {
    const twin = new ReferenceMatching(this.spec, NO_SINK);
    twin.state = structuredClone(this.state);
    const copy: RefOrder = { ...o, timeInForce: TimeInForce.IOC };
    twin.runTaker(copy, isMarket);
    return copy.remainingLots === 0;
  }

  /** After a trade: cancel the account's reduce-only orders that can no longer reduce its position. */
  protected cleanUpReduceOnly(accountId: number): void {
    const pos = this.positionLots(accountId);
    const doomed = [...this.state.resting, ...this.state.stops]
      .filter((o) => o.accountId === accountId && o.reduceOnly && reducibleLots(pos, o.side) === 0)
      .sort((a, b) => a.orderId - b.orderId);
    for (const o of doomed) {
      this.removeOpen(o);
      this.endOrder(CANCELLED, o, CancelReason.REDUCE_ONLY);
    }
  }

  /**
   * Fires every stop whose condition holds at its source's current price, in batches: a batch is all
   * such stops, MARK-sourced first, then LAST; within a source rising-price stops by ascending trigger,
   * then falling-price stops by descending trigger, ties by orderId. The batch leaves the stop book,
   * then each runs in turn; the trades they make may satisfy further LAST stops: next batch.
   */
  protected settleStops(): void {
    const s = this.state;
    for (;;) {
      const batch: { o: RefOrder; observed: number }[] = [];
      for (const source of [TriggerSource.MARK, TriggerSource.LAST]) {
        const price = this.sourcePrice(source);
        const due = s.stops.filter((o) => o.triggerSource === source && triggerHolds(o.orderType, o.side, o.triggerPriceTicks, price));
        const up = due.filter((o) => firesOnRise(o.orderType, o.side)).sort((a, b) => a.triggerPriceTicks - b.triggerPriceTicks || a.orderId - b.orderId);
        const down = due.filter((o) => !firesOnRise(o.orderType, o.side)).sort((a, b) => b.triggerPriceTicks - a.triggerPriceTicks || a.orderId - b.orderId);
        for (const o of [...up, ...down]) batch.push({ o, observed: price });
      }
      if (batch.length === 0) return;
      s.stops = s.stops.filter((o) => !batch.some((b) => b.o === o));
      for (const { o, observed } of batch) this.runTriggered(o, observed);
    }
  }

  /**
   * A fired stop: ORDER_TRIGGERED, then, in order: cancelled if reduce-only with nothing to reduce;
   * a limit type outside the band expires (PRICE_BAND); a market type without a price and an empty
   * opposite side expires (NO_LIQUIDITY); FOK that cannot fill expires (IOC_REMAINDER); else it matches.
   */
  protected runTriggered(o: RefOrder, observed: number): void {
    this.out.triggered(o.accountId, o.orderId, o.clientOrderId, o.side, o.orderType, o.triggerSource, o.triggerPriceTicks, observed);
    if (o.reduceOnly && reducibleLots(this.positionLots(o.accountId), o.side) === 0) return this.endOrder(CANCELLED, o, CancelReason.REDUCE_ONLY);
    const isMarket = !isLimitPriced(o.orderType);
    if (!isMarket && !this.spec.withinBand(o.priceTicks, bandReference(this.state.markPrice, this.state.lastTradePrice))) {
      return this.endOrder(EXPIRED, o, CancelReason.PRICE_BAND);
    }
    if (isMarket && o.priceTicks === 0) {
      const best = this.bestOpposite(o.side);
      if (best === 0) return this.endOrder(EXPIRED, o, CancelReason.NO_LIQUIDITY);
      o.priceTicks = defaultMarketLimit(this.spec, o.side, best);
    }
    if (o.timeInForce === TimeInForce.FOK && !this.fillable(o, isMarket)) return this.endOrder(EXPIRED, o, CancelReason.IOC_REMAINDER);
    this.runTaker(o, isMarket);
  }

  protected rest(o: RefOrder): void {
    o.seq = this.state.nextSeq++;
    o.timeUs = this.out.timeUs;
    this.state.resting.push(o);
  }

  protected endOrder(type: typeof CANCELLED | typeof EXPIRED, o: RefOrder, reason: CancelReason): void {
    this.out.ended(type, reason, o.accountId, o.orderId, o.clientOrderId, o.side, o.orderType, o.origin, o.priceTicks, o.remainingLots, o.qtyLots - o.remainingLots);
  }

  protected removeOpen(o: RefOrder): void {
    this.state.resting = this.state.resting.filter((x) => x !== o);
    this.state.stops = this.state.stops.filter((x) => x !== o);
  }

  protected bestMaker(side: Side): RefOrder | undefined {
    let best: RefOrder | undefined;
    for (const o of this.state.resting) {
      if (o.side !== side) continue;
      if (!best) best = o;
      else if (o.priceTicks !== best.priceTicks) {
        if (side === Side.BUY ? o.priceTicks > best.priceTicks : o.priceTicks < best.priceTicks) best = o;
      } else if (o.seq < best.seq) best = o;
    }
    return best;
  }

  protected bestPrice(side: Side): number {
    return this.bestMaker(side)?.priceTicks ?? 0;
  }

  protected bestOpposite(side: Side): number {
    return this.bestPrice(side === Side.BUY ? Side.SELL : Side.BUY);
  }

  protected wouldTake(side: Side, limitTicks: number): boolean {
    const best = this.bestOpposite(side);
    return best !== 0 && crosses(side, limitTicks, best);
  }

  protected sourcePrice(source: TriggerSource): number {
    return source === TriggerSource.MARK ? this.state.markPrice : this.state.lastTradePrice;
  }

  protected accountStp(accountId: number): StpMode {
    return this.state.stpDefaults.get(accountId) ?? StpMode.EXPIRE_TAKER;
  }

  /** Positions are bounded far below 2^53 by risk limits; the check makes a breach loud, not silent. */
  protected addPosition(accountId: number, deltaLots: number): void {
    const p = this.positionLots(accountId) + deltaLots;
    if (!Number.isSafeInteger(p)) throw new RangeError(`position of account ${accountId} left the exact integer range`);
    if (p === 0) this.state.positions.delete(accountId);
    else this.state.positions.set(accountId, p);
  }
}
