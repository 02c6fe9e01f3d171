// One flash-crash scenario, end to end on an InProcessExchange (one market shard with BTC-PERP, one risk
// shard with the real LiquidationEngine), driven minute by minute along a real price path scaled to a real
// crash day (price-path.ts):
//
//   setup     deposits, margin modes and leverages of the population (crash-population.ts), an insurance
//             top-up, the index at the day's open, the opening auction at that price, isolated cushions
//   minute    AdvanceTime; both market makers requote their ladders around the mark;
//             four UpdateIndexPrice records (:00 open, :15 and :30 the bar's extremes, :45 close): the
//             market shard derives the mark from each by its own rules, the risk shard liquidates
//   checks    after every command the gateway log's per-event invariants (I3-I6, I9) and the command's
//             funding (I3); every `checkEveryMinutes` and at the end, conservation and open interest
//             (I1, I2, I5) and every published liquidation price (I12)
//
// A scenario may run a stretch of the scaled day (`minutes` from its start, every `strideMinutes`-th
// minute): the tests do, to stay within their time, and say so; the benchmark runs the whole day.

import { OrderOrigin, OrderType, Side, TimeInForce } from '../../engine/enums.js';
import { DEFAULT_MARKETS, MarketSpec } from '../../engine/market/spec.js';
import { MarginMode } from '../../risk/shard/state.js';
import { advanceTime, indexTick, place, type Cmd } from '../support/commands.js';
import { adjustIsolatedMargin, deposit, setLeverage, setMarginMode, topUpInsuranceFund } from '../support/risk-commands.js';
import { ExchangeHarness } from '../property/exchange-harness.js';
import { fundingClearingAtoms, fundingViolations, liquidationPriceViolations, moneyViolations } from '../property/exchange-invariants.js';
import { HOLDERS, type Holder } from './crash-population.js';
import { crashReport, type CrashReport } from './crash-report.js';
import { quoteLadder, type Ladder } from './market-maker.js';
import { readDailyCandle, readMinuteBars, scaleToDay, steepestWindow, DAY_MINUTES, type ScaledDay } from './price-path.js';

const BTC = DEFAULT_MARKETS[0]!;
const BTC_ID = BTC.marketId;
const USDT = 1_000_000n;
const BPS = 10_000n;
const MARKET_MAKERS = [1, 2] as const;
const MM_DEPOSIT = 200_000_000n * USDT;
const FIRST_HOLDER = 10;

export interface CrashScenario {
  readonly name: string;
  /** The real crash day whose open and low the path is scaled to (a row of the daily file). */
  readonly date: string;
  readonly insuranceTopUpUsdt: bigint;
  readonly perEventCapUsdt: bigint;
  readonly ladder: Ladder;
  readonly minutes: number;
  readonly strideMinutes: number;
}

export interface CrashRunOptions {
  /** Conservation, open interest and liquidation prices every this many simulated minutes (and at the end). */
  readonly checkEveryMinutes: number;
  /** Holders of the population (default: all of HOLDERS). */
  readonly holders?: readonly Holder[];
  /** Called after each simulated minute (the benchmark times them). */
  readonly onMinute?: () => void;
}

export interface CrashRun {
  readonly harness: ExchangeHarness;
  readonly day: ScaledDay;
  readonly report: CrashReport;
  /** Invariant violations, each with the command it followed. */
  readonly violations: string[];
}

let cachedBars: ReturnType<typeof readMinuteBars> | undefined;

/** The real day's path (cached: the minute file is read once per process). */
function scaledDay(date: string): ScaledDay {
  cachedBars ??= readMinuteBars();
  return scaleToDay(cachedBars, steepestWindow(cachedBars, DAY_MINUTES), readDailyCandle(date), new MarketSpec(BTC));
}

