// Test support: invariants of a book checked from the events it emits and its state after each command.
// Each check records the first violation it sees under its own name, so each property test can assert
// exactly one of them.

import { Side, TimeInForce } from '../../../engine/enums.js';
import { BookEventType as T, type Book } from '../../../engine/book/types.js';
import type { RecordedEvent } from './recording-sink.js';

export const INVARIANTS = ['uncrossed', 'fifo', 'fillAccounting', 'postOnlyNeverTakes', 'noSelfTrade', 'endedNeverFill', 'reduceOnlyOnlyReduces'] as const;
export type Invariant = (typeof INVARIANTS)[number];

interface Known {
  qtyLots: number;
  filledLots: number;
  timeInForce: number;
  reduceOnly: boolean;
  /** When the order last entered the back of a level: a counter, in event order. */
  queueSeq: number;
}

export class InvariantChecker {
  readonly violations = new Map<Invariant, string>();
  private readonly orders = new Map<number, Known>();
  private readonly ended = new Set<number>();
  private readonly positions = new Map<number, number>();
  private seq = 0;

  constructor(private readonly book: Book) {}

  private fail(name: Invariant, message: string): void {
    if (!this.violations.has(name)) this.violations.set(name, message);
  }

  /** Feeds the events of one command, then checks the book's state after it. */
  afterCommand(events: RecordedEvent[], label: string): void {
    for (const e of events) this.onEvent(e, label);
    this.checkState(label);
  }

  private onEvent(e: RecordedEvent, label: string): void {
    const id = e.orderId as number;
    switch (e.type) {
      case T.ORDER_ACCEPTED:
        this.ended.delete(id);
        this.orders.set(id, { qtyLots: e.qtyLots as number, filledLots: 0, timeInForce: e.timeInForce as number, reduceOnly: e.reduceOnly as boolean, queueSeq: this.seq++ });
        return;
      case T.ORDER_TRIGGERED:
        this.touch(id).queueSeq = this.seq++;
        return;
      case T.ORDER_AMENDED: {
        const o = this.touch(id);
        o.qtyLots = e.qtyLots as number;
        if (!e.keptPriority) o.queueSeq = this.seq++;
        return;
      }
      case T.ORDER_CANCELLED:
      case T.ORDER_EXPIRED:
        this.ended.add(id);
        return;
      case T.TRADE_EXECUTED:
        this.onTrade(e, label);
        return;
    }
  }

  private touch(orderId: number): Known {
    let o = this.orders.get(orderId);
    if (!o) {
      o = { qtyLots: 0, filledLots: 0, timeInForce: 0, reduceOnly: false, queueSeq: 0 };
      this.orders.set(orderId, o);
    }
    return o;
  }

  private onTrade(e: RecordedEvent, label: string): void {
    const taker = e.orderId as number;
    const maker = e.makerOrderId as number;
    const qty = e.qtyLots as number;
    if (e.accountId === e.makerAccountId) this.fail('noSelfTrade', `${label}: account ${e.accountId} traded with itself`);
    if (this.ended.has(taker) || this.ended.has(maker)) this.fail('endedNeverFill', `${label}: trade ${e.tradeId} fills an order that had ended`);
    const t = this.touch(taker);
    const m = this.touch(maker);
    if (t.timeInForce === TimeInForce.POST_ONLY) this.fail('postOnlyNeverTakes', `${label}: post-only order ${taker} took liquidity`);
    t.filledLots += qty;
    m.filledLots += qty;
    const takerDelta = e.side === Side.BUY ? qty : -qty;
    this.move(e.accountId as number, takerDelta, t.reduceOnly, taker, label);
    this.move(e.makerAccountId as number, -takerDelta, m.reduceOnly, maker, label);
    if (e.remainingLots === 0) this.ended.add(taker);
    if (e.makerRemainingLots === 0) this.ended.add(maker);
  }

  private move(accountId: number, delta: number, reduceOnly: boolean, orderId: number, label: string): void {
    const before = this.positions.get(accountId) ?? 0;
    const after = before + delta;
    if (reduceOnly && !(Math.abs(after) < Math.abs(before) && after * before >= 0)) {
      this.fail('reduceOnlyOnlyReduces', `${label}: reduce-only order ${orderId} moved position ${before} to ${after}`);
    }
    this.positions.set(accountId, after);
  }

  private checkState(label: string): void {
    const bid = this.book.bestBid();
    const ask = this.book.bestAsk();
    if (bid !== 0 && ask !== 0 && bid >= ask) this.fail('uncrossed', `${label}: crossed at rest, bid ${bid} ask ${ask}`);
    // orders() lists resting orders first (bids, then asks, each best first in FIFO), then stops.
    let resting = 0;
    for (const side of [Side.BUY, Side.SELL]) for (const l of this.book.levels(side, Number.MAX_SAFE_INTEGER)) resting += l.orderCount;
    let prev: { side: number; priceTicks: number; seq: number } | undefined;
    this.book.orders().forEach((o, i) => {
      const k = this.orders.get(o.orderId);
      if (!k) return;
      if (o.qtyLots !== k.qtyLots || o.qtyLots - o.remainingLots !== k.filledLots) {
        this.fail('fillAccounting', `${label}: order ${o.orderId} has qty ${o.qtyLots}, remaining ${o.remainingLots}, but ${k.filledLots} filled of ${k.qtyLots}`);
      }
      if (i >= resting) return;
      if (prev && prev.side === o.side && prev.priceTicks === o.priceTicks && prev.seq > k.queueSeq) {
        this.fail('fifo', `${label}: order ${o.orderId} is queued ahead of an order that entered its level later`);
      }
      prev = { side: o.side, priceTicks: o.priceTicks, seq: k.queueSeq };
    });
    for (const [accountId, lots] of this.positions) {
      if (this.book.positionLots(accountId) !== lots) this.fail('fillAccounting', `${label}: account ${accountId} position ${this.book.positionLots(accountId)}, trades say ${lots}`);
    }
  }
}
