// The initial margin a position's open orders reserve (RISK.md, "Pre-trade check"), netted BitMEX-style
// by risk/order-cost.ts: the larger of the two sides' costs, each side netted against the position.
// Recomputed whenever the position's orders or its quantity change, valued at the mark of that moment
// (a mark move alone does not re-price reservations: that would touch every order on every mark).
// Liquidation orders are reduce-only and so reserve nothing.
// Thread contract: the risk-shard thread; the context object is reused.

import type { OrderCostContext } from '../order-cost.js';
import { openOrdersCostAtoms } from '../order-cost.js';
import type { TierTable } from '../tiers.js';
import type { FeeTier } from './config.js';
import type { AccountState, MarketRiskState, OpenOrderState, PositionState } from './state.js';

/** A mutable OrderCostContext, filled per call. */
export class CostContext implements OrderCostContext {
  positionQtyLots = 0n;
  markTicks = 0n;
  atomsPerTickLot = 0n;
  tiers: TierTable = [];
  leverage = 1n;
  takerFeeRate = 0n;

  fill(pos: PositionState, market: MarketRiskState, feeTier: FeeTier): this {
    this.positionQtyLots = pos.qtyLots;
    this.markTicks = market.markPriceTicks;
    this.atomsPerTickLot = market.spec.atomsPerTickLot;
    this.tiers = market.config.tiers;
    this.leverage = pos.leverage;
    this.takerFeeRate = feeTier.takerRate;
    return this;
  }
}

export function openOrdersOf(pos: PositionState): OpenOrderState[] {
  return [...pos.orders.values()];
}

/** Sets pos.orderMarginAtoms from its open orders (0 without orders or without a mark). */
export function recomputeReservation(account: AccountState, pos: PositionState, market: MarketRiskState, feeTiers: readonly FeeTier[], ctx: CostContext): void {
  if (pos.orders.size === 0) {
    pos.orderMarginAtoms = 0n;
    return;
  }
  ctx.fill(pos, market, feeTiers[account.feeTier]!);
  pos.orderMarginAtoms = openOrdersCostAtoms(openOrdersOf(pos), ctx) ?? 0n;
}
