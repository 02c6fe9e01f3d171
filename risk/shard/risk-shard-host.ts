// RiskShardHost: the main thread's handle on one risk-shard worker. It creates the shared memory the
// worker runs on (the gateway's input ring and one input ring per market shard, the worker's doorbell,
// the gateway-bound and market-bound output rings, the control block), starts the worker and stops it.
// Whoever feeds input ring i holds its producer end (the gateway for 0, market shard s for 1 + s); the
// gateway and each market shard hold the consumer ends of the output rings.

import type { Worker } from 'node:worker_threads';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { RingBuffer } from '../../engine/ring/ring-buffer.js';
import type { WaitStrategyName } from '../../engine/ring/wait-strategy-by-name.js';
import { ControlBlock, RequestKind } from '../../engine/shard/control-block.js';
import type { RiskShardState } from './risk-shard-state.js';
import type { PrebuiltShardMemory } from '../../engine/shard/market-shard-host.js';
import { ShardWorker, type ShardDeath, type ShardDone, type ShardStats } from '../../engine/shard/shard-worker.js';
import type { ScanSnapshot } from '../stress/scan-snapshot.js';
import type { RiskMarketConfig, RiskPoolConfig } from './config.js';
import type { RiskShardWorkerData } from './risk-shard-worker.js';
import type { ShardJournalData, ShardReplayData } from '../../engine/shard/worker-journal.js';

export interface RiskShardOptions {
  shardId: number;
  shardCount: number;
  markets: readonly RiskMarketConfig[];
  pool: RiskPoolConfig;
  /** Market-shard index of every configured market (functions do not cross threads: a table). */
  marketShardOf: ReadonlyMap<number, number>;
  /** Doorbell of the thread consuming the gateway stream. */
  gatewayBell: Doorbell;
  /** Doorbells of the market-shard threads, one market-bound stream each. */
  marketBells: readonly Doorbell[];
  /** Slots per ring, a power of two. */
  ringCapacity?: number;
  wait?: WaitStrategyName;
  /** Shared memory made by whoever wires a whole exchange; without it the host makes its own. */
  prebuilt?: PrebuiltShardMemory;
  /** Copy every input into a tap ring before handling it (whoever assembles the exchange reads it). */
  journal?: ShardJournalData;
  /** Records to handle before the loop starts, and what to re-deliver (recovery). */
  replay?: ShardReplayData;
}

export class RiskShardHost {
  private constructor(
    readonly shardId: number,
    private readonly handle: ShardWorker,
    /** The worker's own doorbell: producers of `inputs` ring it after publishing. */
    readonly bell: Doorbell,
    /** [gateway, market shard 0, market shard 1, ...]. */
    readonly inputs: readonly RingBuffer[],
    readonly gatewayOut: RingBuffer,
    readonly marketOut: readonly RingBuffer[],
  ) {}

  static async start(o: RiskShardOptions): Promise<RiskShardHost> {
    const capacity = o.ringCapacity ?? 4096;
    const pre = o.prebuilt;
    const bell = pre?.bell ?? Doorbell.create();
    const inputs = pre ? [...pre.inputs] : Array.from({ length: 1 + o.marketBells.length }, () => RingBuffer.create(capacity));
    const gatewayOut = pre?.gatewayOut ?? RingBuffer.create(capacity);
    const marketOut = pre ? [...pre.outputs] : o.marketBells.map(() => RingBuffer.create(capacity));
    if (marketOut.length !== o.marketBells.length) throw new RangeError('one output ring per market shard');
    const control = ControlBlock.create();
    const data: RiskShardWorkerData = {
      shardId: o.shardId,
      shardCount: o.shardCount,
      markets: [...o.markets],
      pool: o.pool,
      marketShardOf: [...o.marketShardOf],
      inputs: inputs.map((r) => r.sab),
      bell: bell.sab,
      gateway: { ring: gatewayOut.sab, bell: o.gatewayBell.sab },
      marketStreams: marketOut.map((r, i) => ({ ring: r.sab, bell: o.marketBells[i]!.sab })),
      control: control.sab,
      wait: o.wait ?? 'spin-then-park',
      journal: o.journal,
      replay: o.replay,
    };
    const handle = await ShardWorker.start(new URL('./risk-shard-worker.js', import.meta.url), `risk-shard-${o.shardId}`, data, control, bell, [gatewayOut, ...marketOut]);
    return new RiskShardHost(o.shardId, handle, bell, inputs, gatewayOut, marketOut);
  }

  get worker(): Worker {
    return this.handle.worker;
  }

  /** stalls: times the gateway ring was full plus records that waited in an outbox. */
  stats(): ShardStats {
    return this.handle.stats();
  }

  /** The shard's open positions by scope, copied between two batches (risk/stress/scan-snapshot.ts). */
  scanSnapshot(): Promise<ScanSnapshot> {
    return this.handle.request<ScanSnapshot>();
  }

  /** The shard's balances and positions as records, with the gateway seq each account stands at (risk-shard-state.ts). */
  state(): Promise<RiskShardState> {
    return this.handle.request<RiskShardState>(RequestKind.STATE);
  }

  /** Resolves once the worker has handled its replay (at once without one) and runs its loop. */
  replayed(): Promise<void> {
    return this.handle.replayed;
  }

  /** How the worker died, once it has (its thread is gone: the exchange cannot go on without it). */
  get death(): ShardDeath | undefined {
    return this.handle.death;
  }

  /** Calls `listener` once if the worker dies, from whenever it started (at once if it already has). */
  onDeath(listener: (d: ShardDeath) => void): void {
    this.handle.onDeath(listener);
  }

  /**
   * Asks the loop to end, waits for it, and returns the shard's final state hash; a worker still running
   * after timeoutMs is terminated and the promise rejects (shard-worker.ts).
   */
  stop(timeoutMs?: number): Promise<ShardDone> {
    return this.handle.stop(timeoutMs);
  }
}
