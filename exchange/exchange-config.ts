// ExchangeConfig: everything a replay depends on besides the journal itself (which markets, how they are
// sharded, the risk parameters, mark and funding settings). It is written into a data directory's meta
// when the directory is created (persistence/meta.ts), so the directory describes itself: the restore
// tool rebuilds the state machines from it alone, and a start with another configuration is refused.

import type { PricingConfig } from '../engine/shard/market-pricing.js';
import type { RiskMarketConfig, RiskPoolConfig } from '../risk/shard/config.js';
import { Topology, type TopologyConfig } from './topology.js';

/** What both exchanges (threaded-exchange.ts, in-process-exchange.ts) build their state machines from. */
export interface ShardSetOptions {
  readonly topology: Topology;
  readonly riskMarkets: readonly RiskMarketConfig[];
  readonly pool?: RiskPoolConfig;
  /** Mark and funding settings per market id, as MarketShard takes them; markets without one use defaultPricing(). */
  readonly pricing?: ReadonlyMap<number, PricingConfig>;
  /** How far one index or timer tick may move a market shard's time (risk shards: pool.timeHorizonUs). */
  readonly timeHorizonUs?: number;
}

export interface ExchangeConfig {
  readonly topology: TopologyConfig;
  readonly riskMarkets: readonly RiskMarketConfig[];
  readonly pool?: RiskPoolConfig;
  readonly pricing?: ReadonlyMap<number, PricingConfig>;
}

/** Undoes persistence/meta.ts's canonical JSON: {"$bigint": "…"} → bigint, {"$map": […]} → Map. */
function revive(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revive);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$bigint === 'string' && Object.keys(o).length === 1) return BigInt(o.$bigint);
    if (Array.isArray(o.$map) && Object.keys(o).length === 1) return new Map((o.$map as [unknown, unknown][]).map(([k, x]) => [revive(k), revive(x)]));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = revive(x);
    return out;
  }
  return v;
}

export function configFromMeta(stored: unknown): ExchangeConfig & { topologyObject: Topology } {
  const c = revive(stored) as ExchangeConfig;
  return { ...c, topologyObject: new Topology(c.topology) };
}
