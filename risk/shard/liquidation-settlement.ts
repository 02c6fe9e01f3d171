// Steps 5 and 6 of the pipeline (docs/RISK.md): once the scope is flat, its equity is what the fills left it.
// The core has already realized every fill into WB (cross) or M_iso (isolated), so that equity is read
// from state, exactly, and settled:
//
//   equity > 0  surplus. CAPPED_FEE: the IF takes min(ceil(liqFeeRate·fullCloseNotional), surplus), the
//               trader keeps the rest; ALL_TO_IF: the IF takes it all. The fee base is the book notional of
//               the full-close fills only: step-down and ADL fills pay no fee (as settleFullClose in
//               risk/liquidation.ts, whose rounding this mirrors: the fee rounds up, never past the surplus).
//   equity < 0  shortfall: the IF pays it, up to the event's reserved budget, so the scope ends at 0. The
//               full close's limits keep the loss within that budget; a loss beyond it (only possible when
//               marks moved far mid-pipeline in a cross account) stays with the scope, reported as the
//               step's equity.
//
// Thread contract: the risk-shard thread.

import { SurplusPolicy } from '../liquidation.js';
import { mulRateUp } from '../units.js';
import { InsuranceReason, LiquidationStep } from './events.js';
import type { InsuranceFund } from './insurance-fund.js';
import type { RiskEffects } from './seams.js';

export interface ScopeSettlement {
  /** The step to publish (SURPLUS_SETTLED or SHORTFALL_COVERED) or 0 when the equity was exactly 0. */
  readonly step: number;
  /** What the IF took (> 0) or paid (< 0). */
  readonly insuranceAtoms: bigint;
}

export interface SettlementTerms {
  readonly surplusPolicy: SurplusPolicy;
  readonly liquidationFeeRate: bigint;
}

export function settleScope(
  fund: InsuranceFund,
  terms: SettlementTerms,
  accountId: number,
  scopeMarketId: number,
  liquidationId: number,
  equityAtoms: bigint,
  fullCloseNotionalAtoms: bigint,
  timeUs: number,
): ScopeSettlement {
  if (equityAtoms > 0n) {
    const allToFund = terms.surplusPolicy === SurplusPolicy.ALL_TO_IF;
    const fee = mulRateUp(fullCloseNotionalAtoms, terms.liquidationFeeRate);
    const take = allToFund || fee > equityAtoms ? equityAtoms : fee;
    const reason = allToFund ? InsuranceReason.SURPLUS : InsuranceReason.LIQUIDATION_FEE;
    return { step: LiquidationStep.SURPLUS_SETTLED, insuranceAtoms: fund.collect(accountId, scopeMarketId, take, reason, liquidationId, timeUs) };
  }
  if (equityAtoms < 0n) {
    const paid = fund.cover(accountId, scopeMarketId, -equityAtoms, InsuranceReason.SHORTFALL, liquidationId, timeUs);
    return { step: LiquidationStep.SHORTFALL_COVERED, insuranceAtoms: -paid };
  }
  return { step: 0, insuranceAtoms: 0n };
}

/**
 * A flat scope below zero (equityAtoms < 0) after a user's own fill: a bankruptcy with nothing left to
 * close, settled at once as an event of its own: TRIGGERED, SHORTFALL_COVERED (the fund pays from what no
 * running event holds, within the per-event cap), COMPLETED. What the fund cannot pay stays with the
 * scope and is reported by its equity.
 */
export function settleBankruptFlatScope(fund: InsuranceFund, effects: RiskEffects, accountId: number, scopeMarketId: number, liquidationId: number, equityAtoms: bigint, timeUs: number): void {
  const emit = (step: number, insuranceAtoms = 0n) => effects.liquidationProgressed(accountId, scopeMarketId, liquidationId, step, 0n, 0n, timeUs, insuranceAtoms);
  emit(LiquidationStep.TRIGGERED);
  fund.reserve(liquidationId, -equityAtoms);
  const paid = fund.cover(accountId, scopeMarketId, -equityAtoms, InsuranceReason.SHORTFALL, liquidationId, timeUs);
  fund.release(liquidationId);
  emit(LiquidationStep.SHORTFALL_COVERED, -paid);
  emit(LiquidationStep.COMPLETED);
  effects.publishScope(accountId, scopeMarketId, timeUs);
}
