// ThreadedOptions: what ThreadedExchange.start takes (threaded-exchange.ts): the topology and risk
// configuration, ring sizes, how shard threads wait, durability, surveillance and the market workers.

import type { WaitStrategyName } from '../engine/ring/wait-strategy-by-name.js';
import type { Durability } from './durability.js';
import type { ShardSetOptions } from './exchange-config.js';
import type { ThreadedSurveillance } from './surveillance/surveillance-group.js';

export interface ThreadedOptions extends ShardSetOptions {
  /** Slots per ring (power of two). */
  readonly ringCapacity?: number;
  /** How shard threads wait when idle. Default: defaultWait (spin-then-park while busy threads ≤ cores, else park). */
  readonly wait?: WaitStrategyName;
  /** The cores to plan threads and waiting for (default availableParallelism()): for tests and benches. */
  readonly cores?: number;
  /** How long stop() lets a shard finish before terminating its thread (default: shard-worker.ts). */
  readonly stopTimeoutMs?: number;
  /** Journal every shard's inputs and recover from them (durability.ts); without it nothing is kept. */
  readonly durability?: Durability;
  /** Runs surveillance workers on every market shard's events (absent: no surveillance). */
  readonly surveillance?: ThreadedSurveillance;
  /**
   * Worker threads the market shards run on (shard s on thread s mod n; each still its own state machine
   * with its own rings and journal stream). Default: defaultMarketWorkers (busy threads ≤ cores).
   */
  readonly marketWorkers?: number;
}
