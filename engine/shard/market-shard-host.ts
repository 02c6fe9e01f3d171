// MarketShardHost: the main thread's handle on one market-shard worker. It creates the shared memory the
// worker runs on (input rings, the worker's doorbell, output rings, the control block), starts the
// worker, and stops it. Whoever feeds input ring i holds the producer end; the gateway thread and each
// risk shard hold the consumer ends of their output rings.
//
// startGroup() runs several shards on one worker thread (market-shard-worker.ts, processor-group.ts):
// one host per shard still, each with its own rings and control block; they share the thread's doorbell
// and its fate (stopping one stops the thread, a death is every member's, and the record it failed on is
// reported by the member that failed on it).

import type { Worker } from 'node:worker_threads';
import type { MarketConfig } from '../market/spec.js';
import { Doorbell } from '../ring/doorbell.js';
import { RingBuffer } from '../ring/ring-buffer.js';
import { ControlBlock, RequestKind } from './control-block.js';
import type { MarketShardState } from './market-shard-state.js';
import { ShardWorker, shardStats, type ListedAtStart, type ShardDeath, type ShardDone, type ShardStats } from './shard-worker.js';
import type { MarketShardWorkerData, MarketWorkerData } from './market-shard-worker.js';
import type { WaitStrategyName } from '../ring/wait-strategy-by-name.js';
import type { PricingConfig } from './market-pricing.js';
import type { ShardJournalData, ShardReplayData } from './worker-journal.js';

export interface MarketShardOptions {
  shardId: number;
  markets: readonly MarketConfig[];
  /** Number of input rings (one per producing thread). */
  inputs: number;
  /** Doorbell of the thread consuming the gateway stream. */
  gatewayBell: Doorbell;
  /** Doorbells of the risk-shard threads, one output stream each (empty: no risk shards). */
  riskBells: readonly Doorbell[];
  /** Slots per ring, a power of two. */
  ringCapacity?: number;
  wait?: WaitStrategyName;
  /**
   * Shared memory made by whoever wires a whole exchange (exchange/threaded-exchange.ts), where a
   * ring is one shard's output and another's input. Without it the host makes its own.
   */
  prebuilt?: PrebuiltShardMemory;
  /** Copy every input into a tap ring before handling it (whoever assembles the exchange reads it). */
  journal?: ShardJournalData;
  /** Records to handle before the loop starts, and what to re-deliver (recovery). */
  replay?: ShardReplayData;
  /** Mark and funding settings per market id (defaults: engine/shard/market-pricing.ts). */
  pricing?: ReadonlyMap<number, PricingConfig>;
  /** How far one index or timer tick may move the shard's time (default: shard-clock.ts). */
  timeHorizonUs?: number;
  /**
   * Surveillance reads the gateway stream as the gateway ring's second consumer, whose thread sleeps on
   * this doorbell (a prebuilt gateway ring must be made for two consumers).
   */
  surveillance?: { bell: Doorbell };
}

export interface PrebuiltShardMemory {
  bell: Doorbell;
  inputs: readonly RingBuffer[];
  gatewayOut: RingBuffer;
  /** One per downstream shard, in shard order. */
  outputs: readonly RingBuffer[];
}

export type { ShardStats } from './shard-worker.js';

export class MarketShardHost {
  private constructor(
    readonly shardId: number,
    private readonly handle: ShardWorker,
    /** This shard's index among the shards its worker runs (0 when it runs alone). */
    private readonly member: number,
    private readonly control: ControlBlock,
    /** The worker's own doorbell: producers of `inputs` ring it after publishing. */
    readonly bell: Doorbell,
    readonly inputs: readonly RingBuffer[],
    readonly gatewayOut: RingBuffer,
    readonly riskOut: readonly RingBuffer[],
  ) {}

  private stopped: Promise<ShardDone> | undefined;

  static async start(o: MarketShardOptions): Promise<MarketShardHost> {
    return (await MarketShardHost.startGroup([o]))[0]!;
  }

