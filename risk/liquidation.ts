// The pure parts of the liquidation pipeline (docs/RISK.md, "Liquidation pipeline"); the risk shard
// sequences them (freeze, cancel, step down, full close, ADL) and publishes each step. The full close's
// walk of the book is the market shard's (engine/shard/sweep-plan.ts): only it sees the book.
//
// A scope is one position with what surrounds it, as in liquidation-price.ts: collateral = M_iso, or
// WB + Σ UPnL of the account's other cross positions at mark. With D = Q·atomsPerTickLot and
// BP = bpNum/D ticks (bpNum = C − s·collateral), closing k lots at price p adds s·(p − BP)·k·a atoms to
// the scope's equity relative to closing them at BP. Closing the whole position at BP leaves equity
// exactly 0, hence:
//   equity after a full close = Σ over fills of s·(p − BP)·k·a
// which is why better-than-BP fills offset later worse ones, and why ADL fills at BP add nothing.

import { ceilDiv } from '../engine/market/decimal.js';
import type { Position } from './position.js';
import { tierIndexOf, type TierTable } from './tiers.js';
import { absBig, RATE_ONE } from './units.js';

export const SurplusPolicy = {
  /** The IF takes min(liqFeeRate·fillNotional, surplus); the trader keeps the rest. */
  CAPPED_FEE: 0,
  /** The IF takes the whole surplus. */
  ALL_TO_IF: 1,
} as const;
export type SurplusPolicy = (typeof SurplusPolicy)[keyof typeof SurplusPolicy];

/**
 * Tier step-down: the lots to close so the remaining notional at mark is at most the cap (hi) of the
 * tier below the one the position is in (above the top tier: the top tier's cap). The lots kept round
 * down, so the remainder never exceeds the cap. 0n in tier 1 or flat; undefined without a mark.
 */
export function stepDownCloseLots(pos: Position, markTicks: bigint, atomsPerTickLot: bigint, tiers: TierTable): bigint | undefined {
  if (pos.qtyLots === 0n) return 0n;
  if (markTicks <= 0n) return undefined;
  const lots = absBig(pos.qtyLots);
  const perLot = markTicks * atomsPerTickLot;
  const i = tierIndexOf(tiers, lots * perLot);
  if (i === 0) return 0n;
  const cap = i < 0 ? tiers[tiers.length - 1]!.hiNotionalAtoms : tiers[i - 1]!.hiNotionalAtoms;
  return lots - cap / perLot;
}

/** IF_budget = min(IF balance, per-event cap), never negative. */
export function insuranceBudgetAtoms(fundBalanceAtoms: bigint, perEventCapAtoms: bigint): bigint {
  const b = fundBalanceAtoms < perEventCapAtoms ? fundBalanceAtoms : perEventCapAtoms;
  return b > 0n ? b : 0n;
}

/** What closed the position: the book fills (summed) and the ADL fills. */
export interface FullCloseFills {
  readonly bookLots: bigint;
  /** Σ price·lots·atomsPerTickLot of the book fills. */
  readonly bookNotionalAtoms: bigint;
  readonly adlLots: bigint;
  readonly adlPriceTicks: bigint;
}

export interface LiquidationSettlement {
  /** The scope's equity once the position is closed, before the IF's share or payment. */
  readonly equityAfterAtoms: bigint;
  /** Taken from the surplus into the IF. */
  readonly insuranceFeeAtoms: bigint;
  /** Surplus left to the trader: the scope's equity at the end. */
  readonly traderKeepsAtoms: bigint;
  /** Paid by the IF to bring the scope to 0, at most the budget. */
  readonly insuranceCostAtoms: bigint;
  /** Loss beyond the budget (the fills came out worse than planned): must not happen after a correct ADL. */
  readonly uncoveredLossAtoms: bigint;
}

/**
 * Accounting of a full close. CAPPED_FEE: the IF takes min(ceil(liqFeeRate·bookNotional), surplus) (ADL
 * fills pay no fee); ALL_TO_IF: the whole surplus. A negative equity is paid by the IF up to the budget.
 * undefined when the fills do not close the whole position.
 */
export function settleFullClose(
  pos: Position,
  collateralAtoms: bigint,
  atomsPerTickLot: bigint,
  fills: FullCloseFills,
  policy: SurplusPolicy,
  liquidationFeeRate: bigint,
  budgetAtoms: bigint,
): LiquidationSettlement | undefined {
  if (pos.qtyLots === 0n || fills.bookLots + fills.adlLots !== absBig(pos.qtyLots)) return undefined;
  const proceeds = fills.bookNotionalAtoms + fills.adlLots * fills.adlPriceTicks * atomsPerTickLot;
  const equity = collateralAtoms + (pos.qtyLots > 0n ? proceeds - pos.entryCostAtoms : pos.entryCostAtoms - proceeds);
  if (equity >= 0n) {
    const capped = ceilDiv(fills.bookNotionalAtoms * liquidationFeeRate, RATE_ONE);
    const fee = policy === SurplusPolicy.ALL_TO_IF || capped > equity ? equity : capped;
    return { equityAfterAtoms: equity, insuranceFeeAtoms: fee, traderKeepsAtoms: equity - fee, insuranceCostAtoms: 0n, uncoveredLossAtoms: 0n };
  }
  const budget = budgetAtoms > 0n ? budgetAtoms : 0n;
  const cost = -equity < budget ? -equity : budget;
  return { equityAfterAtoms: equity, insuranceFeeAtoms: 0n, traderKeepsAtoms: 0n, insuranceCostAtoms: cost, uncoveredLossAtoms: -equity - cost };
}
