// Real BTC prices for the crash scenarios (test/fixtures/prices/, PROVENANCE.md there), read exactly:
// every price is decimal text turned into integer units once, with no float in between.
//
//   minute bars   btc-perp-20211231-20220201_1m.csv: timestamp,open,high,low,close,volume
//   daily candles coinbase_BTCUSD_1d_2011-2025.csv: timestamp,open,close,volume,unix_timestamp,high,low
// Prices are read in units of 10^-8 USD (exact for every price either file holds: a price with more
// decimals is refused, not rounded).
//
// No minute data of the 2020-03-12 or 2021-05-19 crashes exists here, so a scenario takes the steepest
// day of the real minute path (the 1,440-minute window whose low lies furthest below its open) and scales
// it so its open and its low land exactly on the real day's open and low:
//
//   p' = dayOpen + (p − windowOpen) · (dayOpen − dayLow) / (windowOpen − windowLow)
//
// computed in 10^-8 USD and rounded down to the market's tick once, at the end. The shape (every wiggle, its timing, its
// relative size) is the real minute path's; the depth is the real crash day's.

import { readFileSync } from 'node:fs';
import { decimalToUnits, floorDiv, positiveDecimal, Rounding } from '../../engine/market/decimal.js';
import type { MarketSpec } from '../../engine/market/spec.js';
import { fixture } from '../support/paths.js';

const MINUTE_FILE = 'btc-perp-20211231-20220201_1m.csv';
const DAILY_FILE = 'coinbase_BTCUSD_1d_2011-2025.csv';
export const DAY_MINUTES = 1_440;

/** 10^-8 USD: the unit daily prices are read in. */
const PRICE_UNIT = positiveDecimal('0.00000001', 'price unit');

/** One minute of the real path, prices in 10^-8 USD. */
export interface MinuteBar {
  readonly timeUs: number;
  readonly openUnits: bigint;
  readonly highUnits: bigint;
  readonly lowUnits: bigint;
  readonly closeUnits: bigint;
}

export interface DailyCandle {
  readonly date: string;
  /** 10^-8 USD. */
  readonly openUnits: bigint;
  readonly highUnits: bigint;
  readonly lowUnits: bigint;
  readonly closeUnits: bigint;
}

function exact(units: ReturnType<typeof decimalToUnits>, text: string): bigint {
  if (!units.ok) throw new Error(`price ${JSON.stringify(text)} is not exact (code ${units.code})`);
  return units.units;
}

/** "2021-12-31 23:01:00.000000" (UTC) → µs since the epoch. */
export function timestampUs(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(text);
  if (m === null) throw new Error(`bad timestamp ${JSON.stringify(text)}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return ms * 1_000 + Number((m[7] ?? '0').padEnd(6, '0'));
}

function rows(file: string): string[][] {
  return readFileSync(fixture('prices', file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(','));
}

/** Decimal price text → 10^-8 USD, exactly. */
export function priceUnits(text: string): bigint {
  return exact(decimalToUnits(text, PRICE_UNIT, Rounding.EXACT, 0), text);
}

export function readMinuteBars(): MinuteBar[] {
  return rows(MINUTE_FILE).map((r) => ({ timeUs: timestampUs(r[0]!), openUnits: priceUnits(r[1]!), highUnits: priceUnits(r[2]!), lowUnits: priceUnits(r[3]!), closeUnits: priceUnits(r[4]!) }));
}

export function readDailyCandle(date: string): DailyCandle {
  const r = rows(DAILY_FILE).find((row) => row[0]!.startsWith(date));
  if (r === undefined) throw new Error(`no daily candle for ${date}`);
  const units = priceUnits;
  // Column order of this file: timestamp,open,close,volume,unix_timestamp,high,low.
  return { date, openUnits: units(r[1]!), closeUnits: units(r[2]!), highUnits: units(r[5]!), lowUnits: units(r[6]!) };
}

export interface CrashWindow {
  /** Index of the window's first bar. */
  readonly start: number;
  /** Index of the bar holding the window's low. */
  readonly lowAt: number;
}

/**
 * The `minutes`-bar window whose lowest low lies furthest below its first open (ties: the earliest), by a
 * sliding minimum over the lows: O(n). Compared exactly: low_a/open_a < low_b/open_b by cross-multiplying.
 */
export function steepestWindow(bars: readonly MinuteBar[], minutes: number): CrashWindow {
  const mins: number[] = [];
  let best: CrashWindow | undefined;
  let head = 0;
  // Walk window ends from the back so each start sees the minimum of [start, start + minutes).
  for (let start = bars.length - 1; start >= 0; start--) {
    while (mins.length > head && bars[mins[mins.length - 1]!]!.lowUnits >= bars[start]!.lowUnits) mins.pop();
    mins.push(start);
    if (head >= mins.length) head = mins.length - 1;
    while (mins[head]! >= start + minutes) head++;
    if (start + minutes > bars.length) continue;
    const lowAt = mins[head]!;
    const candidate = { start, lowAt };
    if (best === undefined || bars[lowAt]!.lowUnits * bars[best.start]!.openUnits <= bars[best.lowAt]!.lowUnits * bars[start]!.openUnits) best = candidate;
  }
  if (best === undefined) throw new Error(`fewer than ${minutes} bars`);
  return best;
}

/**
 * The map of the file comment: a real price (10^-8 USD) to the scaled index in ticks of `spec`, rounded
 * down once. Increasing (the window's low lies below its open), so the path keeps its order.
 */
export function dayScale(bars: readonly MinuteBar[], window: CrashWindow, day: DailyCandle, spec: MarketSpec): (units: bigint) => bigint {
  const tickUnits = priceUnits(spec.tickSize);
  const open = bars[window.start]!.openUnits;
  const low = bars[window.lowAt]!.lowUnits;
  if (low >= open) throw new Error('the window does not fall: nothing to scale');
  return (p) => floorDiv(day.openUnits * (open - low) + (p - open) * (day.openUnits - day.lowUnits), (open - low) * tickUnits);
}

/** One index observation of the scaled path. */
export interface IndexPoint {
  readonly timeUs: number;
  readonly indexTicks: bigint;
}

export interface ScaledDay {
  readonly window: CrashWindow;
  readonly day: DailyCandle;
  /** Four points a minute: open, the first extreme, the second extreme, close (see indexPoints). */
  readonly points: readonly IndexPoint[];
  readonly openTicks: bigint;
  readonly lowTicks: bigint;
}

/**
 * The window's bars scaled onto the day (file comment), as index points every 15 s: open at :00, then the
 * bar's high and low in the order a bar usually draws them (a falling bar, close < open, rises first), the
 * close at :45. The window's low therefore appears exactly, as the day's low.
 */
export function scaleToDay(bars: readonly MinuteBar[], window: CrashWindow, day: DailyCandle, spec: MarketSpec, minutes = DAY_MINUTES): ScaledDay {
  const scale = dayScale(bars, window, day, spec);
  const open = bars[window.start]!.openUnits;
  const low = bars[window.lowAt]!.lowUnits;
  const points: IndexPoint[] = [];
  for (let i = window.start; i < window.start + minutes && i < bars.length; i++) {
    const b = bars[i]!;
    const path = b.closeUnits < b.openUnits ? [b.openUnits, b.highUnits, b.lowUnits, b.closeUnits] : [b.openUnits, b.lowUnits, b.highUnits, b.closeUnits];
    path.forEach((p, k) => points.push({ timeUs: b.timeUs + k * 15_000_000, indexTicks: scale(p) }));
  }
  return { window, day, points, openTicks: scale(open), lowTicks: scale(low) };
}
