// The margin of a scope (a cross account, or one isolated position) computed from the shard's state with
// the pure formulas of risk/margin.ts and risk/tiers.ts. The same figures as crossMargin/isolatedMargin,
// without building MarkedPosition arrays: this runs on every fill and every margin check.
//
// Where the open orders' margin lands: every order is funded from the wallet, so the cross scope's
// Available subtracts the order margin of every position of the account, cross or isolated; an isolated
// scope's Available is what could leave the position (its equity above its IM).
// A position whose market has no mark yet (only reachable in tests: pre-trade refuses orders without a
// mark) is valued at its entry: UPnL 0, margins on the entry notional.
//
// Thread contract: the risk-shard thread. The figures objects are reused by their owner, never shared.

import { maintenanceMarginAtoms } from '../tiers.js';
import { initialMarginAtoms } from '../margin.js';
import { PositionNumbers, valuePositionNumber, type NumberTiers } from '../margin-number.js';
import { addExact } from './exact-slot.js';
import { ScopeFigures } from './scope-figures.js';
import { MarginMode, type AccountState, type MarketRiskState, type PositionState, type RiskState } from './state.js';

export { ScopeFigures } from './scope-figures.js';

/** One position valued at its market's mark. */
export class PositionFigures {
  notionalAtoms = 0n;
  unrealizedPnlAtoms = 0n;
  maintenanceAtoms = 0n;
  initialAtoms = 0n;
}

/** Values a position at its market's mark into `out` (zeros when flat). */
export function valuePosition(pos: PositionState, market: MarketRiskState, out: PositionFigures): PositionFigures {
  const q = pos.qtyLots;
  if (q === 0n) {
    out.notionalAtoms = 0n;
    out.unrealizedPnlAtoms = 0n;
    out.maintenanceAtoms = 0n;
    out.initialAtoms = 0n;
    return out;
  }
  const mark = market.markPriceTicks;
  const n = mark > 0n ? (q > 0n ? q : -q) * mark * market.spec.atomsPerTickLot : pos.entryCostAtoms;
  out.notionalAtoms = n;
  out.unrealizedPnlAtoms = q > 0n ? n - pos.entryCostAtoms : pos.entryCostAtoms - n;
  out.maintenanceAtoms = maintenanceMarginAtoms(market.config.tiers, n);
  out.initialAtoms = initialMarginAtoms(market.config.tiers, n, pos.leverage);
  return out;
}

/** UPnL at mark (0 before the market has one, as valuePosition). */
function unrealizedOf(pos: PositionState, market: MarketRiskState): bigint {
  const q = pos.qtyLots;
  const mark = market.markPriceTicks;
  if (q === 0n || mark <= 0n) return 0n;
  const n = (q > 0n ? q : -q) * mark * market.spec.atomsPerTickLot;
  return q > 0n ? n - pos.entryCostAtoms : pos.entryCostAtoms - n;
}

/**
 * valuePosition in numbers (margin-number.ts) from the position's number slots; false when a guard
 * refuses (a field past the number range, a product past 2^51): then use valuePosition.
 */
export function valuePositionNumbers(pos: PositionState, market: MarketRiskState, out: PositionNumbers): boolean {
  return valuePositionNumber(pos.qtyN, pos.entryCostN, market.markN, market.atomsPerTickLotN, pos.leverageN, market.numberTiers, out);
}

/**
 * The last figures valuePositionNumber gave, in MEMO_SLOTS slots chosen by account and market: the same
 * position is valued again and again at the same mark (each pre-trade check values the cross scope, each
 * fill its scope; on the demo's flow three valuations in four find their inputs unchanged). A memo of a
 * pure function keyed by all its inputs: a hit returns what computing would, so nothing here is state
 * (not hashed, not in snapshots, shared by every shard of the thread).
 */
const MEMO_SLOTS = 512;
/** Per slot: qty, entry cost, mark, atoms per tick·lot, leverage (the inputs), then notional, UPnL, MM, IM. */
const memo = new Float64Array(MEMO_SLOTS * 9).fill(NaN);
/** Per slot: the tier index (small integers: a double here would widen PositionNumbers.tierIndex). */
const memoTier = new Int32Array(MEMO_SLOTS);
const memoTiers: (NumberTiers | undefined)[] = new Array<NumberTiers | undefined>(MEMO_SLOTS).fill(undefined);

