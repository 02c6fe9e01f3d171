// RiskShardHost: the main thread's handle on one risk-shard worker. It creates the shared memory the
// worker runs on (the gateway's input ring and one input ring per market shard, the worker's doorbell,
// the gateway-bound and market-bound output rings, the control block), starts the worker and stops it.
// Whoever feeds input ring i holds its producer end (the gateway for 0, market shard s for 1 + s); the
// gateway and each market shard hold the consumer ends of the output rings.

import { Worker } from 'node:worker_threads';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { RingBuffer } from '../../engine/ring/ring-buffer.js';
import type { WaitStrategyName } from '../../engine/ring/wait-strategy-by-name.js';
import { ControlBlock, Counter } from '../../engine/shard/control-block.js';
import type { ShardStats } from '../../engine/shard/market-shard-host.js';
import type { RiskMarketConfig, RiskPoolConfig } from './config.js';
import type { RiskShardWorkerData } from './risk-shard-worker.js';

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
}

type Done = { stateHash: bigint; handled: number };

export class RiskShardHost {
  private stopped: Promise<Done> | undefined;

  private constructor(
    readonly shardId: number,
    readonly worker: Worker,
    /** The worker's own doorbell: producers of `inputs` ring it after publishing. */
    readonly bell: Doorbell,
    /** [gateway, market shard 0, market shard 1, ...]. */
    readonly inputs: readonly RingBuffer[],
    readonly gatewayOut: RingBuffer,
    readonly marketOut: readonly RingBuffer[],
    private readonly control: ControlBlock,
    private readonly done: Promise<Done>,
  ) {}

  static async start(o: RiskShardOptions): Promise<RiskShardHost> {
    const capacity = o.ringCapacity ?? 4096;
    const bell = Doorbell.create();
    const inputs = Array.from({ length: 1 + o.marketBells.length }, () => RingBuffer.create(capacity));
    const gatewayOut = RingBuffer.create(capacity);
    const marketOut = o.marketBells.map(() => RingBuffer.create(capacity));
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
    };
    const worker = new Worker(new URL('./risk-shard-worker.js', import.meta.url), { workerData: data, name: `risk-shard-${o.shardId}` });
    let resolveDone!: (v: Done) => void;
    let rejectDone!: (e: Error) => void;
    const done = new Promise<Done>((res, rej) => {
      resolveDone = res;
      rejectDone = rej;
    });
    const ready = new Promise<void>((res, rej) => {
      worker.on('message', (m: { type: string; stateHash?: string; handled?: number }) => {
        if (m.type === 'ready') res();
        else if (m.type === 'stopped') resolveDone({ stateHash: BigInt(m.stateHash!), handled: m.handled! });
      });
      worker.once('error', (e) => {
        rej(e);
        rejectDone(e);
      });
      worker.once('exit', (code) => rejectDone(new Error(`risk shard ${o.shardId} exited with code ${code} before stopping`)));
    });
    done.catch(() => {});
    await ready;
    return new RiskShardHost(o.shardId, worker, bell, inputs, gatewayOut, marketOut, control, done);
  }

  /** stalls: times the gateway ring was full plus records that waited in an outbox. */
  stats(): ShardStats {
    return {
      handled: this.control.get(Counter.HANDLED),
      outputs: this.control.get(Counter.OUTPUTS),
      duplicates: this.control.get(Counter.DUPLICATES),
      stalls: this.control.get(Counter.STALLS),
    };
  }

  /** Asks the loop to end, waits for it, and returns the shard's final state hash. */
  stop(): Promise<Done> {
    if (!this.stopped) {
      this.control.requestStop();
      this.bell.ring();
      this.stopped = this.done.then(async (r) => {
        await this.worker.terminate();
        return r;
      });
    }
    return this.stopped;
  }
}
