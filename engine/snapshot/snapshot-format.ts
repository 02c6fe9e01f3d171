// The fixed parts of the snapshot format (docs/SNAPSHOTS.md): the envelope's header and trailer, the
// shard kinds, the version. One place, so a reader and a writer cannot disagree.
//
//   byte 0        4        6      7       8          12           16             24         28       32
//        +--------+--------+------+-------+----------+------------+--------------+----------+--------+
//        | magic  |version | kind | flags | shard id | shard count| state hash   | sections | 0      |
//        | 'PXSN' |  u16   |  u8  |  u8   |   u32    |    u32     |  u64         |   u32    | u32    |
//        +--------+--------+------+-------+----------+------------+--------------+----------+--------+
//   byte 32: total length (u32 low, u32 high), then sections from byte 40, each
//        | tag (4 ASCII) | payload length u32 | payload, zero-padded to a multiple of 8 |
//   last 8 bytes: CRC-32 (zlib) of every byte before it, u32; then u32 0.

export const MAGIC = 0x4e535850; // 'PXSN' read as a little-endian u32
export const HEADER_BYTES = 40;
export const TRAILER_BYTES = 8;
export const SECTION_HEADER_BYTES = 8;

export const ShardKind = {
  MARKET: 1,
  RISK: 2,
} as const;
export type ShardKind = (typeof ShardKind)[keyof typeof ShardKind];

/**
 * The format version each kind is written in. The kinds are versioned apart: a risk snapshot's version 2
 * (risksnap8) changed its state hash's definition only. At listmarket a market snapshot's version 2 and a
 * risk snapshot's version 3 may carry markets listed at run time and a partial ListMarket group in CONF,
 * which the versions before cannot hold (one of those reads as a snapshot with neither).
 */
const FORMAT_VERSIONS: Readonly<Record<ShardKind, number>> = { [ShardKind.MARKET]: 2, [ShardKind.RISK]: 3 };

export function formatVersion(kind: ShardKind): number {
  return FORMAT_VERSIONS[kind];
}

/**
 * The version a snapshot is written in: the newest when it holds markets listed at run time or a listing
 * arriving, which the version before cannot; else that one, so a shard that never took a listing writes
 * the bytes it wrote before listmarket and a build from before reads them.
 */
export function writtenVersion(kind: ShardKind, listings: boolean): number {
  return listings ? FORMAT_VERSIONS[kind] : FORMAT_VERSIONS[kind] - 1;
}

/** The versions of a kind this build reads: every one up to the one it writes. */
export function readsVersion(kind: ShardKind, version: number): boolean {
  return version >= 1 && version <= formatVersion(kind);
}

export const HeaderFlag = {
  /** The header's state hash is the encoded state's (encoders always set it). */
  HASHED: 1,
} as const;

/** The two bytes that announce a bigint past the number range (snapshot-writer.ts). */
export const BIG_MARKER_0 = 0x81;
export const BIG_MARKER_1 = 0x00;

export function shardKindName(kind: number): string {
  return kind === ShardKind.MARKET ? 'market shard' : kind === ShardKind.RISK ? 'risk shard' : `unknown kind ${kind}`;
}
