// The envelope around a shard's sections (layout in snapshot-format.ts, docs/SNAPSHOTS.md): a header that
// says what the bytes are (magic, format version, shard kind and id, the state hash of the encoded state),
// the sections in a fixed order, and a CRC-32 of everything before the trailer.
//
// openSnapshot checks, in this order, and stops at the first failure with its SnapshotError code:
//   too short for a header ─▶ TRUNCATED · wrong magic ─▶ CORRUPT (not a snapshot) · a version no kind has ─▶
//   VERSION_UNSUPPORTED · too short for header and trailer ─▶ TRUNCATED · a version its kind does not have
//   (snapshot-format.ts: formatVersion) ─▶ VERSION_UNSUPPORTED · shorter than the header's total ─▶
//   TRUNCATED · longer ─▶ MALFORMED ·
//   CRC mismatch ─▶ CORRUPT · other shard kind ─▶ KIND_MISMATCH · a section header past the end,
//   non-zero padding, or a section count that differs from the header ─▶ TRUNCATED / MALFORMED.
// The decoder then takes the sections one by one by tag (next), so a missing, extra or reordered section
// is MALFORMED too.
//
// Thread contract: the encoding or decoding thread.

// The zlib CRC-32 (same polynomial and value as node:zlib's), computed with carry-less multiplication:
// several times zlib's speed over a 90 MB snapshot.
import { crc32 } from '@node-rs/crc32';
import { Code } from '../codes.js';
import { malformed, SnapshotError } from './snapshot-error.js';
import { formatVersion, HEADER_BYTES, HeaderFlag, MAGIC, readsVersion, SECTION_HEADER_BYTES, ShardKind, shardKindName, TRAILER_BYTES } from './snapshot-format.js';
import { SnapshotReader } from './snapshot-reader.js';
import { SnapshotWriter, tagCode, tagName, type EncodeBuffer } from './snapshot-writer.js';

export interface SnapshotHeader {
  readonly version: number;
  readonly kind: ShardKind;
  readonly shardId: number;
  readonly shardCount: number;
  /** The state hash of the encoded state (MarketShard/RiskShard.stateHash()). */
  readonly stateHash: bigint;
  readonly sectionCount: number;
  readonly totalBytes: number;
}

/** Writes the header, then the caller's sections, then the trailer. */
export class EnvelopeWriter {
  readonly w: SnapshotWriter;
  private sections = 0;

  constructor(
    private readonly kind: ShardKind,
    private readonly shardId: number,
    private readonly shardCount: number,
    sizeHint?: number,
    into?: EncodeBuffer,
  ) {
    this.w = new SnapshotWriter(sizeHint, into);
    this.w.pos = HEADER_BYTES;
  }

  /** One section: `body` writes its payload. */
  section(tag: string, body: (w: SnapshotWriter) => void): void {
    this.w.beginSection(tag);
    body(this.w);
    this.w.endSection();
    this.sections++;
  }

  /** `version`: the kind's current format version unless a caller re-seals older bytes (tests). */
  finish(stateHash: bigint, version = formatVersion(this.kind)): Uint8Array {
    const w = this.w;
    const total = w.pos + TRAILER_BYTES;
    const end = w.pos;
    w.pos = 0;
    w.u32(MAGIC);
    w.u16(version);
    w.u8(this.kind);
    w.u8(HeaderFlag.HASHED);
    w.u32(this.shardId);
    w.u32(this.shardCount);
    w.u64(BigInt.asUintN(64, stateHash));
    w.u32(this.sections);
    w.u32(0);
    w.u32(total % 0x1_0000_0000);
    w.u32(Math.floor(total / 0x1_0000_0000));
    w.pos = end;
    w.u32(0); // CRC placeholder: computed over the finished bytes below
    w.u32(0);
    const bytes = w.finish();
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(end, crc32(bytes.subarray(0, end)), true);
    return bytes;
  }
}

/** The sections of an opened snapshot, taken in order by tag. */
export class SnapshotSections {
  private next_ = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly spans: readonly { tag: number; start: number; end: number }[],
  ) {}

  /** The next section, which must carry this tag. */
  next(tag: string, what: string): SnapshotReader {
    const s = this.spans[this.next_];
    if (s === undefined) throw malformed(`section ${tag} (${what}) missing: the snapshot ends after ${this.spans.length} sections`);
    if (s.tag !== tagCode(tag)) throw malformed(`section ${this.next_}: expected ${tag} (${what}), found ${JSON.stringify(tagName(s.tag))}`);
    this.next_++;
    return new SnapshotReader(this.bytes, s.start, s.end, `section ${tag} (${what})`);
  }

  /** Every section has been taken. */
  done(): void {
    if (this.next_ !== this.spans.length) throw malformed(`${this.spans.length - this.next_} section(s) left after the last one the decoder knows`);
  }
}

