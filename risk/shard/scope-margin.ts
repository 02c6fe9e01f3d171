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
import { initialMarginAtoms, marginRatioRate } from '../margin.js';
import { MarginMode, type AccountState, type MarketRiskState, type PositionState, type RiskState } from './state.js';

/** One position valued at its market's mark. */
export class PositionFigures {
  notionalAtoms = 0n;
  unrealizedPnlAtoms = 0n;
  maintenanceAtoms = 0n;
  initialAtoms = 0n;
}

/** A scope's totals. */
export class ScopeFigures {
  /** WB (cross) or M_iso (isolated). */
  collateralAtoms = 0n;
  unrealizedPnlAtoms = 0n;
  equityAtoms = 0n;
  maintenanceAtoms = 0n;
  /** IM of the positions. */
  initialAtoms = 0n;
  /** IM reserved for open orders charged to this scope. */
  orderInitialAtoms = 0n;
  availableAtoms = 0n;
  withdrawableAtoms = 0n;
  /** The scope holds at least one open position. */
  open = false;

  get liquidatable(): boolean {
    return this.open && this.equityAtoms <= this.maintenanceAtoms;
  }

  /** Equity below the positions' initial margin: only risk-reducing orders are accepted (RISK.md). */
  get belowInitial(): boolean {
    return this.open && this.equityAtoms < this.initialAtoms;
  }

  /** Σ MM / Equity in 10^-8, rounded up; undefined when Equity ≤ 0 with a position open (shown as ∞). */
  marginRatio(): bigint | undefined {
    return marginRatioRate(this.maintenanceAtoms, this.equityAtoms);
  }

  finish(): void {
    this.equityAtoms = this.collateralAtoms + this.unrealizedPnlAtoms;
    const free = this.equityAtoms - this.initialAtoms - this.orderInitialAtoms;
    this.availableAtoms = free > 0n ? free : 0n;
    const w = this.collateralAtoms < this.availableAtoms ? this.collateralAtoms : this.availableAtoms;
    this.withdrawableAtoms = w > 0n ? w : 0n;
  }
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

/** Computes scopes from state; holds scratch figures so a call allocates nothing but bigints. */
export class ScopeValuer {
  private readonly one = new PositionFigures();

  constructor(private readonly state: RiskState) {}

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

  /** The scope a position belongs to. */
  scopeOf(account: AccountState, pos: PositionState, out: ScopeFigures): ScopeFigures {
    return pos.marginMode === MarginMode.ISOLATED ? this.isolated(pos, out) : this.cross(account, out);
  }
}