/** valuePositionNumbers through the memo (the scope evaluator and valuer: the shard's hot paths). */
export function valuePositionNumbersMemo(pos: PositionState, market: MarketRiskState, out: PositionNumbers): boolean {
  const q = pos.qtyN;
  const cost = pos.entryCostN;
  const mark = market.markN;
  const a = market.atomsPerTickLotN;
  const leverage = pos.leverageN;
  const t = market.numberTiers;
  const slot = (Math.imul(pos.accountId, 0x9e3779b1) + pos.marketId) & (MEMO_SLOTS - 1);
  const i = slot * 9;
  if (memo[i] === q && memo[i + 1] === cost && memo[i + 2] === mark && memo[i + 3] === a && memo[i + 4] === leverage && memoTiers[slot] === t) {
    out.notionalAtoms = memo[i + 5]!;
    out.unrealizedPnlAtoms = memo[i + 6]!;
    out.maintenanceAtoms = memo[i + 7]!;
    out.initialAtoms = memo[i + 8]!;
    out.tierIndex = memoTier[slot]!;
    return true;
  }
  if (!valuePositionNumber(q, cost, mark, a, leverage, t, out)) return false;
  memo[i] = q;
  memo[i + 1] = cost;
  memo[i + 2] = mark;
  memo[i + 3] = a;
  memo[i + 4] = leverage;
  memo[i + 5] = out.notionalAtoms;
  memo[i + 6] = out.unrealizedPnlAtoms;
  memo[i + 7] = out.maintenanceAtoms;
  memo[i + 8] = out.initialAtoms;
  memoTier[slot] = out.tierIndex;
  memoTiers[slot] = t;
  return true;
}

/** Computes scopes from state; holds scratch figures so a call allocates nothing but bigints. */
export class ScopeValuer {
  private readonly one = new PositionFigures();
  private readonly oneNumber = new PositionNumbers();
  /** pool.numberFastPath: try the number path first. */
  readonly fast: boolean;
  /** Scopes valued on the number path and on the bigint path (monitoring: a market whose values leave the number range shows here). */
  numberScopes = 0;
  bigintScopes = 0;

  constructor(private readonly state: RiskState) {
    this.fast = state.pool.numberFastPath !== false;
  }

  market(marketId: number): MarketRiskState {
    const m = this.state.markets.get(marketId);
    if (m === undefined) throw new Error(`risk shard holds a position in unconfigured market ${marketId}`);
    return m;
  }

  position(pos: PositionState, out: PositionFigures = this.one): PositionFigures {
    return valuePosition(pos, this.market(pos.marketId), out);
  }

  /** The cross scope: WB, the cross positions, and the order margin of every position of the account. */
  cross(account: AccountState, out: ScopeFigures): ScopeFigures {
    if (this.fast && this.crossNumber(account, out)) {
      this.numberScopes++;
      return out;
    }
    this.bigintScopes++;
    out.collateralAtoms = account.walletAtoms;
    out.unrealizedPnlAtoms = 0n;
    out.maintenanceAtoms = 0n;
    out.initialAtoms = 0n;
    out.orderInitialAtoms = 0n;
    out.open = false;
    for (const pos of account.positions.values()) {
      out.orderInitialAtoms += pos.orderMarginAtoms;
      if (pos.marginMode !== MarginMode.CROSS || pos.qtyLots === 0n) continue;
      const f = this.position(pos);
      out.unrealizedPnlAtoms += f.unrealizedPnlAtoms;
      out.maintenanceAtoms += f.maintenanceAtoms;
      out.initialAtoms += f.initialAtoms;
      out.open = true;
    }
    out.finish();
    return out;
  }

