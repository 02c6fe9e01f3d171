// Risk tiers (docs/RISK.md, "Risk tiers"): per market, a table of notional bands lo < N ≤ hi, each with a
// maximum leverage, an initial and a maintenance margin rate, and the maintenance amount cum that keeps
// MM = N·MMR − cum continuous across bands: cum_n = cum_(n−1) + lo_n·(MMR_n − MMR_(n−1)).
//
// cum is kept multiplied by RATE_ONE (cumAtomRate) so MM = ceil((N·MMR − cumAtomRate) / RATE_ONE) has a
// single rounding, up, whatever the table's boundaries: a table whose lo·ΔMMR is not a whole number of
// atoms still gives an exactly continuous MM.
//
// Tables are built once at configuration (buildTierTable validates them) and shared read-only by every
// thread; nothing here allocates per call.

import { Code } from '../engine/codes.js';
import { ceilDiv } from '../engine/market/decimal.js';
import { ATOMS_PER_USDT, RATE_ONE, RATE_PERCENT } from './units.js';

/** One row as configured: the band's upper bound and its rates. lo is the previous row's hi (0 for the first). */
export interface TierRow {
  readonly hiNotionalAtoms: bigint;
  readonly maxLeverage: bigint;
  readonly imrRate: bigint;
  readonly mmrRate: bigint;
}

export interface RiskTier extends TierRow {
  /** Exclusive lower bound of the band. */
  readonly loNotionalAtoms: bigint;
  /** The maintenance amount cum times RATE_ONE (atoms·10^-8), exact. */
  readonly cumAtomRate: bigint;
}

export type TierTable = readonly RiskTier[];

export type TierTableResult = { readonly code: typeof Code.OK; readonly tiers: TierTable } | { readonly code: number };

const usdt = (n: bigint): bigint => n * ATOMS_PER_USDT;

/** docs/RISK.md's default table, in USDT atoms: every market uses it until it defines its own. */
export const DEFAULT_TIER_ROWS: readonly TierRow[] = [
  { hiNotionalAtoms: usdt(50_000n), maxLeverage: 50n, imrRate: 2n * RATE_PERCENT, mmrRate: 1n * RATE_PERCENT },
  { hiNotionalAtoms: usdt(250_000n), maxLeverage: 25n, imrRate: 4n * RATE_PERCENT, mmrRate: 2n * RATE_PERCENT },
  { hiNotionalAtoms: usdt(1_000_000n), maxLeverage: 10n, imrRate: 10n * RATE_PERCENT, mmrRate: 5n * RATE_PERCENT },
  { hiNotionalAtoms: usdt(5_000_000n), maxLeverage: 5n, imrRate: 20n * RATE_PERCENT, mmrRate: 10n * RATE_PERCENT },
  { hiNotionalAtoms: usdt(20_000_000n), maxLeverage: 2n, imrRate: 50n * RATE_PERCENT, mmrRate: 25n * RATE_PERCENT },
];

/**
 * Validates rows and derives lo and cum. Refused with INVALID_MARKET_SPEC: no rows; hi not strictly
 * increasing from above 0; leverage below 1 or rising with the tier; MMR ≤ 0, MMR ≥ IMR, IMR above 100%;
 * IMR above 1/maxLeverage (the leverage cap would then allow less initial margin than the rate asks);
 * rates falling with the tier (MM would no longer be increasing in N, and the liquidation price not unique).
 */
