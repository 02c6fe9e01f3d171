// InputTap: where an EventProcessor copies every input record it takes, with the input index, before it
// handles them: the disruptor's journaller reading beside the business logic. The engine knows only this
// interface and the ring it is usually backed by (TapRing); what drains the ring (persistence's journal
// writer) is not the engine's concern.
//
//   EventProcessor: n = tap.reserve(n) ─▶ tap.copy(record, input) × n ─▶ tap.publish() ─▶ handle × n
//
// reserve() waits (spin, then park) while the ring is full, and gives up (0) when the loop is told to
// stop: a stop is never stuck behind a journal that cannot keep up. Thread contract: the shard's thread.

import type { Doorbell } from '../ring/doorbell.js';
import { RingBuffer } from '../ring/ring-buffer.js';
import { RingProducer } from '../ring/ring-producer.js';
import { RingConsumer } from '../ring/ring-consumer.js';
import { RECORD_BYTES, type RecordBuffer } from '../ring/record.js';
import type { WaitStrategy } from '../ring/wait-strategy.js';

export interface InputTap {
  /** Room for up to n records (1 ≤ result ≤ n), waiting while there is none; 0 when `running()` turned false. */
  reserve(n: number, running: () => boolean): number;
  /** Copies one record and its input index into the next reserved slot. */
  copy(buf: RecordBuffer, at: number, input: number): void;
  /** Makes the copies visible to the tap's reader (one release store). */
  publish(): void;
}

/**
 * A ring of records plus, slot for slot, the input index each came from (a Uint16Array beside the ring,
 * written before the ring's release store, so the reader sees both once it sees the cursor).
 */
export class TapRing {
  readonly ring: RingBuffer;
  readonly inputs: Uint16Array;

  private constructor(ring: RingBuffer, readonly inputsSab: SharedArrayBuffer) {
    this.ring = ring;
    this.inputs = new Uint16Array(inputsSab);
    if (this.inputs.length !== ring.capacity) throw new RangeError('tap ring: one input index per slot');
  }

  static create(capacity: number): TapRing {
    return new TapRing(RingBuffer.create(capacity), new SharedArrayBuffer(capacity * 2));
  }

  static attach(ringSab: SharedArrayBuffer, inputsSab: SharedArrayBuffer): TapRing {
    return new TapRing(RingBuffer.attach(ringSab), inputsSab);
  }
}

/** The producer side of a TapRing (the shard's thread). */
export class RingTap implements InputTap {
  private readonly producer: RingProducer;
  private readonly records: RecordBuffer;
  private readonly inputs: Uint16Array;
  private readonly mask: number;
  private n = 0;
  private running: () => boolean = () => true;
  private readonly roomOrStop = (): boolean => !this.running() || this.producer.claim(1) > 0;
  /** Times the shard found the tap full and had to wait, for monitoring. */
  stalls = 0;

  constructor(
    tap: TapRing,
    readerBell: Doorbell,
    private readonly wait: WaitStrategy,
  ) {
    this.producer = new RingProducer(tap.ring, readerBell);
    this.records = tap.ring.records;
    this.inputs = tap.inputs;
    this.mask = tap.ring.mask;
  }

  reserve(n: number, running: () => boolean): number {
    let k = this.producer.claim(n);
    if (k === 0) {
      this.stalls++;
      this.running = running;
      while ((k = this.producer.claim(n)) === 0) {
        if (!running()) return 0;
        this.wait.idle(this.producer.spaceParker, this.roomOrStop);
      }
      this.wait.busy();
    }
    this.n = 0;
    return k;
  }

  copy(buf: RecordBuffer, at: number, input: number): void {
    const to = this.producer.at(this.n++);
    this.records.copyFrom(buf, at, to);
    this.inputs[(to / RECORD_BYTES) & this.mask] = input;
  }

  publish(): void {
    if (this.n > 0) this.producer.publish(this.n);
    this.n = 0;
  }
}

/** The reader side of a TapRing: a consumer that also reads each slot's input index. */
export class TapReader {
  readonly consumer: RingConsumer;
  readonly records: RecordBuffer;
  private readonly inputs: Uint16Array;
  private readonly mask: number;

  constructor(tap: TapRing) {
    this.consumer = new RingConsumer(tap.ring);
    this.records = tap.ring.records;
    this.inputs = tap.inputs;
    this.mask = tap.ring.mask;
  }

  /** Input index of the record at byte offset `at` (as consumer.at(i) gives it). */
  inputAt(at: number): number {
    return this.inputs[(at / RECORD_BYTES) & this.mask]!;
  }
}
