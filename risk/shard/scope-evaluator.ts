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
// It also keeps the set of scopes with negative equity (invariant I11: withdrawals wait on them as
// withdrawal-gate.ts says) and the cross accounts holding positions in several markets (their LPs move with other marks).
//
// Number fast path: the scope's figures are summed in numbers (margin-number.ts) and each position's LP,
// BP and margin-call price solved in numbers (liquidation-price-number.ts, margin-call-price-number.ts),
// with the same results as the bigint formulas. A guard that refuses sends the scope (figures) or the
// position (prices) to the bigint path, which stays the reference (pool.numberFastPath = false uses it
// alone). Nothing is written before a position's number results are all in hand.
// Thread contract: the risk-shard thread.

import { bankruptcyPrice, liquidationPrice } from '../liquidation-price.js';
import { bankruptcyPriceNumber, liquidationPriceNumber, NO_PRICE } from '../liquidation-price-number.js';
import { PositionNumbers } from '../margin-number.js';
import { marginTierIndexOf } from '../tiers.js';
import type { RiskPoolConfig } from './config.js';
import { ScopeKind } from './events.js';
import { addExact } from './exact-slot.js';
import { marginCallPriceTicks } from './margin-call-price.js';
import { marginCallPriceNumber } from './margin-call-price-number.js';
import type { QuintileCache } from './quintiles.js';
import type { RiskEvents } from './risk-events.js';
import { PositionFigures, ScopeFigures, valuePosition, valuePositionNumbersMemo } from './scope-margin.js';
import { CROSS_SCOPE, type LiquidationHooks } from './seams.js';
import { MarginMode, type AccountState, type PositionState, type RiskState } from './state.js';
import { NO_KEY, type MarketTriggers } from './trigger-index.js';
import { combineKeys, priceKey, tierDownKey, tierDownKeyNumber, tierUpKey, tierUpKeyNumber, TriggerKeys } from './trigger-keys.js';

/** No position to force-publish. */
export const PUBLISH_CHANGED_ONLY = -2;

/** A number identifying a scope: account·65537 + 0 (cross) or + marketId + 1 (isolated). */
export function scopeKey(accountId: number, scopeMarketId: number): number {
  return accountId * 65537 + (scopeMarketId === CROSS_SCOPE ? 0 : scopeMarketId + 1);
}

/** The scope a scopeKey names. */
export function scopeOfKey(key: number): { accountId: number; scopeMarketId: number } {
  const accountId = Math.floor(key / 65537);
  const rest = key - accountId * 65537;
  return { accountId, scopeMarketId: rest === 0 ? CROSS_SCOPE : rest - 1 };
}

export class ScopeEvaluator {
  /** Scopes whose equity was negative when last evaluated (I11). */
  readonly negativeEquity = new Set<number>();
  private readonly figures = new ScopeFigures();
  private readonly list: PositionState[] = [];
  /** The one-position list of an isolated scope. */
  private readonly one: PositionState[] = [];
  private readonly perPosition: PositionFigures[] = [];
  private readonly perPositionNumbers: PositionNumbers[] = [];
  private readonly keys = new TriggerKeys();
  private readonly fast: boolean;
  /** Scopes evaluated on the number path and on the bigint path (monitoring, like ScopeValuer's). */
  numberScopes = 0;
  bigintScopes = 0;
  private readonly marginCallRatioN: number;
  hooks!: LiquidationHooks;

