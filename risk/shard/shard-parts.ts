// ShardParts: the components of one risk shard wired together, and the few helpers every handler uses.
// The handlers (account-commands.ts, pre-trade.ts, order-events.ts, trade-settlement.ts,
// funding-settlement.ts) are functions over these parts; risk-shard.ts dispatches records to them.
//
//   RiskState ◀── ScopeValuer (figures) ◀── ScopeEvaluator (derived values, triggers, calls, checks)
//        ▲                                        ▲            │
//        │                                        │            ▼
//   handlers ──▶ RiskEvents (gateway stream)   MarginMonitor (bounded work)   QuintileCache
//            └─▶ MarketCommands (market streams)
//
// Thread contract: the risk-shard thread.

import type { EventOutput } from '../../engine/shard/event-output.js';
import { ShardClock } from '../../engine/shard/shard-clock.js';
import { MAX_BALANCE_BOUND_ATOMS, type RiskMarketConfig, type RiskPoolConfig } from './config.js';
import { UpdateReason } from './events.js';
import { MarginMonitor } from './margin-monitor.js';
import { NumberFees } from './fill-application.js';
import { MarketCommands } from './market-commands.js';
import { NumberCostContext } from '../order-cost-number.js';
import { QuintileCache } from './quintiles.js';
import { CostContext, recomputeReservation } from './reservation.js';
import { RiskEvents } from './risk-events.js';
import { ScopeEvaluator } from './scope-evaluator.js';
import { ScopeFigures, ScopeValuer } from './scope-margin.js';
import type { LiquidationHooks } from './seams.js';
import { MarginMode, MarketRiskState, PositionState, RiskState, type AccountState } from './state.js';
import { MarketSpec } from '../../engine/market/spec.js';
import { RiskListings } from './market-listing.js';

export class ShardParts {
  readonly state: RiskState;
  readonly valuer: ScopeValuer;
  readonly monitor: MarginMonitor;
  readonly quintiles: QuintileCache;
  readonly evaluator: ScopeEvaluator;
  readonly events: RiskEvents;
  readonly commands: MarketCommands;
  /** The shard's time: the latest gateway command it applied (engine/shard/shard-clock.ts). */
  readonly clock: ShardClock;
  readonly cost = new CostContext();
  readonly numberCost = new NumberCostContext();
  /** The pool's fee rates as numbers, for the fill fast path. */
  readonly numberFees: NumberFees;
  /** Scratch figures for AccountUpdated and command checks (read before the next use). */
  readonly crossFigures = new ScopeFigures();
  readonly scopeFigures = new ScopeFigures();
  hooks!: LiquidationHooks;
  /** Fills of reduce-only orders that grew or flipped a position (invariant I9: must stay 0). */
  reduceOnlyBreaches = 0;
  /** Markets listed at run time and the ListMarket group arriving (market-listing.ts). */
  readonly listings = new RiskListings();
  /** How many market shards there are (streams towards them). */
  readonly marketStreams: number;
  /** The market shard (index of its stream) of each market: a listed market's own, else the configured one. */
  readonly marketShardOf: (marketId: number) => number;

