// The limit prices of the pipeline's orders. The risk shard does not see the book, so instead of
// planFullClose's walk (risk/liquidation.ts) it bounds what any fill may cost with the order's limit and
// lets the market walk its book best-first up to it:
//
//   step-down   limit BP of the scope as it is now: a long sells at ≥ BP, a short buys at ≤ BP, so a
//               fill at the limit leaves the scope's equity ≥ 0 (BP rounds toward safety: long up,
//               short down, liquidation-price.ts).
//   full close  limit = the price at which closing what is left would bring the scope's equity to exactly
//               −budget: bankruptcyPrice with the budget added to the collateral, so long
//               ceil((C − collateral − budget)/(Q·a)), short floor((C + collateral + budget)/(Q·a)). Every
//               fill at or inside the limit keeps the final equity ≥ −budget: the insurance fund never pays
//               more than the budget. The collateral is read from state after earlier fills, so fills
//               better than BP widen the next round's limit (they pay for worse ones, as docs/RISK.md step 4 asks).
//   band        both are clamped to ±liquidationBandRate around mark, rounded inward (low edge up, high
//               edge down) so no fill leaves the band; a limit that falls beyond the far edge (a long's
//               above the high edge, a short's below the low edge) cannot fill within the band: undefined.
//
// Pure.

import { ceilDiv, floorDiv } from '../../engine/market/decimal.js';
import { bankruptcyPrice } from '../liquidation-price.js';
import type { Position } from '../position.js';
import { RATE_ONE } from '../units.js';

export interface PriceBand {
  readonly loTicks: bigint;
  readonly hiTicks: bigint;
}

/** ±bandRate around mark, rounded inward, never below one tick. */
export function liquidationBand(markTicks: bigint, bandRate: bigint): PriceBand {
  const lo = ceilDiv(markTicks * (RATE_ONE - bandRate), RATE_ONE);
  return { loTicks: lo > 1n ? lo : 1n, hiTicks: floorDiv(markTicks * (RATE_ONE + bandRate), RATE_ONE) };
}

/**
 * A closing order's limit clamped into the band: a long (selling) may not go below the low edge, a short
 * (buying) not above the high edge. undefined when the limit lies beyond the other edge.
 */
export function clampToBand(long: boolean, limitTicks: bigint, band: PriceBand): bigint | undefined {
  if (long) {
    const l = limitTicks > band.loTicks ? limitTicks : band.loTicks;
    return l <= band.hiTicks ? l : undefined;
  }
  const l = limitTicks < band.hiTicks ? limitTicks : band.hiTicks;
  return l >= band.loTicks ? l : undefined;
}

/** The step-down limit: BP now, in the band. undefined when flat or when no fill in the band can respect BP. */
export function stepDownLimitTicks(pos: Position, collateralAtoms: bigint, atomsPerTickLot: bigint, band: PriceBand): bigint | undefined {
  const bp = bankruptcyPrice(pos, collateralAtoms, atomsPerTickLot);
  return bp === undefined ? undefined : clampToBand(pos.qtyLots > 0n, bp.priceTicks, band);
}

/** The full-close limit for what is left of the position, the budget spent at most, in the band. */
export function fullCloseLimitTicks(pos: Position, collateralAtoms: bigint, budgetAtoms: bigint, atomsPerTickLot: bigint, band: PriceBand): bigint | undefined {
  const worst = bankruptcyPrice(pos, collateralAtoms + budgetAtoms, atomsPerTickLot);
  return worst === undefined ? undefined : clampToBand(pos.qtyLots > 0n, worst.priceTicks, band);
}

/** True when limit b reaches further into the book than limit a for a closing order (lower for a long's sale). */
export function reachesFurther(long: boolean, aTicks: bigint, bTicks: bigint): boolean {
  return long ? bTicks < aTicks : bTicks > aTicks;
}

/**
 * Where ADL closes the remainder: the scope's BP taken when its full close began, at least one tick.
 * Closing at BP adds nothing to the scope's equity relative to BP, so the insurance fund pays exactly the
 * loss of the book fills and ADL counterparties carry the rest. A BP ≤ 0 only arises for a cross long
 * whose other collateral exceeds its entry cost (any sale keeps equity ≥ 0): one tick is then the price
 * nearest BP the market can trade at, and the scope's equity stays ≥ 0.
 */
export function adlPriceTicks(bpTicks: bigint): bigint {
  return bpTicks > 1n ? bpTicks : 1n;
}