  constructor(
    private readonly state: RiskState,
    private readonly pool: RiskPoolConfig,
    private readonly triggers: ReadonlyMap<number, MarketTriggers>,
    private readonly quintiles: QuintileCache,
    private readonly events: RiskEvents,
  ) {
    this.fast = pool.numberFastPath !== false;
    this.marginCallRatioN = Number(pool.marginCallRatioRate);
  }

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
    let list: readonly PositionState[] = this.one;
    if (!cross) {
      const pos = account.positions.get(scopeMarketId);
      if (pos === undefined) return undefined;
      if (pos.marginMode === MarginMode.ISOLATED) this.one[0] = pos;
      else cross = true;
    }
    if (cross) {
      const all = account.positionsInOrder();
      let crossOnly = true;
      for (let i = 0; i < all.length; i++) if (all[i]!.marginMode !== MarginMode.CROSS) crossOnly = false;
      if (crossOnly) list = all;
      else {
        const some = this.list;
        some.length = 0;
        for (let i = 0; i < all.length; i++) if (all[i]!.marginMode === MarginMode.CROSS) some.push(all[i]!);
        list = some;
      }
    }
    while (this.perPosition.length < list.length) {
      this.perPosition.push(new PositionFigures());
      this.perPositionNumbers.push(new PositionNumbers());
    }
    const numeric = this.fast && this.sumNumber(account, list, cross);
    if (numeric) this.numberScopes++;
    else this.bigintScopes++;
    const s = numeric ? this.figures : this.sum(account, list, cross);
    const called = s.calledAt(this.pool.marginCallRatioRate, this.marginCallRatioN);
    let open = 0;
    for (let i = 0; i < list.length; i++) {
      const pos = list[i]!;
      const forced = pos.marketId === publishMarketId;
      if (pos.qtyN === 0) {
        this.flat(pos, forced, reason, timeUs);
        continue;
      }
      open++;
      if (numeric && this.refreshNumber(account, pos, this.perPositionNumbers[i]!, s, cross, called, forced, reason, timeUs)) continue;
      if (numeric) bigFigures(this.perPositionNumbers[i]!, this.perPosition[i]!);
      this.refresh(account, pos, this.perPosition[i]!, s, cross, called, forced, reason, timeUs);
    }
    if (cross) this.trackMultiMarket(account, list, open);
    const key = scopeKey(accountId, cross ? CROSS_SCOPE : scopeMarketId);
    if (s.equitySign() < 0) this.negativeEquity.add(key);
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

  /** sum() in numbers into perPositionNumbers; false when a guard refuses (then use sum()). */
  private sumNumber(account: AccountState, list: readonly PositionState[], cross: boolean): boolean {
    const s = this.figures;
    let upnl = 0;
    let mm = 0;
    let im = 0;
    let orderIm = 0;
    let open = false;
    if (cross) {
      const all = account.positionsInOrder();
      for (let i = 0; i < all.length; i++) orderIm = addExact(orderIm, all[i]!.orderMarginN);
    }
    for (let i = 0; i < list.length; i++) {
      const pos = list[i]!;
      const f = this.perPositionNumbers[i]!;
      if (!valuePositionNumbersMemo(pos, this.state.markets.get(pos.marketId)!, f)) return false;
      if (pos.qtyN === 0) continue;
      upnl = addExact(upnl, f.unrealizedPnlAtoms);
      mm = addExact(mm, f.maintenanceAtoms);
      im = addExact(im, f.initialAtoms);
      open = true;
    }
    s.collateralN = cross ? account.walletN : list[0]!.isolatedMarginN;
    s.unrealizedPnlN = upnl;
    s.maintenanceN = mm;
    s.initialN = im;
    s.orderInitialN = orderIm;
    s.open = open;
    return mm === mm && s.finishNumber();
  }

