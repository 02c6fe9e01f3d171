// The prices of the pipeline's orders and of ADL, at the risk shard's marks:
//
//   step-down   limit BP of the scope as it is now: a long sells at ≥ BP, a short buys at ≤ BP, so a
//               fill at the limit leaves the scope's equity ≥ 0 (BP rounds toward safety: long up,
//               short down, liquidation-price.ts).
//   full close  the sweep (LiquidationSweep) reaches no further than the band's far edge; what it may
//               cost is bounded by its budget, which the market shard's walk spends (sweep-plan.ts).
//   band        ±liquidationBandRate around mark, rounded inward (low edge up, high edge down) so no fill
//               leaves it; a step-down limit beyond the far edge (a long's above the high edge, a short's
//               below the low edge) cannot fill within the band: undefined.
//
// Pure.

import { ceilDiv, floorDiv } from '../../engine/market/decimal.js';
import { bankruptcyPrice } from '../liquidation-price.js';
import { Side } from '../../engine/enums.js';
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

export interface SweepTerms {
  /** The closing side: a long sells. */
  readonly side: Side;
  /** What is left of the position, at most the market's maximum order size. */
  readonly lots: bigint;
  /** The reach: the band's far edge (a long's low edge, a short's high edge). */
  readonly limitTicks: bigint;
  /** The reservation less what closing the whole remainder at the ADL price would already cost. */
  readonly budgetAtoms: bigint;
}

/**
 * The terms of one budgeted sweep of what is left of a position (docs/RISK-SHARD.md, "Full close: the
 * budgeted sweep"). Costs are counted against the price ADL would close the remainder at: a lot sold at p
 * instead costs the fund (ADL price − p)·a more (the mirror for a short's purchase). What closing the whole
 * remainder R by ADL would already cost, −(equity at mark + R·(ADL price − mark)·a), comes off the
 * reservation first, so the sweep's count is the fund's exact final cost, whatever part it leaves to ADL;
 * below zero (the fund is already past the reservation) the sweep still takes fills better than the ADL
 * price.
 */
export function sweepTerms(pos: Position, market: SweepMarket, equityAtoms: bigint, adlPriceTicks: bigint, reservedAtoms: bigint): SweepTerms {
  const mark = market.markPriceTicks;
  const long = pos.qtyLots > 0n;
  const remainder = long ? pos.qtyLots : -pos.qtyLots;
  const costAllByAdl = -(equityAtoms + remainder * (long ? adlPriceTicks - mark : mark - adlPriceTicks) * market.atomsPerTickLot);
  const maxLots = BigInt(market.spec.maxQtyLots);
  const band = liquidationBand(mark, market.config.liquidationBandRate);
  return {
    side: long ? Side.SELL : Side.BUY,
    lots: remainder < maxLots ? remainder : maxLots,
    limitTicks: long ? band.loTicks : band.hiTicks,
    budgetAtoms: reservedAtoms - costAllByAdl,
  };
}

/** What sweepTerms reads of a market (MarketRiskState). */
export interface SweepMarket {
  readonly markPriceTicks: bigint;
  readonly atomsPerTickLot: bigint;
  readonly spec: { readonly maxQtyLots: number };
  readonly config: { readonly liquidationBandRate: bigint };
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
