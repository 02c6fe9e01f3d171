// Keys: how everything persistence writes is laid out in one key space. The first byte names the family
// (a column family as a key prefix); numbers are big-endian so byte order is numeric order, and a range
// scan over one shard's journal keys is that shard's input log in consumption order.
//
//   'M'                                   meta: format version, topology, markets (meta.ts)
//   'C'                                   the consistent cut and, per shard, per input, the last seq in it (cut-record.ts)
//   'J' shard(u16) firstPosition(u64)     a journal block: consecutive input records of one shard (journal-block.ts)
//   'S'                                   reserved for snapshots (not built yet: they need the state codecs)
//   'A' text                              surveillance alerts and what operators did with them, under
//                                         printable text keys (exchange/surveillance/store-alert-storage.ts)
//
// A shard is numbered globally: market shards 0..S-1, then risk shards S..S+R-1 (shard-ids.ts).

const Family = { META: 0x4d, CUT: 0x43, JOURNAL: 0x4a, SNAPSHOT: 0x53, ALERTS: 0x41 } as const;

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
  const k = new Uint8Array(11);
  const v = new DataView(k.buffer);
  k[0] = Family.JOURNAL;
  v.setUint16(1, shard);
  putU64(v, 3, position);
  return k;
}

export function parseJournalKey(k: Uint8Array): { shard: number; position: number } {
  const v = new DataView(k.buffer, k.byteOffset, k.byteLength);
  if (k.byteLength !== 11 || k[0] !== Family.JOURNAL) throw new RangeError('not a journal key');
  return { shard: v.getUint16(1), position: getU64(v, 3) };
}

/** Journal keys of one shard from position `from` (inclusive) to `to` (exclusive; default: the end). */
export function journalRange(shard: number, from = 0, to = Number.MAX_SAFE_INTEGER): { gte: Uint8Array; lt: Uint8Array } {
  return { gte: journalKey(shard, from), lt: journalKey(shard, to) };
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
    case Family.ALERTS:
      return `A/${alertsKeyText(k)}`;
    default:
      return String.fromCharCode(k[0] ?? 63);
  }
}
