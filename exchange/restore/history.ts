// What the restore tool knows of one shard: its snapshots and its journal from where a replay can start.
// With a pruned journal that is the oldest kept snapshot's position; otherwise 0.
//
//   readHistories ──▶ per shard: snapshot descriptors (oldest first), the journal below the cut from its base
//   stateAt(p)    ──▶ the newest sound snapshot at or before p (older ones if it is not; a fresh shard when
//                     the journal starts at 0) + the journal's records up to p: a replica at p

import { Code } from '../../engine/codes.js';
import { PersistenceError } from '../../persistence/errors.js';
import { readShardLog, type ShardLog } from '../../persistence/journal-reader.js';
import { journalRange, parseJournalKey } from '../../persistence/keys.js';
import { listSnapshots, readSnapshotBytes, type SnapshotInfo } from '../../persistence/snapshot-store.js';
import type { CutRecord } from '../../persistence/cut-record.js';
import type { ReplayConfig } from '../journal-replay.js';
import { refusal } from '../snapshots/recovery-base.js';
import { ShardReplica } from '../snapshots/shard-replica.js';
import { shardName, type DataDir } from './data.js';
import { progress } from './progress.js';

export interface ShardHistory {
  readonly shard: number;
  /** Readable descriptors, oldest first. */
  readonly snapshots: readonly SnapshotInfo[];
  /** Descriptors that could not be read. */
  readonly unreadable: readonly { position: number; why: string }[];
  /** The journal below the cut, from log.firstPosition (0, or the oldest snapshot's position when pruned before it). */
  readonly log: ShardLog;
}

/**
 * The snapshot the oldest restorable point of a shard replays from: the oldest one at or after where its
 * journal starts; undefined when the journal starts at 0 (a replay from a fresh shard reaches every point),
 * or when it was pruned and no snapshot is left to start from.
 */
export function oldestBase(snapshots: readonly SnapshotInfo[], journalStart: number): SnapshotInfo | undefined {
  return journalStart === 0 ? undefined : snapshots.find((s) => s.position >= journalStart);
}

export function replayConfig(d: DataDir): ReplayConfig {
  return { topology: d.topology, riskMarkets: d.config.riskMarkets, pool: d.config.pool, pricing: d.config.pricing };
}

/** Every shard's snapshots and verified journal below the cut, with a progress bar when it takes a while. */
export async function readHistories(d: DataDir): Promise<ShardHistory[]> {
  const out: ShardHistory[] = [];
  const bases: (SnapshotInfo | undefined)[] = [];
  const snaps: SnapshotInfo[][] = [];
  const bad: { position: number; why: string }[][] = [];
  for (let x = 0; x < d.producers.length; x++) {
    const u: { position: number; why: string }[] = [];
    const all = await listSnapshots(d.store, x, (position, why) => u.push({ position, why }));
    // No journal at all: everything below the cut is in a snapshot at the cut (a restore right after one).
    let journalStart = d.cut.positions[x]!;
    for await (const { key } of d.store.scan({ ...journalRange(x), limit: 1 })) journalStart = parseJournalKey(key).position;
    snaps.push(all);
    bad.push(u);
    bases.push(oldestBase(all, journalStart));
  }
  const from = bases.map((b) => b?.position ?? 0);
  const total = d.cut.positions.reduce((a, p, x) => a + p - from[x]!, 0);
  const bar = progress('reading journals', total);
  let before = 0;
  try {
    for (let x = 0; x < d.producers.length; x++) {
      const b = bases[x];
      const log = await readShardLog(d.store, x, d.cut.positions[x]!, { inputs: d.producers[x]!.length, from: from[x], lastSeq: b?.lastSeq, lastTimeUs: b?.clockUs, onProgress: (n) => bar.update(before + n) });
      before += d.cut.positions[x]! - from[x]!;
      out.push({ shard: x, snapshots: snaps[x]!, unreadable: bad[x]!, log });
    }
  } finally {
    bar.stop();
  }
  return out;
}

/** A problem with one stored snapshot, as verify reports it. */
export interface SnapshotProblem {
  readonly shard: number;
  readonly position: number;
  readonly why: string;
}

/**
 * The newest sound snapshot of shard h.shard at or before `position` from which the journal can take
 * over (settled for `cut` when given: the one a recovery at that cut would use), decoded into a replica;
 * undefined when the journal starts at 0 and none fits. Snapshots passed over go to `skipped`.
 */
export async function baseAt(d: DataDir, h: ShardHistory, position: number, cut?: Pick<CutRecord, 'positions' | 'lastSeq'>, skipped?: (p: SnapshotProblem) => void): Promise<{ replica: ShardReplica; info: SnapshotInfo; bytes: Uint8Array } | undefined> {
  const c = replayConfig(d);
  for (let k = h.snapshots.length - 1; k >= 0; k--) {
    const info = h.snapshots[k]!;
    if (info.position > position || info.position < h.log.firstPosition) continue;
    let bytes: Uint8Array | undefined;
    let replica: ShardReplica | undefined;
    let why: string | undefined;
    try {
      bytes = await readSnapshotBytes(d.store, info);
      why = refusal(d.topology, h.shard, info, bytes, cut);
      // The decode checks the state hash the header records.
      if (why === undefined) replica = ShardReplica.fromSnapshot(c, h.shard, info.position, bytes, info.clockUs);
    } catch (e) {
      why = (e as Error).message;
    }
    if (replica !== undefined && bytes !== undefined) return { replica, info, bytes };
    skipped?.({ shard: h.shard, position: info.position, why: why ?? 'unreadable' });
  }
  if (h.log.firstPosition !== 0) {
    throw new PersistenceError(Code.JOURNAL_GAP, `${shardName(d.topology, h.shard)}: no sound snapshot at or before position ${position}, and the journal before position ${h.log.firstPosition} was pruned`, { shard: h.shard, position });
  }
  return undefined;
}

/** Records a replay applies between two progress reports: a multiple of 256, so slices end where applyLog flushes anyway. */
const SLICE = 65_536;

/**
 * replica.applyLog(log, to), in slices of the log ending at multiples of SLICE records from its start,
 * reporting the records applied so far after each (a progress bar over a long replay).
 */
export function applyLogIn(replica: ShardReplica, log: ShardLog, to: number, onProgress: (applied: number) => void, slice = SLICE): void {
  const from = replica.position;
  while (replica.position < to) {
    const k = replica.position - log.firstPosition;
    replica.applyLog(log, Math.min(to, log.firstPosition + (Math.floor(k / slice) + 1) * slice));
    onProgress(replica.position - from);
  }
}

/**
 * A replica of shard h.shard at `position`: baseAt's snapshot (or a fresh shard), then the journal up to
 * it; onProgress hears how many of the log's records are behind the replica (those under the snapshot too).
 */
export async function stateAt(d: DataDir, h: ShardHistory, position: number, onProgress: (applied: number) => void = () => {}): Promise<ShardReplica> {
  const replica = (await baseAt(d, h, position))?.replica ?? ShardReplica.fresh(replayConfig(d), h.shard);
  onProgress(replica.position - h.log.firstPosition);
  applyLogIn(replica, h.log, position, () => onProgress(replica.position - h.log.firstPosition));
  return replica;
}
