// The liquidation pipeline of the risk shard (docs/RISK.md "Liquidation pipeline", docs/RISK-SHARD.md steps
// 1-7): one LiquidationRun per scope in it, driven only by the LiquidationHooks calls of the core. The
// hooks route each record to its run and mark the run at a step boundary; at the end of the record
// (afterRecord) the runs step one at a time in trigger order (escalation-order.ts): liquidation-steps.ts,
// where the steps and transitions are listed, names what comes next, and this does it; the arithmetic is
// in the modules each step names; liquidation-runs.ts keeps the runs and what they wait on. It reads
// state, never the clock (time is each call's timeUs), and acts only through RiskEffects, so the same
// calls on the same state give the same effects (I10). LiquidationProgressed's fields: events.ts.
//
// What each step may do is bounded: it touches one scope, walks that account's positions, and at most
// ranks one market's ADL candidates; check() also retries at most one parked scope, round-robin in
// ascending (accountId, marketId) order (liquidation-waiting.ts).
//
// Thread contract: the risk-shard thread, inside the handling of one input record.

import { CancelReason, OrderOrigin, Side } from '../../engine/enums.js';
import type { SnapshotReader } from '../../engine/snapshot/snapshot-reader.js';
import type { SnapshotWriter } from '../../engine/snapshot/snapshot-writer.js';
import { bankruptcyPrice } from '../liquidation-price.js';
import { absBig } from '../units.js';
import { AdlExecutor, type PendingDeleverage } from './adl-executor.js';
import type { RiskPoolConfig } from './config.js';
import { LiquidationStep } from './events.js';
import { InsuranceFund } from './insurance-fund.js';
import { adlPriceTicks, sweepTerms } from './liquidation-prices.js';
import type { EscalationOrder } from './escalation-order.js';
import { RunPhase, type LiquidationRun } from './liquidation-run.js';
import { LiquidationRuns } from './liquidation-runs.js';
import { Next, nextStep } from './liquidation-steps.js';
import {
  byMaintenanceDescending,
  collateralAround,
  evaluateScope,
  flatScopeEquityAtoms,
  hasOpenOrders,
  nextStepDown,
  openPositions,
  scopeEquityAtoms,
  scopeKey,
  scopeMarketOf,
  scopePositionStates,
  worstCaseCloseCostAtoms,
} from './liquidation-scope.js';
import { settleBankruptFlatScope, settleScope } from './liquidation-settlement.js';
import { readLiquidation, writeLiquidation } from './liquidation-snapshot.js';
import type { WaitingScopes } from './liquidation-waiting.js';
import type { LiquidationHooks, RiskEffects, StateWords } from './seams.js';
import type { AccountState, PositionState, RiskState } from './state.js';

/** The last resort's sweep budget: the largest the record carries, so the band alone bounds it. */
const UNLIMITED_BUDGET = (1n << 63n) - 1n;

/** Parked scopes retried per mark update: bounded, so a cascade cannot stall the shard. */
const MARK_RETRIES = 8;

export class LiquidationEngine implements LiquidationHooks {
  /** The runs, what they wait on, and which steps next (liquidation-runs.ts). */
  private readonly pipeline: LiquidationRuns;
  readonly runs: Map<number, LiquidationRun>;
  readonly byOrderId: Map<number, LiquidationRun>;
  readonly waiting: WaitingScopes;
  readonly escalation: EscalationOrder;
  readonly insuranceFund: InsuranceFund;
  readonly adl: AdlExecutor;

  constructor(
    private readonly state: RiskState,
    private readonly effects: RiskEffects,
    private readonly pool: RiskPoolConfig,
  ) {
    const p = (this.pipeline = new LiquidationRuns(state));
    ({ runs: this.runs, byOrderId: this.byOrderId, waiting: this.waiting, escalation: this.escalation } = p);
    this.insuranceFund = new InsuranceFund(state, effects, pool.insurancePerEventCapAtoms);
    this.adl = new AdlExecutor(state, effects, pool.adlMode, (a, m) => p.isFrozen(a, m));
  }

  /** The liquidation id of the scope's run, 0 when the scope is not in the pipeline. */
  liquidationIdOf(accountId: number, scopeMarketId: number): number {
    return this.pipeline.liquidationIdOf(accountId, scopeMarketId);
  }

