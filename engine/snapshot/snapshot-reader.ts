// SnapshotReader: reads what SnapshotWriter wrote, over one section (or the whole buffer), checking every
// read against the section's end. A read past it is SNAPSHOT_TRUNCATED; a value no writer produces (a
// boolean of 2, an integer past 2^53, a non-canonical varint, a count larger than the bytes left) is
// SNAPSHOT_MALFORMED. A section must be read to its last byte (end()): a section with bytes left over
// does not add up either.
//
// Thread contract: the decoding thread.

import { Code } from '../codes.js';
import { BIG_MARKER_0 } from './snapshot-format.js';
import { malformed, SnapshotError } from './snapshot-error.js';

const MAX_EXACT = Number.MAX_SAFE_INTEGER;
const MAX_EXACT_BIG = BigInt(MAX_EXACT);
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class SnapshotReader {
  private readonly view: DataView;
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
    /** What the reader reads, for error messages ("section BOOK of market 1"). */
    readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new SnapshotError(Code.SNAPSHOT_TRUNCATED, `${this.what}: ${n} byte(s) needed at offset ${this.pos}, ${this.end - this.pos} left`);
  }

  /** The reader must have reached the end of what it reads. */
  done(): void {
    if (this.pos !== this.end) throw malformed(`${this.what}: ${this.end - this.pos} byte(s) left unread`);
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  bool(): boolean {
    const v = this.u8();
    if (v > 1) throw malformed(`${this.what}: boolean ${v} at offset ${this.pos - 1}`);
    return v === 1;
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  u64(): bigint {
    const lo = this.u32();
    return (BigInt(this.u32()) << 32n) | BigInt(lo);
  }

  uint(): number {
    const b = this.bytes;
    const end = this.end;
    let p = this.pos;
    let v = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (p >= end) {
        this.pos = p;
        this.need(1);
      }
      const x = b[p++]!;
      v += (x & 0x7f) * scale;
      if ((x & 0x80) === 0) {
        // A last byte of 0 after the first adds nothing: only a writer bug or corruption makes one.
        if (x === 0 && i > 0) throw malformed(`${this.what}: non-canonical integer at offset ${this.pos}`);
        break;
      }
      scale *= 128;
      if (i === 7) throw malformed(`${this.what}: integer longer than 8 bytes at offset ${this.pos}`);
    }
    if (v > MAX_EXACT) throw malformed(`${this.what}: integer past 2^53 at offset ${this.pos}`);
    this.pos = p;
    return v;
  }

  /** A signed integer; a bigint marker here is malformed (use exact() or big() where one may stand). */
  int(): number {
    const v = this.exact();
    if (typeof v !== 'number') throw malformed(`${this.what}: bigint where a number belongs at offset ${this.pos}`);
    return v;
  }

  /** A number slot's value: a number, or a bigint past ±(2^53 − 1). */
  exact(): number | bigint {
    const at = this.pos;
    // One byte (|v| < 64, most values): nothing to check.
    if (at < this.end) {
      const only = this.bytes[at]!;
      if ((only & 0x80) === 0) {
        this.pos = at + 1;
        const m = only >>> 1;
        return (only & 1) !== 0 ? -m : m;
      }
    }
    const first = this.u8();
    let m = (first >>> 1) & 0x3f;
    if ((first & 0x80) !== 0) {
      if (first === BIG_MARKER_0 && this.peekZero()) {
        this.pos++;
        return this.bigTail(at);
      }
      const rest = this.uint();
      if (rest === 0) throw malformed(`${this.what}: non-canonical integer at offset ${at}`);
      m += rest * 64;
      if (m > MAX_EXACT) throw malformed(`${this.what}: integer past 2^53 at offset ${at}`);
    }
    return (first & 1) !== 0 ? -m : m;
  }

  big(): bigint {
    const v = this.exact();
    return typeof v === 'bigint' ? v : BigInt(v);
  }

  str(): string {
    const n = this.count(1);
    const s = this.pos;
    this.pos += n;
    try {
      return utf8.decode(this.bytes.subarray(s, s + n));
    } catch {
      throw malformed(`${this.what}: string at offset ${s} is not UTF-8`);
    }
  }

  /** n raw bytes (a view: valid while the snapshot's bytes are). */
  bytesOf(n: number): Uint8Array {
    this.need(n);
    const s = this.pos;
    this.pos += n;
    return this.bytes.subarray(s, s + n);
  }

  /** A count of items of at least bytesEach bytes: never more than the bytes left could hold. */
  count(bytesEach: number): number {
    const at = this.pos;
    const n = this.uint();
    if (n * bytesEach > this.end - this.pos) throw new SnapshotError(Code.SNAPSHOT_TRUNCATED, `${this.what}: count ${n} at offset ${at} needs more bytes than the ${this.end - this.pos} left`);
    return n;
  }

  /** Skips the zero padding up to the next multiple of 8 from the snapshot's start. */
  align8(): void {
    const pad = (8 - (this.pos & 7)) & 7;
    this.need(pad);
    for (let i = 0; i < pad; i++) if (this.bytes[this.pos + i] !== 0) throw malformed(`${this.what}: padding byte not zero at offset ${this.pos + i}`);
    this.pos += pad;
  }

  /** A column of n doubles: a view in place when the bytes are aligned in memory, a copy otherwise. */
  f64s(n: number): Float64Array {
    this.align8();
    const bytes = this.bytesOf(n * 8);
    if ((bytes.byteOffset & 7) === 0) return new Float64Array(bytes.buffer, bytes.byteOffset, n);
    return new Float64Array(bytes.slice().buffer);
  }

  i32s(n: number): Int32Array {
    this.align8();
    const bytes = this.bytesOf(n * 4);
    if ((bytes.byteOffset & 3) === 0) return new Int32Array(bytes.buffer, bytes.byteOffset, n);
    return new Int32Array(bytes.slice().buffer);
  }

  private peekZero(): boolean {
    return this.pos < this.end && this.bytes[this.pos] === 0;
  }

  private bigTail(at: number): bigint {
    const negative = this.bool();
    const n = this.count(1);
    if (n === 0) throw malformed(`${this.what}: empty bigint at offset ${at}`);
    const bytes = this.bytesOf(n);
    if (bytes[n - 1] === 0) throw malformed(`${this.what}: non-canonical bigint at offset ${at}`);
    let m = 0n;
    for (let i = n - 1; i >= 0; i--) m = (m << 8n) | BigInt(bytes[i]!);
    if (m <= MAX_EXACT_BIG) throw malformed(`${this.what}: bigint ${m} at offset ${at} fits a number`);
    return negative ? -m : m;
  }
}
