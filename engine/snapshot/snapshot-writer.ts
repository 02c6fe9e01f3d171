// SnapshotWriter: the byte sink every state codec writes into (docs/SNAPSHOTS.md, "Encodings"). Little-
// endian fixed-width fields, LEB128 variable-length integers, typed-array columns aligned to 8 bytes (so
// a reader can view them in place), and sections framed by a tag and a length.
//
//   uint(v)    LEB128, 7 bits a byte, v a safe integer ≥ 0
//   int(v)     first byte: bit 0 sign, bits 1-6 the low 6 bits of |v|, bit 7 more; then LEB128 of the
//              rest. Keeps −0 (sign set, magnitude 0): the shard's number slots may hold it.
//   big(v)     int(Number(v)) when |v| ≤ 2^53 − 1; else BIG_MARKER (0x81 0x00, an int that no canonical
//              encoding produces), a sign byte, uint(byte count) and the magnitude's bytes, low first
//   exact(v)   a number slot as int(v), or, for a value the slot keeps in bigint, big(v)
//
// Thread contract: the thread that encodes (a shard between two records, or a tool).

import { BIG_MARKER_0, BIG_MARKER_1 } from './snapshot-format.js';

const INITIAL_BYTES = 1 << 16;
const TWO_32 = 0x1_0000_0000;
const MAX_EXACT = Number.MAX_SAFE_INTEGER;
const MAX_EXACT_BIG = BigInt(MAX_EXACT);
const utf8 = new TextEncoder();

/**
 * A buffer kept from one encode to the next by a caller that snapshots the same shard again and again and
 * is done with one snapshot's bytes before it takes the next (the snapshotter's replica: posting them to
 * the store's thread copies them). A fresh buffer of a snapshot's size (90 MB for a million accounts) is
 * memory outside V8's heap, and that much of it allocated at once makes V8 mark the whole heap (a full
 * mark-compact of the shard's state, the largest part of an encode's CPU at that size); a buffer reused
 * is allocated once. The bytes an encode returns are a view of this buffer: the next encode into it
 * overwrites them.
 */
export class EncodeBuffer {
  /** The buffer, once an encode has made it; the next encode grows it if the snapshot does not fit. */
  bytes: Uint8Array | undefined;
}

export class SnapshotWriter {
  private buf: Uint8Array;
  private view: DataView;
  pos = 0;
  private sectionStart = -1;

  constructor(
    sizeHint = INITIAL_BYTES,
    private readonly reuse?: EncodeBuffer,
  ) {
    const kept = reuse?.bytes;
    this.buf = kept !== undefined && kept.length >= sizeHint ? kept : new Uint8Array(Math.max(64, sizeHint));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /**
   * The bytes written. Into an EncodeBuffer: a view of its buffer (which keeps the buffer, grown or not,
   * for the next encode). Else a view of the buffer when it is at least three quarters full (a snapshot
   * sized from its counts: copying 90 MB into fresh pages was a sixth of a million-account encode), or a
   * copy of exactly that length, so a small result never holds a large buffer. The writer must not be
   * written to afterwards.
   */
  finish(): Uint8Array {
    if (this.reuse !== undefined) {
      this.reuse.bytes = this.buf;
      return this.buf.subarray(0, this.pos);
    }
    if (this.pos * 4 >= this.buf.length * 3) return this.buf.subarray(0, this.pos);
    return this.buf.slice(0, this.pos);
  }

  /** Room for n more bytes. */
  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  bool(v: boolean): void {
    this.u8(v ? 1 : 0);
  }

  u16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }

  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** A 64-bit unsigned integer below 2^64 (a state hash). */
  u64(v: bigint): void {
    this.u32(Number(v & 0xffffffffn));
    this.u32(Number((v >> 32n) & 0xffffffffn));
  }

  /** Writes u32 v at an earlier position (a count or length filled in afterwards). */
  patchU32(at: number, v: number): void {
    this.view.setUint32(at, v, true);
  }

