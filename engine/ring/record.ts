// RecordDescriptor: the fixed-size binary record every ring carries, and the header common to all types.
//
// Every record is RECORD_BYTES long whatever its type, so a ring is a plain array of slots and a record can
// be copied between rings, journals and snapshots as 32 words. Byte order is little-endian, stated here
// once and checked at start-up by assertLittleEndian(): typed arrays use the platform's order.
//
//   byte 0               8               16      18      20      24      28      32
//        +---------------+---------------+-------+-------+-------+-------+-------+------------ ... 128
//        | seq (u53)     | timeUs (u53)  | type  |market | acct  | flags |  (0)  | body (96 bytes)
//        +---------------+---------------+-------+-------+-------+-------+-------+------------ ...
//
// seq      contiguous per output stream (one ring = one stream), assigned by the producer; the pair
//          (stream, seq) is what recovery and deduplication key on.
// timeUs   microseconds since the Unix epoch, stamped by the gateway (the sequencer). State machines never
//          read a clock: this field is their time. At most MAX_TIME_US (engine/shard/shard-clock.ts).
// type     record type id (types.ts, append-only).   market  market id (u16).   acct  account id (u32).
// flags    HeaderFlag bits: OPERATOR marks a command the gateway took from an authenticated operator
//          (operator-only commands are refused without it); MORE, on a market shard's event towards a risk
//          shard, says the same input wrote another record after it on that stream (input-end-marker.ts).
//
// A u53 is an unsigned integer below 2^53 stored as two u32 words (low word first), so it reads back into
// a JavaScript number exactly. Values that may pass 2^53 (balances, PnL) use an i64 field read as bigint.

import { endianness } from 'node:os';

export const RECORD_BYTES = 128;
export const RECORD_WORDS = RECORD_BYTES >> 2;

const U16 = 2;
const U32 = 4;
const U53 = 8;

// Header, as a running total.
const SEQ = 0;
export const TIME_US = SEQ + U53;
export const TYPE = TIME_US + U53;
const MARKET_ID = TYPE + U16;
const ACCOUNT_ID = MARKET_ID + U16;
const FLAGS = ACCOUNT_ID + U32;
export const HEADER_RESERVED = FLAGS + U32;
export const HEADER_BYTES = HEADER_RESERVED + U32;
export const BODY = HEADER_BYTES;

const TWO_32 = 0x1_0000_0000;
export const MAX_U53 = Number.MAX_SAFE_INTEGER;

/**
 * The latest time a record may carry: 2^52 µs after the epoch (in the year 2112). Every time a shard
 * derives from a record's time (a next funding or sample time, at most one interval later, and intervals
 * are at most MAX_INTERVAL_US) then stays below 2^53, so it fits the u53 fields that publish it.
 */
export const MAX_TIME_US = 2 ** 52;
/** The longest funding or sample interval a market may configure (2^45 µs, about 13 months). */
export const MAX_INTERVAL_US = 2 ** 45;

/** Bits of the header's flags word. */
export const HeaderFlag = {
  /** The command comes from an authenticated operator session, not from an account's own stream. */
  OPERATOR: 1,
  /** An event towards a risk shard: the input that wrote it wrote another record after it on this stream. */
  MORE: 2,
} as const;
/** Every bit a command may set in its flags word; a command with any other bit is refused (INVALID_FLAGS). MORE is for events only. */
export const KNOWN_HEADER_FLAGS = HeaderFlag.OPERATOR;

/**
 * Whether a value read by u53At is a u53. u53At reads any two words, so a record can carry up to 2^64 − 1
 * there: such a value reads back as a double at or above 2^53 (inexact), never below, so one comparison
 * tells the two apart. Every u53 a command carries passes this before anything uses it.
 */
export function isU53(v: number): boolean {
  return v <= MAX_U53;
}

export function assertLittleEndian(): void {
  if (endianness() !== 'LE') throw new Error('perpx records are little-endian; this platform is big-endian');
}

/**
 * Typed-array views over one buffer of records (a ring's data region, a journal page, a test scratch).
 * Made once per thread per buffer: never per message.
 */
export class RecordBuffer {
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly i64: BigInt64Array;

  constructor(readonly buffer: ArrayBufferLike, readonly byteOffset = 0, readonly byteLength = buffer.byteLength - byteOffset) {
    if (byteOffset % 8 !== 0 || byteLength % RECORD_BYTES !== 0) {
      throw new RangeError(`record buffer must be 8-aligned and a whole number of ${RECORD_BYTES}-byte records`);
    }
    this.u8 = new Uint8Array(buffer, byteOffset, byteLength);
    this.u16 = new Uint16Array(buffer, byteOffset, byteLength >> 1);
    this.i32 = new Int32Array(buffer, byteOffset, byteLength >> 2);
    this.u32 = new Uint32Array(buffer, byteOffset, byteLength >> 2);
    this.i64 = new BigInt64Array(buffer, byteOffset, byteLength >> 3);
  }