  check(accountId: number, marketId: number, timeUs: number): void {
    const account = this.state.accounts.get(accountId);
    let key = -1;
    if (account !== undefined) {
      const scope = scopeMarketOf(account, marketId);
      key = scopeKey(accountId, scope);
      const run = this.runs.get(key);
      if (run === undefined) this.trigger(account, scope, key, timeUs);
      else this.resume(run, timeUs);
    }
    const retry = this.waiting.next(key);
    if (retry !== undefined) this.resume(this.runs.get(retry)!, timeUs);
  }

  /**
   * A flat scope below zero after a user's own fill: a bankruptcy with nothing left to close. The fund
   * pays the loss from what no running event holds, within the per-event cap (TRIGGERED,
   * SHORTFALL_COVERED, COMPLETED under a liquidation id of its own); what it cannot pay stays with the
   * scope and is reported by the scope's equity.
   */
  onBankruptFlatScope(accountId: number, marketId: number, timeUs: number): void {
    const account = this.state.accounts.get(accountId);
    if (account === undefined) return;
    const scope = scopeMarketOf(account, marketId);
    const equity = this.runs.has(scopeKey(accountId, scope)) ? undefined : flatScopeEquityAtoms(this.state, account, scope);
    if (equity !== undefined && equity < 0n) settleBankruptFlatScope(this.insuranceFund, this.effects, accountId, scope, this.state.newLiquidationId(), equity, timeUs);
  }

  /** Runs by scope key, the order ids they wait on, parked scopes, fund reservations, pending Deleverages, open market inputs. */
  hashState(h: StateWords): void {
    this.pipeline.hashState(h);
    this.insuranceFund.hashState(h);
    this.adl.hashState(h);
    this.escalation.hashState(h);
  }

  /** The pipeline's snapshot section (liquidation-snapshot.ts). */
  writeState(w: SnapshotWriter): void {
    writeLiquidation(w, this);
  }

  readState(r: SnapshotReader): void {
    readLiquidation(r, this.state, this);
  }

  /**
   * Retries up to MARK_RETRIES parked scopes, round-robin, whatever market moved: a park waits on marks or
   * counterparties anywhere. A new mark is a new moment: each retried run starts afresh (its rejected
   * counterparties ranked again, its position offered to the book again before ADL), so no run waits
   * forever on a counterparty that refused once or on a book that was empty once.
   */
  onMarkUpdated(_marketId: number, timeUs: number): void {
    for (let i = 0; i < MARK_RETRIES && this.waiting.size > 0; i++) {
      const retry = this.waiting.next(-1);
      if (retry === undefined) return;
      const run = this.runs.get(retry)!;
      run.startAfresh();
      this.resume(run, timeUs);
    }
  }

  onFill(accountId: number, _marketId: number, orderId: number, origin: number, signedQtyLots: bigint, priceTicks: bigint, timeUs: number): void {
    const d = origin === OrderOrigin.ADL ? this.adl.find(orderId) : undefined;
    if (d !== undefined) {
      if (accountId === d.liquidatedAccountId) this.deleverageFilled(d, signedQtyLots, priceTicks, timeUs);
      return;
    }
    const run = this.byOrderId.get(orderId);
    if (run === undefined) return;
    run.orderFilledLots += absBig(signedQtyLots);
    if (run.phase === RunPhase.FULL_CLOSE) {
      run.fullCloseNotionalAtoms += absBig(signedQtyLots) * priceTicks * this.state.markets.get(run.orderMarketId)!.atomsPerTickLot;
      this.progress(run, run.orderMarketId, LiquidationStep.FULL_FILL, signedQtyLots, priceTicks, timeUs);
    } else {
      this.progress(run, run.orderMarketId, LiquidationStep.PARTIAL_FILL, signedQtyLots, priceTicks, timeUs);
    }
  }

