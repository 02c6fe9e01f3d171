// Test support: a sink that copies each event, keeping only the fields its type carries (types.ts), so
// two books' events compare with deepEqual and a failure shows a readable diff.

import { BookEventType, type BookEvent, type BookEventSink } from '../../../engine/book/types.js';

const COMMON = ['type', 'marketId', 'timeUs'] as const;

const EVENT_FIELDS: Record<number, readonly (keyof BookEvent)[]> = {
  [BookEventType.ORDER_ACCEPTED]: ['accountId', 'orderId', 'clientOrderId', 'side', 'orderType', 'timeInForce', 'stpMode', 'triggerSource', 'reduceOnly', 'origin', 'priceTicks', 'qtyLots', 'triggerPriceTicks'],
  [BookEventType.ORDER_REJECTED]: ['accountId', 'orderId', 'clientOrderId', 'code', 'commandType', 'side', 'orderType', 'origin', 'reduceOnly', 'priceTicks', 'qtyLots'],
  [BookEventType.TRADE_EXECUTED]: ['accountId', 'orderId', 'clientOrderId', 'side', 'origin', 'makerAccountId', 'makerOrderId', 'makerClientOrderId', 'makerOrigin', 'tradeId', 'priceTicks', 'qtyLots', 'remainingLots', 'makerRemainingLots'],
  [BookEventType.ORDER_CANCELLED]: ['accountId', 'orderId', 'clientOrderId', 'side', 'orderType', 'origin', 'priceTicks', 'remainingLots', 'filledLots', 'reason'],
  [BookEventType.ORDER_EXPIRED]: ['accountId', 'orderId', 'clientOrderId', 'side', 'orderType', 'origin', 'priceTicks', 'remainingLots', 'filledLots', 'reason'],
  [BookEventType.ORDER_AMENDED]: ['accountId', 'orderId', 'clientOrderId', 'side', 'oldPriceTicks', 'priceTicks', 'oldQtyLots', 'qtyLots', 'remainingLots', 'keptPriority'],
  [BookEventType.ORDER_TRIGGERED]: ['accountId', 'orderId', 'clientOrderId', 'side', 'orderType', 'triggerSource', 'triggerPriceTicks', 'observedPriceTicks'],
  [BookEventType.BOOK_LEVEL_CHANGED]: ['side', 'priceTicks', 'levelQtyLots', 'orderCount'],
};

export type RecordedEvent = Partial<Record<keyof BookEvent, number | boolean>> & { type: number };

function project(ev: BookEvent): RecordedEvent {
  const out: Record<string, number | boolean> = {};
  for (const k of COMMON) out[k] = ev[k];
  for (const k of EVENT_FIELDS[ev.type] ?? []) out[k] = ev[k] as number | boolean;
  return out as RecordedEvent;
}

export class RecordingSink implements BookEventSink {
  events: RecordedEvent[] = [];

  emit(ev: BookEvent): void {
    this.events.push(project(ev));
  }

  /** The events recorded since the last take(), and forget them. */
  take(): RecordedEvent[] {
    const e = this.events;
    this.events = [];
    return e;
  }

  ofType(type: number): RecordedEvent[] {
    return this.events.filter((e) => e.type === type);
  }
}
