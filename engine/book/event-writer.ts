// Fills the one reusable BookEvent and hands it to the sink. Both books emit through this class, so an
// event type always carries the same fields (types.ts lists them); fields an event does not use keep
// whatever the previous event left there. timeUs is the current command's time, set once per command.
//
// Thread contract: owned by the book's thread; the sink is called synchronously and must copy what it keeps.

import type { CancelReason, OrderOrigin, OrderType, Side, StpMode, TimeInForce, TriggerSource } from '../enums.js';
import { BookEvent, BookEventType, type BookEventSink } from './types.js';

// Module-local copies: every event passes here, and V8 folds a module's own constants into the code.
const { ORDER_ACCEPTED, ORDER_REJECTED, TRADE_EXECUTED, ORDER_AMENDED, ORDER_TRIGGERED, BOOK_LEVEL_CHANGED } = BookEventType;

export class EventWriter {
  readonly ev = new BookEvent();
  timeUs = 0;

  constructor(
    readonly sink: BookEventSink,
    marketId: number,
  ) {
    this.ev.marketId = marketId;
  }

  private begin(type: BookEventType): BookEvent {
    const ev = this.ev;
    ev.type = type;
    ev.timeUs = this.timeUs;
    return ev;
  }

  accepted(
    accountId: number,
    orderId: number,
    clientOrderId: number,
    side: Side,
    orderType: OrderType,
    timeInForce: TimeInForce,
    stpMode: StpMode,
    triggerSource: TriggerSource,
    reduceOnly: boolean,
    origin: OrderOrigin,
    priceTicks: number,
    qtyLots: number,
    triggerPriceTicks: number,
  ): void {
    const ev = this.begin(ORDER_ACCEPTED);
    ev.accountId = accountId;
    ev.orderId = orderId;
    ev.clientOrderId = clientOrderId;
    ev.side = side;
    ev.orderType = orderType;
    ev.timeInForce = timeInForce;
    ev.stpMode = stpMode;
    ev.triggerSource = triggerSource;
    ev.reduceOnly = reduceOnly;
    ev.origin = origin;
    ev.priceTicks = priceTicks;
    ev.qtyLots = qtyLots;
    ev.triggerPriceTicks = triggerPriceTicks;
    this.sink.emit(ev);
  }

  rejected(
    commandType: number,
    code: number,
    accountId: number,
    orderId: number,
    clientOrderId: number,
    side: Side,
    orderType: OrderType,
    origin: OrderOrigin,
    reduceOnly: boolean,
    priceTicks: number,
    qtyLots: number,
  ): void {
    const ev = this.begin(ORDER_REJECTED);
    ev.commandType = commandType;
    ev.code = code;
    ev.accountId = accountId;
    ev.orderId = orderId;
    ev.clientOrderId = clientOrderId;
    ev.side = side;
    ev.orderType = orderType;
    ev.origin = origin;
    ev.reduceOnly = reduceOnly;
    ev.priceTicks = priceTicks;
    ev.qtyLots = qtyLots;
    this.sink.emit(ev);
  }

  trade(
    tradeId: number,
    priceTicks: number,
    qtyLots: number,
    accountId: number,
    orderId: number,
    clientOrderId: number,
    side: Side,
    origin: OrderOrigin,
    remainingLots: number,
    makerAccountId: number,
    makerOrderId: number,
    makerClientOrderId: number,
    makerOrigin: OrderOrigin,
    makerRemainingLots: number,
  ): void {
    const ev = this.begin(TRADE_EXECUTED);
    ev.tradeId = tradeId;
    ev.priceTicks = priceTicks;
    ev.qtyLots = qtyLots;
    ev.accountId = accountId;
    ev.orderId = orderId;
    ev.clientOrderId = clientOrderId;
    ev.side = side;
    ev.origin = origin;
    ev.remainingLots = remainingLots;
    ev.makerAccountId = makerAccountId;
    ev.makerOrderId = makerOrderId;
    ev.makerClientOrderId = makerClientOrderId;
    ev.makerOrigin = makerOrigin;
    ev.makerRemainingLots = makerRemainingLots;
    this.sink.emit(ev);
  }

  /** ORDER_CANCELLED (on request or reduce-only clean-up) or ORDER_EXPIRED (by rule). */
  ended(
    type: typeof BookEventType.ORDER_CANCELLED | typeof BookEventType.ORDER_EXPIRED,
    reason: CancelReason,
    accountId: number,
    orderId: number,
    clientOrderId: number,
    side: Side,
    orderType: OrderType,
    origin: OrderOrigin,
    priceTicks: number,
    remainingLots: number,
    filledLots: number,
  ): void {
    const ev = this.begin(type);
    ev.reason = reason;
    ev.accountId = accountId;
    ev.orderId = orderId;
    ev.clientOrderId = clientOrderId;
    ev.side = side;
    ev.orderType = orderType;
    ev.origin = origin;
    ev.priceTicks = priceTicks;
    ev.remainingLots = remainingLots;
    ev.filledLots = filledLots;
    this.sink.emit(ev);
  }

  amended(
    accountId: number,
    orderId: number,
    clientOrderId: number,
    side: Side,
    oldPriceTicks: number,
    priceTicks: number,
    oldQtyLots: number,
    qtyLots: number,
    remainingLots: number,
    keptPriority: boolean,
  ): void {
    const ev = this.begin(ORDER_AMENDED);
    ev.accountId = accountId;
    ev.orderId = orderId;
    ev.clientOrderId = clientOrderId;
    ev.side = side;
    ev.oldPriceTicks = oldPriceTicks;
    ev.priceTicks = priceTicks;
    ev.oldQtyLots = oldQtyLots;
    ev.qtyLots = qtyLots;
    ev.remainingLots = remainingLots;
    ev.keptPriority = keptPriority;
    this.sink.emit(ev);
  }

  triggered(
    accountId: number,
    orderId: number,
    clientOrderId: number,
    side: Side,
    orderType: OrderType,
    triggerSource: TriggerSource,
    triggerPriceTicks: number,
    observedPriceTicks: number,
  ): void {
    const ev = this.begin(ORDER_TRIGGERED);
    ev.accountId = accountId;
    ev.orderId = orderId;
    ev.clientOrderId = clientOrderId;
    ev.side = side;
    ev.orderType = orderType;
    ev.triggerSource = triggerSource;
    ev.triggerPriceTicks = triggerPriceTicks;
    ev.observedPriceTicks = observedPriceTicks;
    this.sink.emit(ev);
  }

  level(side: Side, priceTicks: number, levelQtyLots: number, orderCount: number): void {
    const ev = this.begin(BOOK_LEVEL_CHANGED);
    ev.side = side;
    ev.priceTicks = priceTicks;
    ev.levelQtyLots = levelQtyLots;
    ev.orderCount = orderCount;
    this.sink.emit(ev);
  }
}
