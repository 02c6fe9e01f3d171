// RingConsumer: one reader of a ring (the disruptor's event processor side).
//
// Which thread may call: exactly one thread per consumer of a ring (a ring has one or two: the view it is
// built on says which, RingBuffer.consumer), the one that built this object. The cycle is
//   const n = consumer.available();         // published and not yet released
//   for (let i = 0; i < n; i++) read the record at ring.records, byte offset consumer.at(i);
//   consumer.release(n);                    // one store hands the slots back to the producer
// Memory ordering: available() reads the producer cursor with Atomics.load, which synchronizes with the
// producer's Atomics.store, so plain reads of those records see what the producer wrote. release() stores
// the consumer cursor with Atomics.store after the reads, so the producer cannot overwrite a slot that is
// still being read. Records must be copied out or fully used before release: the slot is reused at once.

import type { Doorbell } from './doorbell.js';
import { RECORD_BYTES } from './record.js';
import { PRODUCER_CURSOR_INDEX, PRODUCER_PARKED_INDEX } from './ring-buffer-descriptor.js';
import type { RingBuffer } from './ring-buffer.js';

export class RingConsumer {
  private readonly header: Int32Array;
  private readonly mask: number;
  /** Where this consumer's cursor sits in the header. */
  private readonly cursorIndex: number;
  /** Consumer cursor: records ever released, mod 2^32. Only this thread writes it. */
  private cursor: number;
  /** What the last available() returned, less what was released since: the most release() may free. */
  private readable = 0;

  /**
   * producerBell: the producing thread's own doorbell, for a producer that waits for space on it rather
   * than in awaitSpace (the risk shard's outbox, which must keep consuming its other inputs while it
   * waits): release() rings it too when the producer-parked flag is up.
   */
  constructor(
    readonly ring: RingBuffer,
    private readonly producerBell?: Doorbell,
  ) {
    this.header = ring.header;
    this.mask = ring.mask;
    this.cursorIndex = ring.consumerCursorIndex;
    this.cursor = Atomics.load(this.header, this.cursorIndex);
  }

  /** Records published and not yet released (0 ≤ n ≤ capacity). One acquire load of the producer cursor. */
  available(): number {
    const n = (Atomics.load(this.header, PRODUCER_CURSOR_INDEX) - this.cursor) | 0;
    this.readable = n;
    return n;
  }

  /** Byte offset in ring.records of the i-th available record, 0 ≤ i < available() (not checked: hot path). */
  at(i: number): number {
    return ((this.cursor + i) & this.mask) * RECORD_BYTES;
  }

  /**
   * Frees the first n available records (n ≤ what available() last reported) with one store, and wakes
   * the producer if it waits for space, in awaitSpace or on its own doorbell (one load of its flag's line
   * otherwise).
   */
  release(n: number): void {
    if ((n | 0) !== n || n < 0 || n > this.readable) throw new RangeError(`release(${n}) with ${this.readable} available`);
    if (n === 0) return;
    this.cursor = (this.cursor + n) | 0;
    this.readable -= n;
    Atomics.store(this.header, this.cursorIndex, this.cursor);
    if (Atomics.load(this.header, PRODUCER_PARKED_INDEX) !== 0) {
      Atomics.notify(this.header, this.cursorIndex, 1);
      this.producerBell?.ring();
    }
  }
}
