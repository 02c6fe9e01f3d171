// The number fast path of risk/liquidation-price.ts: the same tick prices (and tier) on doubles, or NaN
// when a guard refuses (the caller then takes the bigint path). Notation as in liquidation-price.ts.
//
// LP, tier t, R = 10^8, m = MMR_t, cum_t = ch·R + cl (0 ≤ cl < R), D = otherMM − E0:
//   long   X_t = (R·D − cum_t)/(R − m) = (R·U − cl)/(R − m),   U = D − ch
//   short  X_t = (cum_t − R·D)/(R + m) = (R·V + cl)/(R + m),   V = ch − D
// With den = R ∓ m (0 < den < 2R): R·U = f·den + ρ (mulDivFloor), so floor(X_t) = f + floor((ρ − cl)/den)
// (short: ρ + cl), the second quotient of two numbers below 2^29: exact. A long with U ≤ 0 (a short with
// V < 0) has X_t ≤ 0 and no root in any tier.
// The tier test lo < X_t ≤ hi reads ceil(X_t) alone: for integer bounds, X ≤ lo ⟺ ceil(X) ≤ lo and
// X > hi ⟺ ceil(X) > hi. The displayed price nests the divisions: ceil(X/K) = ceil(ceil(X)/K) and
// floor(X/K) = floor(floor(X)/K) for the positive integer K = Q·a.
// Ranges: |collateral|, |otherMM|, C < 2^51 (checked) give |E0| < 2^52 and |D| < 1.5·2^52 < 2^53, exact;
// U and V must be below 2^52 and f below 2^50 (mulDivFloor refuses otherwise), K = Q·a below 2^51.
// BP: X = C ∓ collateral, |X| < 2^52, divided by K with floorDivExact / ceilDivExact.
// Tier prefilter: the floating estimate x̃ = (R·w ∓ cl)/den is within 8·2^-53·B of X_t, B = (R·|w| + cl)/den
// (four roundings of terms bounded by B·den); a tier is skipped without the exact division only when
// x̃ misses its band by more than 1 + 10^-14·B, far beyond that error. The exact test decides the rest.
// Pure; the tier index of the last LP found is read with lastTierIndex().

import { ceilDivExact, floorDivExact, mulDivFloor, remainder, TWO_51, TWO_52 } from './exact-number.js';
import { productBelow51, RATE_ONE_NUMBER, type NumberTiers } from './margin-number.js';

/** No price solves the equation (the bigint functions return undefined). */
export const NO_PRICE = -1;

const R = RATE_ONE_NUMBER;
let lastTier = -1;

/** The tier of the last liquidationPriceNumber that found a price. */
export function lastTierIndex(): number {
  return lastTier;
}

function inputsInRange(qtyLots: number, entryCostAtoms: number, collateralAtoms: number): boolean {
  return qtyLots !== 0 && qtyLots > -TWO_51 && qtyLots < TWO_51 && entryCostAtoms >= 0 && entryCostAtoms < TWO_51 && collateralAtoms > -TWO_51 && collateralAtoms < TWO_51;
}

/**
 * LP in ticks (long rounded up, short down), NO_PRICE when no positive price solves Equity = MM, NaN when
 * a guard refuses. qtyLots ≠ 0.
 */
export function liquidationPriceNumber(qtyLots: number, entryCostAtoms: number, collateralAtoms: number, otherMaintenanceAtoms: number, atomsPerTickLot: number, t: NumberTiers): number {
  if (!(t.usable && inputsInRange(qtyLots, entryCostAtoms, collateralAtoms) && otherMaintenanceAtoms >= 0 && otherMaintenanceAtoms < TWO_51)) return NaN;
  const long = qtyLots > 0;
  const lotsAtoms = productBelow51(long ? qtyLots : -qtyLots, atomsPerTickLot, 1);
  if (lotsAtoms !== lotsAtoms) return NaN;
  const e0 = long ? collateralAtoms - entryCostAtoms : collateralAtoms + entryCostAtoms;
  const d = otherMaintenanceAtoms - e0;
  const top = t.count - 1;
  for (let i = 0; i <= top; i++) {
    const m = t.mmrRate[i]!;
    const cl = t.cumLow[i]!;
    const w = long ? d - t.cumHigh[i]! : t.cumHigh[i]! - d;
    if (long ? w <= 0 : w < 0) continue;
    if (!(w < TWO_52)) return NaN;
    const den = long ? R - m : R + m;
    const bound = (R * w + cl) / den;
    const estimate = (long ? R * w - cl : R * w + cl) / den;
    const margin = 1 + 1e-14 * bound;
    if (estimate + margin <= t.loAtoms[i]! || (i < top && estimate - margin > t.hiAtoms[i]!)) continue;
    const f = mulDivFloor(w, R, den);
    if (f !== f) return NaN;
    const adjust = floorDivExact(long ? remainder() - cl : remainder() + cl, den);
    const floorX = f + adjust;
    const ceilX = remainder() > 0 ? floorX + 1 : floorX;
    if (ceilX <= t.loAtoms[i]!) continue;
    if (i < top && ceilX > t.hiAtoms[i]!) continue;
    lastTier = i;
    return long ? ceilDivExact(ceilX, lotsAtoms) : floorDivExact(floorX, lotsAtoms);
  }
  return NO_PRICE;
}

/** BP in ticks (long rounded up, short down; may be ≤ 0), NaN when a guard refuses. qtyLots ≠ 0. */
export function bankruptcyPriceNumber(qtyLots: number, entryCostAtoms: number, collateralAtoms: number, atomsPerTickLot: number): number {
  if (!inputsInRange(qtyLots, entryCostAtoms, collateralAtoms)) return NaN;
  const long = qtyLots > 0;
  const lotsAtoms = productBelow51(long ? qtyLots : -qtyLots, atomsPerTickLot, 1);
  if (lotsAtoms !== lotsAtoms) return NaN;
  return long ? ceilDivExact(entryCostAtoms - collateralAtoms, lotsAtoms) : floorDivExact(entryCostAtoms + collateralAtoms, lotsAtoms);
}
