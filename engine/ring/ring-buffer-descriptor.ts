// RingBufferDescriptor: the binary layout of one SPSC ring in a SharedArrayBuffer, and its checks.
// Layout only, no behaviour (the agrona habit): RingBuffer, RingProducer and RingConsumer read offsets here.
//
//   byte 0          128             256             384             512
//        +---------------+---------------+---------------+---------------+------------------------------+
//        | descriptor    | producer      | consumer      | producer      | data: capacity × 128-byte    |
//        | magic, cap,   | cursor (i32)  | cursor (i32)  | parked (i32)  | records (RECORD_BYTES each)  |
//        | record bytes  |               |               |               |                              |
//        +---------------+---------------+---------------+---------------+------------------------------+
//          written once    producer        consumer        producer        producer writes slots it has
//          by create()     writes, the     writes, the     writes, the     claimed; consumer reads slots
//                          consumer reads  producer reads  consumer reads  that are published
//
// Every word another thread polls sits alone on its own 128-byte line: two adjacent 64-byte lines are
// fetched as a pair by the spatial prefetcher on x86, so 64 bytes of padding are not enough to keep the
// producer's stores from invalidating the line the consumer spins on (false sharing). JavaScript cannot
// choose where a SharedArrayBuffer starts (V8 aligns large ones to a page, small ones to at least 16
// bytes), but words 128 bytes apart always fall in different aligned 128-byte pairs, whatever the base.
//
// Cursors are Int32 counters of records ever published (producer) and released (consumer). They wrap at
// 2^32 and all arithmetic on them is modular, (a - b) | 0, which is exact while the distance between
// them never exceeds capacity ≤ 2^30 < 2^31. The slot of cursor c is c & (capacity - 1).
//
// The parked flag says the producer is asleep in awaitSpace() waiting on the consumer cursor; the consumer
// then notifies on that cursor after release() (see ring-space-parker.ts for the handshake).

import { RECORD_BYTES } from './record.js';

export const CACHE_LINE_BYTES = 128;

/** A constant stored at byte 0 so that attach() rejects a buffer that is not a ring ("PXRB"). */
export const RING_MAGIC = 0x42525850;

// Byte offsets, as a running total of lines.
const DESCRIPTOR_OFFSET = 0;
export const PRODUCER_CURSOR_OFFSET = DESCRIPTOR_OFFSET + CACHE_LINE_BYTES;
export const CONSUMER_CURSOR_OFFSET = PRODUCER_CURSOR_OFFSET + CACHE_LINE_BYTES;
export const PRODUCER_PARKED_OFFSET = CONSUMER_CURSOR_OFFSET + CACHE_LINE_BYTES;
export const HEADER_BYTES = PRODUCER_PARKED_OFFSET + CACHE_LINE_BYTES;
export const DATA_OFFSET = HEADER_BYTES;

// Descriptor line fields (bytes within line 0).
export const MAGIC_OFFSET = DESCRIPTOR_OFFSET;
export const CAPACITY_OFFSET = MAGIC_OFFSET + 4;
export const RECORD_BYTES_OFFSET = CAPACITY_OFFSET + 4;

// The same offsets as indices into an Int32Array over the header: what Atomics take.
export const MAGIC_INDEX = MAGIC_OFFSET >> 2;
export const CAPACITY_INDEX = CAPACITY_OFFSET >> 2;
export const RECORD_BYTES_INDEX = RECORD_BYTES_OFFSET >> 2;
export const PRODUCER_CURSOR_INDEX = PRODUCER_CURSOR_OFFSET >> 2;
export const CONSUMER_CURSOR_INDEX = CONSUMER_CURSOR_OFFSET >> 2;
export const PRODUCER_PARKED_INDEX = PRODUCER_PARKED_OFFSET >> 2;

/** Largest capacity: keeps cursor distances exact in Int32 arithmetic (< 2^31). */
export const MAX_CAPACITY = 2 ** 30;

/** A power of two in [1, 2^30]. The range is checked first: `&` truncates to 32 bits. */
export function isValidCapacity(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_CAPACITY && (n & (n - 1)) === 0;
}

/** Throws RangeError unless capacity is a power of two in [1, 2^30]: a configuration error, not a business outcome. */
export function checkCapacity(capacity: number): void {
  if (!isValidCapacity(capacity)) {
    throw new RangeError(`ring capacity must be a power of two in [1, 2^30], got ${capacity}`);
  }
}

/** Total bytes of a ring of this capacity: header lines plus data slots. */
export function ringBytes(capacity: number): number {
  checkCapacity(capacity);
  return HEADER_BYTES + capacity * RECORD_BYTES;
}

/** Capacity that a buffer of byteLength holds, or throws if the size is not header + 2^k records. */
export function capacityOf(byteLength: number): number {
  const capacity = (byteLength - HEADER_BYTES) / RECORD_BYTES;
  checkCapacity(capacity);
  return capacity;
}
