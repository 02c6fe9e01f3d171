// SurveillanceHost: the main thread's handle on the surveillance worker. It creates the worker's doorbell,
// its control ring and control block (the market shards' surveillance rings are made by whoever wires the
// exchange, as every ring between two shards is), starts the worker, hands each alert it posts to the
// listener, and stops it.

import type { Worker } from 'node:worker_threads';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { RingBuffer } from '../../engine/ring/ring-buffer.js';
import type { WaitStrategyName } from '../../engine/ring/wait-strategy-by-name.js';
import { ControlBlock } from '../../engine/shard/control-block.js';
import { ShardWorker, type ShardDeath, type ShardDone, type ShardStats } from '../../engine/shard/shard-worker.js';
import type { Alert } from './alert.js';
import type { SurveillanceConfig } from './surveillance-engine.js';
import type { IntegrityReport } from './integrity/integrity-stats.js';
import type { AlertMessage, IntegrityMessage, SurveillanceWorkerData } from './surveillance-worker.js';

export interface SurveillanceOptions {
  /** The worker's doorbell: market shards ring it after publishing into its rings. */
  bell: Doorbell;
  /** Input 0 (operator links and timer ticks, written by the main thread). */
  controlRing: RingBuffer;
  /**
   * Input 1 + i: a market shard's event stream, read as the consumer each view names (a market shard's
   * gateway ring, attached as its consumer 1).
   */
  marketRings: readonly RingBuffer[];
  /** The stream number the engine knows each market ring by (default 1 + i: worker input = stream). */
  streams?: readonly number[];
  config?: SurveillanceConfig;
  wait?: WaitStrategyName;
  onAlert: (alert: Alert) => void;
  /** Each market's integrity statistics when its day ends. */
  onIntegrity?: (report: IntegrityReport) => void;
}

export class SurveillanceHost {
  private constructor(
    private readonly handle: ShardWorker,
    readonly bell: Doorbell,
    readonly controlRing: RingBuffer,
    /** Every input ring, control first (what ThreadedExchange.drained() watches). */
    readonly inputs: readonly RingBuffer[],
  ) {}

  static async start(o: SurveillanceOptions): Promise<SurveillanceHost> {
    const control = ControlBlock.create();
    const data: SurveillanceWorkerData = {
      inputs: [o.controlRing.sab, ...o.marketRings.map((r) => r.sab)],
      readers: [0, ...o.marketRings.map((r) => r.consumer)],
      streams: [0, ...(o.streams ?? o.marketRings.map((_, i) => 1 + i))],
      bell: o.bell.sab,
      control: control.sab,
      wait: o.wait ?? 'spin-then-park',
      config: o.config ?? {},
    };
    const handle = await ShardWorker.start(new URL('./surveillance-worker.js', import.meta.url), 'surveillance', data, control, o.bell);
    handle.worker.on('message', (m: { type: string }) => {
      if (m.type === 'alert') o.onAlert((m as AlertMessage).alert);
      else if (m.type === 'integrity') o.onIntegrity?.((m as IntegrityMessage).report);
    });
    return new SurveillanceHost(handle, o.bell, o.controlRing, [o.controlRing, ...o.marketRings]);
  }

  /** The control ring a fresh exchange gives the worker (its capacity need not match the market rings'). */
  static controlRing(capacity = 1_024): RingBuffer {
    return RingBuffer.create(capacity);
  }

  get worker(): Worker {
    return this.handle.worker;
  }

  stats(): ShardStats {
    return this.handle.stats();
  }

  /** Hears of the worker's death (an uncaught error, or an exit without stopping). */
  onDeath(listener: (d: ShardDeath) => void): void {
    this.handle.onDeath(listener);
  }

  /** Asks the loop to end and waits for it (terminating the thread after timeoutMs). */
  stop(timeoutMs?: number): Promise<ShardDone> {
    return this.handle.stop(timeoutMs);
  }
}
