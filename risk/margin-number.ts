// The number fast path of one position's margin figures (risk/margin.ts, risk/tiers.ts): the same integers
// as the bigint formulas, computed on doubles with the exact primitives of exact-number.ts, and NaN when a
// guard refuses (the caller then takes the bigint path). Range proof, with R = RATE_ONE = 10^8:
//
//   N    = |q|·MP·a            productBelow51: refused unless the exact product is below 2^51
//   UPnL = ±(N − C)            |C| < 2^51 checked, so |UPnL| < 2^52, exact
//   MM   = ceil((N·MMR − cum)/R) in N's tier, cum = ch·R + cl (0 ≤ cl < R, split once per table):
//          N·MMR = f·R + ρ (mulDivFloor), so N·MMR − cum = (f − ch)·R + (ρ − cl) with ρ − cl in (−R, R):
//          MM = f − ch + (ρ > cl ? 1 : 0). f ≤ N, ch < 2^52 (table check): exact
//   IM   = ceil(N / min(leverage, tier max))   ceilDivExact
//
// A table is usable when every bound, cum part and rate is an exact integer below 2^52 (numberTiers
// checks it once per table); otherwise every function here returns NaN for it.
// Pure; NumberTiers are built once per table and shared read-only.

import { ceilDivExact, mulDivFloor, remainder, TWO_51, TWO_52, TWO_53 } from './exact-number.js';
import type { TierTable } from './tiers.js';
import { RATE_ONE } from './units.js';

export const RATE_ONE_NUMBER = Number(RATE_ONE);

/** A tier table as doubles (index-aligned with the TierTable). */
export class NumberTiers {
  readonly count: number;
  readonly loAtoms: Float64Array;
  readonly hiAtoms: Float64Array;
  readonly mmrRate: Float64Array;
  /** cumAtomRate = cumHigh·R + cumLow, 0 ≤ cumLow < R. */
  readonly cumHigh: Float64Array;
  readonly cumLow: Float64Array;
  readonly maxLeverage: Float64Array;
  /** Every figure above is exact and within the guards: the fast path may use this table. */
  readonly usable: boolean;

  constructor(tiers: TierTable) {
    const n = tiers.length;
    this.count = n;
    this.loAtoms = new Float64Array(n);
    this.hiAtoms = new Float64Array(n);
    this.mmrRate = new Float64Array(n);
    this.cumHigh = new Float64Array(n);
    this.cumLow = new Float64Array(n);
    this.maxLeverage = new Float64Array(n);
    const limit = BigInt(TWO_52);
    let usable = n > 0;
    for (let i = 0; i < n; i++) {
      const t = tiers[i]!;
      const ch = t.cumAtomRate / RATE_ONE;
      const parts = [t.loNotionalAtoms, t.hiNotionalAtoms, t.mmrRate, ch, t.maxLeverage];
      if (parts.some((v) => v < 0n || v >= limit)) usable = false;
      this.loAtoms[i] = Number(t.loNotionalAtoms);
      this.hiAtoms[i] = Number(t.hiNotionalAtoms);
      this.mmrRate[i] = Number(t.mmrRate);
      this.cumHigh[i] = Number(ch);
      this.cumLow[i] = Number(t.cumAtomRate % RATE_ONE);
      this.maxLeverage[i] = Number(t.maxLeverage);
    }
    this.usable = usable;
  }
}

const cache = new WeakMap<TierTable, NumberTiers>();

/** The number form of a (frozen, shared) tier table, built once. */
export function numberTiers(tiers: TierTable): NumberTiers {
  let t = cache.get(tiers);
  if (t === undefined) {
    t = new NumberTiers(tiers);
    cache.set(tiers, t);
  }
  return t;
}

/**
 * x·y·z for non-negative integers when the exact product is below 2^51, else NaN. Sound because rounding
 * is monotone and 2^53, 2^51 are representable: an exact product at or past a bound rounds to at least it.
 */
export function productBelow51(x: number, y: number, z: number): number {
  const p = x * y;
  if (!(p < TWO_53)) return NaN;
  const v = p * z;
  return v < TWO_51 ? v : NaN;
}

/** marginTierIndexOf: the first tier whose hi holds N, else the top tier. */
export function marginTierNumber(t: NumberTiers, notionalAtoms: number): number {
  const top = t.count - 1;
  for (let i = 0; i < top; i++) if (notionalAtoms <= t.hiAtoms[i]!) return i;
  return top;
}

/** MM in tier i (the tier N falls in), rounded up; 0 for N ≤ 0. NaN when a guard refuses. */
export function maintenanceNumber(t: NumberTiers, tierIndex: number, notionalAtoms: number): number {
  if (!(notionalAtoms > 0)) return notionalAtoms === 0 ? 0 : NaN;
  const f = mulDivFloor(notionalAtoms, t.mmrRate[tierIndex]!, RATE_ONE_NUMBER);
  return f - t.cumHigh[tierIndex]! + (remainder() > t.cumLow[tierIndex]! ? 1 : 0);
}

/** IM = ceil(N / min(leverage, tier max)); 0 for N ≤ 0. NaN when a guard refuses. */
export function initialNumber(t: NumberTiers, tierIndex: number, notionalAtoms: number, leverage: number): number {
  if (!(notionalAtoms > 0)) return notionalAtoms === 0 ? 0 : NaN;
  if (!(leverage >= 1)) return NaN;
  const max = t.maxLeverage[tierIndex]!;
  return ceilDivExact(notionalAtoms, leverage < max ? leverage : max);
}

/** One position's figures as numbers (valuePositionNumber fills it). */
export class PositionNumbers {
  notionalAtoms = 0;
  unrealizedPnlAtoms = 0;
  maintenanceAtoms = 0;
  initialAtoms = 0;
  tierIndex = 0;
}

/**
 * The figures of scope-margin.ts valuePosition in numbers: notional at mark (at entry cost before the
 * market has a mark), UPnL, MM, IM and the margin tier. false when a guard refuses (out is then partly
 * written and must not be used). Inputs are the exact integers; markTicks 0 means no mark yet.
 */
export function valuePositionNumber(qtyLots: number, entryCostAtoms: number, markTicks: number, atomsPerTickLot: number, leverage: number, t: NumberTiers, out: PositionNumbers): boolean {
  if (qtyLots === 0) {
    out.notionalAtoms = 0;
    out.unrealizedPnlAtoms = 0;
    out.maintenanceAtoms = 0;
    out.initialAtoms = 0;
    out.tierIndex = 0;
    return true;
  }
  if (!(t.usable && entryCostAtoms >= 0 && entryCostAtoms < TWO_51 && qtyLots > -TWO_52 && qtyLots < TWO_52 && leverage >= 1 && markTicks >= 0)) return false;
  const n = markTicks > 0 ? productBelow51(qtyLots > 0 ? qtyLots : -qtyLots, markTicks, atomsPerTickLot) : entryCostAtoms;
  if (!(n >= 0)) return false;
  const tier = marginTierNumber(t, n);
  const mm = maintenanceNumber(t, tier, n);
  const im = initialNumber(t, tier, n, leverage);
  if (mm !== mm || im !== im) return false;
  out.notionalAtoms = n;
  out.unrealizedPnlAtoms = qtyLots > 0 ? n - entryCostAtoms : entryCostAtoms - n;
  out.maintenanceAtoms = mm;
  out.initialAtoms = im;
  out.tierIndex = tier;
  return true;
}
