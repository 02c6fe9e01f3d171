// The order-book contract. Two implementations honour it: the fast book (order-book.ts, typed arrays,
// pooled slots, no allocation per order) and the reference book (reference-book.ts, plain objects, as
// obvious as possible). The contract suite (test/engine/book/contract.test.ts) runs against both, and
// property tests drive both with the same commands and compare events and state hashes.
//
// Thread contract: a book belongs to one market-shard thread; nothing here is shared or synchronised.
// Determinism: no clock (time arrives as OrderRequest.timeUs and method arguments), no randomness, no
// iteration over unordered containers where the order could reach an output.

import type { CancelReason, OrderOrigin, OrderType, Side, StpMode, TimeInForce, TriggerSource } from '../enums.js';
import type { MarketSpec } from '../market/spec.js';
import type { BookCopy } from './book-copy.js';

/**
 * A PlaceOrder as the book takes it. Callers reuse one instance (the shard decodes each record into the
 * same object), so a book must copy what it keeps and never hold on to the request.
 */
export class OrderRequest {
  orderId = 0;
  accountId = 0;
  clientOrderId = 0;
  side: Side = 0;
  orderType: OrderType = 0;
  timeInForce: TimeInForce = 0;
  stpMode: StpMode = 0;
  triggerSource: TriggerSource = 0;
  reduceOnly = false;
  origin: OrderOrigin = 0;
  /** Limit price (integer ticks < 2^53); for MARKET the worst fill price, 0 = the default slippage band. */
  priceTicks = 0;
  qtyLots = 0;
  triggerPriceTicks = 0;
  timeUs = 0;
}

/** Event kinds the book emits, mirroring the record types of engine/ring/types.ts. */
export const BookEventType = {
  ORDER_ACCEPTED: 100,
  ORDER_REJECTED: 101,
  TRADE_EXECUTED: 102,
  ORDER_CANCELLED: 103,
  ORDER_AMENDED: 104,
  ORDER_EXPIRED: 105,
  ORDER_TRIGGERED: 106,
  BOOK_LEVEL_CHANGED: 107,
} as const;
export type BookEventType = (typeof BookEventType)[keyof typeof BookEventType];

/**
 * One flat, reusable event struct. The book fills the fields its event type uses (listed per type
 * below), leaves the others as they were, and calls sink.emit(ev). A sink that keeps an event must copy
 * it. One struct instead of one method per event keeps the call site monomorphic and allocation-free.
 *
 *   ORDER_ACCEPTED      accountId orderId clientOrderId side orderType timeInForce stpMode (resolved)
 *                       triggerSource reduceOnly origin priceTicks (resolved slippage limit for MARKET)
 *                       qtyLots triggerPriceTicks
 *   ORDER_REJECTED      accountId orderId clientOrderId code commandType side orderType origin
 *                       reduceOnly priceTicks qtyLots
 *   TRADE_EXECUTED      accountId (taker) orderId (taker) clientOrderId (taker) side (taker) origin
 *                       (taker) makerAccountId makerOrderId makerClientOrderId makerOrigin tradeId
 *                       priceTicks qtyLots remainingLots (taker, after) makerRemainingLots (after)
 *   ORDER_CANCELLED     accountId orderId clientOrderId side orderType origin priceTicks remainingLots
 *   ORDER_EXPIRED       (removed) filledLots reason
 *   ORDER_AMENDED       accountId orderId clientOrderId side oldPriceTicks priceTicks (new) oldQtyLots
 *                       qtyLots (new total) remainingLots keptPriority
 *   ORDER_TRIGGERED     accountId orderId clientOrderId side orderType (as placed) triggerSource
 *                       triggerPriceTicks observedPriceTicks
 *   BOOK_LEVEL_CHANGED  side priceTicks levelQtyLots orderCount (both 0: level gone)
 */
export class BookEvent {
  type: BookEventType = BookEventType.ORDER_ACCEPTED;
  marketId = 0;
  timeUs = 0;
  accountId = 0;
  orderId = 0;
  clientOrderId = 0;
  side: Side = 0;
  orderType: OrderType = 0;
  timeInForce: TimeInForce = 0;
  stpMode: StpMode = 0;
  triggerSource: TriggerSource = 0;
  reduceOnly = false;
  origin: OrderOrigin = 0;
  priceTicks = 0;
  qtyLots = 0;
  triggerPriceTicks = 0;
  observedPriceTicks = 0;
  remainingLots = 0;
  filledLots = 0;
  reason: CancelReason = 1;
  code = 0;
  commandType = 0;
  oldPriceTicks = 0;
  oldQtyLots = 0;
  keptPriority = false;
  makerAccountId = 0;
  makerOrderId = 0;
  makerClientOrderId = 0;
  makerOrigin: OrderOrigin = 0;
  makerRemainingLots = 0;
  tradeId = 0;
  levelQtyLots = 0;
  orderCount = 0;
}