  /** The end code does not steer the pipeline: what filled (read from the fills and the state) does. */
  onOrderEnded(accountId: number, marketId: number, orderId: number, _code: number, timeUs: number): void {
    const d = this.adl.find(orderId);
    if (d !== undefined) {
      this.adl.ended(d);
      const run = this.runs.get(d.runKey);
      if (run === undefined) return;
      run.excludedCounterparties.push(d.counterpartyAccountId);
      if (--run.outstandingDeleverages === 0) this.boundary(run);
      return;
    }
    const run = this.byOrderId.get(orderId);
    if (run !== undefined) {
      this.byOrderId.delete(orderId);
      this.afterOrder(run);
      return;
    }
    const account = this.state.accounts.get(accountId);
    if (account === undefined) return;
    const cancelling = this.runs.get(scopeKey(accountId, scopeMarketOf(account, marketId)));
    if (cancelling !== undefined && cancelling.phase === RunPhase.CANCELLING) this.afterCancel(cancelling, timeUs);
  }

  isFrozen(accountId: number, marketId: number): boolean {
    return this.pipeline.isFrozen(accountId, marketId);
  }

  // Step 1: trigger, freeze, and step 2: cancel the scope's open orders.
  private trigger(account: AccountState, scope: number, key: number, timeUs: number): void {
    const summary = evaluateScope(this.state, account, scope);
    if (summary === undefined || !summary.liquidatable) return;
    const run = this.pipeline.start(account, scope, key);
    this.progress(run, scope, LiquidationStep.TRIGGERED, 0n, 0n, timeUs);
    let cancelling = false;
    for (const pos of scopePositionStates(account, scope)) {
      if (pos.orderCount === 0) continue;
      this.effects.cancelAllOrders(account.id, pos.marketId, CancelReason.LIQUIDATION, timeUs);
      cancelling = true;
    }
    if (!cancelling) this.boundary(run);
  }

  private afterCancel(run: LiquidationRun, timeUs: number): void {
    if (hasOpenOrders(this.account(run), run.scopeMarketId)) return;
    this.progress(run, run.scopeMarketId, LiquidationStep.ORDERS_CANCELLED, 0n, 0n, timeUs);
    this.boundary(run);
  }

  private resume(run: LiquidationRun, timeUs: number): void {
    if (run.phase === RunPhase.CANCELLING) this.afterCancel(run, timeUs);
    else if (run.phase === RunPhase.WAITING) this.pipeline.retry(run);
  }

  /**
   * The end of a record, after its liquidation checks: runs take their steps, one at a time in trigger order
   * (escalation-order.ts), while the next one waits at a boundary and nothing is in flight. Each run is
   * stepped here once per answer, trigger or retry that queued it, so the work is paid for by those records.
   */
  afterRecord(timeUs: number, input: number, more: boolean): void {
    this.escalation.record(input, more);
    for (let run = this.escalation.next(); run !== undefined; run = this.escalation.next()) {
      this.step(run, timeUs);
      this.escalation.stepped(run);
    }
  }

  /** A step boundary: the run waits for its turn (afterRecord), which re-checks it as it stands then. */
  private boundary(run: LiquidationRun): void {
    this.escalation.queued(run);
  }

  /** The step a boundary names (liquidation-steps.ts), for the scope as it stands now. */
  private step(run: LiquidationRun, timeUs: number): void {
    const account = this.account(run);
    if (run.closingMarketId >= 0 && (account.positions.get(run.closingMarketId)?.isFlat() ?? true)) run.closingMarketId = -1;
    const closing = run.closingMarketId >= 0 ? account.positions.get(run.closingMarketId)! : undefined;
    const summary = evaluateScope(this.state, account, run.scopeMarketId);
    const next = nextStep({
      committed: run.committed,
      liquidatable: summary?.liquidatable,
      equityAtoms: summary?.equityAtoms ?? 0n,
      flat: openPositions(account, run.scopeMarketId).length === 0,
      closingOpen: closing !== undefined,
      sweptEmpty: closing !== undefined && this.sweptEmptyAtThisMark(run, closing),
    });
    switch (next) {
      case Next.PARK:
        return this.pipeline.park(run);
      case Next.HEALTHY:
        return this.finish(run, LiquidationStep.HEALTHY, timeUs);
      case Next.COMMIT:
        return this.commit(run, account, timeUs);
      case Next.STEP_DOWN:
        if (!this.placeStepDown(run, account, timeUs)) this.commit(run, account, timeUs);
        return;
      case Next.SWEEP:
        return this.fullCloseRound(run, account, closing!, timeUs);
      case Next.ADL:
        return this.dispatchAdl(run, closing!, timeUs);
      case Next.NEXT_POSITION:
        return this.closeNextPosition(run, account, timeUs);
      case Next.COMPLETE:
        return this.complete(run, account, timeUs);
    }
  }

