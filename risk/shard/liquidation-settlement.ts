// Steps 5 and 6 of the pipeline (RISK.md): once the scope is flat, its equity is what the fills left it.
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
