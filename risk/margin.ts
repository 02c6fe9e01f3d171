// Margin of a cross account or of one isolated position, at mark (docs/RISK.md, "Risk tiers"). Mark alone
// drives it: a position without a mark (markTicks 0n, none published yet) makes the scope's margin
// undefined, and the caller answers MARK_PRICE_UNAVAILABLE.
//
//   N       = |q|·MP·atomsPerTickLot                      exact
//   UPnL    = side·(N − entryCost) = q·(MP − EP)          exact
//   IM      = N / min(leverage, tier max), rounded up
//   MM      = N·MMR − cum in the tier N falls in, rounded up (tiers.ts)
//   Equity  = WB + Σ UPnL (cross positions), or M_iso + UPnL (isolated)
//   Available    = max(0, Equity − Σ IM(positions) − IM(open orders))
//   Withdrawable = max(0, min(WB or M_iso, Available)): unrealized profit backs trades, is never paid out.
//   Liquidatable iff the scope holds a position and Equity ≤ Σ MM (inclusive).
//   Margin ratio = Σ MM / Equity as a rate, rounded up; undefined (shown as ∞) when Equity ≤ 0 < Σ MM,
//   0 without positions.
//
// Pure; called by the risk shard on every fill and every mark update, so it allocates only its result.

import { ceilDiv } from '../engine/market/decimal.js';
import type { Position } from './position.js';
import { effectiveLeverage, maintenanceMarginAtoms, type TierTable } from './tiers.js';
import { absBig, RATE_ONE } from './units.js';

/** A position with what its margin needs: its market's mark, scale and tiers, and the account's leverage there. */
export interface MarkedPosition extends Position {
  /** 0n: the market has no mark yet. */
  readonly markTicks: bigint;
  readonly atomsPerTickLot: bigint;
  readonly tiers: TierTable;
  /** The account's chosen leverage in this market (integer, 1x and up). */
  readonly leverage: bigint;
}

export interface MarginSummary {
  readonly equityAtoms: bigint;
  readonly maintenanceAtoms: bigint;
  /** IM of the positions (open orders excluded). */
  readonly initialAtoms: bigint;
  readonly availableAtoms: bigint;
  readonly withdrawableAtoms: bigint;
  readonly liquidatable: boolean;
  /** Σ MM / Equity in 10^-8, rounded up; undefined when Equity ≤ 0 while a position is open. */
  readonly marginRatioRate: bigint | undefined;
}

export function unrealizedPnlAtoms(pos: Position, markTicks: bigint, atomsPerTickLot: bigint): bigint {
  if (pos.qtyLots === 0n) return 0n;
  const n = absBig(pos.qtyLots) * markTicks * atomsPerTickLot;
  return pos.qtyLots > 0n ? n - pos.entryCostAtoms : pos.entryCostAtoms - n;
}

/** IM = N / effective leverage, rounded up. */
export function initialMarginAtoms(tiers: TierTable, notional: bigint, chosenLeverage: bigint): bigint {
  if (notional <= 0n) return 0n;
  return ceilDiv(notional, effectiveLeverage(tiers, notional, chosenLeverage));
}

/** Margin ratio as a rate, rounded up (the user sees the riskier figure). */
export function marginRatioRate(maintenanceAtoms: bigint, equityAtoms: bigint): bigint | undefined {
  if (maintenanceAtoms === 0n) return 0n;
  if (equityAtoms <= 0n) return undefined;
  return ceilDiv(maintenanceAtoms * RATE_ONE, equityAtoms);
}

function summary(collateral: bigint, upnl: bigint, mm: bigint, im: bigint, orderIm: bigint, open: boolean): MarginSummary {
  const equity = collateral + upnl;
  const free = equity - im - orderIm;
  const available = free > 0n ? free : 0n;
  const withdrawable = collateral < available ? collateral : available;
  return {
    equityAtoms: equity,
    maintenanceAtoms: mm,
    initialAtoms: im,
    availableAtoms: available,
    withdrawableAtoms: withdrawable > 0n ? withdrawable : 0n,
    liquidatable: open && equity <= mm,
    marginRatioRate: marginRatioRate(mm, equity),
  };
}

/**
 * A cross account: wallet balance WB, its cross positions (any markets; flat ones are skipped) and the
 * IM of its open orders (order-cost.ts). undefined when an open position's market has no mark.
 */
export function crossMargin(walletAtoms: bigint, positions: readonly MarkedPosition[], openOrderInitialAtoms: bigint): MarginSummary | undefined {
  let upnl = 0n;
  let mm = 0n;
  let im = 0n;
  let open = false;
  for (const p of positions) {
    if (p.qtyLots === 0n) continue;
    if (p.markTicks <= 0n) return undefined;
    const n = absBig(p.qtyLots) * p.markTicks * p.atomsPerTickLot;
    upnl += p.qtyLots > 0n ? n - p.entryCostAtoms : p.entryCostAtoms - n;
    mm += maintenanceMarginAtoms(p.tiers, n);
    im += initialMarginAtoms(p.tiers, n, p.leverage);
    open = true;
  }
  return summary(walletAtoms, upnl, mm, im, openOrderInitialAtoms, open);
}

/**
 * One isolated position with its margin M_iso. Available is what could leave the position (down to its
 * IM, after its open orders' IM when the caller charges them here); Withdrawable never exceeds M_iso.
 */
export function isolatedMargin(isolatedMarginAtoms: bigint, position: MarkedPosition, openOrderInitialAtoms = 0n): MarginSummary | undefined {
  if (position.qtyLots === 0n) return summary(isolatedMarginAtoms, 0n, 0n, 0n, openOrderInitialAtoms, false);
  if (position.markTicks <= 0n) return undefined;
  const n = absBig(position.qtyLots) * position.markTicks * position.atomsPerTickLot;
  const upnl = position.qtyLots > 0n ? n - position.entryCostAtoms : position.entryCostAtoms - n;
  const mm = maintenanceMarginAtoms(position.tiers, n);
  const im = initialMarginAtoms(position.tiers, n, position.leverage);
  return summary(isolatedMarginAtoms, upnl, mm, im, openOrderInitialAtoms, true);
}