export interface BookEventSink {
  emit(ev: BookEvent): void;
}

/** A resting or untriggered order as tests and snapshots see it (allocates; never on the hot path). */
export interface OrderView {
  orderId: number;
  accountId: number;
  clientOrderId: number;
  side: Side;
  orderType: OrderType;
  timeInForce: TimeInForce;
  stpMode: StpMode;
  triggerSource: TriggerSource;
  reduceOnly: boolean;
  origin: OrderOrigin;
  priceTicks: number;
  qtyLots: number;
  remainingLots: number;
  triggerPriceTicks: number;
  timeUs: number;
}

export interface LevelView {
  priceTicks: number;
  qtyLots: number;
  orderCount: number;
}

export interface Book {
  readonly spec: MarketSpec;

  /**
   * Validates and matches one order, emitting ORDER_ACCEPTED then trades, expiries and level changes, or
   * a single ORDER_REJECTED. Returns Code.OK when accepted, otherwise the rejection code. A rejected
   * request changes nothing.
   */
  place(req: OrderRequest): number;

  /** Cancels an open order (resting or untriggered) of accountId. clientOrderId is used when orderId is 0. */
  cancel(accountId: number, orderId: number, clientOrderId: number, reason: CancelReason, timeUs: number): number;

  /** Cancels every open order of the account in this market, oldest first; returns how many. */
  cancelAll(accountId: number, reason: CancelReason, timeUs: number): number;

  /**
   * Amends a resting limit order. newPriceTicks 0 keeps the price, newQtyLots 0 keeps the total quantity.
   * A new price may cross and trade (the order keeps its time-in-force; post-only is re-checked).
   */
  amend(accountId: number, orderId: number, clientOrderId: number, newPriceTicks: number, newQtyLots: number, timeUs: number): number;

  /**
   * Auto-deleveraging (the Deleverage command): closes up to qtyLots of the liquidated account's position
   * (side is its closing side) against the counterparty's opposite position at priceTicks, off the book,
   * as one TRADE_EXECUTED with both origins ADL (liquidated account as taker, counterparty as maker, both
   * order ids = deleverageId), clipped to what both positions allow; reduce-only clean-up follows as after
   * any trade. It does not move the last trade price (it is no market price) nor fire stops. Nothing to
   * close → ORDER_REJECTED DELEVERAGE_NOT_POSSIBLE (commandType Deleverage), nothing changes.
   */
  deleverage(liquidatedAccountId: number, counterpartyAccountId: number, side: Side, qtyLots: number, priceTicks: number, deleverageId: number, timeUs: number): number;

  /** Sequenced mark price: band reference and MARK-triggered stops. */
  setMarkPrice(markPriceTicks: number, timeUs: number): void;

  /** The account's default self-trade prevention in this market (StpMode other than DEFAULT). */
  setAccountStp(accountId: number, stpMode: StpMode): number;

  /** Best prices, 0 when that side is empty. O(1). */
  bestBid(): number;
  bestAsk(): number;
  lastTradePrice(): number;
  markPrice(): number;

  /** Net position in lots of the account in this market, from the trades this book executed. */
  positionLots(accountId: number): number;
  openOrderCount(accountId: number): number;
  /** Resting orders (both sides) plus untriggered stops. */
  orderCount(): number;

  /** Depth snapshot, best first. */
  levels(side: Side, maxLevels: number): LevelView[];
  /**
   * Depth as one taker could trade it now, best first: each reduce-only resting order counts only what
   * its account can still reduce (in priority order, as matching clips it); levels left with nothing are
   * omitted. The liquidation sweep plans on it (engine/shard/liquidation-sweep.ts). Allocates.
   */
  takeableLevels(side: Side, maxLevels: number): LevelView[];
  /** Every open order in canonical order: bids best-first FIFO, asks best-first FIFO, then stops by orderId. */
  orders(): OrderView[];
  /**
   * A copy of the levels and open orders taken a slice at a time between commands (book-copy.ts); a book
   * without one is copied whole at once.
   */
  copy?(): BookCopy;
  /** 64-bit hash of the canonical state (state-hash.ts), identical across implementations. */
  stateHash(): bigint;
}
