// The liquidation pipeline's runs (docs/RISK-SHARD.md, "Liquidation pipeline"): which scopes are in it,
// what each waits on, and in what order they step. The engine (liquidation-engine.ts) decides what a run
// does; this is where a run is entered, waits, parks, is retried and ends, so every index of the runs
// changes in one place:
//
//   runs         by scope key: looked up, never iterated in map order (the hash sorts)
//   byOrderId    the liquidation order or sweep a run waits on
//   waiting      parked runs, retried round-robin (liquidation-waiting.ts)
//   escalation   runs not parked, in trigger order: which steps next (escalation-order.ts)
//
// and the state's own mark of a scope in the pipeline (its liquidation id), which snapshots and the
// state hash see and pre-trade reads (isFrozen).
//
// Thread contract: the risk-shard thread.

import { EscalationOrder } from './escalation-order.js';
import { LiquidationRun, RunPhase } from './liquidation-run.js';
import { scopeKey } from './liquidation-scope.js';
import { WaitingScopes } from './liquidation-waiting.js';
import { CROSS_SCOPE, type StateWords } from './seams.js';
import { MarginMode, type AccountState, type RiskState } from './state.js';

export class LiquidationRuns {
  readonly runs = new Map<number, LiquidationRun>();
  readonly byOrderId = new Map<number, LiquidationRun>();
  readonly waiting = new WaitingScopes();
  readonly escalation = new EscalationOrder();

  constructor(private readonly state: RiskState) {}

  /** The scope enters the pipeline under a new liquidation id; it is frozen from now on. */
  start(account: AccountState, scopeMarketId: number, key: number): LiquidationRun {
    const run = new LiquidationRun(key, account.id, scopeMarketId, this.state.newLiquidationId());
    this.runs.set(key, run);
    this.escalation.enter(run);
    setScopeLiquidationId(account, scopeMarketId, run.liquidationId);
    return run;
  }

  /** The scope leaves the pipeline (healthy again, or completed). */
  end(run: LiquidationRun): void {
    this.runs.delete(run.key);
    this.waiting.remove(run.key);
    this.escalation.leave(run);
    const account = this.state.accounts.get(run.accountId);
    if (account !== undefined) setScopeLiquidationId(account, run.scopeMarketId, 0);
  }

  /** The run waits (no mark, or no counterparty); whatever resumes it sweeps the book again first: it may have refilled. */
  park(run: LiquidationRun): void {
    run.phase = RunPhase.WAITING;
    run.sweepMarkTicks = 0n;
    this.waiting.add(run.key);
    this.escalation.leave(run);
  }

  /** A parked run is retried: it goes back in line, at a boundary. */
  retry(run: LiquidationRun): void {
    this.waiting.remove(run.key);
    this.escalation.enter(run);
    this.escalation.queued(run);
  }

  /** The run sent an order or sweep: it waits on its id in `phase`. */
  awaitOrder(run: LiquidationRun, orderId: number, marketId: number, qtyLots: bigint, phase: RunPhase): void {
    run.startOrder(marketId, qtyLots);
    run.phase = phase;
    this.byOrderId.set(orderId, run);
  }

  /** The liquidation id of the scope's run, 0 when the scope is not in the pipeline. */
  liquidationIdOf(accountId: number, scopeMarketId: number): number {
    return this.runs.get(scopeKey(accountId, scopeMarketId))?.liquidationId ?? 0;
  }

  /** A cross run freezes every cross market of the account (and markets it has no position in yet). */
  isFrozen(accountId: number, marketId: number): boolean {
    if (this.runs.has(scopeKey(accountId, marketId))) return true;
    if (!this.runs.has(scopeKey(accountId, CROSS_SCOPE))) return false;
    const pos = this.state.accounts.get(accountId)?.positions.get(marketId);
    return pos === undefined || pos.marginMode === MarginMode.CROSS;
  }

  /** Runs by scope key, the order ids they wait on, parked scopes (the escalation order follows from the runs). */
  hashState(h: StateWords): void {
    const keys = [...this.runs.keys()].sort((a, b) => a - b);
    h.int(keys.length);
    for (const k of keys) this.runs.get(k)!.hashState(h);
    const orderIds = [...this.byOrderId.keys()].sort((a, b) => a - b);
    h.int(orderIds.length);
    for (const id of orderIds) {
      h.int(id);
      h.int(this.byOrderId.get(id)!.key);
    }
    this.waiting.hashState(h);
  }
}

/** The state's own record of the pipeline (what snapshots and the state hash see). */
function setScopeLiquidationId(account: AccountState, scopeMarketId: number, liquidationId: number): void {
  if (scopeMarketId === CROSS_SCOPE) account.liquidationId = liquidationId;
  else {
    const pos = account.positions.get(scopeMarketId);
    if (pos !== undefined) pos.liquidationId = liquidationId;
  }
}
