// MarketShard: the deterministic state machine of one market-shard thread. It owns the books of its
// markets, consumes command records from its input streams in the order the worker hands them over, and
// writes event records to its output streams. Same inputs in the same order → same state and the same
// output records, bit for bit: no clock (time is each record's timeUs), no randomness, no unordered
// iteration.
//
//   input stream i (risk shard i, or the gateway) ──▶ handle(record, i) ──▶ Book ──▶ EventWriter
//                                                                                     ├─▶ gateway stream
//                                                                                     ├─▶ risk streams
//                                                                                     └─▶ surveillance (optional)
//
// Each input stream is a contiguous sequence from 1. A record at or below the last sequence consumed
// from its stream is a re-delivery (after recovery) and is skipped; a jump past the next one means the
// transport lost records, which is fatal: nothing acknowledged may be lost silently.

import { Code } from '../codes.js';
import { CancelReason, IndexOrigin, StpMode } from '../enums.js';
import { OrderBook } from '../book/order-book.js';
import { BookEvent, BookEventType, OrderRequest, type Book, type BookEventSink } from '../book/types.js';
import { MarketSpec, type MarketConfig } from '../market/spec.js';
import { AmendOrderLayout } from '../ring/layouts/amend-order.js';
import { CancelAllOrdersLayout } from '../ring/layouts/cancel-all-orders.js';
import { CancelOrderLayout } from '../ring/layouts/cancel-order.js';
import { PlaceOrderLayout } from '../ring/layouts/place-order.js';
import { SetAccountConfigLayout } from '../ring/layouts/set-account-config.js';
import { SetMarkPriceLayout } from '../ring/layouts/set-mark-price.js';
import { UpdateIndexPriceLayout } from '../ring/layouts/update-index-price.js';
import { DeleverageLayout } from '../ring/layouts/deleverage.js';
import type { RecordBuffer } from '../ring/record.js';
import { RecordType } from '../ring/types.js';
import type { EventOutput } from './event-output.js';
import { EventWriter } from './event-writer.js';
import { combineHashes } from './hash.js';
import { InputPositions, StreamGapError } from './input-positions.js';
import { defaultPricing, MarketPricing, type PricingConfig } from './market-pricing.js';

const PO = PlaceOrderLayout.offsets;
const CO = CancelOrderLayout.offsets;
const CA = CancelAllOrdersLayout.offsets;
const AM = AmendOrderLayout.offsets;
const SC = SetAccountConfigLayout.offsets;
const MK = SetMarkPriceLayout.offsets;
const IX = UpdateIndexPriceLayout.offsets;
const DL = DeleverageLayout.offsets;

export type BookFactory = (spec: MarketSpec, sink: BookEventSink) => Book;
export const fastBook: BookFactory = (spec, sink) => new OrderBook(spec, sink);

export { StreamGapError };

export class MarketShard {
  private readonly books = new Map<number, Book>();
  private readonly pricing = new Map<number, MarketPricing>();
  /** Market ids in ascending order: the only order anything iterates markets in. */
  readonly marketIds: readonly number[];
  private readonly writer: EventWriter;
  private readonly req = new OrderRequest();
  private readonly rejection = new BookEvent();
  private readonly positions = new InputPositions();
  /** Commands handled. */
  handled = 0;

  constructor(
    markets: readonly MarketConfig[],
    private readonly gateway: EventOutput,
    private readonly risk: readonly EventOutput[],
    factory: BookFactory = fastBook,
    /** Mark and funding settings per market id; markets without an entry use defaultPricing(). */
    pricing: ReadonlyMap<number, PricingConfig> = new Map(),
    /** Every event again, for the surveillance worker (none: not wired). */
    private readonly surveillance?: EventOutput,
  ) {
    this.writer = new EventWriter(gateway, risk, surveillance);
    for (const config of markets) {
      const spec = new MarketSpec(config);
      if (this.books.has(spec.marketId)) throw new Error(`market ${spec.marketId} configured twice`);
      const book = factory(spec, this.writer);
      this.books.set(spec.marketId, book);
      this.pricing.set(spec.marketId, new MarketPricing(book, pricing.get(spec.marketId) ?? defaultPricing()));
    }
    this.marketIds = [...this.books.keys()].sort((a, b) => a - b);
  }

  book(marketId: number): Book | undefined {
    return this.books.get(marketId);
  }

