// Doorbell: how producers wake a consuming thread that has gone to sleep.
//
// One doorbell per consuming thread, shared by all the rings it consumes: the thread sleeps on one word and
// any of its producers can wake it. Layout (256 bytes), each word alone on its 128-byte line so that the
// producers' increments never invalidate the line the consumer's flag sits on and vice versa:
//
//   byte 0          128             256
//        +---------------+---------------+
//        | parked (i32)  | counter (i32) |
//        +---------------+---------------+
//          consumer        producers add,
//          writes          consumer waits
//
// Which thread may call: park()/parkAsync() only the consuming thread (park() blocks, so worker threads
// only; the main thread uses parkAsync()); ring() any producer of the consumer's rings, after publishing.
//
// The handshake (Dekker style). Consumer C parks:  C1 store parked=1; C2 seen=load counter;
// C3 hasWork() loads every input ring's producer cursor; C4 Atomics.wait(counter, seen); C5 store parked=0.
// Producer P publishes:  P1 store its ring's producer cursor; P2 load parked; if 1: P3 add counter,
// P4 notify counter.
// Proof that no wake-up is lost: every step is a sequentially consistent Atomics operation, so all of them
// fall in one total order consistent with each thread's program order.
//  - If P2 comes before C1, then P1 comes before C3 (P1 < P2 < C1 < C3): hasWork() sees the record and C
//    does not sleep.
//  - If P2 reads 0 after C1, C has passed C5 and is awake; its next park's C1 comes after P2, so the
//    case above applies to that park.
//  - Otherwise P2 reads parked=1 and P does P3, P4.
//    If P3 comes before C2, then P1 < P3 < C2 < C3 and hasWork() sees the record. If P3 comes after C2,
//    the counter no longer equals `seen` from P3 on: if C4's check runs after P3 it returns at once
//    ("not-equal"); if before, C is already on the waiter list and P4, which follows P3, wakes it.
//    Atomics.wait checks the value and enqueues as one step, so there is no gap between the two.
// Only inequality with `seen` matters, so the counter wrapping past 2^31 is harmless.
// The timeout bounds a sleep anyway, so a consumer also wakes for housekeeping (stop flags, timers).

const DOORBELL_LINE_BYTES = 128;
export const PARKED_INDEX = 0;
export const COUNTER_INDEX = DOORBELL_LINE_BYTES >> 2;
export const DOORBELL_BYTES = 2 * DOORBELL_LINE_BYTES;

type WaitAsyncResult = { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
type WaitAsync = (array: Int32Array, index: number, value: number, timeoutMs?: number) => WaitAsyncResult;
// Atomics.waitAsync is in Node 20 (V8) but only in TypeScript's ES2024 lib; this project targets ES2022.
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync.bind(Atomics);

export class Doorbell {
  private readonly i32: Int32Array;

  private constructor(readonly sab: SharedArrayBuffer) {
    this.i32 = new Int32Array(sab);
  }

  static create(): Doorbell {
    return new Doorbell(new SharedArrayBuffer(DOORBELL_BYTES));
  }

  static attach(sab: SharedArrayBuffer): Doorbell {
    if (sab.byteLength !== DOORBELL_BYTES) throw new RangeError(`a doorbell is ${DOORBELL_BYTES} bytes, got ${sab.byteLength}`);
    return new Doorbell(sab);
  }

  /**
   * Producer side, after publish. Costs one load while the consumer is awake: the parked line is only
   * written when the consumer parks, so it stays shared in both caches and the load hits.
   */
  ring(): void {
    if (Atomics.load(this.i32, PARKED_INDEX) !== 0) {
      Atomics.add(this.i32, COUNTER_INDEX, 1);
      Atomics.notify(this.i32, COUNTER_INDEX, 1);
    }
  }

  /**
   * Consumer side, worker threads only: sleeps until a producer rings or timeoutMs passes, unless
   * hasWork() (which must re-check every input ring of this thread, and any stop flag that a ring() is
   * meant to deliver) finds something first.
   */
  park(hasWork: () => boolean, timeoutMs: number): void {
    Atomics.store(this.i32, PARKED_INDEX, 1);
    const seen = Atomics.load(this.i32, COUNTER_INDEX);
    if (!hasWork()) Atomics.wait(this.i32, COUNTER_INDEX, seen, timeoutMs);
    Atomics.store(this.i32, PARKED_INDEX, 0);
  }

  /**
   * park() for the main thread: the same handshake, but the event loop keeps running while it waits.
   * Node 20's Atomics.waitAsync counts its timeout in whole milliseconds (measured: 0.2 ms returns at once,
   * 0.5 ms sleeps ~1.1 ms): a timeout under 0.5 ms is a poll, not a park.
   */
  async parkAsync(hasWork: () => boolean, timeoutMs: number): Promise<void> {
    Atomics.store(this.i32, PARKED_INDEX, 1);
    try {
      const seen = Atomics.load(this.i32, COUNTER_INDEX);
      if (hasWork()) return;
      const r = waitAsync(this.i32, COUNTER_INDEX, seen, timeoutMs);
      if (r.async) await r.value;
    } finally {
      Atomics.store(this.i32, PARKED_INDEX, 0);
    }
  }

  /** True while the consumer is in park()/parkAsync() (including its last re-check). For tests and metrics. */
  isParked(): boolean {
    return Atomics.load(this.i32, PARKED_INDEX) !== 0;
  }
}
