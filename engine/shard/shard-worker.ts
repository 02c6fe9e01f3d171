// ShardWorker: the main thread's side of the control protocol every shard worker speaks. The worker posts
// 'ready' once wired, 'replayed' once it has handled its replay (if any) and starts its loop, and
// {stopped, stateHash, handled, abandoned} after its loop ends; everything else
// goes through shared memory (rings, doorbells, the control block), never postMessage. The one exception
// is off the hot path: request(kind) asks through the control block (ControlBlock.ask) and the worker
// answers {reply, kind, ticket, payload} by postMessage (a risk worker's scan snapshot, a shard's state
// for a restarted gateway); one reply answers every request of its kind asked up to its ticket.
//
// Death: the worker is watched from the moment it is created. It has died when it raises 'error' (an
// uncaught exception: a record whose handling threw, named in the control block) or 'exit's without
// having posted 'stopped' (terminated, or gone some other way). Either way `death` is set once and every
// onDeath listener hears of it, whenever it subscribed.
//
// Several shards on one worker (market-shard-worker.ts): each keeps its own control block (`members`);
// a request names its member and so does the reply, stop() clears every member's run flag, the worker
// reports each member's hash in 'stopped', and a death names the member whose control block holds the
// failed record.
//
// Stop: stop() clears the run flag, rings the worker's doorbell and wakes it wherever it may be waiting
// for space in one of its output rings (a stopping shard gives up such a wait: ring-output.ts), then
// waits for 'stopped'. A worker that has not stopped within the time limit (stuck in a loop that never
// ends) is terminated, and stop() rejects: stop always returns in bounded time.

import { Worker } from 'node:worker_threads';
import type { Doorbell } from '../ring/doorbell.js';
import type { RecordBuffer } from '../ring/record.js';
import type { RingBuffer } from '../ring/ring-buffer.js';
import { ControlBlock, Counter, RequestKind } from './control-block.js';

export interface ShardStats {
  handled: number;
  outputs: number;
  duplicates: number;
  stalls: number;
  /** Journal records replayed so far by a recovering worker (all of them once it serves). */
  replayed?: number;
}

export interface ShardDone {
  stateHash: bigint;
  handled: number;
  /** Output records dropped because the loop stopped while waiting for space in a full ring (0 in a clean run). */
  abandoned: number;
  /** Per member, when the worker runs several shards (the first member's figures are the ones above). */
  members?: ShardDone[];
}

/** How a worker died. */
export interface ShardDeath {
  readonly error: Error;
  /** The input the record it failed on came from, -1 when it did not fail on a record. */
  readonly input: number;
  /** A copy of that record (one slot), when there is one. */
  readonly record: RecordBuffer | undefined;
  /** The member (index in the worker's shards) that failed on that record; 0 when it did not fail on one. */
  readonly member: number;
}

/** How long stop() waits for the loop to end before it terminates the thread. */
const DEFAULT_STOP_TIMEOUT_MS = 5_000;

interface Waiter {
  member: number;
  kind: RequestKind;
  ticket: number;
  resolve: (payload: unknown) => void;
  reject: (e: Error) => void;
}

interface Message {
  type: string;
  stateHash?: string;
  handled?: number;
  abandoned?: number;
  members?: { stateHash: string; handled: number; abandoned: number }[];
  member?: number;
  ticket?: number;
  kind?: RequestKind;
  payload?: unknown;
  /** With 'replayed' from a market worker: per member, the markets it holds from listings (MarketListings.listedMarkets). */
  listed?: ListedAtStart[][];
}

/** A market listed at run time, as a recovered market shard reports it when its replay is done. */
export interface ListedAtStart {
  readonly marketId: number;
  readonly listing: Uint8Array;
}

export class ShardWorker {
  readonly worker: Worker;
  /** Set once, the first time the worker is seen dead. */
  death: ShardDeath | undefined;
  private stopped: Promise<ShardDone> | undefined;
  private readonly waiters: Waiter[] = [];
  private readonly deathListeners: ((d: ShardDeath) => void)[] = [];
  private readonly ready: Promise<void>;
  /** Resolves when the worker has handled its replay and runs its loop (rejects if it dies first). */
  readonly replayed: Promise<void>;
  /** What the 'replayed' message reported of markets listed at run time, per member (market workers). */
  listedAtStart: readonly (readonly ListedAtStart[])[] = [];
  private readonly done: Promise<ShardDone>;
  private cleanStop = false;
  private uncaught: Error | undefined;

