// Topology: which shard owns which market and which account, the one place both the threaded exchange
// and the in-process one take it from.
//
//   risk shard of account a   = a mod riskShards
//   market shard of market m  = the index of the group m is configured in
//
// Input indexes (what a state machine's InputPositions count on):
//   market shard:  0 = gateway (index ticks, timer ticks), 1 + r = risk shard r
//   risk shard:    0 = gateway (commands),                 1 + s = market shard s

import type { MarketConfig } from '../engine/market/spec.js';

export interface TopologyConfig {
  /** Markets per market shard: marketShards[s] are the markets shard s owns. */
  readonly marketShards: readonly (readonly MarketConfig[])[];
  readonly riskShards: number;
}

export class Topology {
  private readonly shardOfMarket = new Map<number, number>();

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
    return this.shardOfMarket.get(marketId) ?? -1;
  }

  markets(): MarketConfig[] {
    return this.config.marketShards.flat().sort((a, b) => a.marketId - b.marketId);
  }

  /** One market per shard up to `maxShards`, the rest dealt round-robin: the default on a small machine. */
  static spread(markets: readonly MarketConfig[], maxShards: number, riskShards: number): Topology {
    const n = Math.max(1, Math.min(maxShards, markets.length));
    const groups: MarketConfig[][] = Array.from({ length: n }, () => []);
    [...markets].sort((a, b) => a.marketId - b.marketId).forEach((m, i) => groups[i % n]!.push(m));
    return new Topology({ marketShards: groups, riskShards });
  }
}
