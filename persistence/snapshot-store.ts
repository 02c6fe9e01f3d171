// Snapshots in the store: a shard's state codec bytes (engine/snapshot/, docs/SNAPSHOTS.md) cut into
// pieces under 'P', and a small descriptor under 'S' saying what the snapshot covers (keys.ts):
//
//   'P' x p 0 .. 'P' x p n-1   the bytes, ≤ PIECE_BYTES each
//   'S' x p                    { position p, last seq per input, the shard's clock, the state hash, size, pieces }
//
// The pieces are written first, the descriptor last in a synced write (whose WAL sync covers the pieces),
// and a reader only trusts pieces a descriptor names, so a crash while one is written leaves either a
// whole snapshot or no descriptor (and stray pieces the retention rule later removes). Position p means "the state after the shard's journal
// records [0, p)": recovery decodes it and replays the journal from p.
//
// Retention (retentionPlan): keep the newest `keep` snapshots and, with a window (of shard time, of journal
// records, or both), every snapshot inside it plus the newest one at or before its start, so any point in
// the window has a snapshot at or before it and the journal after it; older snapshots and every journal
// block wholly before the oldest kept snapshot go. While no snapshot lies at or before a window's start,
// the journal is kept whole.

import { Code } from '../engine/codes.js';
import { PersistenceError } from './errors.js';
import { blockStartAt } from './journal-reader.js';
import { journalRange, parseSnapshotKey, snapshotKey, snapshotPieceKey, snapshotPieceRange, snapshotRange } from './keys.js';
import type { Store, StoreOp } from './store.js';

const PIECE_BYTES = 4 << 20;

export interface SnapshotInfo {
  readonly version: 1;
  readonly shard: number;
  /** The snapshot is the shard's state after its journal records [0, position). */
  readonly position: number;
  /** Per input stream, the last seq consumed inside the snapshot. */
  readonly lastSeq: readonly number[];
  /**
   * The seq the next record of each output stream to other shards carries: the snapshot is only used where
   * every consumer has consumed the records before it (its re-delivery starts at or after these).
   */
  readonly outputNextSeqs: readonly number[];
  /** The shard's time at the snapshot: the latest time of a record it took (or its clock, if later), µs. */
  readonly clockUs: number;
  /** Wall-clock time it was taken (ms since the epoch), for operators only. */
  readonly takenAtMs: number;
  /** The state hash the snapshot's header records, 16 hex digits. */
  readonly stateHash: string;
  readonly bytes: number;
  readonly pieces: number;
}

export interface RetentionPolicy {
  /** Snapshots kept per shard at least (≥ 1; 2 or more lets recovery fall back past a corrupt newest one). */
  readonly keep: number;
  /** Keep every point of the last `windowUs` of shard time restorable (absent: only `keep` counts). */
  readonly windowUs?: number;
  /** Keep every position of the shard's last `windowRecords` journal records restorable (absent: only `keep` counts). */
  readonly windowRecords?: number;
  /** Keep the whole journal (prune only snapshots): every point stays replayable from position 0. */
  readonly keepJournal?: boolean;
}

/** The writes that store one snapshot (pieces first, the descriptor last: write it last, synced). */
export function snapshotOps(info: SnapshotInfo, bytes: Uint8Array): StoreOp[] {
  const ops: StoreOp[] = [];
  for (let c = 0; c < info.pieces; c++) ops.push({ type: 'put', key: snapshotPieceKey(info.shard, info.position, c), value: bytes.subarray(c * PIECE_BYTES, Math.min(bytes.length, (c + 1) * PIECE_BYTES)) });
  ops.push({ type: 'put', key: snapshotKey(info.shard, info.position), value: Buffer.from(JSON.stringify(info)) });
  return ops;
}

export function piecesFor(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / PIECE_BYTES));
}