  private constructor(
    script: URL,
    private readonly name: string,
    data: object,
    private readonly control: ControlBlock,
    private readonly bell: Doorbell,
    private readonly outputs: readonly RingBuffer[],
    private readonly members: readonly ControlBlock[],
  ) {
    let resolveReady!: () => void;
    let rejectReady!: (e: Error) => void;
    this.ready = new Promise<void>((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    let resolveDone!: (v: ShardDone) => void;
    let rejectDone!: (e: Error) => void;
    this.done = new Promise<ShardDone>((res, rej) => {
      resolveDone = res;
      rejectDone = rej;
    });
    let resolveReplayed!: () => void;
    let rejectReplayed!: (e: Error) => void;
    this.replayed = new Promise<void>((res, rej) => {
      resolveReplayed = res;
      rejectReplayed = rej;
    });
    this.ready.catch(() => {});
    this.replayed.catch(() => {});
    this.done.catch(() => {});
    this.worker = new Worker(script, { workerData: data, name });
    this.worker.on('message', (m: Message) => {
      if (m.type === 'ready') resolveReady();
      else if (m.type === 'replayed') {
        this.listedAtStart = m.listed ?? [];
        resolveReplayed();
      }
      else if (m.type === 'stopped') {
        this.cleanStop = true;
        const members = m.members?.map((x) => ({ stateHash: BigInt(x.stateHash), handled: x.handled, abandoned: x.abandoned }));
        resolveDone({ stateHash: BigInt(m.stateHash!), handled: m.handled!, abandoned: m.abandoned ?? 0, members });
      } else if (m.type === 'reply') this.answer(m.member ?? 0, m.kind ?? RequestKind.SCAN, m.ticket!, m.payload);
    });
    const died = (error: Error): void => {
      if (this.death !== undefined) return;
      const member = Math.max(0, members.findIndex((c) => c.failure() !== undefined));
      const failed = members[member]!.failure();
      this.death = { error, input: failed?.input ?? -1, record: failed?.record, member };
      rejectReady(error);
      rejectReplayed(error);
      rejectDone(error);
      this.failWaiters(error);
      for (const l of this.deathListeners.splice(0)) l(this.death);
    };
    this.worker.on('error', (e: Error) => {
      this.uncaught = e;
      died(e);
    });
    this.worker.on('exit', (code: number) => {
      if (this.cleanStop) {
        this.failWaiters(new Error(`${name} stopped before answering`));
        return;
      }
      died(this.uncaught ?? new Error(`${name} exited with code ${code} before stopping`));
    });
  }

  /**
   * Starts the worker script with its data (which must carry `control`) and waits until it is wired.
   * `outputs` are the rings it produces into: stop() wakes it if it waits for space in one of them.
   * `members`: the control block of every shard the worker runs (default: `control` alone, which must be
   * the first of them).
   */
  static async start(script: URL, name: string, data: object, control: ControlBlock, bell: Doorbell, outputs: readonly RingBuffer[] = [], members: readonly ControlBlock[] = [control]): Promise<ShardWorker> {
    const handle = new ShardWorker(script, name, data, control, bell, outputs, members);
    await handle.ready;
    return handle;
  }

  /** Calls `listener` once if the worker dies (at once, asynchronously, if it already has). */
  onDeath(listener: (d: ShardDeath) => void): void {
    const d = this.death;
    if (d !== undefined) queueMicrotask(() => listener(d));
    else this.deathListeners.push(listener);
  }

  /**
   * Asks the worker's loop for its answer of this kind between batches (what it answers is the worker's
   * to say); the reply is {reply, kind, ticket, payload}.
   */
  request<T>(kind: RequestKind = RequestKind.SCAN, member = 0): Promise<T> {
    if (this.death) return Promise.reject(this.death.error);
    if (this.stopped) return Promise.reject(new Error('the worker is stopping'));
    return new Promise<T>((resolve, reject) => {
      this.waiters.push({ member, kind, ticket: this.members[member]!.ask(kind), resolve: resolve as (p: unknown) => void, reject });
      this.bell.ring();
    });
  }

  private answer(member: number, kind: RequestKind, ticket: number, payload: unknown): void {
    let kept = 0;
    for (const w of this.waiters) {
      if (w.member === member && w.kind === kind && w.ticket <= ticket) w.resolve(payload);
      else this.waiters[kept++] = w;
    }
    this.waiters.length = kept;
  }

  private failWaiters(e: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(e);
  }

  stats(): ShardStats {
    return shardStats(this.control);
  }

  /**
   * Asks the loop to end, waits for it (at most timeoutMs, then terminates the thread), and returns the
   * final state hash; rejects when the worker had died or did not stop in time. The same promise every call.
   */
  stop(timeoutMs = DEFAULT_STOP_TIMEOUT_MS): Promise<ShardDone> {
    if (!this.stopped) {
      for (const c of this.members) c.requestStop();
      this.bell.ring();
      for (const r of this.outputs) r.wakeProducer();
      this.stopped = this.stopWithin(timeoutMs);
    }
    return this.stopped;
  }

  private async stopWithin(timeoutMs: number): Promise<ShardDone> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const e = new Error(`${this.name} did not stop within ${timeoutMs} ms and was terminated`);
        // The termination below is then reported as the death, for what it is.
        this.uncaught ??= e;
        reject(e);
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.done, late]);
    } finally {
      clearTimeout(timer);
      await this.worker.terminate();
    }
  }
}

/** The counters a shard's loop keeps in its control block. */
export function shardStats(control: ControlBlock): ShardStats {
  return {
    handled: control.get(Counter.HANDLED),
    outputs: control.get(Counter.OUTPUTS),
    duplicates: control.get(Counter.DUPLICATES),
    stalls: control.get(Counter.STALLS),
    replayed: control.get(Counter.REPLAYED),
  };
}
