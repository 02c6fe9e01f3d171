// What a crash scenario did, added up from the gateway log and the exchange's state: liquidations (scopes
// and steps, partial against full), the insurance fund's movements and balance, ADL volume. Printed by the
// scenario tests and returned by the flash-crash benchmark. Money stays in atoms (bigint) and prints as
// exact decimals.

import { unitsToDecimal } from '../../engine/market/decimal.js';
import { LiquidationStep } from '../../risk/shard/events.js';
import type { ExchangeHarness } from '../property/exchange-harness.js';
import { TraceOutcome } from '../property/liquidation-trace.js';

export interface CrashReport {
  readonly scenario: string;
  readonly minutes: number;
  readonly commands: number;
  /** Records delivered between state machines and to the gateway. */
  readonly records: number;
  readonly openTicks: bigint;
  readonly lowTicks: bigint;
  readonly minMarkTicks: bigint;
  /** Scopes that entered the pipeline, and how they ended. */
  readonly triggered: number;
  readonly healthyAfterCancel: number;
  readonly partialOnly: number;
  readonly fullCloses: number;
  readonly stillOpen: number;
  readonly partialOrders: number;
  readonly partialFilledLots: bigint;
  readonly fullOrders: number;
  readonly fullFilledLots: bigint;
  readonly fundTopUpAtoms: bigint;
  readonly fundTookAtoms: bigint;
  readonly fundPaidAtoms: bigint;
  readonly fundFinalAtoms: bigint;
  readonly adlEvents: number;
  /** ADL events whose remainder the book's band could not hold / held only past the event's budget. */
  readonly adlBookBound: number;
  readonly adlBudgetBound: number;
  /** ADL events that had reserved less than min(fund, cap): other events held the rest. */
  readonly adlBelowFundBudget: number;
  readonly adlFills: number;
  readonly adlLots: bigint;
  readonly adlNotionalAtoms: bigint;
  /** Events that completed below zero after the fund paid its whole budget (the pipeline reports them). */
  readonly leftNegative: number;
  readonly leftNegativeAtoms: bigint;
}

export interface RunFacts {
  readonly scenario: string;
  readonly minutes: number;
  readonly openTicks: bigint;
  readonly lowTicks: bigint;
  readonly minMarkTicks: bigint;
}

export function crashReport(h: ExchangeHarness, facts: RunFacts): CrashReport {
  const log = h.log;
  let healthyAfterCancel = 0;
  let partialOnly = 0;
  let fullCloses = 0;
  let stillOpen = 0;
  let partialOrders = 0;
  let fullOrders = 0;
  let partialFilledLots = 0n;
  let fullFilledLots = 0n;
  let adlEvents = 0;
  let leftNegativeAtoms = 0n;
  for (const t of log.traceOrder) {
    partialOrders += t.stepCounts[LiquidationStep.PARTIAL_ORDER]!;
    fullOrders += t.stepCounts[LiquidationStep.FULL_ORDER]!;
    partialFilledLots += t.partialFilledLots;
    fullFilledLots += t.fullFilledLots;
    if (t.stepCounts[LiquidationStep.ADL_STARTED]! > 0) adlEvents++;
    if (t.outcome === TraceOutcome.OPEN) stillOpen++;
    else if (t.committed) fullCloses++;
    else if (t.partialOnly) partialOnly++;
    else healthyAfterCancel++;
  }
  for (const t of log.leftNegative) leftNegativeAtoms += t.endEquityAtoms;
  return {
    ...facts,
    commands: h.sent.length,
    records: h.exchange.delivered,
    triggered: log.traceOrder.length,
    healthyAfterCancel,
    partialOnly,
    fullCloses,
    stillOpen,
    partialOrders,
    partialFilledLots,
    fullOrders,
    fullFilledLots,
    fundTopUpAtoms: log.fund.topUpAtoms,
    fundTookAtoms: log.fund.feeAtoms + log.fund.surplusAtoms,
    fundPaidAtoms: log.fund.shortfallPaidAtoms,
    fundFinalAtoms: h.insuranceFundAtoms(),
    adlEvents,
    adlBookBound: log.adlBookBound,
    adlBudgetBound: log.adlBudgetBound,
    adlBelowFundBudget: log.adlBelowFundBudget,
    adlFills: log.adlFills,
    adlLots: log.adlLots,
    adlNotionalAtoms: log.adlNotionalAtoms,
    leftNegative: log.leftNegative.length,
    leftNegativeAtoms,
  };
}

const USDT_UNIT = { mantissa: 1n, scale: 6 };
const BTC_LOT = { mantissa: 1n, scale: 3 };
const TICK = { mantissa: 1n, scale: 1 };

/** The day's drop from open to low, in basis points rounded down, as "−41.49%". */
export function dropText(openTicks: bigint, lowTicks: bigint): string {
  const bps = ((openTicks - lowTicks) * 10_000n) / openTicks;
  return `−${unitsToDecimal(bps, { mantissa: 1n, scale: 2 })}%`;
}

function usdt(atoms: bigint): string {
  return unitsToDecimal(atoms, USDT_UNIT);
}

/** Lines for a test's output and docs/SCENARIOS.md (BTC-PERP units: 0.1 USDT ticks, 0.001 BTC lots). */
export function formatReport(r: CrashReport): string {
  const price = (t: bigint): string => unitsToDecimal(t, TICK);
  const btc = (l: bigint): string => unitsToDecimal(l, BTC_LOT);
  return [
    `${r.scenario}: ${r.minutes} minutes, index ${price(r.openTicks)} → low ${price(r.lowTicks)} (${dropText(r.openTicks, r.lowTicks)}; mark low ${price(r.minMarkTicks)}), ${r.commands} commands, ${r.records} records`,
    `  liquidations: ${r.triggered} scopes triggered; ${r.healthyAfterCancel} healthy after cancels, ${r.partialOnly} partial (stepped down, then healthy), ${r.fullCloses} full, ${r.stillOpen} still in the pipeline`,
    `  steps: ${r.partialOrders} step-down orders filling ${btc(r.partialFilledLots)} BTC; ${r.fullOrders} full-close orders filling ${btc(r.fullFilledLots)} BTC`,
    `  insurance fund: top-up ${usdt(r.fundTopUpAtoms)}, took ${usdt(r.fundTookAtoms)} (fees + surplus), paid ${usdt(r.fundPaidAtoms)} (shortfalls), final ${usdt(r.fundFinalAtoms)} USDT`,
    `  ADL: ${r.adlEvents} events (${r.adlBudgetBound} past the event's budget, ${r.adlBookBound} past the book's band; ${r.adlBelowFundBudget} with less reserved than min(fund, cap)), ${r.adlFills} fills, ${btc(r.adlLots)} BTC, ${usdt(r.adlNotionalAtoms)} USDT notional`,
    `  left below zero after the budget was spent: ${r.leftNegative} scopes, ${usdt(r.leftNegativeAtoms)} USDT`,
  ].join('\n');
}
