// What the liquidation pipeline reads about one scope (a cross account, or one isolated position) from the
// risk shard's state, through the pure formulas of risk/margin.ts. A scope is named by (accountId,
// scopeMarketId): CROSS_SCOPE for the account's cross positions, a market id for an isolated position.
//
// Every list here is built in ascending market id order (never Map insertion order), so whatever the
// pipeline derives from it is a function of state alone (invariant I10).
//
// Thread contract: the risk-shard thread, inside one hook call.

import { crossMargin, isolatedMargin, unrealizedPnlAtoms, type MarginSummary, type MarkedPosition } from '../margin.js';
import { stepDownCloseLots } from '../liquidation.js';
import { maintenanceMarginAtoms } from '../tiers.js';
import { absBig } from '../units.js';
import { liquidationBand, stepDownLimitTicks } from './liquidation-prices.js';
import { CROSS_SCOPE } from './seams.js';
import { MarginMode, type AccountState, type MarketRiskState, type PositionState, type RiskState } from './state.js';

/**
 * One number per scope, ordered as (accountId, scopeMarketId) with the cross scope first: account ids are
 * u32 and market ids u16, so the key stays below 2^49 and exact.
 */
export function scopeKey(accountId: number, scopeMarketId: number): number {
  return accountId * 0x20000 + (scopeMarketId + 1);
}

/** The scope a position in marketId belongs to: its own isolated scope, else the account's cross scope. */
export function scopeMarketOf(account: AccountState, marketId: number): number {
  if (marketId === CROSS_SCOPE) return CROSS_SCOPE;
  const pos = account.positions.get(marketId);
  return pos !== undefined && pos.marginMode === MarginMode.ISOLATED ? marketId : CROSS_SCOPE;
}

function inScope(pos: PositionState, scopeMarketId: number): boolean {
  return scopeMarketId === CROSS_SCOPE ? pos.marginMode === MarginMode.CROSS : pos.marketId === scopeMarketId && pos.marginMode === MarginMode.ISOLATED;
}

/** The scope's positions (flat ones included), in ascending market id (the account's cached order). */
export function scopePositionStates(account: AccountState, scopeMarketId: number): PositionState[] {
  const all = account.positionsInOrder();
  const out: PositionState[] = [];
  for (let i = 0; i < all.length; i++) if (inScope(all[i]!, scopeMarketId)) out.push(all[i]!);
  return out;
}

export function openPositions(account: AccountState, scopeMarketId: number): PositionState[] {
  const all = account.positionsInOrder();
  const out: PositionState[] = [];
  for (let i = 0; i < all.length; i++) if (!all[i]!.isFlat() && inScope(all[i]!, scopeMarketId)) out.push(all[i]!);
  return out;
}

export function hasOpenOrders(account: AccountState, scopeMarketId: number): boolean {
  const all = account.positionsInOrder();
  for (let i = 0; i < all.length; i++) if (all[i]!.orderCount > 0 && inScope(all[i]!, scopeMarketId)) return true;
  return false;
}

/** undefined when the market is unknown to the shard. A mark of 0n (none yet) passes through: margin.ts answers it. */
function markedPosition(state: RiskState, pos: PositionState): MarkedPosition | undefined {
  const market = state.markets.get(pos.marketId);
  if (market === undefined) return undefined;
  return {
    qtyLots: pos.qtyLots,
    entryCostAtoms: pos.entryCostAtoms,
    markTicks: market.markPriceTicks,
    atomsPerTickLot: market.atomsPerTickLot,
    tiers: market.tiers,
    leverage: pos.leverage,
  };
}

/** Equity, Σ MM and liquidatable at the current marks; undefined while an open position has no mark. */
export function evaluateScope(state: RiskState, account: AccountState, scopeMarketId: number): MarginSummary | undefined {
  const positions = scopePositionStates(account, scopeMarketId);
  const marked: MarkedPosition[] = [];
  let orderMarginAtoms = 0n;
  for (const pos of positions) {
    const m = markedPosition(state, pos);
    if (m === undefined) return undefined;
    marked.push(m);
    orderMarginAtoms += pos.orderMarginAtoms;
  }
  if (scopeMarketId === CROSS_SCOPE) return crossMargin(account.walletAtoms, marked, orderMarginAtoms);
  const pos = positions[0];
  // An isolated scope whose position record is gone holds nothing: equity 0, not liquidatable.
  return pos === undefined ? crossMargin(0n, [], 0n) : isolatedMargin(pos.isolatedMarginAtoms, marked[0]!, orderMarginAtoms);
}

/** The scope's equity alone (what ADL ranks by); undefined while an open position has no mark. */
export function scopeEquityAtoms(state: RiskState, account: AccountState, scopeMarketId: number): bigint | undefined {
  return evaluateScope(state, account, scopeMarketId)?.equityAtoms;
}

