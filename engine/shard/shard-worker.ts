// ShardWorker: the main thread's side of the control protocol every shard worker speaks. The worker posts
// 'ready' once wired, 'replayed' once it has handled its replay (if any) and is about to start its loop,
// and {stopped, stateHash, handled} after its loop ends; everything else goes through
// shared memory (rings, doorbells, the control block), never postMessage. The one exception is off the
// hot path: request() asks through the control block (ControlBlock.ask) and the worker answers
// {reply, ticket, payload} by postMessage (a risk worker's scan snapshot); one reply answers every
// request asked up to its ticket.

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

interface Waiter {
  ticket: number;
  resolve: (payload: unknown) => void;
  reject: (e: Error) => void;
}

export class ShardWorker {
  private stopped: Promise<ShardDone> | undefined;
  private readonly waiters: Waiter[] = [];

  private constructor(
    readonly worker: Worker,
    private readonly control: ControlBlock,
    private readonly bell: Doorbell,
    private readonly done: Promise<ShardDone>,
    /** Resolves when the worker has handled its replay and runs its loop (rejects if it dies first). */
    readonly replayed: Promise<void>,
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
    let resolveReplayed!: () => void;
    const replayed = new Promise<void>((res, rej) => {
      resolveReplayed = res;
      done.catch(rej);
    });
    replayed.catch(() => {});
    const ready = new Promise<void>((res, rej) => {
      worker.on('message', (m: { type: string; stateHash?: string; handled?: number }) => {
        if (m.type === 'ready') res();
        else if (m.type === 'replayed') resolveReplayed();
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
    const handle = new ShardWorker(worker, control, bell, done, replayed);
    worker.on('message', (m: { type: string; ticket?: number; payload?: unknown }) => {
      if (m.type === 'reply') handle.answer(m.ticket!, m.payload);
    });
    done.then(
      () => handle.failWaiters(new Error(`${name} stopped before answering`)),
      (e: Error) => handle.failWaiters(e),
    );
    return handle;
  }

  /** Asks the worker's loop for its answer between batches (what it answers is the worker's to say). */
  request<T>(): Promise<T> {
    if (this.stopped) return Promise.reject(new Error('the worker is stopping'));
    return new Promise<T>((resolve, reject) => {
      this.waiters.push({ ticket: this.control.ask(), resolve: resolve as (p: unknown) => void, reject });
      this.bell.ring();
    });
  }

  private answer(ticket: number, payload: unknown): void {
    let kept = 0;
    for (const w of this.waiters) {
      if (w.ticket <= ticket) w.resolve(payload);
      else this.waiters[kept++] = w;
    }
    this.waiters.length = kept;
  }

  private failWaiters(e: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(e);
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