function parseInfo(value: Uint8Array, shard: number, position: number): SnapshotInfo | undefined {
  try {
    const i = JSON.parse(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8')) as SnapshotInfo;
    if (i.version !== 1 || i.shard !== shard || i.position !== position || !Array.isArray(i.lastSeq) || !Array.isArray(i.outputNextSeqs) || !(i.pieces >= 1)) return undefined;
    return i;
  } catch {
    return undefined;
  }
}

/** Shard `shard`'s snapshot descriptors, oldest first. An unreadable descriptor is reported, not returned. */
export async function listSnapshots(store: Store, shard: number, onBad?: (position: number, why: string) => void): Promise<SnapshotInfo[]> {
  const out: SnapshotInfo[] = [];
  for await (const { key, value } of store.scan(snapshotRange(shard))) {
    const { position } = parseSnapshotKey(key);
    const info = parseInfo(value, shard, position);
    if (info) out.push(info);
    else onBad?.(position, 'its descriptor is unreadable');
  }
  return out;
}

/** The snapshot's bytes, put together from its pieces; SNAPSHOT_CORRUPT when a piece is missing or the size is wrong. */
export async function readSnapshotBytes(store: Store, info: SnapshotInfo): Promise<Uint8Array> {
  const out = new Uint8Array(info.bytes);
  let at = 0;
  let c = 0;
  for await (const { value } of store.scan({ gte: snapshotPieceKey(info.shard, info.position, 0), lt: snapshotPieceKey(info.shard, info.position, info.pieces) })) {
    if (at + value.byteLength > out.length) break;
    out.set(value, at);
    at += value.byteLength;
    c++;
  }
  if (c !== info.pieces || at !== info.bytes) {
    throw new PersistenceError(Code.SNAPSHOT_CORRUPT, `shard ${info.shard}: snapshot at position ${info.position} has ${c} of ${info.pieces} piece(s), ${at} of ${info.bytes} bytes`, { shard: info.shard, position: info.position, key: `S/${info.shard}/${info.position}` });
  }
  return out;
}

/** What retention keeps of one shard: its snapshots (oldest first), and whether the journal before the oldest may go. */
export interface RetentionPlan {
  readonly kept: SnapshotInfo[];
  /**
   * False when some point inside the window lies before every snapshot (only a replay from the journal's
   * own beginning reaches it) or the policy keeps the whole journal.
   */
  readonly pruneJournal: boolean;
}

/**
 * Which snapshots a shard keeps under the policy, given all it has (oldest first). Each window is measured
 * back from the shard's newest snapshot (the one just stored when the writer prunes): in its own time, a
 * time every record carries and the journal holds, so the rule is deterministic and a restore tool reading
 * the directory later judges it on the same clock; in journal records, from its position. Keeping what
 * either asks for (docs/SNAPSHOTS.md, "Retention").
 */
export function retentionPlan(all: readonly SnapshotInfo[], policy: RetentionPolicy): RetentionPlan {
  if (all.length === 0) return { kept: [], pruneJournal: false };
  let from = Math.max(0, all.length - Math.max(1, policy.keep));
  let pruneJournal = policy.keepJournal !== true;
  const newest = all[all.length - 1]!;
  const windows: [start: number, at: (s: SnapshotInfo) => number][] = [];
  if (policy.windowUs !== undefined) windows.push([newest.clockUs - policy.windowUs, (s) => s.clockUs]);
  if (policy.windowRecords !== undefined) windows.push([newest.position - policy.windowRecords, (s) => s.position]);
  for (const [start, at] of windows) {
    // The newest snapshot at or before the window's start: every point after it replays from it.
    let k = all.length - 1;
    while (k >= 0 && at(all[k]!) > start) k--;
    if (k >= 0) from = Math.min(from, k);
    else {
      // Every snapshot is inside the window: the points before the oldest replay from the journal's
      // beginning, so all of it stays (with every snapshot) until a snapshot falls at or before the start.
      from = 0;
      pruneJournal = false;
    }
  }
  return { kept: all.slice(from), pruneJournal };
}

/**
 * Applies the retention rule to shard `shard`: drops the snapshots it does not keep and, when the plan
 * allows, every journal block that ends at or before the oldest kept snapshot's position. Returns what it
 * removed (journalBefore: the position the journal is now kept from, 0 when none was pruned).
 */
export async function pruneShard(store: Store, shard: number, policy: RetentionPolicy): Promise<{ snapshots: number; journalBefore: number }> {
  const all = await listSnapshots(store, shard);
  const { kept, pruneJournal } = retentionPlan(all, policy);
  if (kept.length === 0) return { snapshots: 0, journalBefore: 0 };
  const oldest = kept[0]!.position;
  const dropped = all.length - kept.length;
  if (dropped > 0) {
    // Descriptors first (synced): a piece without a descriptor is never read, so a crash between the two
    // deletions leaves only unreachable pieces.
    await store.deleteRange(snapshotRange(shard, 0, oldest), true);
  }
  // Pieces below the oldest kept snapshot: of dropped snapshots and of any a crash left without a descriptor.
  await store.deleteRange(snapshotPieceRange(shard, 0, oldest), false);
  if (!pruneJournal) return { snapshots: dropped, journalBefore: 0 };
  // The block holding position `oldest` starts at or before it; everything before that block goes.
  const keepFrom = await blockStartAt(store, shard, oldest);
  if (keepFrom > 0) await store.deleteRange(journalRange(shard, 0, keepFrom), true);
  return { snapshots: dropped, journalBefore: keepFrom };
}
