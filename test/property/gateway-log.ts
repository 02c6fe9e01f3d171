// GatewayLog: everything that reached the gateway, reduced to what the invariants and the crash reports
// need, with the per-event invariants checked as the records arrive:
//
//   FillSettled            own position ledger (I1 cross-check against state); I9: reduce-only and
//                          liquidation fills never grow or flip; I6: an ADL fill only shrinks a position
//   FundingPaid            I3: each payment is ceil(q·MP·a·F) and, per funding time, they add up to the
//                          residue the shards keep (checked at the end of the command)
//   LiquidationProgressed  traces; I4: COMPLETED leaves equity ≥ 0 (see negativeEnd); I5: ADL_STARTED only when the book and
//                          the event's budget could not absorb the remainder (adl-justification.ts)
//   InsuranceFundChanged   I5: balance ≥ 0, one event's shortfall payments ≤ the per-event cap
//   AdlExecuted            I5/I6: after ADL_STARTED of the same event, same market, opposite side
// and a running hash of every record's bytes (I8/I10 compare it between runs).

import { OrderOrigin, Side } from '../../engine/enums.js';
import { ceilDiv } from '../../engine/market/decimal.js';
import { AccountUpdatedLayout } from '../../engine/ring/layouts/account-updated.js';
import { AdlExecutedLayout } from '../../engine/ring/layouts/adl-executed.js';
import { FillSettledLayout } from '../../engine/ring/layouts/fill-settled.js';
import { FundingPaidLayout } from '../../engine/ring/layouts/funding-paid.js';
import { InsuranceFundChangedLayout } from '../../engine/ring/layouts/insurance-fund-changed.js';
import { LiquidationProgressedLayout } from '../../engine/ring/layouts/liquidation-progressed.js';
import { OrderRejectedLayout } from '../../engine/ring/layouts/order-rejected.js';
import { PositionUpdatedLayout } from '../../engine/ring/layouts/position-updated.js';
import { RECORD_BYTES, type RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { InsuranceReason, LiquidationStep, UpdateReason } from '../../risk/shard/events.js';
import { RATE_ONE } from '../../risk/units.js';
import { equityAfterBookClose, unnecessaryAdl } from './adl-justification.js';
import type { ExchangeHarness } from './exchange-harness.js';
import { LiquidationTrace, TraceOutcome, traceKey } from './liquidation-trace.js';

const FIL = FillSettledLayout.offsets;
const FUN = FundingPaidLayout.offsets;
const LIQ = LiquidationProgressedLayout.offsets;
const INS = InsuranceFundChangedLayout.offsets;
const ADL = AdlExecutedLayout.offsets;
const POS = PositionUpdatedLayout.offsets;
const ACC = AccountUpdatedLayout.offsets;
const REJ = OrderRejectedLayout.offsets;

/** A position's key in the maps below. */
export function positionKey(accountId: number, marketId: number): number {
  return accountId * 65_536 + marketId;
}

export interface PublishedPosition {
  qtyLots: bigint;
  liquidationPriceTicks: number;
  bankruptcyPriceTicks: number;
}

export interface FundingTally {
  readonly marketId: number;
  readonly fundingTimeUs: number;
  sumAtoms: bigint;
  payments: number;
  sumLots: bigint;
}

/** Insurance-fund movements by reason, summed over the run. */
class FundTotals {
  topUpAtoms = 0n;
  feeAtoms = 0n;
  surplusAtoms = 0n;
  shortfallPaidAtoms = 0n;
  fundingResidueAtoms = 0n;
}

export class GatewayLog {
  readonly violations: string[] = [];
  /** Index of the command being carried (the harness counts them). */
  commandIndex = -1;
  eventCount = 0;
  hashLow = 0x811c9dc5;
  hashHigh = 0x01000193;
  readonly traces = new Map<number, LiquidationTrace>();
  /** Traces in the order their scopes were triggered. */
  readonly traceOrder: LiquidationTrace[] = [];
  /** Signed position per (account, market), from FillSettled alone. */
  readonly ledger = new Map<number, bigint>();
  readonly published = new Map<number, PublishedPosition>();
  /** Order ids of reduce-only user orders (the driver registers them when it sends one). */
  readonly reduceOnlyOrders = new Set<number>();
  /** Funding times paid during the current command. */
  readonly fundingThisCommand: FundingTally[] = [];
  /** Request ids of withdrawals the risk shards applied. */
  readonly withdrawalsApplied = new Set<number>();
  /** Rejections by code, over the run. */
  readonly rejections = new Map<number, number>();
  readonly fund = new FundTotals();
  /** Shortfall paid per event (I5 cap). */
  private readonly paidPerEvent = new Map<number, bigint>();
  /** Events that completed below zero after the fund paid its whole budget (reported, not hidden). */
  readonly leftNegative: LiquidationTrace[] = [];
  fills = 0;
  /** ADL_STARTED whose band could not hold the remainder, or held it only past the event's budget. */
  adlBookBound = 0;
  adlBudgetBound = 0;
  /**
   * ADL_STARTED whose reserved budget was below min(fund, per-event cap): other events in their full
   * close had reserved the rest (insurance-fund.ts), so docs/RISK.md's IF_budget was not what it got.
   */
  adlBelowFundBudget = 0;
  /** AdlExecuted records (one per counterparty close) and what they closed. */
  adlFills = 0;
  adlLots = 0n;
  adlNotionalAtoms = 0n;

  constructor(private readonly harness: ExchangeHarness) {}

  beginCommand(): void {
    this.commandIndex++;
    this.fundingThisCommand.length = 0;
  }

  record(buf: RecordBuffer, at: number): void {
    this.eventCount++;
    this.hash(buf, at);
    switch (buf.type(at)) {
      case RecordType.FillSettled:
        return this.fillSettled(buf, at);
      case RecordType.FundingPaid:
        return this.fundingPaid(buf, at);
      case RecordType.LiquidationProgressed:
        return this.liquidationProgressed(buf, at);
      case RecordType.InsuranceFundChanged:
        return this.insuranceFundChanged(buf, at);
      case RecordType.AdlExecuted:
        return this.adlExecuted(buf, at);
      case RecordType.PositionUpdated:
        this.published.set(positionKey(buf.accountId(at), buf.marketId(at)), {
          qtyLots: buf.i64At(at, POS.qtyLots),
          liquidationPriceTicks: buf.u53At(at, POS.liquidationPriceTicks),
          bankruptcyPriceTicks: buf.u53At(at, POS.bankruptcyPriceTicks),
        });
        return;
      case RecordType.AccountUpdated:
        if (buf.u8At(at, ACC.reason) === UpdateReason.WITHDRAWAL) this.withdrawalsApplied.add(buf.u53At(at, ACC.requestId));
        return;
      case RecordType.OrderRejected: {
        const code = buf.u16At(at, REJ.code);
        this.rejections.set(code, (this.rejections.get(code) ?? 0) + 1);
        return;
      }
      default:
    }
  }

  private fail(line: string): void {
    this.violations.push(`command ${this.commandIndex}: ${line}`);
  }

  private hash(buf: RecordBuffer, at: number): void {
    const words = buf.u32;
    let lo = this.hashLow;
    let hi = this.hashHigh;
    for (let w = at >> 2, end = (at + RECORD_BYTES) >> 2; w < end; w++) {
      const v = words[w]!;
      lo = Math.imul(lo ^ v, 0x01000193) >>> 0;
      hi = Math.imul(hi ^ v ^ (lo >>> 7), 0x5bd1e995) >>> 0;
    }
    this.hashLow = lo;
    this.hashHigh = hi;
  }

  private fillSettled(buf: RecordBuffer, at: number): void {
    this.fills++;
    const key = positionKey(buf.accountId(at), buf.marketId(at));
    const before = this.ledger.get(key) ?? 0n;
    const lots = BigInt(buf.u53At(at, FIL.qtyLots));
    const after = before + (buf.u8At(at, FIL.side) === Side.BUY ? lots : -lots);
    this.ledger.set(key, after);
    const origin = buf.u8At(at, FIL.origin);
    const orderId = buf.u53At(at, FIL.orderId);
    const reducing = origin !== OrderOrigin.USER || this.reduceOnlyOrders.has(orderId);
    if (reducing && grewOrFlipped(before, after)) {
      const what = origin === OrderOrigin.ADL ? 'I6: ADL' : origin === OrderOrigin.LIQUIDATION ? 'I9: liquidation' : 'I9: reduce-only';
      this.fail(`${what} fill of order ${orderId} took account ${buf.accountId(at)} market ${buf.marketId(at)} from ${before} to ${after}`);
    }
  }

  private fundingPaid(buf: RecordBuffer, at: number): void {
    const marketId = buf.marketId(at);
    const fundingTimeUs = buf.u53At(at, FUN.fundingTimeUs);
    const lots = buf.i64At(at, FUN.positionLots);
    const amount = buf.i64At(at, FUN.amountAtoms);
    const rate = buf.i64At(at, FUN.fundingRate);
    const mark = BigInt(buf.u53At(at, FUN.markPriceTicks));
    const due = ceilDiv(lots * mark * this.harness.market(marketId).atomsPerTickLot * rate, RATE_ONE);
    if (amount !== due) this.fail(`I3: account ${buf.accountId(at)} paid ${amount} funding, ceil(q·MP·a·F) is ${due}`);
    let tally = this.fundingThisCommand.find((t) => t.marketId === marketId && t.fundingTimeUs === fundingTimeUs);
    if (tally === undefined) {
      tally = { marketId, fundingTimeUs, sumAtoms: 0n, payments: 0, sumLots: 0n };
      this.fundingThisCommand.push(tally);
    }
    tally.sumAtoms += amount;
    tally.payments++;
    tally.sumLots += lots;
  }

  private trace(buf: RecordBuffer, at: number, liquidationId: number): LiquidationTrace | undefined {
    return this.traces.get(traceKey(this.harness.exchange.topology.riskShardOf(buf.accountId(at)), liquidationId));
  }

  private liquidationProgressed(buf: RecordBuffer, at: number): void {
    const accountId = buf.accountId(at);
    const liquidationId = buf.u53At(at, LIQ.liquidationId);
    const step = buf.u8At(at, LIQ.step);
    const qty = buf.i64At(at, LIQ.qtyLots);
    const equity = buf.i64At(at, LIQ.equityAtoms);
    if (step === LiquidationStep.TRIGGERED) {
      const shard = this.harness.exchange.topology.riskShardOf(accountId);
      const t = new LiquidationTrace(accountId, shard, liquidationId, buf.u8At(at, LIQ.scope), buf.marketId(at));
      this.traces.set(traceKey(shard, liquidationId), t);
      this.traceOrder.push(t);
    }
    const t = this.trace(buf, at, liquidationId);
    if (t === undefined) return this.fail(`pipeline: liquidation ${liquidationId} of account ${accountId} progressed (step ${step}) without TRIGGERED`);
    t.stepCounts[step]!++;
    const lots = qty < 0n ? -qty : qty;
    switch (step) {
      case LiquidationStep.PARTIAL_FILL:
        t.partialFilledLots += lots;
        return;
      case LiquidationStep.FULL_FILL:
        t.fullFilledLots += lots;
        return;
      case LiquidationStep.ADL_FILL:
        t.adlFilledLots += lots;
        return;
      case LiquidationStep.ADL_STARTED:
        t.adlMarketId = buf.marketId(at);
        t.adlClosingSign = qty < 0n ? -1n : 1n;
        return this.checkAdlNeeded(t, buf.marketId(at), qty, equity, BigInt(buf.u53At(at, LIQ.priceTicks)));
      case LiquidationStep.HEALTHY:
        t.outcome = TraceOutcome.HEALTHY;
        t.endEquityAtoms = equity;
        return;
      case LiquidationStep.COMPLETED:
        t.outcome = TraceOutcome.COMPLETED;
        t.endEquityAtoms = equity;
        if (equity < 0n) this.negativeEnd(t, equity);
        return;
      default:
    }
  }

  /**
   * I4. The pipeline may leave a loss beyond the event's budget with the scope and report it as the
   * COMPLETED equity (liquidation-settlement.ts): allowed only when the fund paid the whole budget, and
   * counted (GatewayLog.leftNegative), so the reports say so.
   */
  private negativeEnd(t: LiquidationTrace, equity: bigint): void {
    const budget = this.harness.budgets.get(traceKey(t.riskShard, t.liquidationId));
    if (budget !== undefined && t.fundPaidAtoms === budget) {
      this.leftNegative.push(t);
      return;
    }
    this.fail(`I4: liquidation ${t.liquidationId} of account ${t.accountId} completed with equity ${equity} (fund paid ${t.fundPaidAtoms} of budget ${budget ?? 'none'})`);
  }

  private checkAdlNeeded(t: LiquidationTrace, marketId: number, closingLots: bigint, equityAtoms: bigint, adlPriceTicks: bigint): void {
    const h = this.harness;
    const shard = h.exchange.marketShards[h.exchange.topology.marketShardOf(marketId)]!;
    const market = h.market(marketId);
    const moment = {
      closingLots,
      markTicks: market.markPriceTicks,
      bandRate: market.config.liquidationBandRate,
      equityAtoms,
      budgetAtoms: h.budgets.get(traceKey(t.riskShard, t.liquidationId)) ?? 0n,
      atomsPerTickLot: market.atomsPerTickLot,
      adlPriceTicks,
    };
    const book = shard.book(marketId)!;
    const line = unnecessaryAdl(book, moment);
    if (line !== undefined) this.fail(`liquidation ${t.liquidationId} of account ${t.accountId}: ${line}`);
    // Why it was needed: the band held enough but closing there cost more than the budget, or it did not.
    if (equityAfterBookClose(book, moment) === undefined) this.adlBookBound++;
    else this.adlBudgetBound++;
    const fund = h.riskShardOf(t.accountId).state.insuranceFundAtoms;
    const cap = h.pool.insurancePerEventCapAtoms;
    if (moment.budgetAtoms < (fund < cap ? fund : cap)) this.adlBelowFundBudget++;
  }

  private insuranceFundChanged(buf: RecordBuffer, at: number): void {
    const delta = buf.i64At(at, INS.deltaAtoms);
    const balance = buf.i64At(at, INS.balanceAtoms);
    const liquidationId = buf.u53At(at, INS.liquidationId);
    if (balance < 0n) this.fail(`I5: insurance fund balance ${balance} < 0`);
    const f = this.fund;
    switch (buf.u8At(at, INS.reason)) {
      case InsuranceReason.TOP_UP:
        f.topUpAtoms += delta;
        return;
      case InsuranceReason.LIQUIDATION_FEE:
        f.feeAtoms += delta;
        break;
      case InsuranceReason.SURPLUS:
        f.surplusAtoms += delta;
        break;
      case InsuranceReason.FUNDING_RESIDUE:
        f.fundingResidueAtoms += delta;
        return;
      case InsuranceReason.SHORTFALL: {
        f.shortfallPaidAtoms -= delta;
        const shard = this.harness.exchange.topology.riskShardOf(buf.u32At(at, INS.relatedAccountId));
        const key = traceKey(shard, liquidationId);
        const paid = (this.paidPerEvent.get(key) ?? 0n) - delta;
        this.paidPerEvent.set(key, paid);
        if (paid > this.harness.pool.insurancePerEventCapAtoms) this.fail(`I5: liquidation ${liquidationId} drew ${paid} from the fund, cap ${this.harness.pool.insurancePerEventCapAtoms}`);
        break;
      }
      default:
    }
    const t = this.traces.get(traceKey(this.harness.exchange.topology.riskShardOf(buf.u32At(at, INS.relatedAccountId)), liquidationId));
    if (t === undefined) return;
    if (delta > 0n) t.fundTookAtoms += delta;
    else t.fundPaidAtoms -= delta;
  }

  private adlExecuted(buf: RecordBuffer, at: number): void {
    const counterparty = buf.accountId(at);
    const liquidated = buf.u32At(at, ADL.liquidatedAccountId);
    const liquidationId = buf.u53At(at, ADL.liquidationId);
    const t = this.traces.get(traceKey(this.harness.exchange.topology.riskShardOf(liquidated), liquidationId));
    if (t === undefined || t.adlClosingSign === 0n) return this.fail(`I5: AdlExecuted for liquidation ${liquidationId} of account ${liquidated} before its ADL_STARTED`);
    const lots = BigInt(buf.u53At(at, ADL.qtyLots));
    t.adlExecutedLots += lots;
    this.adlFills++;
    this.adlLots += lots;
    this.adlNotionalAtoms += lots * BigInt(buf.u53At(at, ADL.priceTicks)) * this.harness.market(buf.marketId(at)).atomsPerTickLot;
    // The counterparty's own closing side: a buy (it was short) when the liquidated long sells.
    const counterpartyBuys = buf.u8At(at, ADL.side) === Side.BUY;
    if (counterpartyBuys !== t.adlClosingSign < 0n) this.fail(`I6: ADL counterparty ${counterparty} closed on the liquidated side (liquidation ${liquidationId})`);
    if (buf.marketId(at) !== t.adlMarketId) this.fail(`I6: ADL of liquidation ${liquidationId} in market ${buf.marketId(at)}, started in ${t.adlMarketId}`);
    if (counterparty === liquidated) this.fail(`I6: account ${liquidated} deleveraged against itself`);
  }
}

function grewOrFlipped(before: bigint, after: bigint): boolean {
  if (before === 0n) return after !== 0n;
  if (before > 0n) return after > before || after < 0n;
  return after < before || after > 0n;
}
