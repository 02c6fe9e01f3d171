// A BookEventSink for benchmarks: counts events and traded lots and keeps nothing, so the figures time
// the book and not a consumer. The branch on type is the whole cost of the sink.

import { BookEventType, type BookEvent, type BookEventSink } from '../../engine/book/types.js';

export class CountingSink implements BookEventSink {
  events = 0;
  trades = 0;
  tradedLots = 0;

  emit(ev: BookEvent): void {
    this.events++;
    if (ev.type === BookEventType.TRADE_EXECUTED) {
      this.trades++;
      this.tradedLots += ev.qtyLots;
    }
  }
}
