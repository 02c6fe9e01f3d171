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
//
// Before any book or pricing state sees a record (docs/COMMANDS.md): its time (the gateway's feeds,
// UpdateIndexPrice and AdvanceTime, move the shard's clock and meet ShardClock's rule; every other record
// only has to carry a time at most MAX_TIME_US), its header flags, and every u53 field of its layout
// (command-fields.ts). A record refused there, or by a book, gets one OrderRejected and changes nothing
// else. Every command gets exactly one answer: OrderAccepted / OrderCancelled / OrderAmended /
// CommandApplied / MarkPriceUpdated / TradeExecuted (Deleverage) / the IOC's events (LiquidationSweep),
// or OrderRejected.
//
// Markets come from the constructor (the configuration) or from ListMarket groups the risk shards forward
// (markets created at run time): market-listings.ts holds them, their books and pricing, and the listings.

import { Code } from '../codes.js';
import { CancelReason, IndexOrigin, OrderOrigin, StpMode } from '../enums.js';
import { BookEvent, BookEventType, OrderRequest, type Book } from '../book/types.js';
import type { MarketConfig } from '../market/spec.js';
import { AmendOrderLayout } from '../ring/layouts/amend-order.js';
import { CancelAllOrdersLayout } from '../ring/layouts/cancel-all-orders.js';
import { CancelOrderLayout } from '../ring/layouts/cancel-order.js';
import { PlaceOrderLayout } from '../ring/layouts/place-order.js';
import { SetAccountConfigLayout } from '../ring/layouts/set-account-config.js';
import { SetMarkPriceLayout } from '../ring/layouts/set-mark-price.js';
import { UpdateIndexPriceLayout } from '../ring/layouts/update-index-price.js';
import { DeleverageLayout } from '../ring/layouts/deleverage.js';
import { MarketStatus, SetMarketStatusLayout } from '../ring/layouts/set-market-status.js';
import { HeaderFlag, MAX_TIME_US, type RecordBuffer } from '../ring/record.js';
import { RecordType } from '../ring/types.js';
import { clientOrderIdOf, commandIdOf, fieldRangeCode, flagsCode, u53OrZero } from './command-fields.js';
import type { EventOutput } from './event-output.js';
import { EventWriter } from './event-writer.js';
import { InputEndMarker } from './input-end-marker.js';
import { combineHashes } from './hash.js';
import { InputPositions, StreamGapError } from './input-positions.js';
import { readPlaceOrder } from './place-order-request.js';
import { executeSweep } from './liquidation-sweep.js';
import { fastBook, MarketListings, type BookFactory } from './market-listings.js';
import type { MarketPricing, PricingConfig } from './market-pricing.js';
import { DEFAULT_TIME_HORIZON_US, isTimeCode, ShardClock } from './shard-clock.js';
import { encodeMarketShard, openMarketSnapshot } from './market-snapshot.js';
import { checkOutputs, type ShardStreams } from '../snapshot/shard-streams.js';
import type { DecodeOptions } from '../snapshot/snapshot-checks.js';
import { constructed, hex64 } from '../snapshot/snapshot-checks.js';
import { SnapshotError } from '../snapshot/snapshot-error.js';
import type { EncodeBuffer } from '../snapshot/snapshot-writer.js';

const PO = PlaceOrderLayout.offsets;
const CO = CancelOrderLayout.offsets;
const CA = CancelAllOrdersLayout.offsets;
const AM = AmendOrderLayout.offsets;
const SC = SetAccountConfigLayout.offsets;
const MK = SetMarkPriceLayout.offsets;
const IX = UpdateIndexPriceLayout.offsets;
const DL = DeleverageLayout.offsets;
const MS = SetMarketStatusLayout.offsets;
/** Marks the halted markets' part of the state hash. */
const HALTED_TAG = 0x48414c54n;

export { StreamGapError };

