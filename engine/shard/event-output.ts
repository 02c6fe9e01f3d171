// EventOutput: one output stream of a state machine. It stamps each appended record with the stream's
// next contiguous sequence number (from 1), which is what consumers deduplicate and recover on.
//
// Implementations: MemoryOutput (this file: tests, replays, tools; every record stays readable),
// QueueOutput (this file: the in-process exchange's streams, consumed as they go) and RingOutput
// (ring-output.ts: a worker writing into an SPSC ring). Thread contract: the owning state machine's
// thread only.

import { RecordQueue } from '../ring/record-queue.js';
import { RecordBuffer, RECORD_WORDS } from '../ring/record.js';

export interface EventOutput {
  /** Copies record `at` of `src` into the stream and stamps it with the next sequence number. */
  append(src: RecordBuffer, at: number): void;
  /** The sequence number the next appended record will carry (set from outside only after a replay: replay.ts). */
  nextSeq: number;
  /** Makes everything appended so far visible to the consumer (a no-op where appends are visible at once). */
  flush(): void;
  /**
   * ORs a header flag into the record appended last, which must not be visible yet: called before the next
   * append or flush (input-end-marker.ts). An output without it leaves the flag out.
   */
  markLast?(flag: number): void;
  /**
   * When the next record would be dropped unread (a replay's stream below what its consumer has, a stream
   * that only counts), numbers it as append() would and returns true: the writer need not compose it.
   * False (or absent): the writer composes the record and appends it. Seqs come out the same either way.
   */
  skip?(): boolean;
}

/** An unbounded in-memory stream: records stay readable by index. */
export class MemoryOutput implements EventOutput {
  private buf: RecordBuffer;
  private count = 0;
  nextSeq: number;

  constructor(initialCapacity = 1024, firstSeq = 1) {
    this.buf = RecordBuffer.allocate(initialCapacity);
    this.nextSeq = firstSeq;
  }

  append(src: RecordBuffer, at: number): void {
    if (this.count === this.buf.capacity) {
      const grown = RecordBuffer.allocate(this.buf.capacity * 2);
      grown.i32.set(this.buf.i32);
      this.buf = grown;
    }
    const to = this.buf.at(this.count++);
    this.buf.copyFrom(src, at, to);
    this.buf.setSeq(to, this.nextSeq++);
  }

  flush(): void {}

  markLast(flag: number): void {
    const at = this.buf.at(this.count - 1);
    this.buf.setFlags(at, this.buf.flags(at) | flag);
  }

  get length(): number {
    return this.count;
  }

  /** The buffer holding the records and the byte offset of record i (valid until the next append). */
  get records(): RecordBuffer {
    return this.buf;
  }

  offsetOf(i: number): number {
    if (i < 0 || i >= this.count) throw new RangeError(`record ${i} of ${this.count}`);
    return i * RECORD_WORDS * 4;
  }

  clear(): void {
    this.count = 0;
  }
}

/**
 * An in-memory stream consumed as it goes (the in-process exchange's stand-in for a ring, without a
 * capacity limit: it holds exactly the records not yet delivered). Records are read in order with
 * frontAt() and shift().
 */
export class QueueOutput extends RecordQueue implements EventOutput {
  nextSeq: number;

  constructor(initialCapacity = 256, firstSeq = 1) {
    super(initialCapacity);
    this.nextSeq = firstSeq;
  }

  append(src: RecordBuffer, at: number): void {
    this.push(src, at, this.nextSeq++);
  }

  flush(): void {}

  markLast(flag: number): void {
    const at = this.backAt();
    this.records.setFlags(at, this.records.flags(at) | flag);
  }

  /** Records appended and not yet delivered. */
  get pending(): number {
    return this.length;
  }
}
