// JournalHost: the main thread's handle on the journal-writer worker and the shared memory around it: one
// tap ring per shard (the shard copies its inputs in; the writer drains them), the writer's doorbell, and
// the durable watermark. Made by whoever assembles the exchange, after recovery says where the cut is.

import { Worker, type MessagePort } from 'node:worker_threads';
import { Code } from '../engine/codes.js';
import { Doorbell } from '../engine/ring/doorbell.js';
import { PRODUCER_CURSOR_INDEX } from '../engine/ring/ring-buffer-descriptor.js';
import { ControlBlock } from '../engine/shard/control-block.js';
import { TapRing } from '../engine/shard/input-tap.js';
import type { ShardJournalData } from '../engine/shard/worker-journal.js';
import type { CutRecord } from './cut-record.js';
import { PersistenceError } from './errors.js';
import type { JournalWriterWorkerData } from './journal-writer-worker.js';
import type { SyncSummary } from './journal-writer.js';
import type { RetentionPolicy } from './snapshot-store.js';
import { Watermark } from './watermark.js';

export interface JournalHostOptions {
  readonly dir: string;
  /** producerOf[x][i]: the shard producing input i of shard x, -1 for the gateway. */
  readonly producerOf: readonly (readonly number[])[];
  /** Where the cut stands (recovery); positions continue from it. */
  readonly from: CutRecord;
  /** The gateway thread's doorbell: rung after each synced batch. */
  readonly gatewayBell: Doorbell;
  /** Slots per tap ring (a power of two). */
  readonly tapCapacity?: number;
  /** The snapshotter's end of the channel to the writer, and the retention rule (snapshot-service.ts). */
  readonly snapshots?: { readonly port: MessagePort; readonly retention: RetentionPolicy };
}

export interface JournalStats {
  written: number;
  batches: number;
  outstanding: number;
  /** The synced writes' durations, µs (absent if the writer never stopped cleanly). */
  sync?: SyncSummary;
}

export class JournalHost {
  readonly taps: TapRing[];
  readonly bell = Doorbell.create();
  readonly watermark: Watermark;
  private readonly control = ControlBlock.create();
  private worker: Worker | undefined;
  private done: Promise<JournalStats> | undefined;
  /** What the writer reported when it stopped (stop()'s result, kept for whoever reads it after). */
  stats: JournalStats | undefined;
  /** The first error the writer died of (the exchange must stop: nothing more can be acknowledged). */
  failure: Error | undefined;
  private onFailure: ((e: Error) => void) | undefined;

  constructor(private readonly o: JournalHostOptions) {
    this.taps = o.producerOf.map(() => TapRing.create(o.tapCapacity ?? 65_536));
    this.watermark = Watermark.create(o.producerOf.length, o.from.positions);
  }

  /** What shard x's worker needs to copy its inputs into its tap ring. */
  shardData(x: number): ShardJournalData {
    const t = this.taps[x]!;
    return { tapRing: t.ring.sab, tapInputs: t.inputsSab, readerBell: this.bell.sab, cuts: this.watermark.sab, cutIndex: x };
  }

  /** Records shard x has copied into its tap but the cut does not cover yet: the journal lag. */
  lag(x: number): number {
    const published = Atomics.load(this.taps[x]!.ring.header, PRODUCER_CURSOR_INDEX);
    return (((this.o.from.positions[x]! + published) | 0) - (this.watermark.cutLow(x) | 0)) | 0;
  }

  /** Called once with the error if the writer fails or exits early. */
  onFail(f: (e: Error) => void): void {
    this.onFailure = f;
  }

  async start(): Promise<void> {
    const data: JournalWriterWorkerData = {
      dir: this.o.dir,
      taps: this.taps.map((t) => ({ ring: t.ring.sab, inputs: t.inputsSab })),
      producerOf: this.o.producerOf.map((p) => [...p]),
      from: { positions: [...this.o.from.positions], lastSeq: this.o.from.lastSeq.map((l) => [...l]) },
      firstBatch: this.o.from.batch,
      bell: this.bell.sab,
      gatewayBell: this.o.gatewayBell.sab,
      watermark: this.watermark.sab,
      control: this.control.sab,
      snapshots: this.o.snapshots && { port: this.o.snapshots.port, retention: this.o.snapshots.retention },
    };
    const transferList = this.o.snapshots ? [this.o.snapshots.port] : [];
    const worker = new Worker(new URL('./journal-writer-worker.js', import.meta.url), { workerData: data, transferList, name: 'journal-writer' });
    this.worker = worker;
    const fail = (e: Error) => {
      if (this.failure) return;
      this.failure = e;
      this.o.gatewayBell.ring();
      this.onFailure?.(e);
    };
    let ready!: () => void;
    let notReady!: (e: Error) => void;
    const started = new Promise<void>((res, rej) => ((ready = res), (notReady = rej)));
    this.done = new Promise<JournalStats>((resolve, reject) => {
      worker.on('message', (m: { type: string; message?: string; code?: number } & JournalStats) => {
        if (m.type === 'ready') ready();
        else if (m.type === 'stopped') resolve((this.stats = { written: m.written, batches: m.batches, outstanding: m.outstanding, sync: m.sync }));
        else if (m.type === 'failed') {
          const e = new PersistenceError((m.code as typeof Code.STORE_IO_FAILED) || Code.STORE_IO_FAILED, `journal writer failed: ${m.message}`);
          fail(e);
          notReady(e);
          reject(e);
        }
      });
      worker.once('error', (e) => (fail(e), notReady(e), reject(e)));
      worker.once('exit', (code) => {
        const e = new Error(`journal writer exited with code ${code} before stopping`);
        notReady(e);
        reject(e);
      });
    });
    this.done.catch(() => {});
    await started;
  }

  private readonly stopFirst: (() => Promise<void>)[] = [];

  /** Runs `f` (awaited) at the start of stop(), before the writer drains and closes the store. */
  beforeStop(f: () => Promise<void>): void {
    this.stopFirst.push(f);
  }

  /** After the shards have stopped: drains the taps, writes the last batch, closes the store. */
  async stop(): Promise<JournalStats> {
    for (const f of this.stopFirst.splice(0)) await f().catch(() => {});
    if (!this.done || !this.worker) return { written: 0, batches: 0, outstanding: 0 };
    this.control.requestStop();
    this.bell.ring();
    const stats = await this.done;
    await this.worker.terminate();
    return stats;
  }
}
