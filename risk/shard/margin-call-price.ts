// The margin-call price of a position: where its scope's margin ratio Σ MM / Equity reaches the pool's
// marginCallRatioRate r. The same construction as the liquidation price (risk/liquidation-price.ts, whose
// comment has the notation), with r·Equity = R·MM in place of Equity = MM:
//
//   r·(E0 + s·X) = R·otherMM + X·MMR_t − cumAtomRate_t
//   X_t = (R·otherMM − cumAtomRate_t − r·E0) / (r·s − MMR_t)
//
// For r = R this is exactly the liquidation-price formula. r·Equity − R·MM is monotone in X when
// r > MMR_t (a long's slope r − MMR_t; a short's −r − MMR_t is always negative), so in every tier whose
// MMR is below r the root is unique and at most one X_t lies in its own tier. Tiers with MMR ≥ r are
// skipped: there the ratio cannot be tracked by one crossing price (DEFAULT_POOL's 80% is above every
// default MMR). The price is only a trigger for re-checking the scope, never a margin figure: the call
// itself is decided on the exact ratio (scope-evaluator.ts).
//
// Rounding toward the call: a long's price rounds up, a short's down, so a mark at the rounded price is
// never on the healthy side of the exact one.

import { ceilDiv, floorDiv } from '../../engine/market/decimal.js';
import type { Position } from '../position.js';
import type { TierTable } from '../tiers.js';
import { RATE_ONE } from '../units.js';

/** The short is past the threshold at every price (the caller watches it at any mark). */
export const CALLED_AT_ANY_PRICE = 0n;

/**
 * The margin-call price in ticks, rounded toward the call; CALLED_AT_ANY_PRICE for a short already past
 * the threshold as the price goes to 0; undefined when flat or when no positive price reaches it.
 */
export function marginCallPriceTicks(
  pos: Position,
  collateralAtoms: bigint,
  otherMaintenanceAtoms: bigint,
  atomsPerTickLot: bigint,
  tiers: TierTable,
  ratioRate: bigint,
): bigint | undefined {
  const q = pos.qtyLots;
  if (q === 0n) return undefined;
  const long = q > 0n;
  const e0 = long ? collateralAtoms - pos.entryCostAtoms : collateralAtoms + pos.entryCostAtoms;
  const lotsAtoms = (long ? q : -q) * atomsPerTickLot;
  const top = tiers.length - 1;
  for (let i = 0; i <= top; i++) {
    const t = tiers[i]!;
    if (long && ratioRate <= t.mmrRate) continue;
    let num = RATE_ONE * otherMaintenanceAtoms - t.cumAtomRate - ratioRate * e0;
    let den = long ? ratioRate - t.mmrRate : -ratioRate - t.mmrRate;
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    if (num <= t.loNotionalAtoms * den) continue;
    if (i < top && num > t.hiNotionalAtoms * den) continue;
    return long ? ceilDiv(num, den * lotsAtoms) : floorDiv(num, den * lotsAtoms);
  }
  if (long) return undefined;
  // A short's r·Equity − R·MM falls as X grows; with no root above 0 it is ≤ 0 everywhere.
  return ratioRate * e0 <= RATE_ONE * otherMaintenanceAtoms ? CALLED_AT_ANY_PRICE : undefined;
}
