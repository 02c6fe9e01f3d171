// The number fast path of margin-call-price.ts: the same trigger price on doubles, or NaN when a guard
// refuses (the caller then takes the bigint path). Notation as there, r = the margin-call ratio rate:
//
//   long   X_t = (R·otherMM − cum_t − r·E0) / (r − m)      (tiers with r > m only)
//   short  X_t = (r·E0 + cum_t − R·otherMM) / (r + m)
//
// The numerators are carried in base R, value = H·R + L with 0 ≤ L < R: R·otherMM is (otherMM, 0),
// cum_t is (ch, cl), and r·E0 with E0 = eh·R + el (floorDivExact) is (r·eh + p, ρ) where r·el = p·R + ρ
// (mulDivFloor). |otherMM|, |collateral|, C < 2^51 and 0 < r ≤ R (checked) bound |E0| < 2^52,
// |eh| < 2^26, |r·eh| < 2^53 and every H below 2^53 before the guard that asks |H| < 2^52. Dividing
// H·R + L by den (< 2^28): H·R = f·den + ρ' (mulDivFloor), then (ρ' + L)/den, both below 2^29: exact.
// The tier test, its floating prefilter and the nested rounding are those of liquidation-price-number.ts;
// here the estimate x̃ = (R·(h) + l)/den carries an error below 8·2^-53·B with B = (R·|otherMM| + R·ch +
// cl + r·|E0|)/den, the sum of the magnitudes it was built from.
// Pure.

import { ceilDivExact, floorDivExact, mulDivFloor, remainder, TWO_51, TWO_52 } from '../exact-number.js';
import { productBelow51, RATE_ONE_NUMBER, type NumberTiers } from '../margin-number.js';
import { NO_PRICE } from '../liquidation-price-number.js';

const R = RATE_ONE_NUMBER;

/**
 * The margin-call price in ticks rounded toward the call; 0 (CALLED_AT_ANY_PRICE) for a short past the
 * threshold at every price; NO_PRICE when no positive price reaches it; NaN when a guard refuses.
 */
export function marginCallPriceNumber(
  qtyLots: number,
  entryCostAtoms: number,
  collateralAtoms: number,
  otherMaintenanceAtoms: number,
  atomsPerTickLot: number,
  t: NumberTiers,
  ratioRate: number,
): number {
  if (!(t.usable && qtyLots !== 0 && qtyLots > -TWO_51 && qtyLots < TWO_51 && entryCostAtoms >= 0 && entryCostAtoms < TWO_51)) return NaN;
  if (!(collateralAtoms > -TWO_51 && collateralAtoms < TWO_51 && otherMaintenanceAtoms >= 0 && otherMaintenanceAtoms < TWO_51 && ratioRate > 0 && ratioRate <= R)) return NaN;
  const long = qtyLots > 0;
  const lotsAtoms = productBelow51(long ? qtyLots : -qtyLots, atomsPerTickLot, 1);
  if (lotsAtoms !== lotsAtoms) return NaN;
  const e0 = long ? collateralAtoms - entryCostAtoms : collateralAtoms + entryCostAtoms;
  const eh = floorDivExact(e0, R);
  const p = mulDivFloor(ratioRate, remainder(), R);
  const rHigh = ratioRate * eh + p;
  const rLow = remainder();
  const rE0 = ratioRate * (e0 < 0 ? -e0 : e0);
  const mo = R * otherMaintenanceAtoms;
  const top = t.count - 1;
  for (let i = 0; i <= top; i++) {
    const m = t.mmrRate[i]!;
    if (long && ratioRate <= m) continue;
    let h: number;
    let l: number;
    if (long) {
      h = otherMaintenanceAtoms - t.cumHigh[i]! - rHigh;
      l = -t.cumLow[i]! - rLow;
      while (l < 0) {
        l += R;
        h--;
      }
    } else {
      h = rHigh + t.cumHigh[i]! - otherMaintenanceAtoms;
      l = rLow + t.cumLow[i]!;
      if (l >= R) {
        l -= R;
        h++;
      }
    }
    if (h < 0) continue;
    if (!(h < TWO_52)) return NaN;
    const den = long ? ratioRate - m : ratioRate + m;
    const bound = (mo + R * t.cumHigh[i]! + R + rE0) / den;
    const estimate = (R * h + l) / den;
    const margin = 1 + 1e-14 * bound;
    if (estimate + margin <= t.loAtoms[i]! || (i < top && estimate - margin > t.hiAtoms[i]!)) continue;
    const f = mulDivFloor(h, R, den);
    if (f !== f) return NaN;
    const floorX = f + floorDivExact(remainder() + l, den);
    const ceilX = remainder() > 0 ? floorX + 1 : floorX;
    if (ceilX <= t.loAtoms[i]!) continue;
    if (i < top && ceilX > t.hiAtoms[i]!) continue;
    return long ? ceilDivExact(ceilX, lotsAtoms) : floorDivExact(floorX, lotsAtoms);
  }
  if (long) return NO_PRICE;
  // A short past the threshold everywhere: r·E0 ≤ R·otherMM, compared in base R.
  return rHigh < otherMaintenanceAtoms || (rHigh === otherMaintenanceAtoms && rLow === 0) ? 0 : NO_PRICE;
}
