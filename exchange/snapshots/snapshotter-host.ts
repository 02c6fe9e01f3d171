// SnapshotterHost: the main thread's handle on the snapshotter worker (snapshotter-worker.ts). Made by
// Durability when the exchange runs with a snapshot policy, started after the journal writer (which it
// talks to over a MessageChannel), stopped before the writer so its last request is answered.

import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { ControlBlock } from '../../engine/shard/control-block.js';
import type { SnapshotInfo } from '../../persistence/snapshot-store.js';
import type { SnapshotPolicy } from './snapshot-policy.js';
import type { SnapshotterWorkerData } from './snapshotter-worker.js';

export interface TakenSnapshot {
  readonly info: SnapshotInfo;
  /** CPU time of the encode on the snapshotter's thread (the live shard spent none). */
  readonly encodeMs: number;
  readonly prunedSnapshots: number;
  readonly journalBefore: number;
}

export class SnapshotterHost {
  private readonly control = ControlBlock.create();
  private worker: Worker | undefined;
  private stopped: Promise<void> | undefined;
  readonly taken: TakenSnapshot[] = [];
  /** Whether start() was called (Durability calls it once every shard has recovered). */
  started = false;
  /** The error the snapshotter stopped on (the exchange runs on: snapshots only shorten recovery). */
  failure: Error | undefined;

  /** A channel whose port2 goes to the journal writer and port1 to the snapshotter. */
  static channel(): MessageChannel {
    return new MessageChannel();
  }

  constructor(private readonly onEvent: (line: string) => void = () => {}) {}

  async start(config: unknown, shards: SnapshotterWorkerData['shards'], policy: SnapshotPolicy, writer: MessagePort): Promise<void> {
    this.started = true;
    const data: SnapshotterWorkerData = { config, shards, policy, writer, control: this.control.sab };
    const worker = new Worker(new URL('./snapshotter-worker.js', import.meta.url), { workerData: data, transferList: [writer], name: 'snapshotter' });
    this.worker = worker;
    let ready!: () => void;
    const started = new Promise<void>((res) => (ready = res));
    this.stopped = new Promise<void>((resolve) => {
      const fail = (e: Error) => {
        this.failure ??= e;
        this.onEvent(`perpx: snapshotter stopped: ${e.message} (recovery replays the journal from the last stored snapshot)`);
        ready();
        resolve();
      };
      worker.on('message', (m: { type: string; message?: string } & TakenSnapshot) => {
        if (m.type === 'ready') ready();
        else if (m.type === 'snapshot') {
          this.taken.push({ info: m.info, encodeMs: m.encodeMs, prunedSnapshots: m.prunedSnapshots, journalBefore: m.journalBefore });
          // An operator sees snapshots happen (and what a restart would start from) without the restore tool.
          const pruned = m.prunedSnapshots > 0 ? `; ${m.prunedSnapshots} older pruned, journal kept from position ${m.journalBefore.toLocaleString('en-US')}` : '';
          this.onEvent(`perpx: snapshot of shard ${m.info.shard} at journal position ${m.info.position.toLocaleString('en-US')} stored (state hash ${m.info.stateHash}, encoded in ${Math.round(m.encodeMs)} ms of CPU${pruned})`);
        }
        else if (m.type === 'stopped') resolve();
        else if (m.type === 'failed') fail(new Error(m.message));
      });
      worker.once('error', fail);
      worker.once('exit', () => resolve());
    });
    await started;
  }

  /** Asks the worker to stop after what it is doing; gives it `timeoutMs`, then terminates it. */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (!this.worker || !this.stopped) return;
    this.control.requestStop();
    this.worker.postMessage({ type: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.stopped, new Promise<void>((res) => (timer = setTimeout(res, timeoutMs)))]);
    clearTimeout(timer);
    await this.worker.terminate();
  }
}
