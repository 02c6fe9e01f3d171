// Test support for the contract suite: a book of the implementation under test plus a recording sink,
// with terse helpers to place orders and read back what the book emitted.

import { CancelReason, OrderOrigin, OrderType, Side, StpMode, TimeInForce, TriggerSource } from '../../../../engine/enums.js';
import { MarketSpec } from '../../../../engine/market/spec.js';
import { BookEventType, OrderRequest, type Book, type BookEventSink } from '../../../../engine/book/types.js';
import { RecordingSink, type RecordedEvent } from '../recording-sink.js';

export type BookFactory = (spec: MarketSpec, sink: BookEventSink) => Book;

/**
 * The contract market: 1 tick = 0.1, 1 lot = 1; band ±10 % of the reference, market orders 5 % past the
 * touch, 5 open orders per account, 20 per book.
 */
export const CONTRACT_SPEC = new MarketSpec({
  marketId: 3,
  symbol: 'TEST-PERP',
  baseAsset: 'TEST',
  quoteAsset: 'USDT',
  tickSize: '0.1',
  lotSize: '1',
  minQtyLots: 1,
  maxQtyLots: 1_000,
  maxPriceTicks: 1_000_000,
  priceBandBps: 1_000,
  marketSlippageBps: 500,
  maxOpenOrdersPerAccount: 5,
  maxOrders: 20,
  collateralDecimals: 6,
});

export const { BUY, SELL } = Side;
export const T = BookEventType;

export interface PlaceArgs {
  orderId?: number;
  accountId?: number;
  clientOrderId?: number;
  side?: number;
  orderType?: number;
  timeInForce?: number;
  stpMode?: number;
  triggerSource?: number;
  reduceOnly?: boolean;
  origin?: number;
  priceTicks?: number;
  qtyLots?: number;
  triggerPriceTicks?: number;
}

export class Harness {
  readonly sink = new RecordingSink();
  readonly book: Book;
  private nextOrderId = 1;
  private timeUs = 1_000;

  constructor(make: BookFactory, spec: MarketSpec = CONTRACT_SPEC) {
    this.book = make(spec, this.sink);
  }

  /** The id the next place() without an explicit orderId will use. */
  peekOrderId(): number {
    return this.nextOrderId;
  }

  now(): number {
    return (this.timeUs += 10);
  }

  request(a: PlaceArgs): OrderRequest {
    const r = new OrderRequest();
    r.orderId = a.orderId ?? this.nextOrderId++;
    r.accountId = a.accountId ?? 1;
    r.clientOrderId = a.clientOrderId ?? 0;
    r.side = (a.side ?? BUY) as Side;
    r.orderType = (a.orderType ?? OrderType.LIMIT) as OrderType;
    r.timeInForce = (a.timeInForce ?? TimeInForce.GTC) as TimeInForce;
    r.stpMode = (a.stpMode ?? StpMode.DEFAULT) as StpMode;
    r.triggerSource = (a.triggerSource ?? TriggerSource.MARK) as TriggerSource;
    r.reduceOnly = a.reduceOnly ?? false;
    r.origin = (a.origin ?? OrderOrigin.USER) as OrderOrigin;
    r.priceTicks = a.priceTicks ?? 0;
    r.qtyLots = a.qtyLots ?? 1;
    r.triggerPriceTicks = a.triggerPriceTicks ?? 0;
    r.timeUs = this.now();
    return r;
  }

  place(a: PlaceArgs): number {
    return this.book.place(this.request(a));
  }

  /** A GTC limit order; returns its orderId (the caller checks acceptance where it matters). */
  limit(accountId: number, side: number, priceTicks: number, qtyLots: number, more: PlaceArgs = {}): number {
    const orderId = more.orderId ?? this.nextOrderId++;
    const code = this.place({ accountId, side, priceTicks, qtyLots, ...more, orderId });
    if (code !== 0) throw new Error(`setup order ${orderId} rejected with ${code}`);
    return orderId;
  }

  market(accountId: number, side: number, qtyLots: number, more: PlaceArgs = {}): number {
    return this.place({ accountId, side, qtyLots, orderType: OrderType.MARKET, timeInForce: TimeInForce.IOC, ...more });
  }

  cancel(accountId: number, orderId: number, clientOrderId = 0, reason: CancelReason = CancelReason.USER): number {
    return this.book.cancel(accountId, orderId, clientOrderId, reason, this.now());
  }

  amend(accountId: number, orderId: number, priceTicks: number, qtyLots: number, clientOrderId = 0): number {
    return this.book.amend(accountId, orderId, clientOrderId, priceTicks, qtyLots, this.now());
  }

  mark(priceTicks: number): void {
    this.book.setMarkPrice(priceTicks, this.now());
  }

  /** Events since the last take(). */
  take(): RecordedEvent[] {
    return this.sink.take();
  }

  /** Types of the events since the last take(). */
  types(): number[] {
    return this.take().map((e) => e.type);
  }

  /** Gives account `accountId` a position of qtyLots on `side` by trading with `counterparty` (99). */
  position(accountId: number, side: number, qtyLots: number, priceTicks = 1_000, counterparty = 99): void {
    this.limit(counterparty, side === BUY ? SELL : BUY, priceTicks, qtyLots);
    const code = this.place({ accountId, side, priceTicks, qtyLots, timeInForce: TimeInForce.IOC });
    if (code !== 0) throw new Error(`position setup rejected with ${code}`);
    this.take();
  }
}

export function only<E extends RecordedEvent>(events: E[], type: number): E[] {
  return events.filter((e) => e.type === type);
}
