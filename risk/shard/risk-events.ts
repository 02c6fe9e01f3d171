// RiskEvents: the risk shard's encoder of user events towards the gateway stream. Each method fills one
// reusable scratch record (cleared first, so unused fields read 0) and appends it; nothing is allocated
// per event. Field offsets are module constants taken from the layouts once.
//
//   AccountUpdated PositionUpdated FillSettled FundingPaid LiquidationProgressed InsuranceFundChanged
//   AdlExecuted MarginCallIssued, and OrderRejected for commands this shard refuses itself.
//
// Encoding rules: prices are u53 (a liquidation or bankruptcy price outside [0, 2^53) is published as
// the nearest bound: 0 means "none"); an undefined margin ratio (equity ≤ 0 with a position open, shown
// as ∞) is published as −1. Money fields are read from the state's number slots when they hold the value
// (exact-slot.ts) and written as two 32-bit words, without a bigint; from the bigint slot otherwise.
// Balances stay in their i64 fields by validation (the pool's wallet and fund bounds, docs/COMMANDS.md);
// a figure derived from prices (UPnL, equity, margin at an extreme mark) that passes ±(2^63 − 1) is
// published as that bound, like a price past 2^53, never wrapped into the wrong sign. A rejection echoes
// only ids that hold a u53 (engine/shard/command-fields.ts) and the time it is given, so nothing a
// command carries can make this writer throw.
// Thread contract: the risk-shard thread.

