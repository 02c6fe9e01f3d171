// ScopeEvaluator: looks at one scope (a cross account, or one isolated position) as it stands now, and
// brings everything derived from it up to date:
//
//   margin figures ─▶ per position: LP and BP (risk/liquidation-price.ts, other cross positions held at
//   their marks), tier, UPnL, margin-call price ─▶ the position's trigger keys (trigger-index.ts)
//   ─▶ PositionUpdated for each position whose LP, BP or tier moved (or that the caller names)
//   ─▶ MarginCallIssued when the ratio crosses pool.marginCallRatioRate (once per crossing)
//   ─▶ LiquidationHooks.check when the scope is liquidatable and not yet in the pipeline.
//
// Publication rule ("changed materially"): LP, BP and tier are the published figures that move without
// the position changing, so a change of any of them publishes; UPnL moves with every mark and is left to
// the client (mark × position), the ADL quintile is refreshed whenever the position is published
// (quintiles.ts). Every fill, funding payment, command and liquidation step re-evaluates its scope, so
// the published LP/BP/tier are current after each of them; mark moves reach the scope through the
// triggers (margin-monitor.ts).
//
// It also keeps the set of scopes with negative equity (invariant I11: withdrawals wait while it is not
// empty) and the cross accounts holding positions in several markets (their LPs move with other marks).
// Thread contract: the risk-shard thread.

import { bankruptcyPrice, liquidationPrice } from '../liquidation-price.js';
import { marginTierIndexOf, type TierTable } from '../tiers.js';
import { RATE_ONE } from '../units.js';
import type { RiskPoolConfig } from './config.js';
import { ScopeKind } from './events.js';
import { CALLED_AT_ANY_PRICE, marginCallPriceTicks } from './margin-call-price.js';
import type { QuintileCache } from './quintiles.js';
import type { RiskEvents } from './risk-events.js';
import { PositionFigures, ScopeFigures, valuePosition } from './scope-margin.js';
import { CROSS_SCOPE, type LiquidationHooks } from './seams.js';
import { MarginMode, type AccountState, type PositionState, type RiskState } from './state.js';
import { NO_KEY, type MarketTriggers } from './trigger-index.js';

const MAX_KEY = BigInt(Number.MAX_SAFE_INTEGER);

/** No position to force-publish. */
export const PUBLISH_CHANGED_ONLY = -2;

/** A number identifying a scope: account·65537 + 0 (cross) or + marketId + 1 (isolated). */
export function scopeKey(accountId: number, scopeMarketId: number): number {
  return accountId * 65537 + (scopeMarketId === CROSS_SCOPE ? 0 : scopeMarketId + 1);
}

export class ScopeEvaluator {
  /** Scopes whose equity was negative when last evaluated (I11). */
  readonly negativeEquity = new Set<number>();
  private readonly figures = new ScopeFigures();
  private readonly list: PositionState[] = [];
  private readonly perPosition: PositionFigures[] = [];
  hooks!: LiquidationHooks;

  constructor(
    private readonly state: RiskState,
    private readonly pool: RiskPoolConfig,
    private readonly triggers: ReadonlyMap<number, MarketTriggers>,
    private readonly quintiles: QuintileCache,
    private readonly events: RiskEvents,
  ) {}

  /**
   * Evaluates the scope of `scopeMarketId` (CROSS_SCOPE or an isolated position's market) of the account
   * and returns its figures (a reused object: read it before the next call). publishMarketId names a
   * position to publish whatever changed; check = false skips the liquidation hook (used while the
   * liquidation engine itself is publishing). undefined for an unknown account or position.
   */
  evaluate(accountId: number, scopeMarketId: number, reason: number, timeUs: number, publishMarketId = PUBLISH_CHANGED_ONLY, check = true): ScopeFigures | undefined {
    const account = this.state.accounts.get(accountId);
    if (account === undefined) return undefined;
    let cross = scopeMarketId === CROSS_SCOPE;
    const list = this.list;
    list.length = 0;
    if (!cross) {
      const pos = account.positions.get(scopeMarketId);
      if (pos === undefined) return undefined;
      if (pos.marginMode === MarginMode.ISOLATED) list.push(pos);
      else cross = true;
    }
    if (cross) {
      for (const pos of account.positions.values()) if (pos.marginMode === MarginMode.CROSS) list.push(pos);
      if (list.length > 1) list.sort((a, b) => a.marketId - b.marketId);
    }
    const s = this.sum(account, list, cross);
    const called = this.calledNow(s);
    let open = 0;
    for (let i = 0; i < list.length; i++) {
      const pos = list[i]!;
      const forced = pos.marketId === publishMarketId;
      if (pos.qtyLots === 0n) this.flat(pos, forced, reason, timeUs);
      else {
        open++;
        this.refresh(pos, this.perPosition[i]!, s, cross, called, forced, reason, timeUs);
      }
    }
    if (cross) this.trackMultiMarket(account, list, open);
    const key = scopeKey(accountId, cross ? CROSS_SCOPE : scopeMarketId);
    if (s.equityAtoms < 0n) this.negativeEquity.add(key);
    else this.negativeEquity.delete(key);
    this.marginCall(account, cross ? undefined : list[0]!, s, called, timeUs);
    const liquidating = cross ? account.liquidationId !== 0 : list[0]!.liquidationId !== 0;
    if (check && s.liquidatable && !liquidating) this.hooks.check(accountId, cross ? CROSS_SCOPE : scopeMarketId, timeUs);
    return s;
  }

