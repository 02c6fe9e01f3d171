// EventWriter: the market shard's BookEventSink. It encodes each BookEvent once into a scratch record
// and appends it to the streams that need it:
//
//   every event ─────────────────────────────▶ gateway stream  (acks, user updates, market data)
//   order lifecycle of account a ────────────▶ risk stream of a's risk shard (a mod R)
//   trade ───────────────────────────────────▶ risk stream of the taker's shard, and of the maker's
//                                              when that is another shard
//   level changes ───────────────────────────▶ gateway only (risk reads prices from marks and trades)
//   CommandApplied, MarketListed, and ──────▶ gateway (and surveillance) only: answers the risk shards
//   OrderRejected of the gateway's feeds       keep no state for
//   (index ticks, their sources' records,
//   timer ticks) and of the operator's
//   market halts and listings
//   mark price, funding rate ────────────────▶ gateway and every risk stream
//   every event ─────────────────────────────▶ surveillance stream, when one is wired (the surveillance
//                                              worker needs the whole order lifecycle and the L2 book)
//
// Hot path: field offsets are module constants, the scratch record is reused, nothing is allocated.
// Every value written is bounded by the shard's entry checks (docs/COMMANDS.md, "Field ranges"); the
// rates, which a market whose prices span many orders of magnitude could take past i64 (a premium of an
// impact price 2^52 ticks over an index of 1), are published at the i64 bound rather than wrapped.

import { BookEventType, type BookEvent, type BookEventSink } from '../book/types.js';
import { BookLevelChangedLayout } from '../ring/layouts/book-level-changed.js';
import { CommandAppliedLayout } from '../ring/layouts/command-applied.js';
import { FundingRateAppliedLayout } from '../ring/layouts/funding-rate-applied.js';
import { MarkPriceUpdatedLayout } from '../ring/layouts/mark-price-updated.js';
import { ListedBy, MarketListedLayout } from '../ring/layouts/market-listed.js';
import { OrderAcceptedLayout } from '../ring/layouts/order-accepted.js';
import { OrderAmendedLayout } from '../ring/layouts/order-amended.js';
import { OrderCancelledLayout } from '../ring/layouts/order-cancelled.js';
import { OrderRejectedLayout } from '../ring/layouts/order-rejected.js';
import { OrderTriggeredLayout } from '../ring/layouts/order-triggered.js';
import { TradeExecutedLayout } from '../ring/layouts/trade-executed.js';
import { RecordBuffer } from '../ring/record.js';
import { RecordType } from '../ring/types.js';
import type { EventOutput } from './event-output.js';

const ACC = OrderAcceptedLayout.offsets;
const REJ = OrderRejectedLayout.offsets;
const TRD = TradeExecutedLayout.offsets;
const END = OrderCancelledLayout.offsets; // OrderExpired shares these offsets (ORDER_ENDED_FIELDS)
const AMD = OrderAmendedLayout.offsets;
const TRG = OrderTriggeredLayout.offsets;
const LVL = BookLevelChangedLayout.offsets;
const MPU = MarkPriceUpdatedLayout.offsets;
const FRA = FundingRateAppliedLayout.offsets;
const APL = CommandAppliedLayout.offsets;
const MLS = MarketListedLayout.offsets;
const MAX_I64 = (1n << 63n) - 1n;

/** An i64 field's value: v, or the bound it passed. */
function saturated(v: bigint): bigint {
  return v > MAX_I64 ? MAX_I64 : v < -MAX_I64 ? -MAX_I64 : v;
}

export class EventWriter implements BookEventSink {
  private readonly scratch = RecordBuffer.allocate(1);
  /** Events written since construction, for monitoring. */
  eventCount = 0;

  constructor(
    private readonly gateway: EventOutput,
    private readonly risk: readonly EventOutput[],
    private readonly surveillance?: EventOutput,
  ) {}