export function buildTierTable(rows: readonly TierRow[]): TierTableResult {
  if (rows.length === 0) return { code: Code.INVALID_MARKET_SPEC };
  const tiers: RiskTier[] = [];
  let lo = 0n;
  let cum = 0n;
  let prevMmr = 0n;
  let prevImr = 0n;
  let prevLeverage = 0n;
  for (const row of rows) {
    const ok =
      row.hiNotionalAtoms > lo &&
      row.maxLeverage >= 1n &&
      (prevLeverage === 0n || row.maxLeverage <= prevLeverage) &&
      row.mmrRate > 0n &&
      row.mmrRate < row.imrRate &&
      row.imrRate <= RATE_ONE &&
      row.imrRate * row.maxLeverage <= RATE_ONE &&
      row.mmrRate >= prevMmr &&
      row.imrRate >= prevImr;
    if (!ok) return { code: Code.INVALID_MARKET_SPEC };
    cum += lo * (row.mmrRate - prevMmr);
    tiers.push(Object.freeze({ ...row, loNotionalAtoms: lo, cumAtomRate: cum }));
    lo = row.hiNotionalAtoms;
    prevMmr = row.mmrRate;
    prevImr = row.imrRate;
    prevLeverage = row.maxLeverage;
  }
  return { code: Code.OK, tiers: Object.freeze(tiers) };
}

function mustBuild(rows: readonly TierRow[]): TierTable {
  const r = buildTierTable(rows);
  if (!('tiers' in r)) throw new Error(`default tier table is invalid (code ${r.code})`);
  return r.tiers;
}

export const DEFAULT_TIERS: TierTable = mustBuild(DEFAULT_TIER_ROWS);

/** The tier whose band holds N (lo < N ≤ hi; N = 0 is tier 1), or −1 above the top tier. */
export function tierIndexOf(tiers: TierTable, notional: bigint): number {
  for (let i = 0; i < tiers.length; i++) if (notional <= tiers[i]!.hiNotionalAtoms) return i;
  return -1;
}

/**
 * The tier used for margin at notional N. A position can pass the top tier without any order (the mark
 * rises); it is still margined, at the top tier's rates, with MM still continuous. Orders cannot take
 * it there (positionLimitCode).
 */
export function marginTierIndexOf(tiers: TierTable, notional: bigint): number {
  const i = tierIndexOf(tiers, notional);
  return i < 0 ? tiers.length - 1 : i;
}

/** The maintenance amount cum of a tier in atoms, rounded down (display only: MM uses cumAtomRate). */
export function cumAtoms(tier: RiskTier): bigint {
  return tier.cumAtomRate / RATE_ONE;
}

/** MM = N·MMR − cum in the tier N falls in, rounded up. 0 for a flat position. */
export function maintenanceMarginAtoms(tiers: TierTable, notional: bigint): bigint {
  if (notional <= 0n) return 0n;
  const t = tiers[marginTierIndexOf(tiers, notional)]!;
  return ceilDiv(notional * t.mmrRate - t.cumAtomRate, RATE_ONE);
}

/** The leverage IM uses: the account's choice, capped by the maximum of the tier N falls in. */
export function effectiveLeverage(tiers: TierTable, notional: bigint, chosenLeverage: bigint): bigint {
  const max = tiers[marginTierIndexOf(tiers, notional)]!.maxLeverage;
  return chosenLeverage < max ? chosenLeverage : max;
}

/** OK, or LEVERAGE_TOO_HIGH for a leverage below 1x or above the table's highest (tier 1's) maximum. */
export function leverageCode(tiers: TierTable, chosenLeverage: bigint): number {
  return chosenLeverage >= 1n && chosenLeverage <= tiers[0]!.maxLeverage ? Code.OK : Code.LEVERAGE_TOO_HIGH;
}

/** OK, or POSITION_LIMIT_EXCEEDED when N lies above the top tier. */
export function positionLimitCode(tiers: TierTable, notional: bigint): number {
  return notional > tiers[tiers.length - 1]!.hiNotionalAtoms ? Code.POSITION_LIMIT_EXCEEDED : Code.OK;
}

/** The default impact notional of funding: 200 USDT of margin at tier 1's IMR, rounded down. */
export function impactNotionalAtoms(tiers: TierTable, impactMarginAtoms: bigint = usdt(200n)): bigint {
  return (impactMarginAtoms * RATE_ONE) / tiers[0]!.imrRate;
}