  lastSeq(input: number): number {
    return this.positions.lastSeq(input);
  }

  /** Re-delivered records skipped, for monitoring. */
  get duplicates(): number {
    return this.positions.duplicates;
  }

  /** Events written to all streams since start. */
  get eventCount(): number {
    return this.writer.eventCount;
  }

  /** Publishes what the last batch of handle() calls wrote. */
  flush(): void {
    this.writer.flush();
  }

  handle(buf: RecordBuffer, at: number, input: number): void {
    if (!this.positions.accept(input, buf.seq(at))) return;
    this.handled++;

    const type = buf.type(at);
    if (type === RecordType.AdvanceTime) return this.advanceTime(buf.timeUs(at));
    const book = this.books.get(buf.marketId(at));
    if (book === undefined) return this.reject(buf, at, type, Code.UNKNOWN_MARKET);
    const accountId = buf.accountId(at);
    const timeUs = buf.timeUs(at);
    switch (type) {
      case RecordType.PlaceOrder: {
        const reduceOnly = buf.u8At(at, PO.reduceOnly);
        if (reduceOnly > 1) return this.reject(buf, at, type, Code.INVALID_FLAGS);
        const r = this.req;
        r.orderId = buf.u53At(at, PO.orderId);
        r.accountId = accountId;
        r.clientOrderId = buf.u53At(at, PO.clientOrderId);
        r.side = buf.u8At(at, PO.side) as OrderRequest['side'];
        r.orderType = buf.u8At(at, PO.orderType) as OrderRequest['orderType'];
        r.timeInForce = buf.u8At(at, PO.timeInForce) as OrderRequest['timeInForce'];
        r.stpMode = buf.u8At(at, PO.stpMode) as OrderRequest['stpMode'];
        r.triggerSource = buf.u8At(at, PO.triggerSource) as OrderRequest['triggerSource'];
        r.reduceOnly = reduceOnly === 1;
        r.origin = buf.u8At(at, PO.origin) as OrderRequest['origin'];
        r.priceTicks = buf.u53At(at, PO.priceTicks);
        r.qtyLots = buf.u53At(at, PO.qtyLots);
        r.triggerPriceTicks = buf.u53At(at, PO.triggerPriceTicks);
        r.timeUs = timeUs;
        book.place(r);
        return;
      }
      case RecordType.CancelOrder:
        book.cancel(accountId, buf.u53At(at, CO.orderId), buf.u53At(at, CO.clientOrderId), CancelReason.USER, timeUs);
        return;
      case RecordType.CancelAllOrders: {
        const reason = buf.u8At(at, CA.reason);
        if (reason < CancelReason.USER || reason > CancelReason.ADMIN) return this.reject(buf, at, type, Code.INVALID_FLAGS);
        book.cancelAll(accountId, reason as CancelReason, timeUs);
        return;
      }
      case RecordType.AmendOrder:
        book.amend(accountId, buf.u53At(at, AM.orderId), buf.u53At(at, AM.clientOrderId), buf.u53At(at, AM.newPriceTicks), buf.u53At(at, AM.newQtyLots), timeUs);
        return;
      case RecordType.SetAccountConfig: {
        const stp = buf.u8At(at, SC.stpMode);
        if (stp !== StpMode.EXPIRE_TAKER && stp !== StpMode.EXPIRE_MAKER && stp !== StpMode.EXPIRE_BOTH) {
          return this.reject(buf, at, type, Code.INVALID_STP_MODE);
        }
        book.setAccountStp(accountId, stp);
        return;
      }
      case RecordType.SetMarkPrice: {
        const mark = buf.u53At(at, MK.markPriceTicks);
        if (mark < 1 || mark > book.spec.maxPriceTicks) return this.reject(buf, at, type, Code.PRICE_OUT_OF_RANGE);
        book.setMarkPrice(mark, timeUs);
        return;
      }
      case RecordType.Deleverage:
        book.deleverage(accountId, buf.u32At(at, DL.counterpartyAccountId), buf.u8At(at, DL.side) as OrderRequest['side'], buf.u53At(at, DL.qtyLots), buf.u53At(at, DL.priceTicks), buf.u53At(at, DL.deleverageId), timeUs);
        return;
      case RecordType.UpdateIndexPrice: {
        const index = buf.u53At(at, IX.indexPriceTicks);
        const stale = buf.u8At(at, IX.stale);
        if (buf.u8At(at, IX.origin) > IndexOrigin.SIMULATED) return this.reject(buf, at, type, Code.INVALID_FLAGS);
        if (stale > 1 || (stale === 0 && (index < 1 || index > book.spec.maxPriceTicks))) return this.reject(buf, at, type, Code.PRICE_OUT_OF_RANGE);
        const marketId = book.spec.marketId;
        const pricing = this.pricing.get(marketId)!;
        this.applyFunding(marketId, pricing, timeUs);
        const mark = pricing.onIndex(BigInt(index), stale === 1, timeUs);
        if (mark.markTicks > 0n) {
          if (!mark.stale) book.setMarkPrice(Number(mark.markTicks), timeUs);
          this.writer.markPriceUpdated(marketId, timeUs, mark.markTicks, pricing.indexTicks, pricing.lastFundingRate, pricing.nextFundingUs, mark.stale);
        }
        return;
      }
      case RecordType.RecordIndexSource:
        // The record of what an index source returned: kept by the journal of this input, used by nobody here.
        return;
      default:
        return this.reject(buf, at, type, Code.UNKNOWN_COMMAND);
    }
  }