  /** The scope's totals, keeping each listed position's figures in perPosition (same index). */
  private sum(account: AccountState, list: readonly PositionState[], cross: boolean): ScopeFigures {
    const s = this.figures;
    s.unrealizedPnlAtoms = 0n;
    s.maintenanceAtoms = 0n;
    s.initialAtoms = 0n;
    s.orderInitialAtoms = 0n;
    s.open = false;
    if (cross) {
      s.collateralAtoms = account.walletAtoms;
      for (const pos of account.positions.values()) s.orderInitialAtoms += pos.orderMarginAtoms;
    } else s.collateralAtoms = list[0]!.isolatedMarginAtoms;
    while (this.perPosition.length < list.length) this.perPosition.push(new PositionFigures());
    for (let i = 0; i < list.length; i++) {
      const pos = list[i]!;
      const f = valuePosition(pos, this.state.markets.get(pos.marketId)!, this.perPosition[i]!);
      if (pos.qtyLots === 0n) continue;
      s.unrealizedPnlAtoms += f.unrealizedPnlAtoms;
      s.maintenanceAtoms += f.maintenanceAtoms;
      s.initialAtoms += f.initialAtoms;
      s.open = true;
    }
    s.finish();
    return s;
  }

  /**
   * At or past the margin-call ratio (an open scope with equity ≤ 0 always is). The published ratio is
   * ceil(MM·R / E), and ceil(x) ≥ r exactly when x > r − 1: compared without dividing.
   */
  private calledNow(s: ScopeFigures): boolean {
    if (!s.open) return false;
    if (s.equityAtoms <= 0n) return s.maintenanceAtoms > 0n;
    return s.maintenanceAtoms * RATE_ONE > (this.pool.marginCallRatioRate - 1n) * s.equityAtoms;
  }

  private refresh(pos: PositionState, f: PositionFigures, s: ScopeFigures, cross: boolean, called: boolean, forced: boolean, reason: number, timeUs: number): void {
    const market = this.state.markets.get(pos.marketId)!;
    const tiers = market.config.tiers;
    const a = market.spec.atomsPerTickLot;
    // The position's own scope seen from it: the rest of the scope held fixed at its marks.
    const collateral = cross ? s.collateralAtoms + s.unrealizedPnlAtoms - f.unrealizedPnlAtoms : s.collateralAtoms;
    const otherMm = cross ? s.maintenanceAtoms - f.maintenanceAtoms : 0n;
    const lp = liquidationPrice(pos, collateral, otherMm, a, tiers);
    const bp = bankruptcyPrice(pos, collateral, a);
    const mc = marginCallPriceTicks(pos, collateral, otherMm, a, tiers, this.pool.marginCallRatioRate);
    const tierIndex = marginTierIndexOf(tiers, f.notionalAtoms);
    const long = pos.qtyLots > 0n;
    const lotsAtoms = (long ? pos.qtyLots : -pos.qtyLots) * a;
    const lower = tierDownKey(tiers, tierIndex, lotsAtoms);
    const upper = tierUpKey(tiers, tierIndex, lotsAtoms);
    const t = this.triggers.get(pos.marketId)!;
    // A called scope also watches the way back over its margin-call price, so the call is re-armed when
    // the ratio recovers and a later crossing calls again.
    if (long) {
      const lpKey = lp === undefined ? NO_KEY : priceKey(lp.priceTicks);
      const mcKey = mc === undefined ? NO_KEY : priceKey(mc);
      const recover = called && mcKey !== NO_KEY ? mcKey + 1 : NO_KEY;
      t.setKeys(pos, Math.max(lpKey, called ? NO_KEY : mcKey, lower), minKey(upper, recover));
    } else {
      // A short with no LP is liquidatable at every price: watch it at any mark (key 0).
      const lpKey = lp === undefined ? 0 : priceKey(lp.priceTicks);
      const mcKey = mc === undefined ? NO_KEY : mc === CALLED_AT_ANY_PRICE ? 0 : priceKey(mc);
      const recover = called && mcKey > 0 ? mcKey - 1 : NO_KEY;
      t.setKeys(pos, Math.max(lower, recover), minKey(minKey(lpKey, called ? NO_KEY : mcKey), upper));
    }
    const d = pos.derived;
    const lpTicks = lp === undefined ? 0n : lp.priceTicks;
    const bpTicks = bp === undefined ? 0n : bp.priceTicks;
    const tier = tierIndex + 1;
    d.unrealizedPnlAtoms = f.unrealizedPnlAtoms;
    if (!forced && d.liquidationPriceTicks === lpTicks && d.bankruptcyPriceTicks === bpTicks && d.tier === tier) return;
    d.liquidationPriceTicks = lpTicks;
    d.bankruptcyPriceTicks = bpTicks;
    d.tier = tier;
    d.adlQuintile = this.quintiles.quintileOf(pos, timeUs, s.equityAtoms);
    this.events.positionUpdated(pos, market, timeUs, reason);
  }