  /**
   * refresh() on the number path: false, with nothing written, when a guard refuses one of the prices
   * (then refresh() recomputes them in bigint from the same figures).
   */
  private refreshNumber(account: AccountState, pos: PositionState, f: PositionNumbers, s: ScopeFigures, cross: boolean, called: boolean, forced: boolean, reason: number, timeUs: number): boolean {
    const market = this.state.markets.get(pos.marketId)!;
    const t = market.numberTiers;
    const a = market.atomsPerTickLotN;
    const q = pos.qtyN;
    const cost = pos.entryCostN;
    const collateral = cross ? addExact(addExact(s.collateralN, s.unrealizedPnlN), -f.unrealizedPnlAtoms) : s.collateralN;
    const otherMm = cross ? s.maintenanceN - f.maintenanceAtoms : 0;
    const lp = liquidationPriceNumber(q, cost, collateral, otherMm, a, t);
    const bp = bankruptcyPriceNumber(q, cost, collateral, a);
    const mc = marginCallPriceNumber(q, cost, collateral, otherMm, a, t, this.marginCallRatioN);
    if (lp !== lp || bp !== bp || mc !== mc) return false;
    const long = q > 0;
    // Exact: the price functions above refused unless |q|·a < 2^51.
    const lotsAtoms = (long ? q : -q) * a;
    const lower = tierDownKeyNumber(t, f.tierIndex, lotsAtoms);
    const upper = tierUpKeyNumber(t, f.tierIndex, lotsAtoms);
    const lpKey = lp === NO_PRICE ? (long ? NO_KEY : 0) : lp;
    const keys = combineKeys(long, lpKey, mc === NO_PRICE ? NO_KEY : mc, called, lower, upper, this.keys);
    this.triggers.get(pos.marketId)!.setKeys(pos, account, keys.downKey, keys.upKey);
    const d = pos.derived;
    const lpTicks = lp === NO_PRICE ? 0 : lp;
    const tier = f.tierIndex + 1;
    d.unrealizedPnlN = f.unrealizedPnlAtoms;
    if (!forced && d.liquidationPriceN === lpTicks && d.bankruptcyPriceN === bp && d.tier === tier) return true;
    d.liquidationPriceN = lpTicks;
    d.bankruptcyPriceN = bp;
    d.tier = tier;
    d.adlQuintile = this.quintiles.quintileOf(pos, timeUs, s.equityN);
    this.events.positionUpdated(pos, market, timeUs, reason, s);
    return true;
  }

  private refresh(account: AccountState, pos: PositionState, f: PositionFigures, s: ScopeFigures, cross: boolean, called: boolean, forced: boolean, reason: number, timeUs: number): void {
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
    // A called scope also watches the way back over its margin-call price, so the call is re-armed when
    // the ratio recovers and a later crossing calls again.
    const lpKey = lp === undefined ? (long ? NO_KEY : 0) : priceKey(lp.priceTicks);
    const keys = combineKeys(long, lpKey, mc === undefined ? NO_KEY : priceKey(mc), called, lower, upper, this.keys);
    this.triggers.get(pos.marketId)!.setKeys(pos, account, keys.downKey, keys.upKey);
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
    this.events.positionUpdated(pos, market, timeUs, reason, s);
  }

  private flat(pos: PositionState, forced: boolean, reason: number, timeUs: number): void {
    const t = this.triggers.get(pos.marketId)!;
    if (t.has(pos)) t.remove(pos);
    const d = pos.derived;
    const changed = d.tier !== 0 || d.liquidationPriceTicks !== 0n || d.bankruptcyPriceTicks !== 0n || d.unrealizedPnlAtoms !== 0n;
    d.liquidationPriceTicks = 0n;
    d.bankruptcyPriceTicks = 0n;
    d.tier = 0;
    d.adlQuintile = 0;
    d.unrealizedPnlAtoms = 0n;
    if (changed || forced) this.events.positionUpdated(pos, this.state.markets.get(pos.marketId)!, timeUs, reason, undefined);
  }

  private trackMultiMarket(account: AccountState, list: readonly PositionState[], open: number): void {
    // An indexed loop: for-of made an iterator per evaluation (this runs on every fill).
    for (let i = 0; i < list.length; i++) {
      const pos = list[i]!;
      const set = this.triggers.get(pos.marketId)!.multiMarketCross;
      if (open >= 2 && pos.qtyN !== 0) set.add(account.id);
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

/** A position's number figures as bigint, for the bigint path of refresh(). */
function bigFigures(from: PositionNumbers, to: PositionFigures): void {
  to.notionalAtoms = BigInt(from.notionalAtoms);
  to.unrealizedPnlAtoms = BigInt(from.unrealizedPnlAtoms);
  to.maintenanceAtoms = BigInt(from.maintenanceAtoms);
  to.initialAtoms = BigInt(from.initialAtoms);
}
