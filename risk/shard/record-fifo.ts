// RecordFifo: an unbounded first-in first-out queue of 128-byte records, for the outbox (outbox.ts).
// Records keep the seq they were given when queued; the queue grows by doubling and never shrinks, so a
// burst pays for its memory once. Thread contract: the one thread that owns the outbox.

import { RecordBuffer } from '../../engine/ring/record.js';

export class RecordFifo {
  private buf: RecordBuffer;
  private head = 0;
  private count = 0;

  constructor(initialCapacity = 64) {
    this.buf = RecordBuffer.allocate(initialCapacity);
  }

  get length(): number {
    return this.count;
  }

  /** The buffer frontAt() indexes into (valid until the next push). */
  get records(): RecordBuffer {
    return this.buf;
  }

  /** Copies record `at` of `src` to the back of the queue and stamps it with `seq`. */
  push(src: RecordBuffer, at: number, seq: number): void {
    if (this.count === this.buf.capacity) this.grow();
    const to = this.buf.at((this.head + this.count) % this.buf.capacity);
    this.buf.copyFrom(src, at, to);
    this.buf.setSeq(to, seq);
    this.count++;
  }

  /** Byte offset of the newest record (length must be > 0). */
  backAt(): number {
    return this.buf.at((this.head + this.count - 1) % this.buf.capacity);
  }

  /** Byte offset of the oldest record (length must be > 0). */
  frontAt(): number {
    return this.buf.at(this.head);
  }

  shift(): void {
    if (this.count === 0) throw new RangeError('shift of an empty record queue');
    this.head = (this.head + 1) % this.buf.capacity;
    this.count--;
  }

  private grow(): void {
    const grown = RecordBuffer.allocate(this.buf.capacity * 2);
    for (let i = 0; i < this.count; i++) grown.copyFrom(this.buf, this.buf.at((this.head + i) % this.buf.capacity), grown.at(i));
    this.buf = grown;
    this.head = 0;
  }
}
