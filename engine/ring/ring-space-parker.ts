// RingSpaceParker: how a producer sleeps until its consumer frees slots (back-pressure waiting).
//
// It sleeps on a consumer's cursor itself, announced by the producer-parked flag (both in the ring
// header, ring-buffer-descriptor.ts). On a ring of two consumers it is the cursor of the one furthest
// behind (`watched()`, as the producer last saw them): only that one's release can make room, and it
// notifies on its own cursor. Should the other fall further behind meanwhile, the sleep is no shorter
// than it must be: room comes only when that other releases, and the producer re-checks after every wake. Which thread may call: the ring's one producer, on a worker thread
// (Atomics.wait blocks); the main thread never waits for space, it sees claim() return 0 and backs off.
//
// The handshake is the doorbell's (doorbell.ts has the proof) with the cursor as the watched word.
// Producer P:  P1 store parked=1; P2 seen=load consumer cursor; P3 hasWork() loads it again;
//              P4 Atomics.wait(consumer cursor, seen); P5 store parked=0.
// Consumer C:  C1 store consumer cursor (release); C2 load parked; if 1: C3 notify consumer cursor.
// If C2 precedes P1, C1 precedes P2 and P3: the producer sees the freed slots. Otherwise C2 reads 1 and C
// notifies; if C1 came after P2 the cursor differs from `seen` and P4 either returns at once or is already
// waiting when C3 wakes it. The cursor only repeats a value after 2^32 releases, far beyond one timeout.

import {
  CONSUMER_CURSOR_INDEX,
  PRODUCER_PARKED_INDEX,
} from './ring-buffer-descriptor.js';
import type { Parker } from './wait-strategy.js';

export class RingSpaceParker implements Parker {
  constructor(
    private readonly header: Int32Array,
    /** The header index of the cursor to sleep on (default: consumer 0's). */
    private readonly watched: () => number = () => CONSUMER_CURSOR_INDEX,
  ) {}

  park(hasWork: () => boolean, timeoutMs: number): void {
    Atomics.store(this.header, PRODUCER_PARKED_INDEX, 1);
    const index = this.watched();
    const seen = Atomics.load(this.header, index);
    if (!hasWork()) Atomics.wait(this.header, index, seen, timeoutMs);
    Atomics.store(this.header, PRODUCER_PARKED_INDEX, 0);
  }

  /** True while the producer sleeps (or is about to) in awaitSpace. For tests and metrics. */
  isParked(): boolean {
    return Atomics.load(this.header, PRODUCER_PARKED_INDEX) !== 0;
  }
}