  /** A timer tick: every market's samples and funding times up to timeUs, in market order. */
  private advanceTime(timeUs: number): void {
    for (const id of this.marketIds) this.applyFunding(id, this.pricing.get(id)!, timeUs);
  }

  private applyFunding(marketId: number, pricing: MarketPricing, timeUs: number): void {
    const due = pricing.advance(timeUs);
    if (due === undefined) return;
    this.writer.fundingRateApplied(marketId, timeUs, due.rate, due.markTicks, pricing.config.fundingIntervalUs, due.fundingTimeUs, due.premiumRate);
  }

  /** Mark and funding state of a market (tests, snapshots). */
  pricingOf(marketId: number): MarketPricing | undefined {
    return this.pricing.get(marketId);
  }

  /** A command the shard refuses before any book sees it: one OrderRejected, nothing else changes. */
  private reject(buf: RecordBuffer, at: number, commandType: number, code: number): void {
    const ev = this.rejection;
    ev.type = BookEventType.ORDER_REJECTED;
    ev.marketId = buf.marketId(at);
    ev.timeUs = buf.timeUs(at);
    ev.accountId = buf.accountId(at);
    ev.code = code;
    ev.commandType = commandType;
    const isOrderCommand = commandType === RecordType.PlaceOrder || commandType === RecordType.CancelOrder || commandType === RecordType.AmendOrder;
    // PlaceOrder, CancelOrder and AmendOrder all keep orderId and clientOrderId at the same offsets.
    ev.orderId = isOrderCommand ? buf.u53At(at, PO.orderId) : 0;
    ev.clientOrderId = isOrderCommand ? buf.u53At(at, PO.clientOrderId) : 0;
    const place = commandType === RecordType.PlaceOrder;
    ev.priceTicks = place ? buf.u53At(at, PO.priceTicks) : 0;
    ev.qtyLots = place ? buf.u53At(at, PO.qtyLots) : 0;
    ev.side = place ? (buf.u8At(at, PO.side) as BookEvent['side']) : 0;
    ev.orderType = place ? (buf.u8At(at, PO.orderType) as BookEvent['orderType']) : 0;
    ev.origin = place ? (buf.u8At(at, PO.origin) as BookEvent['origin']) : 0;
    ev.reduceOnly = place && buf.u8At(at, PO.reduceOnly) === 1;
    this.writer.emit(ev);
  }

  /**
   * Hash of the whole shard state: every book's state hash in market order, the last sequence consumed
   * from each input stream and the next sequence of each output stream.
   */
  stateHash(): bigint {
    const parts: bigint[] = [];
    for (const id of this.marketIds) parts.push(BigInt(id), this.books.get(id)!.stateHash(), ...this.pricing.get(id)!.stateParts());
    const inputs = this.positions.snapshot();
    parts.push(BigInt(inputs.length));
    for (const seq of inputs) parts.push(BigInt(seq));
    parts.push(BigInt(this.gateway.nextSeq));
    for (const r of this.risk) parts.push(BigInt(r.nextSeq));
    if (this.surveillance !== undefined) parts.push(BigInt(this.surveillance.nextSeq));
    return combineHashes(parts);
  }
}
