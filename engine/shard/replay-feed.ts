// ReplayFeed: how a recovering worker replays a log that is still being read. Whoever reads the log (the
// main thread, verifying every record of the journal) copies records into the log's SharedArrayBuffers in
// order and publishes how many are in; the worker replays up to that count and waits for more until the
// whole log is in. Reading and replaying overlap: a restart takes about the longer of the two, not their sum.
//
//   byte 0
//        +-----------------+
//        | published (i32) |   records [0, published) are in: verified, copied, and final
//        +-----------------+
//
// The reader stores the count (Atomics.store: the copies before it are visible to whoever loads it) and
// notifies; the worker waits on the same word (Atomics.wait on the value it saw, so a publish between
// its load and its sleep returns the wait at once: no wake-up is lost). A worker never waits unbounded:
// its wait strategy's park has a timeout, and it gives up when its shard is asked to stop. That is also
// how a read that fails (a checksum, a gap) ends a replay that began: the exchange's start stops every
// shard, and a shard stopped in its replay never reports it replayed (worker-journal.ts).
// Thread contract: publish() the reader only; park()/waitFor() the replaying worker only.

import type { Parker, WaitStrategy } from '../ring/wait-strategy.js';

const PUBLISHED = 0;
const REPLAY_FEED_BYTES = 4;

export class ReplayFeed implements Parker {
  private readonly i32: Int32Array;

  private constructor(readonly sab: SharedArrayBuffer) {
    this.i32 = new Int32Array(sab);
  }

  static create(): ReplayFeed {
    return new ReplayFeed(new SharedArrayBuffer(REPLAY_FEED_BYTES));
  }

  static attach(sab: SharedArrayBuffer): ReplayFeed {
    if (sab.byteLength !== REPLAY_FEED_BYTES) throw new RangeError(`a replay feed is ${REPLAY_FEED_BYTES} bytes, got ${sab.byteLength}`);
    return new ReplayFeed(sab);
  }

  /** Reader: records [0, count) are in; wakes a worker waiting for them. Counts only rise. */
  publish(count: number): void {
    Atomics.store(this.i32, PUBLISHED, count);
    Atomics.notify(this.i32, PUBLISHED);
  }

  published(): number {
    return Atomics.load(this.i32, PUBLISHED);
  }

  /** Sleeps until a publish or timeoutMs, unless hasWork() (checked after the count was loaded) says otherwise. */
  park(hasWork: () => boolean, timeoutMs: number): void {
    const seen = Atomics.load(this.i32, PUBLISHED);
    if (!hasWork()) Atomics.wait(this.i32, PUBLISHED, seen, timeoutMs);
  }

  /**
   * Worker: waits (by `wait`: spin, then park) until at least `count` records are in; returns how many
   * are, or -1 once `running()` says the shard is to stop.
   */
  waitFor(count: number, running: () => boolean, wait: WaitStrategy): number {
    const ready = () => this.published() >= count || !running();
    while (!ready()) wait.idle(this, ready);
    wait.busy();
    return running() ? this.published() : -1;
  }
}
