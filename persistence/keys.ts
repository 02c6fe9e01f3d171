// Keys: how everything persistence writes is laid out in one key space. The first byte names the family
// (a column family as a key prefix); numbers are big-endian so byte order is numeric order, and a range
// scan over one shard's journal keys is that shard's input log in consumption order.
//
//   'M'                                   meta: format version, topology, markets (meta.ts)
//   'C'                                   the consistent cut and, per shard, per input, the last seq in it (cut-record.ts)
//   'J' shard(u16) firstPosition(u64)     a journal block: consecutive input records of one shard (journal-block.ts)
//   'S' shard(u16) position(u64)          a snapshot's descriptor: what it covers, its hash, size, chunks (snapshot-store.ts)
//   'P' shard(u16) position(u64) chunk(u32)   a piece of a snapshot's bytes (the descriptor is written last)
//   'A' text                              surveillance alerts and what operators did with them, under
//                                         printable text keys (exchange/surveillance/store-alert-storage.ts)
//
// A shard is numbered globally: market shards 0..S-1, then risk shards S..S+R-1 (shard-ids.ts).

const Family = { META: 0x4d, CUT: 0x43, JOURNAL: 0x4a, SNAPSHOT: 0x53, SNAPSHOT_PIECE: 0x50, ALERTS: 0x41 } as const;

const TWO_32 = 0x1_0000_0000;

export const META_KEY = Uint8Array.of(Family.META);
export const CUT_KEY = Uint8Array.of(Family.CUT);

function putU64(v: DataView, at: number, n: number): void {
  v.setUint32(at, Math.floor(n / TWO_32));
  v.setUint32(at + 4, n % TWO_32);
}

function getU64(v: DataView, at: number): number {
  return v.getUint32(at) * TWO_32 + v.getUint32(at + 4);
}

/** 'J' shard position: the block of shard `shard` whose first record is at `position`. */
export function journalKey(shard: number, position: number): Uint8Array {
  return shardPositionKey(Family.JOURNAL, shard, position).k;
}

export function parseJournalKey(k: Uint8Array): { shard: number; position: number } {
  return parseShardPositionKey(k, Family.JOURNAL, 'a journal key');
}

/** Journal keys of one shard from position `from` (inclusive) to `to` (exclusive; default: the end). */
export function journalRange(shard: number, from = 0, to = Number.MAX_SAFE_INTEGER): { gte: Uint8Array; lt: Uint8Array } {
  return { gte: journalKey(shard, from), lt: journalKey(shard, to) };
}

function shardPositionKey(family: number, shard: number, position: number, extra = 0): { k: Uint8Array; v: DataView } {
  const k = new Uint8Array(11 + extra);
  const v = new DataView(k.buffer);
  k[0] = family;
  v.setUint16(1, shard);
  putU64(v, 3, position);
  return { k, v };
}

function parseShardPositionKey(k: Uint8Array, family: number, what: string): { shard: number; position: number } {
  const v = new DataView(k.buffer, k.byteOffset, k.byteLength);
  if (k.byteLength !== 11 || k[0] !== family) throw new RangeError(`not ${what}`);
  return { shard: v.getUint16(1), position: getU64(v, 3) };
}

/** 'S' shard position: the descriptor of shard `shard`'s snapshot covering its journal below `position`. */
export function snapshotKey(shard: number, position: number): Uint8Array {
  return shardPositionKey(Family.SNAPSHOT, shard, position).k;
}

export function parseSnapshotKey(k: Uint8Array): { shard: number; position: number } {
  return parseShardPositionKey(k, Family.SNAPSHOT, 'a snapshot key');
}

/** Snapshot descriptors of one shard at positions [from, to). */
export function snapshotRange(shard: number, from = 0, to = Number.MAX_SAFE_INTEGER): { gte: Uint8Array; lt: Uint8Array } {
  return { gte: snapshotKey(shard, from), lt: snapshotKey(shard, to) };
}

/** 'P' shard position chunk: piece `chunk` of the snapshot's bytes. */
export function snapshotPieceKey(shard: number, position: number, chunk: number): Uint8Array {
  const { k, v } = shardPositionKey(Family.SNAPSHOT_PIECE, shard, position, 4);
  v.setUint32(11, chunk);
  return k;
}

/** Pieces of the snapshots of one shard at positions [from, to). */
export function snapshotPieceRange(shard: number, from = 0, to = Number.MAX_SAFE_INTEGER): { gte: Uint8Array; lt: Uint8Array } {
  return { gte: snapshotPieceKey(shard, from, 0), lt: snapshotPieceKey(shard, to, 0) };
}

const utf8 = new TextEncoder();

/** 'A' text: a key of the alerts family. */
export function alertsKey(text: string): Uint8Array {
  const t = utf8.encode(text);
  const k = new Uint8Array(1 + t.byteLength);
  k[0] = Family.ALERTS;
  k.set(t, 1);
  return k;
}

/** Every key of the alerts family whose text starts with `prefix` (text keys are printable ASCII, below 0x7f). */
export function alertsRange(prefix: string): { gte: Uint8Array; lt: Uint8Array } {
  const gte = alertsKey(prefix);
  const lt = new Uint8Array(gte.byteLength + 1);
  lt.set(gte);
  lt[gte.byteLength] = 0xff;
  return { gte, lt };
}

/** The text of an alerts-family key. */
function alertsKeyText(k: Uint8Array): string {
  if (k[0] !== Family.ALERTS) throw new RangeError('not an alerts key');
  return new TextDecoder().decode(k.subarray(1));
}

/** Printable form of a key for errors and the restore tool. */
export function keyText(k: Uint8Array): string {
  switch (k[0]) {
    case Family.JOURNAL: {
      const { shard, position } = parseJournalKey(k);
      return `J/${shard}/${position}`;
    }
    case Family.SNAPSHOT: {
      const { shard, position } = parseSnapshotKey(k);
      return `S/${shard}/${position}`;
    }
    case Family.ALERTS:
      return `A/${alertsKeyText(k)}`;
    default:
      return String.fromCharCode(k[0] ?? 63);
  }
}