  emit(ev: BookEvent): void {
    const b = this.scratch;
    b.begin(0, ev.type, ev.timeUs, ev.marketId, ev.accountId);
    switch (ev.type) {
      case BookEventType.ORDER_ACCEPTED:
        b.setU53(0, ACC.orderId, ev.orderId);
        b.setU53(0, ACC.clientOrderId, ev.clientOrderId);
        b.setU53(0, ACC.priceTicks, ev.priceTicks);
        b.setU53(0, ACC.qtyLots, ev.qtyLots);
        b.setU53(0, ACC.triggerPriceTicks, ev.triggerPriceTicks);
        b.setU8(0, ACC.side, ev.side);
        b.setU8(0, ACC.orderType, ev.orderType);
        b.setU8(0, ACC.timeInForce, ev.timeInForce);
        b.setU8(0, ACC.stpMode, ev.stpMode);
        b.setU8(0, ACC.triggerSource, ev.triggerSource);
        b.setU8(0, ACC.reduceOnly, ev.reduceOnly ? 1 : 0);
        b.setU8(0, ACC.origin, ev.origin);
        break;
      case BookEventType.ORDER_REJECTED:
        b.setU53(0, REJ.orderId, ev.orderId);
        b.setU53(0, REJ.clientOrderId, ev.clientOrderId);
        b.setU16(0, REJ.code, ev.code);
        b.setU16(0, REJ.commandType, ev.commandType);
        b.setU53(0, REJ.priceTicks, ev.priceTicks);
        b.setU53(0, REJ.qtyLots, ev.qtyLots);
        b.setU8(0, REJ.side, ev.side);
        b.setU8(0, REJ.orderType, ev.orderType);
        b.setU8(0, REJ.origin, ev.origin);
        b.setU8(0, REJ.reduceOnly, ev.reduceOnly ? 1 : 0);
        if (ev.commandType === RecordType.UpdateIndexPrice || ev.commandType === RecordType.RecordIndexSource || ev.commandType === RecordType.AdvanceTime || ev.commandType === RecordType.SetMarketStatus || ev.commandType === RecordType.ListMarket) {
          this.gateway.append(b, 0);
          this.eventCount++;
          if (this.surveillance !== undefined) this.surveillance.append(b, 0);
          return;
        }
        break;
      case BookEventType.TRADE_EXECUTED:
        b.setU53(0, TRD.takerOrderId, ev.orderId);
        b.setU53(0, TRD.makerOrderId, ev.makerOrderId);
        b.setU53(0, TRD.tradeId, ev.tradeId);
        b.setU53(0, TRD.takerClientOrderId, ev.clientOrderId);
        b.setU53(0, TRD.makerClientOrderId, ev.makerClientOrderId);
        b.setU53(0, TRD.priceTicks, ev.priceTicks);
        b.setU53(0, TRD.qtyLots, ev.qtyLots);
        b.setU32(0, TRD.makerAccountId, ev.makerAccountId);
        b.setU53(0, TRD.takerRemainingLots, ev.remainingLots);
        b.setU53(0, TRD.makerRemainingLots, ev.makerRemainingLots);
        b.setU8(0, TRD.takerSide, ev.side);
        b.setU8(0, TRD.takerOrigin, ev.origin);
        b.setU8(0, TRD.makerOrigin, ev.makerOrigin);
        break;
      case BookEventType.ORDER_CANCELLED:
      case BookEventType.ORDER_EXPIRED:
        b.setU53(0, END.orderId, ev.orderId);
        b.setU53(0, END.clientOrderId, ev.clientOrderId);
        b.setU53(0, END.priceTicks, ev.priceTicks);
        b.setU53(0, END.remainingLots, ev.remainingLots);
        b.setU53(0, END.filledLots, ev.filledLots);
        b.setU8(0, END.side, ev.side);
        b.setU8(0, END.reason, ev.reason);
        b.setU8(0, END.origin, ev.origin);
        b.setU8(0, END.orderType, ev.orderType);
        break;
      case BookEventType.ORDER_AMENDED:
        b.setU53(0, AMD.orderId, ev.orderId);
        b.setU53(0, AMD.clientOrderId, ev.clientOrderId);
        b.setU53(0, AMD.oldPriceTicks, ev.oldPriceTicks);
        b.setU53(0, AMD.newPriceTicks, ev.priceTicks);
        b.setU53(0, AMD.oldQtyLots, ev.oldQtyLots);
        b.setU53(0, AMD.newQtyLots, ev.qtyLots);
        b.setU53(0, AMD.remainingLots, ev.remainingLots);
        b.setU8(0, AMD.side, ev.side);
        b.setU8(0, AMD.keptPriority, ev.keptPriority ? 1 : 0);
        break;
      case BookEventType.ORDER_TRIGGERED:
        b.setU53(0, TRG.orderId, ev.orderId);
        b.setU53(0, TRG.clientOrderId, ev.clientOrderId);
        b.setU53(0, TRG.triggerPriceTicks, ev.triggerPriceTicks);
        b.setU53(0, TRG.observedPriceTicks, ev.observedPriceTicks);
        b.setU8(0, TRG.side, ev.side);
        b.setU8(0, TRG.orderType, ev.orderType);
        b.setU8(0, TRG.triggerSource, ev.triggerSource);
        break;
      case BookEventType.BOOK_LEVEL_CHANGED:
        b.setU53(0, LVL.levelQtyLots, ev.levelQtyLots);
        b.setU53(0, LVL.priceTicks, ev.priceTicks);
        b.setU32(0, LVL.orderCount, ev.orderCount);
        b.setU8(0, LVL.side, ev.side);
        this.gateway.append(b, 0);
        this.eventCount++;
        if (this.surveillance !== undefined) this.surveillance.append(b, 0);
        return;
    }
    this.gateway.append(b, 0);
    this.eventCount++;
    if (this.surveillance !== undefined) this.surveillance.append(b, 0);
    const r = this.risk.length;
    if (r === 0) return;
    const shard = ev.accountId % r;
    this.risk[shard]!.append(b, 0);
    if (ev.type === BookEventType.TRADE_EXECUTED) {
      const makerShard = ev.makerAccountId % r;
      if (makerShard !== shard) this.risk[makerShard]!.append(b, 0);
    }
  }

