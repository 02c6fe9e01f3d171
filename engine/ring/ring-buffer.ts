// RingBuffer: one SPSC ring's shared memory and this thread's views over it.
//
// The owner creates it and passes `sab` to the other thread (postMessage/workerData share a
// SharedArrayBuffer, never copy it); that thread calls attach(). Each thread then builds its one
// RingProducer or RingConsumer over its own RingBuffer. The ring never looks inside records: sequence
// numbers and types are written by whoever publishes. Layout: ring-buffer-descriptor.ts.

import { RECORD_BYTES, RecordBuffer } from './record.js';
import {
  CAPACITY_INDEX,
  CONSUMER_CURSOR_INDEX,
  DATA_OFFSET,
  HEADER_BYTES,
  MAGIC_INDEX,
  RECORD_BYTES_INDEX,
  RING_MAGIC,
  capacityOf,
  ringBytes,
} from './ring-buffer-descriptor.js';

export class RingBuffer {
  /** Slot index of cursor c is c & mask. */
  readonly mask: number;
  /** Views over the data region only: byte offset 0 is slot 0. */
  readonly records: RecordBuffer;
  /** Int32 view over the header lines: the cursors and flags, used with Atomics only. */
  readonly header: Int32Array;

  private constructor(
    readonly sab: SharedArrayBuffer,
    readonly capacity: number,
  ) {
    this.mask = capacity - 1;
    this.header = new Int32Array(sab, 0, HEADER_BYTES >> 2);
    this.records = new RecordBuffer(sab, DATA_OFFSET, capacity * RECORD_BYTES);
  }

  /** A fresh ring of `capacity` slots (a power of two in [1, 2^30]); cursors start at 0. */
  static create(capacity: number): RingBuffer {
    const sab = new SharedArrayBuffer(ringBytes(capacity));
    const ring = new RingBuffer(sab, capacity);
    // Written before the buffer is shared: postMessage/workerData is the happens-before edge.
    ring.header[CAPACITY_INDEX] = capacity;
    ring.header[RECORD_BYTES_INDEX] = RECORD_BYTES;
    ring.header[MAGIC_INDEX] = RING_MAGIC;
    return ring;
  }

  /**
   * Any thread: wakes this ring's producer if it sleeps in awaitSpace, so it looks again at whether to
   * keep waiting (a stopping shard gives up). It changes nothing in the ring.
   */
  wakeProducer(): void {
    Atomics.notify(this.header, CONSUMER_CURSOR_INDEX);
  }

  /** This thread's views over a ring made by create() on any thread. Throws if `sab` is not one. */
  static attach(sab: SharedArrayBuffer): RingBuffer {
    const capacity = capacityOf(sab.byteLength);
    const header = new Int32Array(sab, 0, HEADER_BYTES >> 2);
    if (header[MAGIC_INDEX] !== RING_MAGIC || header[CAPACITY_INDEX] !== capacity || header[RECORD_BYTES_INDEX] !== RECORD_BYTES) {
      throw new RangeError('buffer is not a perpx ring of this record size');
    }
    return new RingBuffer(sab, capacity);
  }
}