export function runCrash(s: CrashScenario, o: CrashRunOptions): CrashRun {
  const day = scaledDay(s.date);
  const first = day.points[0]!;
  const h = new ExchangeHarness({
    markets: [BTC],
    marketShards: 1,
    riskShards: 1,
    pool: { insurancePerEventCapAtoms: s.perEventCapUsdt * USDT },
    startUs: first.timeUs - 60_000_000,
  });
  const violations: string[] = [];
  let clearing = 0n;
  let seen = 0;
  const send = (cmd: Cmd): void => {
    clearing = fundingClearingAtoms(h);
    h.send(cmd);
    if (h.log.fundingThisCommand.length > 0) violations.push(...fundingViolations(h, clearing).map((l) => `command ${h.log.commandIndex}: ${l}`));
    if (h.log.violations.length > seen) {
      violations.push(...h.log.violations.slice(seen));
      seen = h.log.violations.length;
    }
  };
  const checkState = (): void => {
    const lines = [...moneyViolations(h), ...liquidationPriceViolations(h)];
    violations.push(...lines.map((l) => `command ${h.log.commandIndex}: ${l}`));
  };

  openPositions(h, send, s, first.indexTicks, o.holders ?? HOLDERS);
  let minMark = h.markTicks(BTC_ID);
  const minutes = Math.min(s.minutes, Math.floor(day.points.length / 4));
  let ran = 0;
  for (let m = 0; m < minutes; m += s.strideMinutes) {
    const points = day.points.slice(4 * m, 4 * m + 4);
    h.nowUs = points[0]!.timeUs;
    send(advanceTime(h.nowUs));
    for (const mm of MARKET_MAKERS) quoteLadder(h, mm, BTC_ID, h.markTicks(BTC_ID), s.ladder);
    for (const p of points) {
      h.nowUs = p.timeUs;
      send(indexTick(Number(p.indexTicks), p.timeUs, BTC_ID));
      const mark = h.markTicks(BTC_ID);
      if (mark < minMark) minMark = mark;
    }
    ran++;
    o.onMinute?.();
    if (ran % o.checkEveryMinutes === 0) checkState();
  }
  checkState();
  const report = crashReport(h, { scenario: s.name, minutes: ran, openTicks: day.openTicks, lowTicks: day.lowTicks, minMarkTicks: minMark });
  return { harness: h, day, report, violations };
}

/** Funds everyone, prices the market at the open and opens every holder's position there. */
function openPositions(h: ExchangeHarness, send: (cmd: Cmd) => void, s: CrashScenario, openTicks: bigint, holders: readonly Holder[]): void {
  const a = h.market(BTC_ID).atomsPerTickLot;
  for (const mm of MARKET_MAKERS) send(deposit(mm, MM_DEPOSIT, h.requestId()));
  if (s.insuranceTopUpUsdt > 0n) send(topUpInsuranceFund(MARKET_MAKERS[0], s.insuranceTopUpUsdt * USDT, h.requestId()));
  const lots = holders.map((x) => (x.notionalUsdt * USDT) / (openTicks * a));
  holders.forEach((x, i) => {
    const id = FIRST_HOLDER + i;
    const notional = lots[i]! * openTicks * a;
    // Initial margin at the chosen leverage, the cushion, and 10 bp for the fee.
    send(deposit(id, (notional + BigInt(x.leverage) - 1n) / BigInt(x.leverage) + (notional * (x.cushionBps + 10n)) / BPS, h.requestId()));
    if (x.isolated) send(setMarginMode(id, MarginMode.ISOLATED, BTC_ID));
    send(setLeverage(id, x.leverage, BTC_ID));
  });
  send(indexTick(Number(openTicks), h.nowUs, BTC_ID));
  // The auction: longs rest bids at the open, shorts sell into them, market maker 1 evens the sides.
  let imbalance = 0n;
  const order = (accountId: number, buy: boolean, qtyLots: bigint): void => {
    send(place({ orderId: h.orderId(), accountId, marketId: BTC_ID, side: buy ? Side.BUY : Side.SELL, priceTicks: Number(openTicks), qtyLots: Number(qtyLots), orderType: OrderType.LIMIT, timeInForce: TimeInForce.GTC, origin: OrderOrigin.USER }));
  };
  holders.forEach((x, i) => {
    if (!x.long) return;
    order(FIRST_HOLDER + i, true, lots[i]!);
    imbalance += lots[i]!;
  });
  holders.forEach((x, i) => {
    if (x.long) return;
    order(FIRST_HOLDER + i, false, lots[i]!);
    imbalance -= lots[i]!;
  });
  if (imbalance !== 0n) order(MARKET_MAKERS[0], imbalance < 0n, imbalance < 0n ? -imbalance : imbalance);
  // An isolated position holds only its initial margin; its cushion moves in from the wallet.
  holders.forEach((x, i) => {
    const notional = lots[i]! * openTicks * a;
    if (x.isolated && x.cushionBps > 0n) send(adjustIsolatedMargin(FIRST_HOLDER + i, (notional * x.cushionBps) / BPS, h.requestId(), BTC_ID));
  });
}