/** Reads and checks the header (and, unless headerOnly, the CRC and the section table). */
export function readHeader(bytes: Uint8Array): SnapshotHeader {
  if (bytes.length < 4) throw new SnapshotError(Code.SNAPSHOT_TRUNCATED, `${bytes.length} byte(s): too short for a snapshot header`);
  const r = new SnapshotReader(bytes, 0, Math.min(bytes.length, HEADER_BYTES), 'header');
  if (r.u32() !== MAGIC) throw new SnapshotError(Code.SNAPSHOT_CORRUPT, 'not a perpx shard snapshot (bad magic)');
  if (bytes.length < 6) throw new SnapshotError(Code.SNAPSHOT_TRUNCATED, `${bytes.length} byte(s): too short for a snapshot header`);
  const version = r.u16();
  const newest = Math.max(formatVersion(ShardKind.MARKET), formatVersion(ShardKind.RISK));
  if (version < 1 || version > newest) throw new SnapshotError(Code.SNAPSHOT_VERSION_UNSUPPORTED, `format version ${version}; this build reads versions 1 to ${newest}`);
  if (bytes.length < HEADER_BYTES + TRAILER_BYTES) throw new SnapshotError(Code.SNAPSHOT_TRUNCATED, `${bytes.length} bytes: too short for a header and a trailer`);
  const kind = r.u8() as ShardKind;
  // Each kind is versioned on its own (snapshot-format.ts): a market shard has no version 2.
  if ((kind === ShardKind.MARKET || kind === ShardKind.RISK) && !readsVersion(kind, version)) throw new SnapshotError(Code.SNAPSHOT_VERSION_UNSUPPORTED, `a ${shardKindName(kind)} snapshot of format version ${version}; this build reads ${shardKindName(kind)} versions 1 to ${formatVersion(kind)}`);
  const flags = r.u8();
  const shardId = r.u32();
  const shardCount = r.u32();
  const stateHash = r.u64();
  const sectionCount = r.u32();
  const reserved = r.u32();
  const totalBytes = r.u32() + r.u32() * 0x1_0000_0000;
  if (flags !== HeaderFlag.HASHED || reserved !== 0) throw malformed(`header: flags ${flags}, reserved ${reserved}`);
  if (bytes.length < totalBytes) throw new SnapshotError(Code.SNAPSHOT_TRUNCATED, `${bytes.length} bytes of the ${totalBytes} the header announces`);
  if (bytes.length > totalBytes) throw malformed(`${bytes.length - totalBytes} byte(s) past the ${totalBytes} the header announces`);
  return { version, kind, shardId, shardCount, stateHash, sectionCount, totalBytes };
}

/** Opens a snapshot of the expected kind: header, CRC and section table checked (see the top of this file). */
export function openSnapshot(bytes: Uint8Array, kind: ShardKind): { header: SnapshotHeader; sections: SnapshotSections } {
  const header = readHeader(bytes);
  const end = header.totalBytes - TRAILER_BYTES;
  const t = new SnapshotReader(bytes, end, header.totalBytes, 'trailer');
  const stored = t.u32();
  if (t.u32() !== 0) throw new SnapshotError(Code.SNAPSHOT_CORRUPT, 'trailer: reserved word not zero');
  const actual = crc32(bytes.subarray(0, end));
  if (stored !== actual) throw new SnapshotError(Code.SNAPSHOT_CORRUPT, `checksum mismatch: stored CRC-32 ${hex(stored)}, bytes give ${hex(actual)}`);
  if (header.kind !== kind) throw new SnapshotError(Code.SNAPSHOT_KIND_MISMATCH, `a ${shardKindName(header.kind)} snapshot, where a ${shardKindName(kind)} one was expected`);
  const spans: { tag: number; start: number; end: number }[] = [];
  const r = new SnapshotReader(bytes, HEADER_BYTES, end, 'section table');
  while (r.remaining > 0) {
    const tag = r.u32();
    const length = r.u32();
    const start = r.pos;
    if (length > end - start) throw new SnapshotError(Code.SNAPSHOT_TRUNCATED, `section ${JSON.stringify(tagName(tag))} at offset ${start - SECTION_HEADER_BYTES}: length ${length} passes the end`);
    r.pos = start + length;
    r.align8();
    spans.push({ tag, start, end: start + length });
  }
  if (spans.length !== header.sectionCount) throw malformed(`the header announces ${header.sectionCount} sections, the bytes hold ${spans.length}`);
  return { header, sections: new SnapshotSections(bytes, spans) };
}

function hex(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}
