// Liquidation price (LP) and bankruptcy price (BP) of one position, isolated or within a cross account.
//
// The scope around the position is summed up by two numbers held fixed:
//   collateral   M_iso (isolated), or WB + Σ UPnL of the account's other cross positions at their marks
//   otherMM      0 (isolated), or Σ MM of the account's other cross positions at their marks (rounded up)
// With X = Q·P·atomsPerTickLot the position's notional at price P, s its side and C its entry cost:
//   Equity(X) = collateral + s·(X − C) = E0 + s·X,   E0 = collateral − s·C
//   MM(X)     = otherMM + (X·MMR_t − cum_t)          (exact, in the tier t that X falls in)
// Equity − MM is strictly monotone in X (slope s − MMR_t, MMR < 100%) and continuous across tiers, so the
// root is unique: solving in each tier t gives X_t = s·(R·(otherMM − E0) − cumAtomRate_t) / (R − s·MMR_t)
// (R = RATE_ONE), and exactly one X_t lies in its own tier (lo_t < X_t ≤ hi_t; the top tier is open
// above, as in tiers.marginTierIndexOf). Solving in the entry tier instead is the known bug docs/RISK.md names.
//
// Displayed prices round toward safety, to a tick: a long's up, a short's down. For LP that makes the
// displayed tick the first one at which Equity ≥ MM still holds (invariant I12: one tick further, the
// position is liquidatable). For BP it makes a liquidation fill "no worse than BP" (a long sells at
// ≥ BP, a short buys at ≤ BP) leave Equity ≥ 0.

import { ceilDiv, floorDiv } from '../engine/market/decimal.js';
import type { Position } from './position.js';
import type { RiskTier, TierTable } from './tiers.js';
import { absBig, RATE_ONE, ratio, type Rational } from './units.js';

export interface PriceSolution {
  /** The exact solution, in ticks. */
  readonly exactTicks: Rational;
  /** Rounded to a tick toward safety: long up, short down. May be ≤ 0 (see each function). */
  readonly priceTicks: bigint;
}

export interface LiquidationPrice extends PriceSolution {
  /** The tier (index into the table) that Q·LP falls in. */
  readonly tierIndex: number;
}

/** The root of Equity = MM assuming tier `tier` applies, as a notional in atoms (exact, any sign). */
export function liquidationNotionalInTier(pos: Position, collateralAtoms: bigint, otherMaintenanceAtoms: bigint, tier: RiskTier): Rational {
  const long = pos.qtyLots > 0n;
  const e0 = long ? collateralAtoms - pos.entryCostAtoms : collateralAtoms + pos.entryCostAtoms;
  const num = RATE_ONE * (otherMaintenanceAtoms - e0) - tier.cumAtomRate;
  return long ? ratio(num, RATE_ONE - tier.mmrRate) : ratio(-num, RATE_ONE + tier.mmrRate);
}

function toTicks(notional: Rational, pos: Position, atomsPerTickLot: bigint): PriceSolution {
  const den = notional.den * absBig(pos.qtyLots) * atomsPerTickLot;
  const priceTicks = pos.qtyLots > 0n ? ceilDiv(notional.num, den) : floorDiv(notional.num, den);
  return { exactTicks: { num: notional.num, den }, priceTicks };
}

/**
 * LP given the scope (see the file comment). undefined when flat, or when no positive price solves
 * Equity = MM: a long so well collateralised that no price liquidates it, or a short already
 * liquidatable at every price.
 */
export function liquidationPrice(
  pos: Position,
  collateralAtoms: bigint,
  otherMaintenanceAtoms: bigint,
  atomsPerTickLot: bigint,
  tiers: TierTable,
): LiquidationPrice | undefined {
  if (pos.qtyLots === 0n) return undefined;
  const top = tiers.length - 1;
  for (let i = 0; i <= top; i++) {
    const t = tiers[i]!;
    const x = liquidationNotionalInTier(pos, collateralAtoms, otherMaintenanceAtoms, t);
    if (x.num <= t.loNotionalAtoms * x.den) continue;
    if (i < top && x.num > t.hiNotionalAtoms * x.den) continue;
    return { ...toTicks(x, pos, atomsPerTickLot), tierIndex: i };
  }
  return undefined;
}

export function isolatedLiquidationPrice(pos: Position, isolatedMarginAtoms: bigint, atomsPerTickLot: bigint, tiers: TierTable): LiquidationPrice | undefined {
  return liquidationPrice(pos, isolatedMarginAtoms, 0n, atomsPerTickLot, tiers);
}

/** LP of one cross position, the account's other positions held at their marks. */
export function crossLiquidationPrice(
  pos: Position,
  walletAtoms: bigint,
  otherUnrealizedPnlAtoms: bigint,
  otherMaintenanceAtoms: bigint,
  atomsPerTickLot: bigint,
  tiers: TierTable,
): LiquidationPrice | undefined {
  return liquidationPrice(pos, walletAtoms + otherUnrealizedPnlAtoms, otherMaintenanceAtoms, atomsPerTickLot, tiers);
}

/**
 * BP: the price at which the scope's equity is exactly 0, X = C − s·collateral. Isolated it is
 * EP − s·M_iso/Q; cross, pass WB + Σ other UPnL as collateral. A long's BP ≤ 0 means any sale keeps
 * Equity ≥ 0; a short's BP ≤ 0 means no purchase does. undefined when flat.
 */
export function bankruptcyPrice(pos: Position, collateralAtoms: bigint, atomsPerTickLot: bigint): PriceSolution | undefined {
  if (pos.qtyLots === 0n) return undefined;
  const x = pos.qtyLots > 0n ? pos.entryCostAtoms - collateralAtoms : pos.entryCostAtoms + collateralAtoms;
  return toTicks({ num: x, den: 1n }, pos, atomsPerTickLot);
}