import { AccountUpdatedLayout } from '../../engine/ring/layouts/account-updated.js';
import { AdlExecutedLayout } from '../../engine/ring/layouts/adl-executed.js';
import { FillSettledLayout } from '../../engine/ring/layouts/fill-settled.js';
import { FundingPaidLayout } from '../../engine/ring/layouts/funding-paid.js';
import { InsuranceFundChangedLayout } from '../../engine/ring/layouts/insurance-fund-changed.js';
import { LiquidationProgressedLayout } from '../../engine/ring/layouts/liquidation-progressed.js';
import { MarginCallIssuedLayout } from '../../engine/ring/layouts/margin-call-issued.js';
import { ListedBy, MarketListedLayout } from '../../engine/ring/layouts/market-listed.js';
import { OrderRejectedLayout } from '../../engine/ring/layouts/order-rejected.js';
import { PlaceOrderLayout } from '../../engine/ring/layouts/place-order.js';
import { clientOrderIdOf, commandIdOf, u53OrZero } from '../../engine/shard/command-fields.js';
import { PositionUpdatedLayout } from '../../engine/ring/layouts/position-updated.js';
import { MAX_U53, RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import type { EventOutput } from '../../engine/shard/event-output.js';
import { addExact } from './exact-slot.js';
import type { ScopeFigures } from './scope-margin.js';
import type { AccountState, MarketRiskState, PositionState } from './state.js';

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
const MLS = MarketListedLayout.offsets;

const MAX_U53_BIG = BigInt(MAX_U53);
const TWO_32 = 0x1_0000_0000;
const MAX_I64 = (1n << 63n) - 1n;

/** A bigint price as a u53 field: clamped to [0, 2^53). */
export function u53Ticks(v: bigint): number {
  return v <= 0n ? 0 : v >= MAX_U53_BIG ? MAX_U53 : Number(v);
}

/** An i64 field of the scratch record from an exact integer |v| < 2^53: low word, then the signed high word. */
function putI64(b: RecordBuffer, field: number, v: number): void {
  const hi = Math.floor(v / TWO_32);
  const w = field >> 2;
  b.u32[w] = v - hi * TWO_32;
  b.i32[w + 1] = hi;
}

/** An i64 money field: the number when it is exact, else the bigint, saturated at ±(2^63 − 1). */
function putMoney(b: RecordBuffer, field: number, v: number | bigint): void {
  if (typeof v === 'number') putI64(b, field, v);
  else b.setI64(0, field, v > MAX_I64 ? MAX_I64 : v < -MAX_I64 ? -MAX_I64 : v);
}

export class RiskEvents {
  private readonly b = RecordBuffer.allocate(1);
  /** Records written to the gateway stream since start. */
  eventCount = 0;

  constructor(private readonly gateway: EventOutput) {}

  accountUpdated(account: AccountState, timeUs: number, cross: ScopeFigures, requestId: number, reason: number): void {
    const b = this.start(RecordType.AccountUpdated, timeUs, 0, account.id);
    if (b === undefined) return;
    if (account.walletN === account.walletN) putI64(b, ACC.walletAtoms, account.walletN);
    else putMoney(b, ACC.walletAtoms, account.walletAtoms);
    if (cross.equityN === cross.equityN) putI64(b, ACC.equityAtoms, cross.equityN);
    else putMoney(b, ACC.equityAtoms, cross.equityAtoms);
    if (cross.availableN === cross.availableN) putI64(b, ACC.availableAtoms, cross.availableN);
    else putMoney(b, ACC.availableAtoms, cross.availableAtoms);
    if (cross.withdrawableN === cross.withdrawableN) putI64(b, ACC.withdrawableAtoms, cross.withdrawableN);
    else putMoney(b, ACC.withdrawableAtoms, cross.withdrawableAtoms);
    if (cross.maintenanceN === cross.maintenanceN) putI64(b, ACC.maintenanceAtoms, cross.maintenanceN);
    else putMoney(b, ACC.maintenanceAtoms, cross.maintenanceAtoms);
    const initial = addExact(cross.initialN, cross.orderInitialN);
    if (initial === initial) putI64(b, ACC.initialAtoms, initial);
    else putMoney(b, ACC.initialAtoms, cross.initialAtoms + cross.orderInitialAtoms);
    putMoney(b, ACC.marginRatioRate, cross.marginRatioOrMinusOne());
    b.setU53(0, ACC.requestId, requestId);
    b.setU8(0, ACC.reason, reason);
    this.send();
  }

  /** scope: the position's scope's figures, for its margin ratio (ScopeFigures.marginRatioOrMinusOne); undefined for a flat position (0). */
  positionUpdated(pos: PositionState, market: MarketRiskState, timeUs: number, reason: number, scope: ScopeFigures | undefined): void {
    const b = this.start(RecordType.PositionUpdated, timeUs, pos.marketId, pos.accountId);
    if (b === undefined) return;
    const d = pos.derived;
    if (pos.qtyN === pos.qtyN) putI64(b, POS.qtyLots, pos.qtyN);
    else putMoney(b, POS.qtyLots, pos.qtyLots);
    if (pos.entryCostN === pos.entryCostN) putI64(b, POS.entryCostAtoms, pos.entryCostN);
    else putMoney(b, POS.entryCostAtoms, pos.entryCostAtoms);
    if (pos.realizedPnlN === pos.realizedPnlN) putI64(b, POS.realizedPnlAtoms, pos.realizedPnlN);
    else putMoney(b, POS.realizedPnlAtoms, pos.realizedPnlAtoms);
    if (pos.isolatedMarginN === pos.isolatedMarginN) putI64(b, POS.isolatedMarginAtoms, pos.isolatedMarginN);
    else putMoney(b, POS.isolatedMarginAtoms, pos.isolatedMarginAtoms);
    if (d.unrealizedPnlN === d.unrealizedPnlN) putI64(b, POS.unrealizedPnlAtoms, d.unrealizedPnlN);
    else putMoney(b, POS.unrealizedPnlAtoms, d.unrealizedPnlAtoms);
    const lp = d.liquidationPriceN;
    const bp = d.bankruptcyPriceN;
    b.setU53(0, POS.liquidationPriceTicks, lp === lp ? clampU53(lp) : u53Ticks(d.liquidationPriceTicks));
    b.setU53(0, POS.bankruptcyPriceTicks, bp === bp ? clampU53(bp) : u53Ticks(d.bankruptcyPriceTicks));
    b.setU53(0, POS.markPriceTicks, market.markN === market.markN ? clampU53(market.markN) : u53Ticks(market.markPriceTicks));
    putMoney(b, POS.marginRatioRate, scope === undefined ? 0 : scope.marginRatioOrMinusOne());
    b.setU16(0, POS.leverage, pos.leverageN === pos.leverageN ? pos.leverageN : Number(pos.leverage));
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
    feeAtoms: number | bigint,
    realizedPnlAtoms: number | bigint,
    side: number,
    liquidity: number,
    origin: number,
  ): void {
    const b = this.start(RecordType.FillSettled, timeUs, marketId, accountId);
    if (b === undefined) return;
    b.setU53(0, FIL.orderId, orderId);
    b.setU53(0, FIL.tradeId, tradeId);
    b.setU53(0, FIL.qtyLots, qtyLots);
    b.setU53(0, FIL.priceTicks, priceTicks);
    putMoney(b, FIL.feeAtoms, feeAtoms);
    putMoney(b, FIL.realizedPnlAtoms, realizedPnlAtoms);
    b.setU8(0, FIL.side, side);
    b.setU8(0, FIL.liquidity, liquidity);
    b.setU8(0, FIL.origin, origin);
    this.send();
  }

  fundingPaid(accountId: number, marketId: number, timeUs: number, rate: bigint, amountAtoms: bigint, positionLots: bigint, markTicks: number, fundingTimeUs: number): void {
    const b = this.start(RecordType.FundingPaid, timeUs, marketId, accountId);
    if (b === undefined) return;
    putMoney(b, FUN.fundingRate, rate);
    putMoney(b, FUN.amountAtoms, amountAtoms);
    putMoney(b, FUN.positionLots, positionLots);
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
    if (b === undefined) return;
    b.setU53(0, LIQ.liquidationId, liquidationId);
    putMoney(b, LIQ.qtyLots, qtyLots);
    b.setU53(0, LIQ.priceTicks, u53Ticks(priceTicks));
    putMoney(b, LIQ.equityAtoms, scope.equityAtoms);
    putMoney(b, LIQ.maintenanceAtoms, scope.maintenanceAtoms);
    putMoney(b, LIQ.insuranceAtoms, insuranceAtoms);
    b.setU8(0, LIQ.step, step);
    b.setU8(0, LIQ.scope, scopeKind);
    this.send();
  }

  /** requestId: the TopUpInsuranceFund this change answers, 0 for every other change. */
  insuranceFundChanged(relatedAccountId: number, marketId: number, timeUs: number, deltaAtoms: bigint, balanceAtoms: bigint, liquidationId: number, reason: number, requestId = 0): void {
    const b = this.start(RecordType.InsuranceFundChanged, timeUs, marketId, relatedAccountId);
    if (b === undefined) return;
    putMoney(b, INS.deltaAtoms, deltaAtoms);
    putMoney(b, INS.balanceAtoms, balanceAtoms);
    b.setU53(0, INS.liquidationId, liquidationId);
    b.setU53(0, INS.requestId, requestId);
    b.setU32(0, INS.relatedAccountId, relatedAccountId);
    b.setU8(0, INS.reason, reason);
    this.send();
  }

  adlExecuted(counterpartyAccountId: number, marketId: number, timeUs: number, liquidationId: number, liquidatedAccountId: number, side: number, qtyLots: bigint, priceTicks: bigint): void {
    const b = this.start(RecordType.AdlExecuted, timeUs, marketId, counterpartyAccountId);
    if (b === undefined) return;
    b.setU53(0, ADL.liquidationId, liquidationId);
    b.setU53(0, ADL.qtyLots, u53Ticks(qtyLots));
    b.setU53(0, ADL.priceTicks, u53Ticks(priceTicks));
    b.setU32(0, ADL.liquidatedAccountId, liquidatedAccountId);
    b.setU8(0, ADL.side, side);
    this.send();
  }

  marginCallIssued(accountId: number, marketId: number, timeUs: number, scope: ScopeFigures, scopeKind: number): void {
    const b = this.start(RecordType.MarginCallIssued, timeUs, marketId, accountId);
    if (b === undefined) return;
    putMoney(b, MCI.equityAtoms, scope.equityAtoms);
    putMoney(b, MCI.maintenanceAtoms, scope.maintenanceAtoms);
    putMoney(b, MCI.marginRatioRate, scope.marginRatioOrMinusOne());
    b.setU8(0, MCI.scope, scopeKind);
    this.send();
  }

  /**
   * OrderRejected for a command this shard refuses (nothing changed), at timeUs (the command's own, or the
   * shard's when the command's time was refused). It echoes the command's order, request or deleverage id
   * and client order id, and a PlaceOrder's price, quantity and flags like the market shard echoes them;
   * an id or price the record holds past 2^53 is echoed as 0.
   */
  rejected(src: RecordBuffer, at: number, code: number, timeUs: number): void {
    const type = src.type(at);
    const b = this.start(RecordType.OrderRejected, timeUs, src.marketId(at), src.accountId(at));
    if (b === undefined) return;
    b.setU53(0, REJ.orderId, commandIdOf(src, at));
    b.setU53(0, REJ.clientOrderId, clientOrderIdOf(src, at));
    b.setU16(0, REJ.code, code);
    b.setU16(0, REJ.commandType, type);
    if (type === RecordType.PlaceOrder) {
      b.setU53(0, REJ.priceTicks, u53OrZero(src.u53At(at, PO.priceTicks)));
      b.setU53(0, REJ.qtyLots, u53OrZero(src.u53At(at, PO.qtyLots)));
      b.setU8(0, REJ.side, src.u8At(at, PO.side));
      b.setU8(0, REJ.orderType, src.u8At(at, PO.orderType));
      b.setU8(0, REJ.origin, src.u8At(at, PO.origin));
      b.setU8(0, REJ.reduceOnly, src.u8At(at, PO.reduceOnly));
    }
    this.send();
  }

  /** The answer to a ListMarket this shard applied (or had applied from the same bytes before). */
  marketListed(marketId: number, timeUs: number, requestId: number, shard: number, byShard: number, markets: number): void {
    const b = this.start(RecordType.MarketListed, timeUs, marketId, 0);
    if (b === undefined) return;
    b.setU53(0, MLS.requestId, requestId);
    b.setU16(0, MLS.shard, shard);
    b.setU8(0, MLS.by, ListedBy.RISK_SHARD);
    b.setU16(0, MLS.byShard, byShard);
    b.setU16(0, MLS.markets, markets);
    this.send();
  }

  /**
   * The scratch record with its header, or undefined when the gateway stream skips this record (it would
   * drop it unread: EventOutput.skip): then it is numbered and counted, and nothing is composed.
   */
  private start(type: number, timeUs: number, marketId: number, accountId: number): RecordBuffer | undefined {
    if (this.gateway.skip?.() === true) {
      this.eventCount++;
      return undefined;
    }
    this.b.begin(0, type, timeUs, marketId, accountId);
    return this.b;
  }

  private send(): void {
    this.gateway.append(this.b, 0);
    this.eventCount++;
  }
}

/** u53Ticks of an exact number. */
function clampU53(n: number): number {
  return n <= 0 ? 0 : n >= MAX_U53 ? MAX_U53 : n;
}