export interface MarketDecodeOptions extends DecodeOptions {
  /** The surveillance stream, which the snapshot's shard must have had too (at the same next seq). */
  readonly surveillance?: EventOutput;
}

export class MarketShard {
  /** The shard's markets, configured and listed, with their books and pricing. */
  readonly markets: MarketListings;
  private readonly writer: EventWriter;
  /** The risk streams as the writer sees them: each record says whether its input wrote more after it. */
  private readonly riskStreams: InputEndMarker[];
  private readonly req = new OrderRequest();
  private readonly rejection = new BookEvent();
  private readonly positions = new InputPositions();
  /** Markets an operator halted (SetMarketStatus): accounts' new orders and amendments are refused. */
  private readonly halted = new Set<number>();
  /** The shard's time: the latest UpdateIndexPrice or AdvanceTime it accepted. */
  readonly clock: ShardClock;
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
    /** How far past the shard's current time one index or timer tick may move it (ShardClock). */
    timeHorizonUs: number = DEFAULT_TIME_HORIZON_US,
    /** This shard's index in the topology (snapshots and logs name it). */
    readonly shardId = 0,
  ) {
    this.clock = new ShardClock(timeHorizonUs);
    this.riskStreams = risk.map((o) => new InputEndMarker(o));
    this.writer = new EventWriter(gateway, this.riskStreams, surveillance);
    this.markets = new MarketListings(markets, pricing, factory, this.writer, shardId, 1 + risk.length);
  }

  /** The markets' configurations as given to the constructor, ascending id (snapshots carry them). */
  get configs(): readonly MarketConfig[] {
    return this.markets.configs;
  }

  /** Market ids in ascending order, listed ones included. */
  get marketIds(): readonly number[] {
    return this.markets.marketIds;
  }

  book(marketId: number): Book | undefined {
    return this.markets.book(marketId);
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
    this.apply(buf, at, input);
    for (let i = 0; i < this.riskStreams.length; i++) this.riskStreams[i]!.endInput();
  }

  private apply(buf: RecordBuffer, at: number, input: number): void {

    const type = buf.type(at);
    const timeUs = buf.timeUs(at);
    // The gateway's feeds move the shard's time; anything else only has to carry a time that fits.
    const movesTime = type === RecordType.AdvanceTime || type === RecordType.UpdateIndexPrice;
    let code = movesTime ? this.clock.check(timeUs) : timeUs <= MAX_TIME_US ? Code.OK : Code.TIME_OUT_OF_RANGE;
    if (code === Code.OK) code = flagsCode(buf, at);
    if (code === Code.OK) code = fieldRangeCode(buf, at, type);
    if (code !== Code.OK) return this.reject(buf, at, type, code);
    if (type === RecordType.AdvanceTime) return this.advanceTime(timeUs);
    if (type === RecordType.ListMarket) {
      const listed = this.markets.takePart(buf, at, input, timeUs);
      return listed === Code.OK ? undefined : this.reject(buf, at, type, listed);
    }
    const book = this.markets.book(buf.marketId(at));
    if (book === undefined) return this.reject(buf, at, type, Code.UNKNOWN_MARKET);
    const accountId = buf.accountId(at);
    switch (type) {
      case RecordType.PlaceOrder:
        if (buf.u8At(at, PO.reduceOnly) > 1) return this.reject(buf, at, type, Code.INVALID_FLAGS);
        // The engine's own orders (liquidation, ADL) go on in a halted market: risk must still be closed.
        if (this.halted.has(book.spec.marketId) && buf.u8At(at, PO.origin) === OrderOrigin.USER) return this.reject(buf, at, type, Code.MARKET_HALTED);
        book.place(readPlaceOrder(buf, at, this.req));
        return;
      case RecordType.CancelOrder:
        book.cancel(accountId, buf.u53At(at, CO.orderId), buf.u53At(at, CO.clientOrderId), CancelReason.USER, timeUs);
        return;
      case RecordType.CancelAllOrders: {
        const reason = buf.u8At(at, CA.reason);
        if (reason < CancelReason.USER || reason > CancelReason.ADMIN) return this.reject(buf, at, type, Code.INVALID_FLAGS);
        const cancelled = book.cancelAll(accountId, reason as CancelReason, timeUs);
        this.writer.commandApplied(book.spec.marketId, timeUs, accountId, type, buf.u53At(at, CA.requestId), cancelled);
        return;
      }
      case RecordType.AmendOrder:
        if (this.halted.has(book.spec.marketId)) return this.reject(buf, at, type, Code.MARKET_HALTED);
        book.amend(accountId, buf.u53At(at, AM.orderId), buf.u53At(at, AM.clientOrderId), buf.u53At(at, AM.newPriceTicks), buf.u53At(at, AM.newQtyLots), timeUs);
        return;
      case RecordType.SetAccountConfig: {
        const stp = buf.u8At(at, SC.stpMode);
        if (stp !== StpMode.EXPIRE_TAKER && stp !== StpMode.EXPIRE_MAKER && stp !== StpMode.EXPIRE_BOTH) {
          return this.reject(buf, at, type, Code.INVALID_STP_MODE);
        }
        if (book.setAccountStp(accountId, stp) === Code.OK) this.writer.commandApplied(book.spec.marketId, timeUs, accountId, type, buf.u53At(at, SC.requestId), 0);
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
      case RecordType.LiquidationSweep: {
        // The risk shards' alone: the gateway's input (0) carries feeds, never the pipeline's commands.
        const swept = input === 0 ? Code.NOT_PERMITTED : executeSweep(book, buf, at, this.req);
        if (swept !== Code.OK) this.reject(buf, at, type, swept);
        return;
      }
      case RecordType.UpdateIndexPrice: {
        const index = buf.u53At(at, IX.indexPriceTicks);
        const stale = buf.u8At(at, IX.stale);
        if (buf.u8At(at, IX.origin) > IndexOrigin.SIMULATED) return this.reject(buf, at, type, Code.INVALID_FLAGS);
        if (stale > 1 || index > book.spec.maxPriceTicks || (stale === 0 && index < 1)) return this.reject(buf, at, type, Code.PRICE_OUT_OF_RANGE);
        this.clock.advance(timeUs);
        const marketId = book.spec.marketId;
        const pricing = this.markets.pricingOf(marketId)!;
        this.applyFunding(marketId, pricing, timeUs);
        const mark = pricing.onIndex(BigInt(index), stale === 1, timeUs);
        // Always published, a mark of 0 included (none yet: a stale index before any mark), so every index
        // tick gets exactly one answer; and published before the book sees the mark, so the risk shards
        // settle the trades of the stops it triggers at this mark, never the previous one.
        this.writer.markPriceUpdated(marketId, timeUs, mark.markTicks, pricing.indexTicks, pricing.lastFundingRate, pricing.nextFundingUs, mark.stale);
        if (mark.markTicks > 0n && !mark.stale) book.setMarkPrice(Number(mark.markTicks), timeUs);
        return;
      }
      case RecordType.SetMarketStatus: {
        // The operator's, from the gateway's own input only (risk shards never forward one).
        if (input !== 0 || (buf.flags(at) & HeaderFlag.OPERATOR) === 0) return this.reject(buf, at, type, Code.NOT_PERMITTED);
        const status = buf.u8At(at, MS.status);
        if (status !== MarketStatus.OPEN && status !== MarketStatus.HALTED) return this.reject(buf, at, type, Code.INVALID_FLAGS);
        if (status === MarketStatus.HALTED) this.halted.add(book.spec.marketId);
        else this.halted.delete(book.spec.marketId);
        this.writer.commandApplied(book.spec.marketId, timeUs, accountId, type, buf.u53At(at, MS.requestId), 0);
        return;
      }
      case RecordType.RecordIndexSource:
        // The record of what an index source returned: kept by the journal of this input, used by nobody here.
        return;
      default:
        return this.reject(buf, at, type, Code.UNKNOWN_COMMAND);
    }
  }

  /**
   * A timer tick: every market's samples and funding times up to timeUs, in market order; then, on a tick
   * that settled no funding here, a market whose index has been silent too long goes stale, published like
   * a stale index tick (mark frozen). A tick that settles funding leaves that check to the next tick: the
   * risk shard's funding round must see nothing but that tick's funding from every market shard, in
   * whatever order the threads deliver it (risk/shard/funding-settlement.ts).
   */
  private advanceTime(timeUs: number): void {
    this.clock.advance(timeUs);
    let funded = false;
    for (const id of this.marketIds) funded = this.applyFunding(id, this.markets.pricingOf(id)!, timeUs) || funded;
    if (funded) return;
    for (const id of this.marketIds) {
      const pricing = this.markets.pricingOf(id)!;
      if (pricing.checkSilence(timeUs)) this.writer.markPriceUpdated(id, timeUs, pricing.markTicks, pricing.indexTicks, pricing.lastFundingRate, pricing.nextFundingUs, true);
    }
  }

  /** Samples and funding of one market up to timeUs; true when a funding was settled (and published). */
  private applyFunding(marketId: number, pricing: MarketPricing, timeUs: number): boolean {
    const due = pricing.advance(timeUs);
    if (due === undefined) return false;
    this.writer.fundingRateApplied(marketId, timeUs, due.rate, due.markTicks, pricing.config.fundingIntervalUs, due.fundingTimeUs, due.premiumRate);
    return true;
  }

  /** Mark and funding state of a market (tests, snapshots). */
  pricingOf(marketId: number): MarketPricing | undefined {
    return this.markets.pricingOf(marketId);
  }

  /**
   * A command the shard refuses before any book sees it: one OrderRejected, nothing else changes. It echoes
   * the command's ids (and a PlaceOrder's price and quantity) only where they hold a u53, and carries the
   * command's time unless the time is what was refused (then the shard's own).
   */
  private reject(buf: RecordBuffer, at: number, commandType: number, code: number): void {
    const ev = this.rejection;
    ev.type = BookEventType.ORDER_REJECTED;
    ev.marketId = buf.marketId(at);
    ev.timeUs = isTimeCode(code) ? this.clock.nowUs : buf.timeUs(at);
    ev.accountId = buf.accountId(at);
    ev.code = code;
    ev.commandType = commandType;
    ev.orderId = commandIdOf(buf, at);
    ev.clientOrderId = clientOrderIdOf(buf, at);
    const place = commandType === RecordType.PlaceOrder;
    ev.priceTicks = place ? u53OrZero(buf.u53At(at, PO.priceTicks)) : 0;
    ev.qtyLots = place ? u53OrZero(buf.u53At(at, PO.qtyLots)) : 0;
    ev.side = place ? (buf.u8At(at, PO.side) as BookEvent['side']) : 0;
    ev.orderType = place ? (buf.u8At(at, PO.orderType) as BookEvent['orderType']) : 0;
    ev.origin = place ? (buf.u8At(at, PO.origin) as BookEvent['origin']) : 0;
    ev.reduceOnly = place && buf.u8At(at, PO.reduceOnly) === 1;
    this.writer.emit(ev);
  }

  /** Where the shard stands in its streams (snapshots: engine/snapshot/shard-streams.ts). */
  streamPositions(): ShardStreams {
    return {
      inputs: this.positions.snapshot(),
      duplicates: this.positions.duplicates,
      handled: this.handled,
      gatewayNextSeq: this.gateway.nextSeq,
      outputNextSeqs: this.risk.map((r) => r.nextSeq),
      surveillanceNextSeq: this.surveillance?.nextSeq ?? 0,
      clockUs: this.clock.nowUs,
      counters: [this.writer.eventCount],
    };
  }

  /** Snapshot decode: the stream positions and counters of the encoded shard. */
  restoreStreams(s: ShardStreams): void {
    checkOutputs(s, this.gateway, this.risk, 'risk', this.surveillance);
    this.positions.restore(s.inputs, s.duplicates);
    this.clock.advance(s.clockUs);
    this.handled = s.handled;
    this.writer.eventCount = s.counters[0] ?? 0;
  }

  /**
   * The whole state as snapshot bytes (market-snapshot.ts, docs/SNAPSHOTS.md). Call between records.
   * `into`: a buffer kept between encodes by a caller done with each snapshot before the next
   * (EncodeBuffer); the bytes are then a view of it, overwritten by the next encode into it.
   */
  encodeState(into?: EncodeBuffer): Uint8Array {
    return encodeMarketShard(this, into);
  }

  /**
   * A shard from snapshot bytes, writing to these outputs, which must continue the encoded shard's
   * streams (readSnapshotStreams gives their next seqs). Its state hash is checked against the one the
   * snapshot recorded (unless options.verifyHash is false); anything that does not add up is a
   * SnapshotError.
   */
  static decode(bytes: Uint8Array, gateway: EventOutput, risk: readonly EventOutput[], options: MarketDecodeOptions = {}): MarketShard {
    const snapshot = openMarketSnapshot(bytes);
    checkOutputs(snapshot.streams, gateway, risk, 'risk', options.surveillance);
    const c = snapshot.config;
    const pricing = new Map(c.markets.map((m, i) => [m.marketId, c.pricing[i]!]));
    const shard = constructed(() => new MarketShard(c.markets, gateway, risk, fastBook, pricing, options.surveillance, c.timeHorizonUs, snapshot.header.shardId));
    snapshot.restoreInto(shard);
    if (options.verifyHash === false) return shard;
    const hash = shard.stateHash();
    if (hash !== snapshot.header.stateHash) throw new SnapshotError(Code.SNAPSHOT_HASH_MISMATCH, `market shard ${shard.shardId}: decoded state hashes to ${hex64(hash)}, the snapshot recorded ${hex64(snapshot.header.stateHash)}`);
    return shard;
  }

  /**
   * Hash of the whole shard state: the shard's time, every book's state hash and pricing state in market
   * order, the last sequence consumed from each input stream and the next sequence of each output stream.
   */
  stateHash(): bigint {
    const parts = this.stateParts();
    const inputs = this.positions.snapshot();
    parts.push(BigInt(inputs.length));
    for (const seq of inputs) parts.push(BigInt(seq));
    parts.push(BigInt(this.gateway.nextSeq));
    for (const r of this.risk) parts.push(BigInt(r.nextSeq));
    if (this.surveillance !== undefined) parts.push(BigInt(this.surveillance.nextSeq));
    return combineHashes(parts);
  }

  /** The state hash without stream positions: what a refused command must leave unchanged. */
  stateHashExcludingStreams(): bigint {
    return combineHashes(this.stateParts());
  }

  private stateParts(): bigint[] {
    const parts: bigint[] = [BigInt(this.clock.nowUs)];
    for (const id of this.marketIds) parts.push(BigInt(id), this.book(id)!.stateHash(), ...this.pricingOf(id)!.stateParts());
    // Halted markets, in id order, only when there are any: a shard that never halted hashes as before.
    const halted = this.haltedMarkets();
    if (halted.length > 0) parts.push(HALTED_TAG, BigInt(halted.length), ...halted.map(BigInt));
    // Likewise the listings (which markets came from one, and from which bytes) and partial groups.
    parts.push(...this.markets.listingParts());
    return parts;
  }

  /** Markets halted now, ascending (snapshots, tools). */
  haltedMarkets(): number[] {
    return this.marketIds.filter((id) => this.halted.has(id));
  }

  /** Restores the halted set (snapshot decode only: ids the snapshot's CONF checked against the markets). */
  restoreHalted(ids: readonly number[]): void {
    this.halted.clear();
    for (const id of ids) this.halted.add(id);
  }
}
