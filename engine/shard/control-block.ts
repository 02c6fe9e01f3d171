// ControlBlock: the small shared memory through which the main thread runs, stops and watches a worker
// without postMessage on the hot path.
//
//   byte 0            128                 136        144          152       160
//        +-------------+-------------------+----------+------------+---------+
//        | run (i32)   | inputs handled    | outputs  | duplicates | stalls  |   (i64 counters)
//        +-------------+-------------------+----------+------------+---------+
//
// run: 1 while the worker should keep going; the main thread stores 0 and rings the worker's doorbell.
// Counters: written by the worker once per batch (Atomics.store, so a reader never sees a torn value),
// read by anyone.

const RUN = 0;
const COUNTERS_AT = 128;
export const Counter = { HANDLED: 0, OUTPUTS: 1, DUPLICATES: 2, STALLS: 3 } as const;
export type Counter = (typeof Counter)[keyof typeof Counter];
const COUNTER_SLOTS = 4;

export class ControlBlock {
  private readonly flags: Int32Array;
  private readonly counters: BigInt64Array;

  private constructor(readonly sab: SharedArrayBuffer) {
    this.flags = new Int32Array(sab, 0, 1);
    this.counters = new BigInt64Array(sab, COUNTERS_AT, COUNTER_SLOTS);
  }

  static create(): ControlBlock {
    const block = new ControlBlock(new SharedArrayBuffer(COUNTERS_AT + COUNTER_SLOTS * 8));
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

  set(counter: Counter, value: number): void {
    Atomics.store(this.counters, counter, BigInt(value));
  }

  get(counter: Counter): number {
    return Number(Atomics.load(this.counters, counter));
  }
}