  /** One isolated position with its margin M_iso (its orders are charged to the cross scope). */
  isolated(pos: PositionState, out: ScopeFigures): ScopeFigures {
    if (this.fast && this.isolatedNumber(pos, out)) {
      this.numberScopes++;
      return out;
    }
    this.bigintScopes++;
    const f = this.position(pos);
    out.collateralAtoms = pos.isolatedMarginAtoms;
    out.unrealizedPnlAtoms = f.unrealizedPnlAtoms;
    out.maintenanceAtoms = f.maintenanceAtoms;
    out.initialAtoms = f.initialAtoms;
    out.orderInitialAtoms = 0n;
    out.open = pos.qtyLots !== 0n;
    out.finish();
    return out;
  }

  /** Equity of the scope holding `pos` (WB + Σ UPnL of cross positions, or M_iso + UPnL), nothing else. */
  equityOf(account: AccountState, pos: PositionState): bigint {
    if (pos.marginMode === MarginMode.ISOLATED) return pos.isolatedMarginAtoms + unrealizedOf(pos, this.market(pos.marketId));
    let equity = account.walletAtoms;
    for (const p of account.positions.values()) if (p.marginMode === MarginMode.CROSS && p.qtyLots !== 0n) equity += unrealizedOf(p, this.market(p.marketId));
    return equity;
  }

  /** equityOf in numbers: NaN when a guard refuses (then use equityOf). */
  equityOfNumber(account: AccountState, pos: PositionState): number {
    const f = this.oneNumber;
    if (pos.marginMode === MarginMode.ISOLATED) {
      return valuePositionNumbersMemo(pos, this.market(pos.marketId), f) ? addExact(pos.isolatedMarginN, unrealizedAtMark(pos, this.market(pos.marketId), f)) : NaN;
    }
    let equity = account.walletN;
    const all = account.positionsInOrder();
    for (let i = 0; i < all.length; i++) {
      const p = all[i]!;
      if (p.marginMode !== MarginMode.CROSS || p.qtyN === 0) continue;
      const market = this.market(p.marketId);
      if (!valuePositionNumbersMemo(p, market, f)) return NaN;
      equity = addExact(equity, unrealizedAtMark(p, market, f));
    }
    return equity;
  }

  /** The scope a position belongs to. */
  scopeOf(account: AccountState, pos: PositionState, out: ScopeFigures): ScopeFigures {
    return pos.marginMode === MarginMode.ISOLATED ? this.isolated(pos, out) : this.cross(account, out);
  }

  private crossNumber(account: AccountState, out: ScopeFigures): boolean {
    const f = this.oneNumber;
    let upnl = 0;
    let mm = 0;
    let im = 0;
    let orderIm = 0;
    let open = false;
    const all = account.positionsInOrder();
    for (let i = 0; i < all.length; i++) {
      const pos = all[i]!;
      orderIm = addExact(orderIm, pos.orderMarginN);
      if (pos.marginMode !== MarginMode.CROSS || pos.qtyN === 0) continue;
      if (!valuePositionNumbersMemo(pos, this.market(pos.marketId), f)) return false;
      upnl = addExact(upnl, f.unrealizedPnlAtoms);
      mm = addExact(mm, f.maintenanceAtoms);
      im = addExact(im, f.initialAtoms);
      open = true;
    }
    out.collateralN = account.walletN;
    out.unrealizedPnlN = upnl;
    out.maintenanceN = mm;
    out.initialN = im;
    out.orderInitialN = orderIm;
    out.open = open;
    return mm === mm && out.finishNumber();
  }

  private isolatedNumber(pos: PositionState, out: ScopeFigures): boolean {
    const f = this.oneNumber;
    if (!valuePositionNumbersMemo(pos, this.market(pos.marketId), f)) return false;
    out.collateralN = pos.isolatedMarginN;
    out.unrealizedPnlN = f.unrealizedPnlAtoms;
    out.maintenanceN = f.maintenanceAtoms;
    out.initialN = f.initialAtoms;
    out.orderInitialN = 0;
    out.open = pos.qtyN !== 0;
    return out.finishNumber();
  }
}

/** UPnL at mark as unrealizedOf counts it: 0 before the market has a mark (valued figures in f). */
function unrealizedAtMark(pos: PositionState, market: MarketRiskState, f: PositionNumbers): number {
  return pos.qtyN === 0 || market.markN === 0 ? 0 : f.unrealizedPnlAtoms;
}