  /**
   * Starts one worker thread running every shard of `group` (at least one), all on one doorbell: with
   * prebuilt memory every member's `prebuilt.bell` must be the same doorbell.
   */
  static async startGroup(group: readonly MarketShardOptions[]): Promise<MarketShardHost[]> {
    if (group.length === 0) throw new RangeError('a market worker runs at least one shard');
    const bell = group[0]!.prebuilt?.bell ?? Doorbell.create();
    const parts = group.map((o) => {
      const capacity = o.ringCapacity ?? 4096;
      const pre = o.prebuilt;
      if ((pre?.bell ?? bell) !== bell) throw new RangeError('the shards of one worker share its doorbell');
      const inputs = pre ? [...pre.inputs] : Array.from({ length: o.inputs }, () => RingBuffer.create(capacity));
      const gatewayOut = pre?.gatewayOut ?? RingBuffer.create(capacity, o.surveillance ? 2 : 1);
      if (gatewayOut.consumers !== (o.surveillance ? 2 : 1)) throw new RangeError('the gateway ring has a second consumer exactly when surveillance reads it');
      const riskOut = pre ? [...pre.outputs] : o.riskBells.map(() => RingBuffer.create(capacity));
      if (riskOut.length !== o.riskBells.length) throw new RangeError('one output ring per risk shard');
      const control = ControlBlock.create();
      const data: MarketShardWorkerData = {
        shardId: o.shardId,
        markets: [...o.markets],
        inputs: inputs.map((r) => r.sab),
        bell: bell.sab,
        gateway: { ring: gatewayOut.sab, bell: o.gatewayBell.sab },
        risk: riskOut.map((r, i) => ({ ring: r.sab, bell: o.riskBells[i]!.sab })),
        control: control.sab,
        wait: group[0]!.wait ?? 'spin-then-park',
        journal: o.journal,
        replay: o.replay,
        pricing: [...(o.pricing ?? new Map())],
        timeHorizonUs: o.timeHorizonUs,
        surveillanceBell: o.surveillance?.bell.sab,
      };
      return { o, inputs, gatewayOut, riskOut, control, data };
    });
    const workerData: MarketWorkerData = { shards: parts.map((p) => p.data) };
    const name = `market-shard-${group.map((o) => o.shardId).join('+')}`;
    const outputs = parts.flatMap((p) => [p.gatewayOut, ...p.riskOut]);
    const controls = parts.map((p) => p.control);
    const handle = await ShardWorker.start(new URL('./market-shard-worker.js', import.meta.url), name, workerData, controls[0]!, bell, outputs, controls);
    return parts.map((p, i) => new MarketShardHost(p.o.shardId, handle, i, p.control, bell, p.inputs, p.gatewayOut, p.riskOut));
  }

  get worker(): Worker {
    return this.handle.worker;
  }

  stats(): ShardStats {
    return shardStats(this.control);
  }

  /** Resolves once the worker has handled its replay (at once without one) and runs its loop. */
  replayed(): Promise<void> {
    return this.handle.replayed;
  }

  /** The markets the shard held from listings when its replay was done (after replayed() resolved). */
  listedAtStart(): readonly ListedAtStart[] {
    return this.handle.listedAtStart[this.member] ?? [];
  }

  /** The shard's books, orders and statuses with the gateway seq each stands at, copied between batches. */
  state(): Promise<MarketShardState> {
    return this.handle.request<MarketShardState>(RequestKind.STATE, this.member);
  }

  /** How the worker died, once it has (its thread is gone: the exchange cannot go on without it). */
  get death(): ShardDeath | undefined {
    const d = this.handle.death;
    return d && this.asMember(d);
  }

  /** A death as this member sees it: the failed record only if this member failed on it. */
  private asMember(d: ShardDeath): ShardDeath {
    return d.member === this.member ? { ...d, member: 0 } : { error: d.error, input: -1, record: undefined, member: 0 };
  }

  /** Calls `listener` once if the worker dies, from whenever it started (at once if it already has). */
  onDeath(listener: (d: ShardDeath) => void): void {
    this.handle.onDeath((d) => listener(this.asMember(d)));
  }

  /**
   * Asks the loop to end, waits for it, and returns the shard's final state hash; a worker still running
   * after timeoutMs is terminated and the promise rejects (shard-worker.ts). The same promise every call.
   */
  stop(timeoutMs?: number): Promise<ShardDone> {
    this.stopped ??= this.handle.stop(timeoutMs).then((d) => d.members?.[this.member] ?? d);
    return this.stopped;
  }
}
