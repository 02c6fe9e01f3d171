// RingBuffer: one ring's shared memory and this thread's views over it.
//
// The owner creates it and passes `sab` to the other threads (postMessage/workerData share a
// SharedArrayBuffer, never copy it); each calls attach(). Each thread then builds its one RingProducer or
// RingConsumer over its own RingBuffer. A ring has one producer and one or two consumers (create's
// `consumers`); a view says which consumer it reads as (`consumer`, 0 unless attached as 1), and a
// RingConsumer built on it moves that consumer's cursor. The ring never looks inside records: sequence
// numbers and types are written by whoever publishes. Layout: ring-buffer-descriptor.ts.

import { RECORD_BYTES, RecordBuffer } from './record.js';
import {
  CAPACITY_INDEX,
  CONSUMERS_INDEX,
  CONSUMER_CURSOR_INDEX,
  DATA_OFFSET,
  MAX_CONSUMERS,
  SECOND_CONSUMER_CURSOR_INDEX,
  HEADER_BYTES,
  MAGIC_INDEX,
  RECORD_BYTES_INDEX,
  RING_MAGIC,
  capacityOf,
  consumerCursorIndex,
  ringBytes,
} from './ring-buffer-descriptor.js';

export class RingBuffer {
  /** Slot index of cursor c is c & mask. */
  readonly mask: number;
  /** Views over the data region only: byte offset 0 is slot 0. */
  readonly records: RecordBuffer;
  /** Int32 view over the header lines: the cursors and flags, used with Atomics only. */
  readonly header: Int32Array;
  /** How many consumers read this ring (1 or 2). */
  readonly consumers: number;
  /** The header index of the cursor of the consumer this view reads as. */
  readonly consumerCursorIndex: number;

  private constructor(
    readonly sab: SharedArrayBuffer,
    readonly capacity: number,
    /** Which consumer this thread reads as (0, or 1 on a ring of two consumers). */
    readonly consumer = 0,
    consumers?: number,
  ) {
    this.mask = capacity - 1;
    this.consumerCursorIndex = consumerCursorIndex(consumer);
    this.header = new Int32Array(sab, 0, HEADER_BYTES >> 2);
    this.records = new RecordBuffer(sab, DATA_OFFSET, capacity * RECORD_BYTES);
    this.consumers = consumers ?? this.header[CONSUMERS_INDEX]!;
  }

  /**
   * A fresh ring of `capacity` slots (a power of two in [1, 2^30]) read by `consumers` consumers (1 or 2:
   * every consumer reads every record); cursors start at 0. The view reads as consumer 0.
   */
  static create(capacity: number, consumers = 1): RingBuffer {
    if (consumers !== 1 && consumers !== MAX_CONSUMERS) throw new RangeError(`a ring has 1 or ${MAX_CONSUMERS} consumers, got ${consumers}`);
    const sab = new SharedArrayBuffer(ringBytes(capacity));
    const ring = new RingBuffer(sab, capacity, 0, consumers);
    // Written before the buffer is shared: postMessage/workerData is the happens-before edge.
    ring.header[CAPACITY_INDEX] = capacity;
    ring.header[RECORD_BYTES_INDEX] = RECORD_BYTES;
    ring.header[CONSUMERS_INDEX] = consumers;
    ring.header[MAGIC_INDEX] = RING_MAGIC;
    return ring;
  }

  /**
   * Any thread: wakes this ring's producer if it sleeps in awaitSpace, so it looks again at whether to
   * keep waiting (a stopping shard gives up). It changes nothing in the ring.
   */
  wakeProducer(): void {
    Atomics.notify(this.header, CONSUMER_CURSOR_INDEX);
    Atomics.notify(this.header, SECOND_CONSUMER_CURSOR_INDEX);
  }

  /**
   * This thread's views over a ring made by create() on any thread, reading as `consumer` (0, or 1 on a
   * ring of two consumers). Throws if `sab` is not a ring, or has no such consumer.
   */
  static attach(sab: SharedArrayBuffer, consumer = 0): RingBuffer {
    const capacity = capacityOf(sab.byteLength);
    const header = new Int32Array(sab, 0, HEADER_BYTES >> 2);
    if (header[MAGIC_INDEX] !== RING_MAGIC || header[CAPACITY_INDEX] !== capacity || header[RECORD_BYTES_INDEX] !== RECORD_BYTES) {
      throw new RangeError('buffer is not a perpx ring of this record size');
    }
    const consumers = header[CONSUMERS_INDEX]!;
    if (!Number.isInteger(consumer) || consumer < 0 || consumer >= consumers) throw new RangeError(`consumer ${consumer} of a ring of ${consumers}`);
    return new RingBuffer(sab, capacity, consumer, consumers);
  }
}