  markPriceUpdated(marketId: number, timeUs: number, markTicks: bigint, indexTicks: bigint, fundingRate: bigint, nextFundingTimeUs: number, stale: boolean): void {
    const b = this.header(RecordType.MarkPriceUpdated, marketId, timeUs);
    b.setU53(0, MPU.markPriceTicks, Number(markTicks));
    b.setU53(0, MPU.indexPriceTicks, Number(indexTicks));
    b.setI64(0, MPU.fundingRate, saturated(fundingRate));
    b.setU53(0, MPU.nextFundingTimeUs, nextFundingTimeUs);
    b.setU8(0, MPU.stale, stale ? 1 : 0);
    this.broadcast(b);
  }

  fundingRateApplied(marketId: number, timeUs: number, fundingRate: bigint, markTicks: bigint, intervalUs: number, fundingTimeUs: number, premiumRate: bigint): void {
    const b = this.header(RecordType.FundingRateApplied, marketId, timeUs);
    b.setI64(0, FRA.fundingRate, saturated(fundingRate));
    b.setU53(0, FRA.markPriceTicks, Number(markTicks));
    b.setU53(0, FRA.intervalUs, intervalUs);
    b.setU53(0, FRA.fundingTimeUs, fundingTimeUs);
    b.setI64(0, FRA.premiumRate, saturated(premiumRate));
    this.broadcast(b);
  }

  /** The answer to an applied command that has no event of its own (CancelAllOrders, SetAccountConfig). */
  commandApplied(marketId: number, timeUs: number, accountId: number, commandType: number, requestId: number, ordersCancelled: number): void {
    const b = this.header(RecordType.CommandApplied, marketId, timeUs);
    b.setAccountId(0, accountId);
    b.setU53(0, APL.requestId, requestId);
    b.setU16(0, APL.commandType, commandType);
    b.setU32(0, APL.ordersCancelled, ordersCancelled);
    this.gateway.append(b, 0);
    this.eventCount++;
    if (this.surveillance !== undefined) this.surveillance.append(b, 0);
  }

  /** The owner's answer to a ListMarket it applied (the first copy a risk shard forwarded), to the gateway. */
  marketListed(marketId: number, timeUs: number, requestId: number, shard: number, markets: number): void {
    const b = this.header(RecordType.MarketListed, marketId, timeUs);
    b.setU53(0, MLS.requestId, requestId);
    b.setU16(0, MLS.shard, shard);
    b.setU8(0, MLS.by, ListedBy.MARKET_SHARD);
    b.setU16(0, MLS.byShard, shard);
    b.setU16(0, MLS.markets, markets);
    this.gateway.append(b, 0);
    this.eventCount++;
    if (this.surveillance !== undefined) this.surveillance.append(b, 0);
  }

  private header(type: number, marketId: number, timeUs: number): RecordBuffer {
    this.scratch.begin(0, type, timeUs, marketId, 0);
    return this.scratch;
  }

  private broadcast(b: RecordBuffer): void {
    this.gateway.append(b, 0);
    this.eventCount++;
    if (this.surveillance !== undefined) this.surveillance.append(b, 0);
    for (let i = 0; i < this.risk.length; i++) this.risk[i]!.append(b, 0);
  }

  flush(): void {
    this.gateway.flush();
    this.surveillance?.flush();
    for (let i = 0; i < this.risk.length; i++) this.risk[i]!.flush();
  }
}
