// The initial margin a position's open orders reserve (docs/RISK.md, "Pre-trade check"), netted BitMEX-style
// by risk/order-cost.ts: the larger of the two sides' costs, each side netted against the position.
// Recomputed whenever the position's orders or its quantity change, valued at the mark of that moment
// (a mark move alone does not re-price reservations: that would touch every order on every mark); the
// position keeps that mark (reserveMarkTicks), so a refused order can be withdrawn at it.
// Liquidation orders are reduce-only and so reserve nothing.
// Number fast path first (risk/order-cost-number.ts, the same figure), bigint when a guard refuses.
// Thread contract: the risk-shard thread; the context objects are reused.

import type { OrderCostContext } from '../order-cost.js';
import { openOrdersCostAtoms } from '../order-cost.js';
import { NumberCostContext, openOrdersCostNumber } from '../order-cost-number.js';
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

/** The number context of a position's order costs; takerFeeRate: the account's fee tier's, as a number. */
export function fillNumberContext(ctx: NumberCostContext, pos: PositionState, market: MarketRiskState, takerFeeRate: number): NumberCostContext {
  ctx.positionQtyLots = pos.qtyN;
  ctx.markTicks = market.markN;
  ctx.atomsPerTickLot = market.atomsPerTickLotN;
  ctx.tiers = market.numberTiers;
  ctx.leverage = pos.leverageN;
  ctx.takerFeeRate = takerFeeRate;
  return ctx;
}

export function openOrdersOf(pos: PositionState): OpenOrderState[] {
  return [...pos.orders.values()];
}

/**
 * Sets pos.orderMarginAtoms from its open orders (0 without orders or without a mark), valued at markTicks
 * (the market's mark unless a caller names the one an earlier computation used), and notes that mark in
 * pos.reserveMarkTicks. numbers: the number context and the account's taker rate as a number, or
 * undefined for the bigint path alone.
 */
export function recomputeReservation(
  account: AccountState,
  pos: PositionState,
  market: MarketRiskState,
  feeTiers: readonly FeeTier[],
  ctx: CostContext,
  numbers?: NumberCostContext,
  takerFeeRate = NaN,
  markTicks: number = market.markN,
): void {
  if (pos.orderCount === 0) {
    pos.orderMarginN = 0;
    pos.reserveMarkTicks = 0;
    return;
  }
  pos.reserveMarkTicks = markTicks;
  if (numbers !== undefined) {
    const n = fillNumberContext(numbers, pos, market, takerFeeRate);
    n.markTicks = markTicks;
    const v = openOrdersCostNumber(pos.orders, n);
    if (v === v) {
      pos.orderMarginN = v;
      return;
    }
  }
  ctx.fill(pos, market, feeTiers[account.feeTier]!);
  if (markTicks === markTicks) ctx.markTicks = BigInt(markTicks);
  pos.orderMarginAtoms = openOrdersCostAtoms(openOrdersOf(pos), ctx) ?? 0n;
}
