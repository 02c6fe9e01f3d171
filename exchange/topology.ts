// Topology: which shard owns which market and which account, the one place both the threaded exchange
// and the in-process one take it from.
//
//   risk shard of account a   = a mod riskShards
//   market shard of market m  = the index of the group m is configured in, or, for a market created at
//                               run time, the shard its listing named (learned from the owner's
//                               MarketListed, or from a recovered shard's state: listMarket)
//
// Worker threads are not part of the topology: which market shards share a thread (marketWorkerGroups)
// changes no state machine, no input order and no journal, so a data directory does not record it and a
// restart may group differently.
//
// Input indexes (what a state machine's InputPositions count on):
//   market shard:  0 = gateway (index ticks, timer ticks), 1 + r = risk shard r
//   risk shard:    0 = gateway (commands),                 1 + s = market shard s

import type { MarketConfig } from '../engine/market/spec.js';
import type { RiskMarketConfig } from '../risk/shard/config.js';
import { WAIT_STRATEGY_NAMES, type WaitStrategyName } from '../engine/ring/wait-strategy-by-name.js';

export interface TopologyConfig {
  /** Markets per market shard: marketShards[s] are the markets shard s owns. */
  readonly marketShards: readonly (readonly MarketConfig[])[];
  readonly riskShards: number;
}

export class Topology {
  private readonly shardOfMarket = new Map<number, number>();
  /** Markets listed at run time → their market shard. */
  private readonly listed = new Map<number, number>();

  constructor(readonly config: TopologyConfig) {
    if (!Number.isInteger(config.riskShards) || config.riskShards < 1) throw new RangeError('riskShards must be a positive integer');
    if (config.marketShards.length < 1) throw new RangeError('at least one market shard');
    config.marketShards.forEach((markets, s) => {
      for (const m of markets) {
        if (this.shardOfMarket.has(m.marketId)) throw new RangeError(`market ${m.marketId} assigned twice`);
        this.shardOfMarket.set(m.marketId, s);
      }
    });
  }

  get riskShards(): number {
    return this.config.riskShards;
  }

  get marketShards(): number {
    return this.config.marketShards.length;
  }

  riskShardOf(accountId: number): number {
    return accountId % this.config.riskShards;
  }

  /** Market shard index of a market, -1 when no shard owns it. */
  marketShardOf(marketId: number): number {
    return this.shardOfMarket.get(marketId) ?? this.listed.get(marketId) ?? -1;
  }

  /**
   * A market listed at run time, owned by market shard `shard`: index ticks and halts for it go there from
   * now on. A configured market's id, or a shard that does not exist, changes nothing (no record routes
   * a configured market elsewhere).
   */
  listMarket(marketId: number, shard: number): void {
    if (this.shardOfMarket.has(marketId) || !Number.isInteger(shard) || shard < 0 || shard >= this.marketShards) return;
    this.listed.set(marketId, shard);
  }

  markets(): MarketConfig[] {
    return this.config.marketShards.flat().sort((a, b) => a.marketId - b.marketId);
  }

  /** The risk configuration of every market, in market id order; a market without one is a RangeError. */
  riskMarketsOf(riskMarkets: readonly RiskMarketConfig[]): RiskMarketConfig[] {
    const byId = new Map(riskMarkets.map((m) => [m.market.marketId, m]));
    return this.markets().map((m) => {
      const c = byId.get(m.marketId);
      if (c === undefined) throw new RangeError(`no risk configuration for market ${m.marketId}`);
      return c;
    });
  }

  /** One market per shard up to `maxShards`, the rest dealt round-robin: the default on a small machine. */
  static spread(markets: readonly MarketConfig[], maxShards: number, riskShards: number): Topology {
    const n = Math.max(1, Math.min(maxShards, markets.length));
    const groups: MarketConfig[][] = Array.from({ length: n }, () => []);
    [...markets].sort((a, b) => a.marketId - b.marketId).forEach((m, i) => groups[i % n]!.push(m));
    return new Topology({ marketShards: groups, riskShards });
  }
}

/** Busy threads besides the market workers: the main thread, the risk shards and the optional others. */
export interface OtherThreads {
  readonly riskShards: number;
  readonly journalWriter: boolean;
  readonly surveillanceWorkers: number;
}

/**
 * The default number of market-shard worker threads: as many as leaves one core per busy thread
 * (main, risk shards, journal writer, surveillance), at least one and at most one per market shard.
 * Busy threads beyond the cores queue behind each other for time slices (docs/ARCHITECTURE.md, "Worker
 * threads per core").
 */
export function defaultMarketWorkers(cores: number, marketShards: number, o: OtherThreads): number {
  return Math.max(1, Math.min(marketShards, cores - otherBusyThreads(o)));
}

function otherBusyThreads(o: OtherThreads): number {
  return 1 + o.riskShards + (o.journalWriter ? 1 : 0) + o.surveillanceWorkers;
}

/**
 * The wait strategy of every shard thread unless one is configured: spin-then-park while the busy threads
 * (these and the market workers) fit the cores, park when they outnumber them. A thread that spins after
 * each batch holds a core that, on an oversubscribed machine, the thread holding the next piece of work
 * is waiting for: the spin then adds latency instead of saving it (docs/ARCHITECTURE.md, "Waiting").
 */
export function defaultWait(cores: number, marketWorkers: number, o: OtherThreads): WaitStrategyName {
  return otherBusyThreads(o) + marketWorkers <= cores ? 'spin-then-park' : 'park';
}

/** What a command line may ask for: a strategy by name, or `auto` (defaultWait). */
export const WAIT_CHOICES = ['auto', ...WAIT_STRATEGY_NAMES] as const;
export type WaitChoice = (typeof WAIT_CHOICES)[number];

/** A command-line --wait value as a ThreadedOptions.wait (undefined for auto); throws RangeError when not a WAIT_CHOICES. */
export function parseWaitChoice(raw: string): WaitStrategyName | undefined {
  if (!(WAIT_CHOICES as readonly string[]).includes(raw)) throw new RangeError(`--wait '${raw}' must be one of ${WAIT_CHOICES.join(', ')}`);
  return raw === 'auto' ? undefined : (raw as WaitStrategyName);
}

/** Market shards dealt to `workers` threads: shard s on thread s mod workers (each group in shard order). */
export function marketWorkerGroups(marketShards: number, workers: number): number[][] {
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError('marketWorkers must be a positive integer');
  const w = Math.min(workers, marketShards);
  const groups: number[][] = Array.from({ length: w }, () => []);
  for (let s = 0; s < marketShards; s++) groups[s % w]!.push(s);
  return groups;
}
