// Clean replay of journals: each shard's input log fed through a fresh state machine of that shard, alone.
// A shard's journal holds every input it consumed in order, so its state depends on nothing else: this is
// the yardstick recovery is checked against (the recovered state hash must equal it), and what the restore
// tool's `hash` and `verify` compute. Outputs are counted (their seqs are state), not kept.

import { RecordBuffer, type RecordBuffer as RB } from '../engine/ring/record.js';
import type { EventOutput } from '../engine/shard/event-output.js';
import type { PricingConfig } from '../engine/shard/market-pricing.js';
import { fastBook } from '../engine/shard/market-listings.js';
import { MarketShard } from '../engine/shard/market-shard.js';
import { InputStamp } from '../engine/shard/input-stamp.js';
import { replayRecords } from '../engine/shard/replay.js';
import { DEFAULT_POOL, type RiskMarketConfig, type RiskPoolConfig } from '../risk/shard/config.js';
import { LiquidationEngine } from '../risk/shard/liquidation-engine.js';
import { RiskShard } from '../risk/shard/risk-shard.js';
import type { ShardLog } from '../persistence/journal-reader.js';
import type { Topology } from './topology.js';

/** An output that only numbers what it is given. */
export class CountingOutput implements EventOutput {
  nextSeq = 1;
  append(_src: RB, _at: number): void {
    this.nextSeq++;
  }
  skip(): boolean {
    this.nextSeq++;
    return true;
  }
  flush(): void {}
}

export interface ReplayConfig {
  readonly topology: Topology;
  readonly riskMarkets: readonly RiskMarketConfig[];
  readonly pool?: RiskPoolConfig;
  readonly pricing?: ReadonlyMap<number, PricingConfig>;
}

/**
 * A fresh state machine for global shard x (market shards first, then risk shards); `gateway` receives its
 * gateway stream, `outputs` its streams to the other kind of shard (default: counting ones), `surveillance`
 * a market shard's surveillance stream (none: not wired, as when it ran without).
 */
export function freshShard(c: ReplayConfig, x: number, gateway: EventOutput = new CountingOutput(), outputs?: readonly EventOutput[], surveillance?: EventOutput): MarketShard | RiskShard {
  const t = c.topology;
  const S = t.marketShards;
  const R = t.riskShards;
  if (x < S) return new MarketShard(t.config.marketShards[x]!, gateway, outputs ?? Array.from({ length: R }, () => new CountingOutput()), fastBook, c.pricing, surveillance, undefined, x);
  const byId = new Map(c.riskMarkets.map((m) => [m.market.marketId, m]));
  const markets = t.markets().map((m) => byId.get(m.marketId)!);
  const pool = c.pool ?? DEFAULT_POOL;
  return new RiskShard(x - S, R, markets, pool, (m) => t.marketShardOf(m), gateway, outputs ?? Array.from({ length: S }, () => new CountingOutput()), (state, effects) => new LiquidationEngine(state, effects, pool));
}

/** Replays one shard's log (from position 0) into a fresh state machine and returns it. */
export function replayShard(c: ReplayConfig, log: ShardLog, count = log.count, gateway?: EventOutput, surveillance?: EventOutput): MarketShard | RiskShard {
  const shard = freshShard(c, log.shard, gateway, undefined, surveillance);
  replayRecords(shard, new InputStamp(), { records: new RecordBuffer(log.records), inputs: new Uint16Array(log.inputs), count, firstPosition: log.firstPosition });
  return shard;
}
