// ControlBlock: the small shared memory through which the main thread runs, stops and watches a worker
// without postMessage on the hot path.
//
//   byte 0      4             8            128                 136        144          152       160
//        +-----------+-------------+---  ...  -+-------------------+----------+------------+---------+
//        | run (i32) | asked (i32) | served    | inputs handled    | outputs  | duplicates | stalls  |
//        +-----------+-------------+---  ...  -+-------------------+----------+------------+---------+
//
// run: 1 while the worker should keep going; the main thread stores 0 and rings the worker's doorbell.
// asked/served: a request (a risk worker's scan snapshot) without postMessage into a thread whose event
// loop never turns. The main thread bumps `asked` and rings the doorbell; the loop sees asked ≠ served
// between batches, serves the request (replying by postMessage, which needs no event loop on this side)
// and stores served = the asked it saw. Requests asked while one is served coalesce into the next.
// Counters: written by the worker once per batch (Atomics.store, so a reader never sees a torn value),
// read by anyone.

const RUN = 0;
const ASKED = 1;
const SERVED = 2;
const COUNTERS_AT = 128;
export const Counter = { HANDLED: 0, OUTPUTS: 1, DUPLICATES: 2, STALLS: 3 } as const;
export type Counter = (typeof Counter)[keyof typeof Counter];
const COUNTER_SLOTS = 4;

export class ControlBlock {
  private readonly flags: Int32Array;
  private readonly counters: BigInt64Array;

  private constructor(readonly sab: SharedArrayBuffer) {
    this.flags = new Int32Array(sab, 0, 3);
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

  /** Main thread: asks for a request to be served; returns its ticket. */
  ask(): number {
    return Atomics.add(this.flags, ASKED, 1) + 1;
  }

  /** Worker: the ticket asked and not yet served, or 0. */
  pendingAsk(): number {
    const asked = Atomics.load(this.flags, ASKED);
    return asked !== Atomics.load(this.flags, SERVED) ? asked : 0;
  }

  /** Worker: every ticket up to `ticket` is served. */
  served(ticket: number): void {
    Atomics.store(this.flags, SERVED, ticket);
  }

  set(counter: Counter, value: number): void {
    Atomics.store(this.counters, counter, BigInt(value));
  }

  get(counter: Counter): number {
    return Number(Atomics.load(this.counters, counter));
  }
}
