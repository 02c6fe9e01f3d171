// ExchangeHarness: an InProcessExchange driven the way a gateway would drive it, for whole-exchange
// property tests and the flash-crash scenarios. It stamps each command with the harness clock, carries it
// to quiescence (submit, then pump), keeps the commands it sent (a fresh harness replays them for the
// determinism property) and hands every gateway record to a GatewayLog. It also notes the insurance-fund
// budget each liquidation event reserves (wrapping InsuranceFund.reserve: no record carries it).
//
//   send(cmd) ──submit──▶ InProcessExchange ──pump──▶ every gateway record ──▶ GatewayLog
//        └──▶ sent[] (replayable)
//
// Time is the test's: the harness clock moves only when the caller says so. Thread: the test's own.

import type { Book } from '../../engine/book/types.js';
import { Topology } from '../../exchange/topology.js';
import { InProcessExchange, type InProcessOptions } from '../../exchange/in-process-exchange.js';
import type { MarketConfig } from '../../engine/market/spec.js';
import { defaultPricing, type PricingConfig } from '../../engine/shard/market-pricing.js';
import { DEFAULT_POOL, riskMarket, type RiskMarketConfig, type RiskPoolConfig } from '../../risk/shard/config.js';
import type { LiquidationEngine } from '../../risk/shard/liquidation-engine.js';
import type { RiskShard } from '../../risk/shard/risk-shard.js';
import type { AccountState, MarketRiskState } from '../../risk/shard/state.js';
import type { Cmd } from '../support/commands.js';
import { GatewayLog } from './gateway-log.js';
import { traceKey } from './liquidation-trace.js';

export interface HarnessConfig {
  readonly markets: readonly MarketConfig[];
  /** Market shards (markets dealt round-robin) and risk shards. */
  readonly marketShards: number;
  readonly riskShards: number;
  readonly pool?: Partial<RiskPoolConfig>;
  /** Pricing overrides applied to every market (funding interval, band...). */
  readonly pricing?: Partial<PricingConfig>;
  readonly riskMarket?: Partial<Omit<RiskMarketConfig, 'market'>>;
  /** The harness clock at start, µs. */
  readonly startUs: number;
  /** Delivers records one at a time from streams this picks (InProcessOptions.interleave); absent: fixed order. */
  readonly interleave?: (ready: number) => number;
}

export class ExchangeHarness {
  readonly exchange: InProcessExchange;
  /** What the exchange was built from (a fresh or restored one takes the same). */
  readonly options: InProcessOptions;
  readonly log: GatewayLog;
  readonly pool: RiskPoolConfig;
  /** Every command sent, as sent (time stamped): a fresh harness replays these. */
  readonly sent: Cmd[] = [];
  /** The budget each liquidation event reserved, by traceKey: docs/RISK.md's IF_budget, which no record carries. */
  readonly budgets = new Map<number, bigint>();
  nowUs: number;
  private nextOrder = 1;
  private nextRequest = 1;

  constructor(readonly config: HarnessConfig) {
    this.pool = { ...DEFAULT_POOL, ...config.pool };
    const pricing = new Map<number, PricingConfig>();
    for (const m of config.markets) pricing.set(m.marketId, defaultPricing(undefined, config.pricing ?? {}));
    this.options = {
      topology: Topology.spread(config.markets, config.marketShards, config.riskShards),
      riskMarkets: config.markets.map((m) => riskMarket(m, config.riskMarket ?? {})),
      pool: this.pool,
      pricing,
      interleave: config.interleave,
    };
    this.exchange = new InProcessExchange(this.options);
    this.log = new GatewayLog(this);
    this.exchange.onGateway((buf, at) => this.log.record(buf, at));
    this.nowUs = config.startUs;
    this.exchange.riskShards.forEach((shard, r) => this.recordBudgets(shard.liquidation as LiquidationEngine, r));
  }

  private recordBudgets(engine: LiquidationEngine, riskShard: number): void {
    const fund = engine.insuranceFund;
    const reserve = fund.reserve.bind(fund);
    fund.reserve = (liquidationId: number, needAtoms: bigint): bigint => {
      const budget = reserve(liquidationId, needAtoms);
      this.budgets.set(traceKey(riskShard, liquidationId), budget);
      return budget;
    };
  }

  /** A fresh gateway order id (the gateway assigns them). */
  orderId(): number {
    return this.nextOrder++;
  }

  /** A fresh request id for deposits, withdrawals and margin moves. */
  requestId(): number {
    return this.nextRequest++;
  }

  /** Stamps the command with the harness clock, sends it and pumps to quiescence. */
  send(cmd: Cmd): void {
    const stamped: Cmd = { layout: cmd.layout, header: { ...cmd.header, timeUs: this.nowUs }, body: cmd.body };
    this.sent.push(stamped);
    this.replay(stamped);
  }

  /** Sends a command exactly as given (its own time stamp) and pumps. */
  replay(cmd: Cmd): void {
    this.log.beginCommand();
    this.exchange.submit(cmd.layout, cmd.header, cmd.body);
    this.exchange.pump();
  }

  riskShardOf(accountId: number): RiskShard {
    return this.exchange.riskShards[this.exchange.topology.riskShardOf(accountId)]!;
  }

  account(accountId: number): AccountState | undefined {
    return this.riskShardOf(accountId).state.accounts.get(accountId);
  }

  /** The market as risk shard 0 sees it (every risk shard gets the same marks). */
  market(marketId: number): MarketRiskState {
    return this.exchange.riskShards[0]!.state.markets.get(marketId)!;
  }

  /** The market's book on the market shard that holds it. */
  book(marketId: number): Book {
    return this.exchange.marketShards[this.exchange.topology.marketShardOf(marketId)]!.book(marketId)!;
  }

  markTicks(marketId: number): bigint {
    return this.market(marketId).markPriceTicks;
  }

  /** Combined state hash of every shard, market shards first. */
  stateHash(): bigint[] {
    return [...this.exchange.marketShards.map((s) => s.stateHash()), ...this.exchange.riskShards.map((s) => s.stateHash())];
  }

  /** Σ insurance fund over the risk shards' partitions. */
  insuranceFundAtoms(): bigint {
    let sum = 0n;
    for (const s of this.exchange.riskShards) sum += s.state.insuranceFundAtoms;
    return sum;
  }
}
