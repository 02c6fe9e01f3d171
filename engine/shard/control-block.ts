// ControlBlock: the small shared memory through which the main thread runs, stops and watches a worker
// without postMessage on the hot path.
//
//   byte 0      4             8           12            128               136       144         152     160        168
//        +-----------+-------------+-----------+-------------+ .. +-----------------+---------+-----------+-------+----------+
//        | run (i32) | asked (i32) | served    | failed input| .. | inputs handled  | outputs | duplicates| stalls| replayed |
//        +-----------+-------------+-----------+-------------+ .. +-----------------+---------+-----------+-------+----------+
//   byte 256                                    384
//        +--------------------------------------+
//        | the record the shard failed on (128) |
//        +--------------------------------------+
//
// run: 1 while the worker should keep going; the main thread stores 0 and rings the worker's doorbell.
// asked/served: a request without postMessage into a thread whose event loop never turns, one pair per
// kind (RequestKind: a risk worker's scan snapshot, a shard's state for a restarted gateway; the second
// pair sits at words 4 and 5). The main thread bumps `asked` and rings the doorbell; the loop sees
// asked ≠ served between batches, serves the request (replying by postMessage, which needs no event loop
// on this side) and stores served = the asked it saw. Requests asked while one is served coalesce into
// the next.
// Counters: written by the worker once per batch (Atomics.store, so a reader never sees a torn value),
// read by anyone; `replayed` counts the journal records a recovering worker has handled so far (every
// 256), so the main thread can show a long replay's progress.
// Failure: when handling a record throws, the worker copies that record here and stores 1 + its input
// index (0: no record) before its thread dies, so whoever watches the thread can say which record killed
// it and answer the command it carried.

import { RECORD_BYTES, RecordBuffer } from '../ring/record.js';

const RUN = 0;
const ASKED = 1;
const SERVED = 2;
const FAILED_INPUT = 3;
const ASKED_STATE = 4;
const SERVED_STATE = 5;
const FLAG_SLOTS = 6;
/** What a request asks for: each kind has its own ticket pair, served independently. */
export const RequestKind = { SCAN: 0, STATE: 1 } as const;
export type RequestKind = (typeof RequestKind)[keyof typeof RequestKind];
const ASKED_OF = [ASKED, ASKED_STATE];
const SERVED_OF = [SERVED, SERVED_STATE];
const COUNTERS_AT = 128;
const FAILED_RECORD_AT = 256;
export const Counter = { HANDLED: 0, OUTPUTS: 1, DUPLICATES: 2, STALLS: 3, REPLAYED: 4 } as const;
export type Counter = (typeof Counter)[keyof typeof Counter];
const COUNTER_SLOTS = 5;

/** The record a shard failed on and the input it came from. */
export interface FailedRecord {
  readonly input: number;
  /** A copy of the record (one slot). */
  readonly record: RecordBuffer;
}

export class ControlBlock {
  private readonly flags: Int32Array;
  private readonly counters: BigInt64Array;
  private readonly failedRecord: RecordBuffer;

  private constructor(readonly sab: SharedArrayBuffer) {
    this.flags = new Int32Array(sab, 0, FLAG_SLOTS);
    this.counters = new BigInt64Array(sab, COUNTERS_AT, COUNTER_SLOTS);
    this.failedRecord = new RecordBuffer(sab, FAILED_RECORD_AT, RECORD_BYTES);
  }

  static create(): ControlBlock {
    const block = new ControlBlock(new SharedArrayBuffer(FAILED_RECORD_AT + RECORD_BYTES));
    Atomics.store(block.flags, RUN, 1);
    return block;
  }

  static attach(sab: SharedArrayBuffer): ControlBlock {
    return new ControlBlock(sab);
  }

  running(): boolean {
    return Atomics.load(this.flags, RUN) === 1;
  }

  requestStop(): void {
    Atomics.store(this.flags, RUN, 0);
  }

  /** Main thread: asks for a request of this kind to be served; returns its ticket. */
  ask(kind: RequestKind = RequestKind.SCAN): number {
    return Atomics.add(this.flags, ASKED_OF[kind]!, 1) + 1;
  }

  /** Worker: the ticket of this kind asked and not yet served, or 0. */
  pendingAsk(kind: RequestKind = RequestKind.SCAN): number {
    const asked = Atomics.load(this.flags, ASKED_OF[kind]!);
    return asked !== Atomics.load(this.flags, SERVED_OF[kind]!) ? asked : 0;
  }

  /** Worker: every ticket of this kind up to `ticket` is served. */
  served(ticket: number, kind: RequestKind = RequestKind.SCAN): void {
    Atomics.store(this.flags, SERVED_OF[kind]!, ticket);
  }

  /** Worker, as it dies: the record that made handling throw, and its input. */
  recordFailure(input: number, buf: RecordBuffer, at: number): void {
    this.failedRecord.copyFrom(buf, at, 0);
    Atomics.store(this.flags, FAILED_INPUT, input + 1);
  }

  /** The record the worker failed on, copied out, or undefined when it died of something else. */
  failure(): FailedRecord | undefined {
    const stored = Atomics.load(this.flags, FAILED_INPUT);
    if (stored === 0) return undefined;
    const record = RecordBuffer.allocate(1);
    record.copyFrom(this.failedRecord, 0, 0);
    return { input: stored - 1, record };
  }

  set(counter: Counter, value: number): void {
    Atomics.store(this.counters, counter, BigInt(value));
  }

  get(counter: Counter): number {
    return Number(Atomics.load(this.counters, counter));
  }
}
