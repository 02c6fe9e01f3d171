// RiskEvents: the risk shard's encoder of user events towards the gateway stream. Each method fills one
// reusable scratch record (cleared first, so unused fields read 0) and appends it; nothing is allocated
// per event. Field offsets are module constants taken from the layouts once.
//
//   AccountUpdated PositionUpdated FillSettled FundingPaid LiquidationProgressed InsuranceFundChanged
//   AdlExecuted MarginCallIssued, and OrderRejected for commands this shard refuses itself.
//
// Encoding rules: prices are u53 (a liquidation or bankruptcy price outside [0, 2^53) is published as
// the nearest bound: 0 means "none"); an undefined margin ratio (equity ≤ 0 with a position open, shown
// as ∞) is published as −1. Thread contract: the risk-shard thread.

import { AccountUpdatedLayout } from '../../engine/ring/layouts/account-updated.js';
import { AdlExecutedLayout } from '../../engine/ring/layouts/adl-executed.js';
import { FillSettledLayout } from '../../engine/ring/layouts/fill-settled.js';
import { FundingPaidLayout } from '../../engine/ring/layouts/funding-paid.js';
import { InsuranceFundChangedLayout } from '../../engine/ring/layouts/insurance-fund-changed.js';
import { LiquidationProgressedLayout } from '../../engine/ring/layouts/liquidation-progressed.js';
import { MarginCallIssuedLayout } from '../../engine/ring/layouts/margin-call-issued.js';
import { OrderRejectedLayout } from '../../engine/ring/layouts/order-rejected.js';
import { PlaceOrderLayout } from '../../engine/ring/layouts/place-order.js';
import { PositionUpdatedLayout } from '../../engine/ring/layouts/position-updated.js';
import { MAX_U53, RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import type { EventOutput } from '../../engine/shard/event-output.js';
import type { ScopeFigures } from './scope-margin.js';
import type { MarketRiskState, PositionState } from './state.js';

const ACC = AccountUpdatedLayout.offsets;
const POS = PositionUpdatedLayout.offsets;
const FIL = FillSettledLayout.offsets;
const FUN = FundingPaidLayout.offsets;
const LIQ = LiquidationProgressedLayout.offsets;
const INS = InsuranceFundChangedLayout.offsets;
const ADL = AdlExecutedLayout.offsets;
const MCI = MarginCallIssuedLayout.offsets;
const REJ = OrderRejectedLayout.offsets;
const PO = PlaceOrderLayout.offsets;

const MAX_U53_BIG = BigInt(MAX_U53);

/** A bigint price as a u53 field: clamped to [0, 2^53). */
export function u53Ticks(v: bigint): number {
  return v <= 0n ? 0 : v >= MAX_U53_BIG ? MAX_U53 : Number(v);
}

export class RiskEvents {
  private readonly b = RecordBuffer.allocate(1);
  /** Records written to the gateway stream since start. */
  eventCount = 0;

  constructor(private readonly gateway: EventOutput) {}

  accountUpdated(accountId: number, timeUs: number, walletAtoms: bigint, cross: ScopeFigures, requestId: number, reason: number): void {
    const b = this.start(RecordType.AccountUpdated, timeUs, 0, accountId);
    b.setI64(0, ACC.walletAtoms, walletAtoms);
    b.setI64(0, ACC.equityAtoms, cross.equityAtoms);
    b.setI64(0, ACC.availableAtoms, cross.availableAtoms);
    b.setI64(0, ACC.withdrawableAtoms, cross.withdrawableAtoms);
    b.setI64(0, ACC.maintenanceAtoms, cross.maintenanceAtoms);
    b.setI64(0, ACC.initialAtoms, cross.initialAtoms + cross.orderInitialAtoms);
    b.setI64(0, ACC.marginRatioRate, cross.marginRatio() ?? -1n);
    b.setU53(0, ACC.requestId, requestId);
    b.setU8(0, ACC.reason, reason);
    this.send();
  }

  positionUpdated(pos: PositionState, market: MarketRiskState, timeUs: number, reason: number): void {
    const b = this.start(RecordType.PositionUpdated, timeUs, pos.marketId, pos.accountId);
    const d = pos.derived;
    b.setI64(0, POS.qtyLots, pos.qtyLots);
    b.setI64(0, POS.entryCostAtoms, pos.entryCostAtoms);
    b.setI64(0, POS.realizedPnlAtoms, pos.realizedPnlAtoms);
    b.setI64(0, POS.isolatedMarginAtoms, pos.isolatedMarginAtoms);
    b.setI64(0, POS.unrealizedPnlAtoms, d.unrealizedPnlAtoms);
    b.setU53(0, POS.liquidationPriceTicks, u53Ticks(d.liquidationPriceTicks));
    b.setU53(0, POS.bankruptcyPriceTicks, u53Ticks(d.bankruptcyPriceTicks));
    b.setU53(0, POS.markPriceTicks, u53Ticks(market.markPriceTicks));
    b.setU16(0, POS.leverage, Number(pos.leverage));
    b.setU8(0, POS.tier, d.tier);
    b.setU8(0, POS.marginMode, pos.marginMode);
    b.setU8(0, POS.adlQuintile, d.adlQuintile);
    b.setU8(0, POS.reason, reason);
    this.send();
  }

  fillSettled(
    accountId: number,
    marketId: number,
    timeUs: number,
    orderId: number,
    tradeId: number,
    qtyLots: number,
    priceTicks: number,
    feeAtoms: bigint,
    realizedPnlAtoms: bigint,
    side: number,
    liquidity: number,
    origin: number,
  ): void {
    const b = this.start(RecordType.FillSettled, timeUs, marketId, accountId);
    b.setU53(0, FIL.orderId, orderId);
    b.setU53(0, FIL.tradeId, tradeId);
    b.setU53(0, FIL.qtyLots, qtyLots);
    b.setU53(0, FIL.priceTicks, priceTicks);
    b.setI64(0, FIL.feeAtoms, feeAtoms);
    b.setI64(0, FIL.realizedPnlAtoms, realizedPnlAtoms);
    b.setU8(0, FIL.side, side);
    b.setU8(0, FIL.liquidity, liquidity);
    b.setU8(0, FIL.origin, origin);
    this.send();
  }

  fundingPaid(accountId: number, marketId: number, timeUs: number, rate: bigint, amountAtoms: bigint, positionLots: bigint, markTicks: number, fundingTimeUs: number): void {
    const b = this.start(RecordType.FundingPaid, timeUs, marketId, accountId);
    b.setI64(0, FUN.fundingRate, rate);
    b.setI64(0, FUN.amountAtoms, amountAtoms);
    b.setI64(0, FUN.positionLots, positionLots);
    b.setU53(0, FUN.markPriceTicks, markTicks);
    b.setU53(0, FUN.fundingTimeUs, fundingTimeUs);
    this.send();
  }

  liquidationProgressed(
    accountId: number,
    marketId: number,
    timeUs: number,
    liquidationId: number,
    step: number,
    scopeKind: number,
    qtyLots: bigint,
    priceTicks: bigint,
    scope: ScopeFigures,
    /** What the insurance fund took (> 0) or paid (< 0) in this step. */
    insuranceAtoms: bigint,
  ): void {
    const b = this.start(RecordType.LiquidationProgressed, timeUs, marketId, accountId);
    b.setU53(0, LIQ.liquidationId, liquidationId);
    b.setI64(0, LIQ.qtyLots, qtyLots);
    b.setU53(0, LIQ.priceTicks, u53Ticks(priceTicks));
    b.setI64(0, LIQ.equityAtoms, scope.equityAtoms);
    b.setI64(0, LIQ.maintenanceAtoms, scope.maintenanceAtoms);
    b.setI64(0, LIQ.insuranceAtoms, insuranceAtoms);
    b.setU8(0, LIQ.step, step);
    b.setU8(0, LIQ.scope, scopeKind);
    this.send();
  }

  insuranceFundChanged(relatedAccountId: number, marketId: number, timeUs: number, deltaAtoms: bigint, balanceAtoms: bigint, liquidationId: number, reason: number): void {
    const b = this.start(RecordType.InsuranceFundChanged, timeUs, marketId, relatedAccountId);
    b.setI64(0, INS.deltaAtoms, deltaAtoms);
    b.setI64(0, INS.balanceAtoms, balanceAtoms);
    b.setU53(0, INS.liquidationId, liquidationId);
    b.setU32(0, INS.relatedAccountId, relatedAccountId);
    b.setU8(0, INS.reason, reason);
    this.send();
  }

  adlExecuted(counterpartyAccountId: number, marketId: number, timeUs: number, liquidationId: number, liquidatedAccountId: number, side: number, qtyLots: bigint, priceTicks: bigint): void {
    const b = this.start(RecordType.AdlExecuted, timeUs, marketId, counterpartyAccountId);
    b.setU53(0, ADL.liquidationId, liquidationId);
    b.setU53(0, ADL.qtyLots, u53Ticks(qtyLots));
    b.setU53(0, ADL.priceTicks, u53Ticks(priceTicks));
    b.setU32(0, ADL.liquidatedAccountId, liquidatedAccountId);
    b.setU8(0, ADL.side, side);
    this.send();
  }

  marginCallIssued(accountId: number, marketId: number, timeUs: number, scope: ScopeFigures, scopeKind: number): void {
    const b = this.start(RecordType.MarginCallIssued, timeUs, marketId, accountId);
    b.setI64(0, MCI.equityAtoms, scope.equityAtoms);
    b.setI64(0, MCI.maintenanceAtoms, scope.maintenanceAtoms);
    b.setI64(0, MCI.marginRatioRate, scope.marginRatio() ?? -1n);
    b.setU8(0, MCI.scope, scopeKind);
    this.send();
  }

  /**
   * OrderRejected for a command this shard refuses (nothing changed). orderId is the command's order id,
   * or its request id for account commands (0 when it has neither); a PlaceOrder is echoed like the
   * market shard echoes it.
   */
  rejected(src: RecordBuffer, at: number, code: number, orderId: number, clientOrderId: number): void {
    const type = src.type(at);
    const b = this.start(RecordType.OrderRejected, src.timeUs(at), src.marketId(at), src.accountId(at));
    b.setU53(0, REJ.orderId, orderId);
    b.setU53(0, REJ.clientOrderId, clientOrderId);
    b.setU16(0, REJ.code, code);
    b.setU16(0, REJ.commandType, type);
    if (type === RecordType.PlaceOrder) {
      b.setU53(0, REJ.priceTicks, src.u53At(at, PO.priceTicks));
      b.setU53(0, REJ.qtyLots, src.u53At(at, PO.qtyLots));
      b.setU8(0, REJ.side, src.u8At(at, PO.side));
      b.setU8(0, REJ.orderType, src.u8At(at, PO.orderType));
      b.setU8(0, REJ.origin, src.u8At(at, PO.origin));
      b.setU8(0, REJ.reduceOnly, src.u8At(at, PO.reduceOnly));
    }
    this.send();
  }

  private start(type: number, timeUs: number, marketId: number, accountId: number): RecordBuffer {
    const b = this.b;
    b.clear(0);
    b.setType(0, type);
    b.setTimeUs(0, timeUs);
    b.setMarketId(0, marketId);
    b.setAccountId(0, accountId);
    return b;
  }

  private send(): void {
    this.gateway.append(this.b, 0);
    this.eventCount++;
  }
}
