// JournalBlock: one RocksDB value holding consecutive input records of one shard, so a synced batch
// carries thousands of records in a few puts (one put per record would cost ~2-3 µs each in the batch
// API alone). Little-endian, like the records themselves.
//
//   byte 0        1      4          8                 16                      16 + 8n
//        +--------+------+----------+-----------------+-----------------------+------------------ ...
//        |version | (0)  | count n  | firstPosition   | n × entry:            | n × record
//        |  (u8)  |      |  (u32)   | (u53 as 2×u32)  | crc32c u32, input u16,| (128 bytes each,
//        +--------+------+----------+-----------------+ (0) u16               | as in the ring)
//
// Records sit contiguously after the entries, 8-aligned, so a decoded block is a RecordBuffer without a
// copy when the value itself is 8-aligned. Each record has its own checksum: CRC32C (@node-rs/crc32,
// SSE4.2) of its 128 bytes seeded with its input index, so a flipped bit in a record or in its input
// index is found and named by position. The record's stream seq is in its own header.

import { crc32c } from '@node-rs/crc32';
import { RECORD_BYTES, RecordBuffer } from '../engine/ring/record.js';

const BLOCK_VERSION = 1;
export const BLOCK_HEADER_BYTES = 16;
export const ENTRY_BYTES = 8;
const TWO_32 = 0x1_0000_0000;

function blockBytes(count: number): number {
  return BLOCK_HEADER_BYTES + count * (ENTRY_BYTES + RECORD_BYTES);
}

function recordChecksum(record: Uint8Array, input: number): number {
  return crc32c(record as Buffer, input) >>> 0;
}

/**
 * Builds blocks of one shard's records. Thread contract: the journal writer's thread.
 * Usage: begin(position, n), then add() n times, then finish() gives the value.
 */
export class BlockBuilder {
  private out: Buffer = Buffer.alloc(0);
  private view: DataView = new DataView(new ArrayBuffer(8));
  private n = 0;
  private count = 0;

  begin(firstPosition: number, count: number): void {
    this.out = Buffer.allocUnsafe(blockBytes(count));
    this.view = new DataView(this.out.buffer, this.out.byteOffset, this.out.byteLength);
    this.count = count;
    this.n = 0;
    const v = this.view;
    v.setUint32(0, BLOCK_VERSION, true);
    v.setUint32(4, count, true);
    v.setUint32(8, firstPosition % TWO_32, true);
    v.setUint32(12, Math.floor(firstPosition / TWO_32), true);
  }

  /** Copies the record at byte offset `at` of `src` (128 bytes) and its input index into the block. */
  add(src: Uint8Array, at: number, input: number): void {
    const i = this.n++;
    const recAt = BLOCK_HEADER_BYTES + this.count * ENTRY_BYTES + i * RECORD_BYTES;
    this.out.set(src.subarray(at, at + RECORD_BYTES), recAt);
    const entryAt = BLOCK_HEADER_BYTES + i * ENTRY_BYTES;
    this.view.setUint32(entryAt, recordChecksum(this.out.subarray(recAt, recAt + RECORD_BYTES), input), true);
    this.view.setUint16(entryAt + 4, input, true);
    this.view.setUint16(entryAt + 6, 0, true);
  }

  finish(): Buffer {
    if (this.n !== this.count) throw new Error(`block holds ${this.n} of ${this.count} records`);
    return this.out;
  }
}

/** A block read back: header fields, and accessors that never trust a length they did not check. */
export class JournalBlock {
  readonly count: number;
  readonly firstPosition: number;
  readonly version: number;
  private readonly view: DataView;
  /** The records as a RecordBuffer (copied once into aligned memory when the value was not 8-aligned). */
  readonly records: RecordBuffer;

  private constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.version = this.view.getUint8(0);
    this.count = this.view.getUint32(4, true);
    this.firstPosition = this.view.getUint32(8, true) + this.view.getUint32(12, true) * TWO_32;
    const recAt = BLOCK_HEADER_BYTES + this.count * ENTRY_BYTES;
    const abs = bytes.byteOffset + recAt;
    if (abs % 8 === 0) this.records = new RecordBuffer(bytes.buffer, abs, this.count * RECORD_BYTES);
    else {
      this.records = RecordBuffer.allocate(this.count);
      this.records.u8.set(bytes.subarray(recAt, recAt + this.count * RECORD_BYTES));
    }
  }

  /** Decodes a value; undefined when its header and length disagree (a torn or foreign value). */
  static decode(bytes: Uint8Array): JournalBlock | undefined {
    if (bytes.byteLength < BLOCK_HEADER_BYTES) return undefined;
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (v.getUint8(0) !== BLOCK_VERSION) return undefined;
    if (bytes.byteLength !== blockBytes(v.getUint32(4, true))) return undefined;
    return new JournalBlock(bytes);
  }

  input(i: number): number {
    return this.view.getUint16(BLOCK_HEADER_BYTES + i * ENTRY_BYTES + 4, true);
  }

  storedChecksum(i: number): number {
    return this.view.getUint32(BLOCK_HEADER_BYTES + i * ENTRY_BYTES, true);
  }

  /** The checksum record i has now (compare with storedChecksum). */
  actualChecksum(i: number): number {
    const at = i * RECORD_BYTES;
    return recordChecksum(this.records.u8.subarray(at, at + RECORD_BYTES), this.input(i));
  }

  /** Index of the first record whose checksum does not match, or -1. */
  firstBad(): number {
    for (let i = 0; i < this.count; i++) if (this.storedChecksum(i) !== this.actualChecksum(i)) return i;
    return -1;
  }
}