  private flat(pos: PositionState, forced: boolean, reason: number, timeUs: number): void {
    const t = this.triggers.get(pos.marketId)!;
    if (t.slots.has(pos.accountId)) t.remove(pos.accountId);
    const d = pos.derived;
    const changed = d.tier !== 0 || d.liquidationPriceTicks !== 0n || d.bankruptcyPriceTicks !== 0n || d.unrealizedPnlAtoms !== 0n;
    d.liquidationPriceTicks = 0n;
    d.bankruptcyPriceTicks = 0n;
    d.tier = 0;
    d.adlQuintile = 0;
    d.unrealizedPnlAtoms = 0n;
    if (changed || forced) this.events.positionUpdated(pos, this.state.markets.get(pos.marketId)!, timeUs, reason);
  }

  private trackMultiMarket(account: AccountState, list: readonly PositionState[], open: number): void {
    for (const pos of list) {
      const set = this.triggers.get(pos.marketId)!.multiMarketCross;
      if (open >= 2 && pos.qtyLots !== 0n) set.add(account.id);
      else set.delete(account.id);
    }
  }

  private marginCall(account: AccountState, isolated: PositionState | undefined, s: ScopeFigures, called: boolean, timeUs: number): void {
    const was = isolated === undefined ? account.marginCalled : isolated.marginCalled;
    if (called === was) return;
    if (isolated === undefined) account.marginCalled = called;
    else isolated.marginCalled = called;
    if (called) {
      this.events.marginCallIssued(account.id, isolated === undefined ? 0 : isolated.marketId, timeUs, s, isolated === undefined ? ScopeKind.CROSS : ScopeKind.ISOLATED);
    }
  }
}

/** A bigint tick price as a heap key; a price past 2^53 is never reached by a mark (u53). */
function priceKey(ticks: bigint): number {
  return ticks >= MAX_KEY ? Number.MAX_SAFE_INTEGER : ticks < 0n ? NO_KEY : Number(ticks);
}

function minKey(a: number, b: number): number {
  if (a === NO_KEY) return b;
  if (b === NO_KEY) return a;
  return a < b ? a : b;
}

/** The highest mark at which the notional falls to the tier's lower edge or below (tier 1: none). */
function tierDownKey(tiers: TierTable, tierIndex: number, lotsAtoms: bigint): number {
  if (tierIndex === 0) return NO_KEY;
  const k = tiers[tierIndex]!.loNotionalAtoms / lotsAtoms;
  return k < 1n ? NO_KEY : priceKey(k);
}

/** The lowest mark at which the notional passes the tier's upper edge (top tier: none). */
function tierUpKey(tiers: TierTable, tierIndex: number, lotsAtoms: bigint): number {
  if (tierIndex === tiers.length - 1) return NO_KEY;
  const k = tiers[tierIndex]!.hiNotionalAtoms / lotsAtoms + 1n;
  return k >= MAX_KEY ? NO_KEY : Number(k);
}
