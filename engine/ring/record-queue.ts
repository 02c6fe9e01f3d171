// RecordQueue: an unbounded first-in first-out queue of 128-byte records in memory, for streams that are
// consumed as they go without a ring's capacity limit: the in-process exchange's streams (QueueOutput,
// engine/shard/event-output.ts), the risk shard's outbox (risk/shard/outbox.ts) and the demo driver's
// commands waiting out back-pressure. Each record is stamped with the seq its owner gives it as it is
// queued. It grows by doubling and never shrinks, so a burst pays for its memory once.
// Thread contract: the one thread that owns it.

import { RecordBuffer } from './record.js';

export class RecordQueue {
  private buf: RecordBuffer;
  private head = 0;
  private count = 0;

  constructor(initialCapacity = 64) {
    this.buf = RecordBuffer.allocate(initialCapacity);
  }

  /** Records queued and not yet shifted. */
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

  /** Byte offset of the i-th oldest record (i < length). */
  offsetAt(i: number): number {
    return this.buf.at((this.head + i) % this.buf.capacity);
  }

  /** Drops the oldest record. */
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
