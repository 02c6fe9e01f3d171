// InputStamp: the journal position of the input record a shard is handling now, written by its
// EventProcessor before each handle() and read by its outputs when they append. Every output record
// carries the low 32 bits of it in the header's reserved word (record.ts HEADER_RESERVED), so whoever
// receives an output knows which input produced it: a consumer's journal then names what each of its
// inputs depends on, and the gateway can hold a response until that input is durable.
//
// A position counts every record the shard took from its input rings (re-deliveries included), from 0 at
// the beginning of its journal. Serial-number arithmetic on the low 32 bits is unambiguous as long as
// fewer than 2^31 records are outstanding between producer and reader, which ring capacities guarantee.
// Thread contract: the shard's thread writes `position`; its outputs read it on the same thread.

import { HEADER_RESERVED, type RecordBuffer } from '../ring/record.js';

export class InputStamp {
  /** The position of the record being handled (or last handled). */
  position = 0;

  /** Stamps record `at` of `buf` with the low 32 bits of the current position. */
  apply(buf: RecordBuffer, at: number): void {
    buf.setU32(at, HEADER_RESERVED, this.position >>> 0);
  }
}

/** The stamp of record `at` (the low 32 bits of the producing input's position). */
export function stampOf(buf: RecordBuffer, at: number): number {
  return buf.u32At(at, HEADER_RESERVED);
}

/**
 * A shard's durable cut as the journal publishes it: the low 32 bits of its position, one word of shared
 * memory (persistence/watermark.ts lays the words out; the engine only reads its own). Read by a shard's
 * gateway-bound output to tell whether what it publishes is releasable already (ring-output.ts).
 */
export class DurableCut {
  private readonly words: Int32Array;

  constructor(
    sab: SharedArrayBuffer,
    private readonly index: number,
  ) {
    this.words = new Int32Array(sab);
  }

  /** Low 32 bits of the durable cut (one sequentially consistent load). */
  low(): number {
    return Atomics.load(this.words, this.index) >>> 0;
  }
}

/**
 * True when a record stamped `stamp32` was produced by an input below `cutLow32` (the low 32 bits of a
 * position bound): serial-number comparison, valid while the two are less than 2^31 apart.
 */
export function stampBefore(stamp32: number, cutLow32: number): boolean {
  return ((stamp32 - cutLow32) | 0) < 0;
}
