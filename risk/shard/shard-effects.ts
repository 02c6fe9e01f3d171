// ShardEffects: the risk shard's RiskEffects (seams.ts), how its liquidation engine acts on the world
// outside the state it shares with the core: commands to the market shards (cancel-all, the step-down IOC,
// the full close's sweep, Deleverage), insurance-fund transfers, and the gateway events that report a
// liquidation's progress, an ADL fill and the scopes it changed. The engine (liquidation-engine.ts) calls
// these inside the handling of one input record, on the risk-shard thread, synchronously: deterministic.
//
// Kept apart from RiskShard (risk-shard.ts), which builds one over its ShardParts and hands it to the
// engine's factory: what the engine may do to the world is this file, and the record handling that calls
// the engine is there.
// Thread contract: the risk-shard thread.

import { OrderOrigin, type Side } from '../../engine/enums.js';
import { ScopeKind, UpdateReason } from './events.js';
import { PUBLISH_CHANGED_ONLY } from './scope-evaluator.js';
import { CROSS_SCOPE, type RiskEffects } from './seams.js';
import type { ShardParts } from './shard-parts.js';
import { MarginMode, OpenOrderState } from './state.js';

export class ShardEffects implements RiskEffects {
  constructor(private readonly p: ShardParts) {}

  cancelAllOrders(accountId: number, marketId: number, reason: number, timeUs: number): void {
    this.p.commands.cancelAllOrders(accountId, marketId, reason, timeUs);
  }

  placeLiquidationOrder(accountId: number, marketId: number, side: Side, qtyLots: bigint, limitPriceTicks: bigint, timeUs: number): number {
    const orderId = this.p.commands.placeLiquidationOrder(accountId, marketId, side, qtyLots, limitPriceTicks, timeUs);
    return this.recordLiquidationOrder(orderId, accountId, marketId, side, qtyLots, limitPriceTicks);
  }

  sweepLiquidation(accountId: number, marketId: number, side: Side, qtyLots: bigint, limitPriceTicks: bigint, bankruptcyPriceTicks: bigint, budgetAtoms: bigint, timeUs: number): number {
    const orderId = this.p.commands.sweep(accountId, marketId, side, qtyLots, limitPriceTicks, bankruptcyPriceTicks, budgetAtoms, timeUs);
    return this.recordLiquidationOrder(orderId, accountId, marketId, side, qtyLots, limitPriceTicks);
  }

  /** The pipeline's order as an open order of the account (reserving nothing), so its events find it. */
  private recordLiquidationOrder(orderId: number, accountId: number, marketId: number, side: Side, qtyLots: bigint, limitPriceTicks: bigint): number {
    const p = this.p;
    const account = p.state.accounts.get(accountId);
    const market = p.state.markets.get(marketId);
    if (account === undefined || market === undefined) throw new Error(`liquidation order for unknown account ${accountId} or market ${marketId}`);
    p.positionOf(account, market).orders.set(orderId, new OpenOrderState(orderId, 0, marketId, side, limitPriceTicks, qtyLots, true, OrderOrigin.LIQUIDATION));
    return orderId;
  }

  deleverage(liquidatedAccountId: number, counterpartyAccountId: number, marketId: number, side: Side, qtyLots: bigint, priceTicks: bigint, timeUs: number): number {
    return this.p.commands.deleverage(liquidatedAccountId, counterpartyAccountId, marketId, side, qtyLots, priceTicks, timeUs);
  }

  transferInsurance(accountId: number, marketId: number, deltaToFundAtoms: bigint, reason: number, liquidationId: number, timeUs: number): void {
    const s = this.p.state;
    const account = s.accounts.get(accountId);
    if (account === undefined) throw new Error(`insurance transfer for unknown account ${accountId}`);
    if (s.insuranceFundAtoms + deltaToFundAtoms < 0n) throw new Error(`insurance fund would go negative (${s.insuranceFundAtoms} + ${deltaToFundAtoms})`);
    s.insuranceFundAtoms += deltaToFundAtoms;
    this.p.quintiles.beforeChange(account);
    const pos = marketId === CROSS_SCOPE ? undefined : account.positions.get(marketId);
    if (pos !== undefined && pos.marginMode === MarginMode.ISOLATED) pos.isolatedMarginAtoms -= deltaToFundAtoms;
    else account.walletAtoms -= deltaToFundAtoms;
    this.p.events.insuranceFundChanged(accountId, marketId === CROSS_SCOPE ? 0 : marketId, timeUs, deltaToFundAtoms, s.insuranceFundAtoms, liquidationId, reason);
  }

  liquidationProgressed(accountId: number, marketId: number, liquidationId: number, step: number, qtyLots: bigint, priceTicks: bigint, timeUs: number, insuranceAtoms = 0n): void {
    const account = this.p.state.accounts.get(accountId);
    if (account === undefined) throw new Error(`liquidation progress for unknown account ${accountId}`);
    const pos = marketId === CROSS_SCOPE ? undefined : account.positions.get(marketId);
    const isolated = pos !== undefined && pos.marginMode === MarginMode.ISOLATED;
    const scope = this.p.scopeOf(account, pos);
    this.p.events.liquidationProgressed(
      accountId,
      marketId === CROSS_SCOPE ? 0 : marketId,
      timeUs,
      liquidationId,
      step,
      isolated ? ScopeKind.ISOLATED : ScopeKind.CROSS,
      qtyLots,
      priceTicks,
      scope,
      insuranceAtoms,
    );
  }

  adlExecuted(counterpartyAccountId: number, marketId: number, liquidationId: number, liquidatedAccountId: number, side: Side, qtyLots: bigint, priceTicks: bigint, timeUs: number): void {
    this.p.events.adlExecuted(counterpartyAccountId, marketId, timeUs, liquidationId, liquidatedAccountId, side, qtyLots, priceTicks);
  }

  publishScope(accountId: number, marketId: number, timeUs: number): void {
    const account = this.p.state.accounts.get(accountId);
    if (account === undefined) return;
    const pos = marketId === CROSS_SCOPE ? undefined : account.positions.get(marketId);
    const scopeMarket = pos !== undefined && pos.marginMode === MarginMode.ISOLATED ? marketId : CROSS_SCOPE;
    // A finished isolated liquidation leaves a flat position: what its margin still holds (the refunded
    // surplus) goes back to the wallet. A negative remainder (a loss beyond the fund's budget) stays.
    if (pos !== undefined && scopeMarket !== CROSS_SCOPE && pos.qtyLots === 0n && pos.liquidationId === 0 && pos.isolatedMarginAtoms > 0n) {
      this.p.quintiles.beforeChange(account);
      account.walletAtoms += pos.isolatedMarginAtoms;
      pos.isolatedMarginAtoms = 0n;
    }
    // No liquidation check from here: the engine is the caller and decides its next step itself.
    this.p.evaluator.evaluate(accountId, scopeMarket, UpdateReason.LIQUIDATION, timeUs, marketId === CROSS_SCOPE ? PUBLISH_CHANGED_ONLY : marketId, false);
    if (scopeMarket !== CROSS_SCOPE) this.p.evaluator.evaluate(accountId, CROSS_SCOPE, UpdateReason.LIQUIDATION, timeUs, PUBLISH_CHANGED_ONLY, false);
    this.p.publishAccount(account, timeUs, 0, UpdateReason.LIQUIDATION);
  }
}