  uint(v: number): void {
    // Most values are below 128 (counts, flags, small ids): one byte, none of the checks below can fail.
    if (v < 0x80 && v >= 0 && (v | 0) === v) {
      this.ensure(1);
      this.buf[this.pos++] = v;
      return;
    }
    // Below 2^31 (ids, times in a day, most amounts): the bit operators are exact, no division.
    if ((v | 0) === v && v > 0) {
      this.ensure(5);
      const b = this.buf;
      let p = this.pos;
      while (v >= 0x80) {
        b[p++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      b[p++] = v;
      this.pos = p;
      return;
    }
    if (!(v >= 0 && v <= MAX_EXACT && Math.floor(v) === v)) throw new RangeError(`snapshot uint out of range: ${v}`);
    this.ensure(8);
    const b = this.buf;
    let p = this.pos;
    // Past 32 bits the bitwise operators would wrap: divide, which is exact on integers below 2^53.
    while (v >= 0x80) {
      const low = v < TWO_32 ? v & 0x7f : v % 128;
      b[p++] = low | 0x80;
      v = v < TWO_32 ? v >>> 7 : (v - low) / 128;
    }
    b[p++] = v;
    this.pos = p;
  }

  int(v: number): void {
    // A 32-bit integer other than −0 (nearly every value): no range check can fail and the bit operators
    // are exact; the rest is uint's.
    if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
      const negative = v < 0;
      const m = negative ? -v : v;
      const rest = m >>> 6;
      this.ensure(1);
      this.buf[this.pos++] = (negative ? 1 : 0) | ((m & 0x3f) << 1) | (rest > 0 ? 0x80 : 0);
      if (rest > 0) this.uint(rest);
      return;
    }
    const negative = v < 0 || Object.is(v, -0);
    let m = negative ? -v : v;
    if (!(m <= MAX_EXACT && Math.floor(m) === m)) throw new RangeError(`snapshot int out of range: ${v}`);
    const low = m < TWO_32 ? m & 0x3f : m % 64;
    m = m < TWO_32 ? m >>> 6 : (m - low) / 64;
    this.ensure(9);
    this.buf[this.pos++] = (negative ? 1 : 0) | (low << 1) | (m > 0 ? 0x80 : 0);
    if (m > 0) this.uint(m);
  }

  big(v: bigint): void {
    if (v >= -MAX_EXACT_BIG && v <= MAX_EXACT_BIG) return this.int(Number(v));
    this.u8(BIG_MARKER_0);
    this.u8(BIG_MARKER_1);
    this.u8(v < 0n ? 1 : 0);
    let m = v < 0n ? -v : v;
    const bytes: number[] = [];
    while (m > 0n) {
      bytes.push(Number(m & 0xffn));
      m >>= 8n;
    }
    this.uint(bytes.length);
    this.ensure(bytes.length);
    for (const x of bytes) this.buf[this.pos++] = x;
  }

  /** A number slot's value (exact-slot.ts): the number, or the bigint it keeps past 2^53. */
  exact(v: number | bigint): void {
    if (typeof v === 'number') this.int(v);
    else this.big(v);
  }

  /**
   * The same for a slot read as its number and, when that is NaN, its bigint (what the state hash's
   * exact takes): no union of the two to box the number in.
   */
  slot(n: number, big: bigint | undefined): void {
    if (n === n) this.int(n);
    else this.big(big!);
  }

  str(s: string): void {
    const bytes = utf8.encode(s);
    this.uint(bytes.length);
    this.bytes(bytes);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Zero bytes up to the next multiple of 8 (typed-array columns and sections start aligned). */
  align8(): void {
    const pad = (8 - (this.pos & 7)) & 7;
    this.ensure(pad);
    this.buf.fill(0, this.pos, this.pos + pad);
    this.pos += pad;
  }

  /** A column of doubles, aligned: the reader may view it in place. */
  f64s(a: Float64Array): void {
    this.align8();
    this.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }

  i32s(a: Int32Array): void {
    this.align8();
    this.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }

  /** Opens a section: its 4-character tag and a length filled in by endSection. */
  beginSection(tag: string): void {
    if (this.sectionStart >= 0) throw new Error(`section ${tag} opened inside another`);
    this.align8();
    this.u32(tagCode(tag));
    this.u32(0);
    this.sectionStart = this.pos;
  }

  endSection(): void {
    if (this.sectionStart < 0) throw new Error('no section open');
    this.patchU32(this.sectionStart - 4, this.pos - this.sectionStart);
    this.align8();
    this.sectionStart = -1;
  }
}

/** A section tag as the u32 of its four ASCII characters, first character lowest. */
export function tagCode(tag: string): number {
  if (!/^[A-Z0-9 ]{4}$/.test(tag)) throw new RangeError(`bad section tag ${JSON.stringify(tag)}`);
  return (tag.charCodeAt(0) | (tag.charCodeAt(1) << 8) | (tag.charCodeAt(2) << 16) | (tag.charCodeAt(3) << 24)) >>> 0;
}

export function tagName(code: number): string {
  return String.fromCharCode(code & 0xff, (code >>> 8) & 0xff, (code >>> 16) & 0xff, code >>> 24);
}