/** The equity of a scope with no open position left; undefined while it holds one (or one has no mark). */
export function flatScopeEquityAtoms(state: RiskState, account: AccountState, scopeMarketId: number): bigint | undefined {
  return openPositions(account, scopeMarketId).length > 0 ? undefined : scopeEquityAtoms(state, account, scopeMarketId);
}

/**
 * The collateral around one position of its scope, as liquidation-price.ts defines it: M_iso, or WB plus
 * the UPnL of the account's other cross positions at their marks. undefined while one of those has no mark.
 */
export function collateralAround(state: RiskState, account: AccountState, pos: PositionState): bigint | undefined {
  if (pos.marginMode === MarginMode.ISOLATED) return pos.isolatedMarginAtoms;
  let collateral = account.walletAtoms;
  for (const other of scopePositionStates(account, CROSS_SCOPE)) {
    if (other === pos || other.isFlat()) continue;
    const market = state.markets.get(other.marketId);
    if (market === undefined || market.markPriceTicks <= 0n) return undefined;
    collateral += unrealizedPnlAtoms(other, market.markPriceTicks, market.atomsPerTickLot);
  }
  return collateral;
}

function positionMaintenanceAtoms(market: MarketRiskState, pos: PositionState): bigint {
  return maintenanceMarginAtoms(market.tiers, absBig(pos.qtyLots) * market.markPriceTicks * market.atomsPerTickLot);
}

/**
 * The scope's open positions, largest maintenance margin first (ties: lower market id). Why this order: the
 * largest MM is the position whose reduction frees the most maintenance margin per step, so a cross
 * account stands the best chance of returning to health after the fewest liquidation orders; and it is a
 * total order over state alone. Positions of markets without a mark are left out.
 */
export function byMaintenanceDescending(state: RiskState, positions: readonly PositionState[]): PositionState[] {
  const keyed: { pos: PositionState; mm: bigint }[] = [];
  for (const pos of positions) {
    const market = state.markets.get(pos.marketId);
    if (pos.isFlat() || market === undefined || market.markPriceTicks <= 0n) continue;
    keyed.push({ pos, mm: positionMaintenanceAtoms(market, pos) });
  }
  keyed.sort((a, b) => (a.mm !== b.mm ? (a.mm > b.mm ? -1 : 1) : a.pos.marketId - b.pos.marketId));
  return keyed.map((k) => k.pos);
}

/**
 * What the fund could pay if every open position of the scope closed at its liquidation band's edge
 * (longs at the low edge, shorts at the high one): −(equity at mark + Σ q·(edge − mark)·a), or 0. Fills
 * stay within the band, so no sweep of the scope can cost more: the event's reservation grows towards it.
 */
export function worstCaseCloseCostAtoms(state: RiskState, account: AccountState, scopeMarketId: number): bigint {
  let worst = scopeEquityAtoms(state, account, scopeMarketId) ?? 0n;
  for (const pos of openPositions(account, scopeMarketId)) {
    const m = state.markets.get(pos.marketId)!;
    if (m.markPriceTicks <= 0n) continue;
    const band = liquidationBand(m.markPriceTicks, m.config.liquidationBandRate);
    const edge = pos.qtyLots > 0n ? band.loTicks : band.hiTicks;
    worst += pos.qtyLots * (edge - m.markPriceTicks) * m.atomsPerTickLot;
  }
  return worst < 0n ? -worst : 0n;
}

/** One step-down order: the position, the lots to close (at most the market's maximum order size) and the limit. */
export interface StepDownOrder {
  readonly pos: PositionState;
  readonly qtyLots: bigint;
  readonly limitTicks: bigint;
}

/**
 * The scope's next step-down order (docs/RISK.md step 3): the largest-MM position above tier 1 not in
 * `stalled`, down to the next lower tier's cap, no worse than BP and within the band; undefined when none.
 * A market whose limit cannot be priced in the band is added to `stalled` (not tried again this event).
 */
export function nextStepDown(state: RiskState, account: AccountState, scopeMarketId: number, stalled: number[]): StepDownOrder | undefined {
  for (const pos of byMaintenanceDescending(state, openPositions(account, scopeMarketId))) {
    if (stalled.includes(pos.marketId)) continue;
    const market = state.markets.get(pos.marketId)!;
    const lots = stepDownCloseLots(pos, market.markPriceTicks, market.atomsPerTickLot, market.tiers);
    const collateral = collateralAround(state, account, pos);
    if (lots === undefined || lots === 0n || collateral === undefined) continue;
    const limitTicks = stepDownLimitTicks(pos, collateral, market.atomsPerTickLot, liquidationBand(market.markPriceTicks, market.config.liquidationBandRate));
    if (limitTicks === undefined) {
      stalled.push(pos.marketId);
      continue;
    }
    const maxLots = BigInt(market.spec.maxQtyLots);
    return { pos, qtyLots: lots < maxLots ? lots : maxLots, limitTicks };
  }
  return undefined;
}
