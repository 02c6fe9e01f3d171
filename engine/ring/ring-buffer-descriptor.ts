// RingBufferDescriptor: the binary layout of one ring in a SharedArrayBuffer, and its checks.
// Layout only, no behaviour (the agrona habit): RingBuffer, RingProducer and RingConsumer read offsets here.
//
//   byte 0          128             256             384             512             640
//        +---------------+---------------+---------------+---------------+---------------+------------------+
//        | descriptor    | producer      | consumer 0    | producer      | consumer 1    | data: capacity × |
//        | magic, cap,   | cursor (i32)  | cursor (i32)  | parked (i32)  | cursor (i32)  | 128-byte records |
//        | record bytes, |               |               |               |               |                  |
//        | consumers     |               |               |               |               |                  |
//        +---------------+---------------+---------------+---------------+---------------+------------------+
//          written once    producer        consumer 0      producer        consumer 1      producer writes
//          by create()     writes, the     writes, the     writes, the     writes, the     claimed slots;
//                          consumers read  producer reads  consumers read  producer reads  consumers read
//                                                                                          published ones
//
// One producer, one or two consumers (the disruptor's multi-consumer pattern: every consumer reads every
// record, each with its own cursor, and the producer reuses a slot only once all of them released it).
// The second consumer is for a follower that reads a stream someone else already consumes (the
// surveillance worker on a market shard's gateway stream), so the stream is written once, not copied.
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
// The parked flag says the producer is asleep in awaitSpace() waiting on a consumer's cursor (the one
// furthest behind); every consumer then notifies on its own cursor after release() (see
// ring-space-parker.ts for the handshake).

import { RECORD_BYTES } from './record.js';

export const CACHE_LINE_BYTES = 128;

/** A constant stored at byte 0 so that attach() rejects a buffer that is not a ring ("PXRB"). */
export const RING_MAGIC = 0x42525850;

// Byte offsets, as a running total of lines.
const DESCRIPTOR_OFFSET = 0;
export const PRODUCER_CURSOR_OFFSET = DESCRIPTOR_OFFSET + CACHE_LINE_BYTES;
export const CONSUMER_CURSOR_OFFSET = PRODUCER_CURSOR_OFFSET + CACHE_LINE_BYTES;
export const PRODUCER_PARKED_OFFSET = CONSUMER_CURSOR_OFFSET + CACHE_LINE_BYTES;
/** Consumer 1's cursor (used only by a ring created for two consumers). */
export const SECOND_CONSUMER_CURSOR_OFFSET = PRODUCER_PARKED_OFFSET + CACHE_LINE_BYTES;
export const HEADER_BYTES = SECOND_CONSUMER_CURSOR_OFFSET + CACHE_LINE_BYTES;
export const DATA_OFFSET = HEADER_BYTES;

// Descriptor line fields (bytes within line 0).
export const MAGIC_OFFSET = DESCRIPTOR_OFFSET;
export const CAPACITY_OFFSET = MAGIC_OFFSET + 4;
export const RECORD_BYTES_OFFSET = CAPACITY_OFFSET + 4;
/** How many consumers read the ring (1 or 2): the producer waits for all of them. */
export const CONSUMERS_OFFSET = RECORD_BYTES_OFFSET + 4;
export const MAX_CONSUMERS = 2;

// The same offsets as indices into an Int32Array over the header: what Atomics take.
export const MAGIC_INDEX = MAGIC_OFFSET >> 2;
export const CAPACITY_INDEX = CAPACITY_OFFSET >> 2;
export const RECORD_BYTES_INDEX = RECORD_BYTES_OFFSET >> 2;
export const CONSUMERS_INDEX = CONSUMERS_OFFSET >> 2;
export const PRODUCER_CURSOR_INDEX = PRODUCER_CURSOR_OFFSET >> 2;
export const CONSUMER_CURSOR_INDEX = CONSUMER_CURSOR_OFFSET >> 2;
export const PRODUCER_PARKED_INDEX = PRODUCER_PARKED_OFFSET >> 2;
export const SECOND_CONSUMER_CURSOR_INDEX = SECOND_CONSUMER_CURSOR_OFFSET >> 2;

/** The header index of consumer c's cursor (c is 0 or 1). */
export function consumerCursorIndex(c: number): number {
  return c === 0 ? CONSUMER_CURSOR_INDEX : SECOND_CONSUMER_CURSOR_INDEX;
}

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