  // Step 3: one IOC reduce-only order per step (liquidation-scope.ts nextStepDown); false when none is left.
  private placeStepDown(run: LiquidationRun, account: AccountState, timeUs: number): boolean {
    const o = nextStepDown(this.state, account, run.scopeMarketId, run.stalledMarkets);
    if (o === undefined) return false;
    const side = o.pos.qtyLots > 0n ? Side.SELL : Side.BUY;
    const orderId = this.effects.placeLiquidationOrder(run.accountId, o.pos.marketId, side, o.qtyLots, o.limitTicks, timeUs);
    this.pipeline.awaitOrder(run, orderId, o.pos.marketId, o.qtyLots, RunPhase.STEP_DOWN);
    this.progress(run, o.pos.marketId, LiquidationStep.PARTIAL_ORDER, side === Side.SELL ? -o.qtyLots : o.qtyLots, o.limitTicks, timeUs);
    return true;
  }

  // Step 4 begins: from here the scope closes completely (a cross account in every market) unless a
  // re-check at a step boundary finds it healthy again. Why: the step-down already re-evaluated after each
  // order, and the surplus and shortfall rules of steps 5 and 6 are defined on a flat scope. The event's
  // IF budget is reserved now.
  private commit(run: LiquidationRun, account: AccountState, timeUs: number): void {
    run.committed = true;
    run.phase = RunPhase.FULL_CLOSE;
    this.insuranceFund.reserve(run.liquidationId, worstCaseCloseCostAtoms(this.state, account, run.scopeMarketId));
    this.step(run, timeUs);
  }

  /** The next position of a committed scope (largest MM first): its BP now is where ADL would close it. */
  private closeNextPosition(run: LiquidationRun, account: AccountState, timeUs: number): void {
    const next = byMaintenanceDescending(this.state, openPositions(account, run.scopeMarketId))[0];
    const collateral = next === undefined ? undefined : collateralAround(this.state, account, next);
    if (next === undefined || collateral === undefined) return this.pipeline.park(run);
    const bp = bankruptcyPrice(next, collateral, this.state.markets.get(next.marketId)!.atomsPerTickLot)!;
    run.startPositionClose(next.marketId, adlPriceTicks(bp.priceTicks));
    this.fullCloseRound(run, account, next, timeUs);
  }

  /**
   * The last sweep of the position was sent at the mark the market shows now, took nothing, and the run
   * has not waited since (a wait forgets it: the book may have refilled meanwhile). A sweep that took
   * something is followed by another, not by ADL: its fills moved the last price, which can fire stops
   * and take-profits that rest new liquidity in the band (docs/RISK.md step 5).
   */
  private sweptEmptyAtThisMark(run: LiquidationRun, pos: PositionState): boolean {
    const mark = this.state.markets.get(pos.marketId)!.markPriceTicks;
    return run.sweepMarkTicks !== 0n && run.sweepMarkTicks === mark && run.orderFilledLots === 0n;
  }

  /**
   * One budgeted sweep (LiquidationSweep) of what is left of the position; its terms are
   * liquidation-prices.ts sweepTerms, its budget the event's reservation, raised towards what closing the
   * scope at the band's edges could cost. budgetOverride: the last resort's, no budget limit.
   */
  private fullCloseRound(run: LiquidationRun, account: AccountState, pos: PositionState, timeUs: number, budgetOverride?: bigint): void {
    const market = this.state.markets.get(pos.marketId)!;
    const equity = scopeEquityAtoms(this.state, account, run.scopeMarketId);
    if (equity === undefined || market.markPriceTicks <= 0n) return this.pipeline.park(run);
    const reserved = this.insuranceFund.reserve(run.liquidationId, worstCaseCloseCostAtoms(this.state, account, run.scopeMarketId));
    const t = sweepTerms(pos, market, equity, run.adlPriceTicks, reserved);
    const orderId = this.effects.sweepLiquidation(run.accountId, pos.marketId, t.side, t.lots, t.limitTicks, run.adlPriceTicks, budgetOverride ?? t.budgetAtoms, timeUs);
    run.sweepMarkTicks = market.markPriceTicks;
    this.pipeline.awaitOrder(run, orderId, pos.marketId, t.lots, RunPhase.FULL_CLOSE);
    this.progress(run, pos.marketId, LiquidationStep.FULL_ORDER, t.side === Side.SELL ? -t.lots : t.lots, t.limitTicks, timeUs);
  }