  constructor(
    shardId: number,
    shardCount: number,
    markets: readonly RiskMarketConfig[],
    readonly pool: RiskPoolConfig,
    /** The market shard (index of its stream) of each configured market. */
    configuredShardOf: (marketId: number) => number,
    gateway: EventOutput,
    marketOutputs: readonly EventOutput[],
  ) {
    if (!Number.isInteger(shardCount) || shardCount < 1 || !Number.isInteger(shardId) || shardId < 0 || shardId >= shardCount) {
      throw new RangeError(`risk shard ${shardId} of ${shardCount}`);
    }
    for (const [name, v] of [['maxWalletAtoms', pool.maxWalletAtoms], ['maxInsuranceFundAtoms', pool.maxInsuranceFundAtoms]] as const) {
      if (typeof v !== 'bigint' || v < 1n || v > MAX_BALANCE_BOUND_ATOMS) throw new RangeError(`pool ${name} must be in [1, 2^62] atoms, got ${v}`);
    }
    this.marketStreams = marketOutputs.length;
    this.marketShardOf = (marketId) => this.listings.shardOf(marketId) ?? configuredShardOf(marketId);
    this.clock = new ShardClock(pool.timeHorizonUs);
    this.state = new RiskState(shardId, shardCount, pool);
    this.numberFees = new NumberFees(pool.feeTiers);
    for (const config of markets) {
      const spec = new MarketSpec(config.market);
      if (this.state.markets.has(spec.marketId)) throw new Error(`market ${spec.marketId} configured twice`);
      const s = configuredShardOf(spec.marketId);
      if (!Number.isInteger(s) || s < 0 || s >= marketOutputs.length) throw new RangeError(`market ${spec.marketId}: no market-shard stream (${s})`);
      this.state.markets.set(spec.marketId, new MarketRiskState(spec, config));
    }
    this.valuer = new ScopeValuer(this.state);
    this.monitor = new MarginMonitor(this.state.sortedMarketIds());
    this.quintiles = new QuintileCache(this.state, this.valuer, this.monitor.triggers);
    this.events = new RiskEvents(gateway);
    this.evaluator = new ScopeEvaluator(this.state, pool, this.monitor.triggers, this.quintiles, this.events);
    this.monitor.evaluator = this.evaluator;
    this.monitor.fundedAccount = (accountId, timeUs) => this.publishAccount(this.state.accounts.get(accountId)!, timeUs, 0, UpdateReason.FUNDING);
    this.commands = new MarketCommands(shardId, marketOutputs, this.marketShardOf);
  }

  setHooks(hooks: LiquidationHooks): void {
    this.hooks = hooks;
    this.evaluator.hooks = hooks;
  }

  /** The account's position record in the market, created (flat, default leverage, cross) when absent. */
  positionOf(account: AccountState, market: MarketRiskState): PositionState {
    let pos = account.positions.get(market.spec.marketId);
    if (pos === undefined) {
      pos = new PositionState(account.id, market.spec.marketId, market.config.defaultLeverage);
      account.positions.set(market.spec.marketId, pos);
    }
    return pos;
  }

  /** The scope's figures: isolated position or cross account. Reuses scopeFigures. */
  scopeOf(account: AccountState, pos: PositionState | undefined): ScopeFigures {
    if (pos !== undefined && pos.marginMode === MarginMode.ISOLATED) return this.valuer.isolated(pos, this.scopeFigures);
    return this.valuer.cross(account, this.scopeFigures);
  }

  cross(account: AccountState): ScopeFigures {
    return this.valuer.cross(account, this.crossFigures);
  }

  /** Is the scope holding this position in the liquidation pipeline? */
  liquidating(account: AccountState, pos: PositionState): boolean {
    return pos.marginMode === MarginMode.ISOLATED ? pos.liquidationId !== 0 : account.liquidationId !== 0;
  }

  /** Recomputes the position's order reservation at the current mark (reservation.ts). */
  reserve(account: AccountState, pos: PositionState): void {
    this.reserveAt(account, pos, this.state.markets.get(pos.marketId)!.markN);
    pos.reserveOrderId = 0;
  }

  /** The reservation valued at a given mark (a refused order is withdrawn at the mark its acceptance saw). */
  reserveAt(account: AccountState, pos: PositionState, markTicks: number): void {
    const market = this.state.markets.get(pos.marketId)!;
    if (this.valuer.fast) recomputeReservation(account, pos, market, this.pool.feeTiers, this.cost, this.numberCost, this.numberFees.takerRate[account.feeTier]!, markTicks);
    else recomputeReservation(account, pos, market, this.pool.feeTiers, this.cost, undefined, NaN, markTicks);
  }

  /** AccountUpdated with the account's cross figures. */
  publishAccount(account: AccountState, timeUs: number, requestId: number, reason: number): void {
    this.events.accountUpdated(account, timeUs, this.cross(account), requestId, reason);
  }
}
