// ShardWorker: the main thread's side of the control protocol every shard worker speaks. The worker posts
// 'ready' once wired and {stopped, stateHash, handled} after its loop ends; everything else goes through
// shared memory (rings, doorbells, the control block), never postMessage.

import { Worker } from 'node:worker_threads';
import type { Doorbell } from '../ring/doorbell.js';
import { ControlBlock, Counter } from './control-block.js';

export interface ShardStats {
  handled: number;
  outputs: number;
  duplicates: number;
  stalls: number;
}

export interface ShardDone {
  stateHash: bigint;
  handled: number;
}

export class ShardWorker {
  private stopped: Promise<ShardDone> | undefined;

  private constructor(
    readonly worker: Worker,
    private readonly control: ControlBlock,
    private readonly bell: Doorbell,
    private readonly done: Promise<ShardDone>,
  ) {}

  /** Starts the worker script with its data (which must carry `control`) and waits until it is wired. */
  static async start(script: URL, name: string, data: { control: SharedArrayBuffer }, control: ControlBlock, bell: Doorbell): Promise<ShardWorker> {
    const worker = new Worker(script, { workerData: data, name });
    let resolveDone!: (v: ShardDone) => void;
    let rejectDone!: (e: Error) => void;
    const done = new Promise<ShardDone>((res, rej) => {
      resolveDone = res;
      rejectDone = rej;
    });
    done.catch(() => {});
    const ready = new Promise<void>((res, rej) => {
      worker.on('message', (m: { type: string; stateHash?: string; handled?: number }) => {
        if (m.type === 'ready') res();
        else if (m.type === 'stopped') resolveDone({ stateHash: BigInt(m.stateHash!), handled: m.handled! });
      });
      worker.once('error', (e) => {
        rej(e);
        rejectDone(e);
      });
      worker.once('exit', (code) => {
        const e = new Error(`${name} exited with code ${code} before stopping`);
        rej(e);
        rejectDone(e);
      });
    });
    await ready;
    return new ShardWorker(worker, control, bell, done);
  }

  stats(): ShardStats {
    return {
      handled: this.control.get(Counter.HANDLED),
      outputs: this.control.get(Counter.OUTPUTS),
      duplicates: this.control.get(Counter.DUPLICATES),
      stalls: this.control.get(Counter.STALLS),
    };
  }

  /** Asks the loop to end, waits for it, and returns the final state hash (the same promise every call). */
  stop(): Promise<ShardDone> {
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