  private afterOrder(run: LiquidationRun): void {
    if (run.phase === RunPhase.STEP_DOWN && run.orderFilledLots === 0n) run.stalledMarkets.push(run.orderMarketId);
    this.boundary(run);
  }

  // Step 7 (docs/RISK.md): what the book could not take within the budget, at the BP of the position's close.
  private dispatchAdl(run: LiquidationRun, pos: PositionState, timeUs: number): void {
    if (!run.adlStarted) {
      run.adlStarted = true;
      this.progress(run, pos.marketId, LiquidationStep.ADL_STARTED, -pos.qtyLots, run.adlPriceTicks, timeUs);
    }
    const sent = this.adl.dispatch(
      {
        runKey: run.key,
        liquidationId: run.liquidationId,
        liquidatedAccountId: run.accountId,
        marketId: pos.marketId,
        remainingQtyLots: pos.qtyLots,
        priceTicks: run.adlPriceTicks,
        excludedCounterparties: run.excludedCounterparties,
      },
      timeUs,
    );
    if (sent === 0) return this.lastResort(run, pos, timeUs);
    run.phase = RunPhase.ADL;
    run.outstandingDeleverages = sent;
  }

  /**
   * No counterparty on this shard can take the remainder (none holds the opposite side, or each refused
   * since the run last parked). Waiting would leave the scope open, its loss growing with the market, so
   * the book is offered the rest up to the band's edge whatever the fund's budget (a sweep with no budget
   * limit): the loss beyond the budget stays with the scope and COMPLETED reports it
   * (liquidation-settlement.ts). Once per mark: when it was already sent at this mark the book took what it
   * could, and the run parks until the next mark, which starts it afresh.
   */
  private lastResort(run: LiquidationRun, pos: PositionState, timeUs: number): void {
    const mark = this.state.markets.get(pos.marketId)!.markPriceTicks;
    if (mark <= 0n || run.lastResortMarkTicks === mark) return this.pipeline.park(run);
    run.lastResortMarkTicks = mark;
    this.fullCloseRound(run, this.account(run), pos, timeUs, UNLIMITED_BUDGET);
  }

  private deleverageFilled(d: PendingDeleverage, signedQtyLots: bigint, priceTicks: bigint, timeUs: number): void {
    this.adl.filled(d, signedQtyLots, priceTicks, timeUs);
    const run = this.runs.get(d.runKey);
    if (run === undefined) return;
    this.progress(run, d.marketId, LiquidationStep.ADL_FILL, signedQtyLots, priceTicks, timeUs);
    if (--run.outstandingDeleverages === 0) this.boundary(run);
  }

  // Steps 5, 6 and 8: the scope is flat; settle its equity with the IF, then release it.
  private complete(run: LiquidationRun, account: AccountState, timeUs: number): void {
    const equity = scopeEquityAtoms(this.state, account, run.scopeMarketId) ?? 0n;
    const s = settleScope(this.insuranceFund, this.pool, run.accountId, run.scopeMarketId, run.liquidationId, equity, run.fullCloseNotionalAtoms, timeUs);
    if (s.step !== 0) this.progress(run, run.scopeMarketId, s.step, 0n, 0n, timeUs, s.insuranceAtoms);
    this.finish(run, LiquidationStep.COMPLETED, timeUs);
  }

  private finish(run: LiquidationRun, step: number, timeUs: number): void {
    this.insuranceFund.release(run.liquidationId);
    this.pipeline.end(run);
    this.progress(run, run.scopeMarketId, step, 0n, 0n, timeUs);
    this.effects.publishScope(run.accountId, run.scopeMarketId, timeUs);
  }

  private account(run: LiquidationRun): AccountState {
    return this.state.accounts.get(run.accountId)!;
  }

  private progress(run: LiquidationRun, marketId: number, step: number, qtyLots: bigint, priceTicks: bigint, timeUs: number, insuranceAtoms = 0n): void {
    this.effects.liquidationProgressed(run.accountId, marketId, run.liquidationId, step, qtyLots, priceTicks, timeUs, insuranceAtoms);
  }
}
