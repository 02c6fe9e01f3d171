// QueueOutput: an in-memory stream that is consumed as it goes (the in-process exchange's stand-in for a
// ring, without a capacity limit: it holds exactly the records not yet delivered). Seq stamping as every
// EventOutput; records are read in order with frontAt() and shift().

import { RecordBuffer } from '../engine/ring/record.js';
import type { EventOutput } from '../engine/shard/event-output.js';

export class QueueOutput implements EventOutput {
  private buf: RecordBuffer;
  private head = 0;
  private count = 0;
  nextSeq: number;

  constructor(initialCapacity = 256, firstSeq = 1) {
    this.buf = RecordBuffer.allocate(initialCapacity);
    this.nextSeq = firstSeq;
  }

  append(src: RecordBuffer, at: number): void {
    if (this.count === this.buf.capacity) this.grow();
    const to = this.buf.at((this.head + this.count) % this.buf.capacity);
    this.buf.copyFrom(src, at, to);
    this.buf.setSeq(to, this.nextSeq++);
    this.count++;
  }

  flush(): void {}

  get pending(): number {
    return this.count;
  }

  get records(): RecordBuffer {
    return this.buf;
  }

  /** Byte offset of the oldest undelivered record (pending must be > 0). */
  frontAt(): number {
    return this.buf.at(this.head);
  }

  /** Byte offset of the i-th undelivered record (i < pending). */
  offsetAt(i: number): number {
    return this.buf.at((this.head + i) % this.buf.capacity);
  }

  shift(): void {
    if (this.count === 0) throw new RangeError('shift of an empty queue');
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