  static allocate(records: number): RecordBuffer {
    return new RecordBuffer(new ArrayBuffer(records * RECORD_BYTES));
  }

  get capacity(): number {
    return this.byteLength / RECORD_BYTES;
  }

  /** Byte offset of record i: the `at` argument of every accessor below. */
  at(i: number): number {
    return i * RECORD_BYTES;
  }

  u8At(at: number, field: number): number {
    return this.u8[at + field]!;
  }
  setU8(at: number, field: number, v: number): void {
    this.u8[at + field] = v;
  }
  u16At(at: number, field: number): number {
    return this.u16[(at + field) >> 1]!;
  }
  setU16(at: number, field: number, v: number): void {
    this.u16[(at + field) >> 1] = v;
  }
  i32At(at: number, field: number): number {
    return this.i32[(at + field) >> 2]!;
  }
  setI32(at: number, field: number, v: number): void {
    this.i32[(at + field) >> 2] = v;
  }
  u32At(at: number, field: number): number {
    return this.u32[(at + field) >> 2]!;
  }
  setU32(at: number, field: number, v: number): void {
    this.u32[(at + field) >> 2] = v;
  }
  u53At(at: number, field: number): number {
    const w = (at + field) >> 2;
    return this.u32[w]! + this.u32[w + 1]! * TWO_32;
  }
  /** Stores an integer in [0, 2^53). Callers validate; this only guards against silent corruption. */
  setU53(at: number, field: number, v: number): void {
    if (!(v >= 0 && v <= MAX_U53 && Math.floor(v) === v)) throw new RangeError(`u53 out of range: ${v}`);
    const w = (at + field) >> 2;
    const hi = Math.floor(v / TWO_32);
    this.u32[w] = v - hi * TWO_32;
    this.u32[w + 1] = hi;
  }
  i64At(at: number, field: number): bigint {
    return this.i64[(at + field) >> 3]!;
  }
  setI64(at: number, field: number, v: bigint): void {
    this.i64[(at + field) >> 3] = v;
  }

  // Header accessors.
  seq(at: number): number {
    return this.u53At(at, SEQ);
  }
  setSeq(at: number, v: number): void {
    this.setU53(at, SEQ, v);
  }
  timeUs(at: number): number {
    return this.u53At(at, TIME_US);
  }
  setTimeUs(at: number, v: number): void {
    this.setU53(at, TIME_US, v);
  }
  type(at: number): number {
    return this.u16[(at + TYPE) >> 1]!;
  }
  setType(at: number, v: number): void {
    this.u16[(at + TYPE) >> 1] = v;
  }
  marketId(at: number): number {
    return this.u16[(at + MARKET_ID) >> 1]!;
  }
  setMarketId(at: number, v: number): void {
    this.u16[(at + MARKET_ID) >> 1] = v;
  }
  accountId(at: number): number {
    return this.u32[(at + ACCOUNT_ID) >> 2]!;
  }
  setAccountId(at: number, v: number): void {
    this.u32[(at + ACCOUNT_ID) >> 2] = v;
  }
  flags(at: number): number {
    return this.u32[(at + FLAGS) >> 2]!;
  }
  setFlags(at: number, v: number): void {
    this.u32[(at + FLAGS) >> 2] = v;
  }

  /** Zeroes a record: reserved fields read as 0 whatever the slot held before. */
  clear(at: number): void {
    this.i32.fill(0, at >> 2, (at >> 2) + RECORD_WORDS);
  }

  /** Clears record `at` and writes the header a composed record starts from (seq and flags stay 0). */
  begin(at: number, type: number, timeUs: number, marketId: number, accountId: number): void {
    this.clear(at);
    this.setType(at, type);
    this.setTimeUs(at, timeUs);
    this.setMarketId(at, marketId);
    this.setAccountId(at, accountId);
  }

  /**
   * Copies record `fromAt` of `from` to record `toAt` of this buffer: 16 moves of 64 bits. Optimized code
   * moves BigInt64Array elements as raw words (no BigInt is made; bits are kept exactly, which a
   * Float64Array would not promise for NaN patterns), about half the time of 32 Int32 moves: every event
   * is copied once per output stream, so this is on the matching path.
   */
  copyFrom(from: RecordBuffer, fromAt: number, toAt: number): void {
    const s = fromAt >> 3;
    const d = toAt >> 3;
    const src = from.i64;
    const dst = this.i64;
    for (let k = 0; k < RECORD_WORDS >> 1; k++) dst[d + k] = src[s + k]!;
  }
}
