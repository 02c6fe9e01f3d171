// Outcomes: what became of the harness's own orders in the book, read from the same surveillance stream
// the engine sees: lots filled, the distinct prices they traded at, the orders they traded against, and
// whether they were cancelled. Episodes use it to say whether they came to pass as designed (the spoof
// was not hit, the victim's order was there to unwind into, the burst swept levels): recall is measured
// over those, since a detector cannot be faulted for a manipulation the market did not let happen.

import { OrderCancelledLayout } from '../../../engine/ring/layouts/order-cancelled.js';
import { TradeExecutedLayout } from '../../../engine/ring/layouts/trade-executed.js';
import type { RecordBuffer } from '../../../engine/ring/record.js';
import { RecordType } from '../../../engine/ring/types.js';

const TRD = TradeExecutedLayout.offsets;
const END = OrderCancelledLayout.offsets;

export interface OrderOutcome {
  readonly orderId: number;
  readonly accountId: number;
  readonly qtyLots: number;
  filledLots: number;
  /** Distinct prices it traded at, in the order first met. */
  readonly prices: number[];
  /** Lots it traded against each other order id (maker or taker). */
  readonly against: Map<number, number>;
  cancelled: boolean;
}

export class Outcomes {
  private readonly orders = new Map<number, OrderOutcome>();

  /** Starts following an order the harness placed. */
  watch(orderId: number, accountId: number, qtyLots: number): void {
    this.orders.set(orderId, { orderId, accountId, qtyLots, filledLots: 0, prices: [], against: new Map(), cancelled: false });
  }

  /** The outcome of a watched order (undefined: never placed, or not the harness's). */
  of(orderId: number): OrderOutcome | undefined {
    return orderId === 0 ? undefined : this.orders.get(orderId);
  }

  /** The watched orders of one account, in the order placed (for looking into a missed episode). */
  ofAccount(accountId: number): OrderOutcome[] {
    return [...this.orders.values()].filter((o) => o.accountId === accountId);
  }

  /** Every surveillance record, in stream order. */
  onRecord(buf: RecordBuffer, at: number): void {
    const type = buf.type(at);
    if (type === RecordType.TradeExecuted) {
      const qty = buf.u53At(at, TRD.qtyLots);
      const price = buf.u53At(at, TRD.priceTicks);
      const taker = buf.u53At(at, TRD.takerOrderId);
      const maker = buf.u53At(at, TRD.makerOrderId);
      this.fill(taker, maker, qty, price);
      this.fill(maker, taker, qty, price);
    } else if (type === RecordType.OrderCancelled) {
      const o = this.orders.get(buf.u53At(at, END.orderId));
      if (o !== undefined) o.cancelled = true;
    }
  }

  private fill(orderId: number, other: number, qty: number, price: number): void {
    const o = this.orders.get(orderId);
    if (o === undefined) return;
    o.filledLots += qty;
    if (!o.prices.includes(price)) o.prices.push(price);
    o.against.set(other, (o.against.get(other) ?? 0) + qty);
  }
}
