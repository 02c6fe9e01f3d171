// perpx-restore verify: everything a data directory holds is checked against everything else.
//
//   journal    every record's CRC32C below the cut, positions without gaps (readHistories)
//   cut        its last seq per input equals the journal's
//   snapshots  each one whole (pieces, CRC-32, header = descriptor), and each one the journal reaches
//              equal to a replay of the journal before it: replay from the oldest usable state through
//              every snapshot position in order, comparing the state hash there with the snapshot's, in
//              that snapshot's hash definition (its format version: a risk snapshot of version 1, written
//              before risksnap8, records the old mixer's hash)
//   replay     every shard's state hash at the cut
//
// Any problem is printed and ends the command with SNAPSHOT_CORRUPT or JOURNAL_CORRUPT (exit 3). The replay,
// most of the time verify takes, shows a progress bar (after reading the journals, which show their own).

import { Code } from '../../engine/codes.js';
import { readHeader } from '../../engine/snapshot/snapshot-envelope.js';
import { PersistenceError } from '../../persistence/errors.js';
import { readSnapshotBytes } from '../../persistence/snapshot-store.js';
import { refusal } from '../snapshots/recovery-base.js';
import { ShardReplica } from '../snapshots/shard-replica.js';
import { emit, type Out } from './commands.js';
import { extents, shardName, type DataDir } from './data.js';
import { applyLogIn, baseAt, readHistories, replayConfig, type ShardHistory, type SnapshotProblem } from './history.js';
import { progress } from './progress.js';
import { table } from './table.js';
import { stateHashHex } from '../../engine/shard/hash.js';


/**
 * Replays shard h from its base through every later snapshot; returns snapshots checked and the hash at
 * the cut. onProgress hears how many of its log's records are behind the replay.
 */
async function verifyShard(d: DataDir, h: ShardHistory, problems: SnapshotProblem[], onProgress: (applied: number) => void): Promise<{ checked: number; stateHash: string }> {
  let checked = 0;
  const versions = new Map<number, number>();
  for (const s of h.snapshots) {
    let why: string | undefined;
    try {
      const bytes = await readSnapshotBytes(d.store, s);
      why = refusal(d.topology, h.shard, s, bytes);
      if (why === undefined) versions.set(s.position, readHeader(bytes).version);
    } catch (e) {
      why = (e as Error).message;
    }
    if (why !== undefined) problems.push({ shard: h.shard, position: s.position, why });
  }
  const base = await baseAt(d, h, h.log.firstPosition);
  const replica = base?.replica ?? ShardReplica.fresh(replayConfig(d), h.shard);
  if (base) checked++;
  const report = () => onProgress(replica.position - h.log.firstPosition);
  for (const s of h.snapshots) {
    if (s.position <= replica.position) continue;
    applyLogIn(replica, h.log, s.position, report);
    const replayed = stateHashHex(replica.stateHash(versions.get(s.position)));
    if (replayed !== s.stateHash) problems.push({ shard: h.shard, position: s.position, why: `a replay of the journal before it hashes to ${replayed}, the snapshot records ${s.stateHash}` });
    else if (!problems.some((p) => p.shard === h.shard && p.position === s.position)) checked++;
  }
  applyLogIn(replica, h.log, h.log.firstPosition + h.log.count, report);
  return { checked, stateHash: stateHashHex(replica.stateHash()) };
}

export async function verify(d: DataDir, out: Out): Promise<void> {
  const histories = await readHistories(d);
  const ext = await extents(d);
  for (const h of histories) {
    const want = d.cut.lastSeq[h.shard] ?? [];
    h.log.lastSeq.forEach((seq, i) => {
      if (seq !== (want[i] ?? 0)) throw new PersistenceError(Code.JOURNAL_CORRUPT, `${shardName(d.topology, h.shard)}: the cut says input ${i} was consumed to seq ${want[i]}, the journal to ${seq}`, { shard: h.shard, input: i });
    });
  }
  const problems: SnapshotProblem[] = histories.flatMap((h) => h.unreadable.map((u) => ({ shard: h.shard, position: u.position, why: u.why })));
  const rows: { shard: string; records: number; journalFrom: number; checksums: string; continuity: string; snapshots: string; tornRecords: number; stateHash: string }[] = [];
  // The replay of every shard is most of verify's time: a bar over all of it.
  const bar = progress('replaying', histories.reduce((a, h) => a + h.log.count, 0));
  let done = 0;
  for (const h of histories) {
    let checked: number;
    let stateHash: string;
    try {
      ({ checked, stateHash } = await verifyShard(d, h, problems, (n) => bar.update(done + n)));
    } catch (e) {
      bar.stop();
      throw e;
    }
    done += h.log.count;
    const bad = problems.filter((p) => p.shard === h.shard).length;
    rows.push({
      shard: shardName(d.topology, h.shard),
      records: h.log.count,
      journalFrom: h.log.firstPosition,
      checksums: 'ok',
      continuity: 'ok',
      snapshots: bad > 0 ? `${checked} ok, ${bad} bad` : `${checked} ok`,
      tornRecords: Math.max(0, ext[h.shard]!.endPosition - d.cut.positions[h.shard]!),
      stateHash,
    });
  }
  bar.stop();
  const ok = problems.length === 0;
  emit(out, { ok, shards: rows, problems }, () =>
    [
      table(['shard', 'journal from', 'records', 'checksums', 'continuity', 'snapshots = replay', 'torn tail', 'replayed state hash'], rows.map((r) => [r.shard, r.journalFrom, r.records, r.checksums, r.continuity, r.snapshots, r.tornRecords, r.stateHash])),
      rows.some((r) => r.tornRecords > 0) ? 'a torn tail (records past the durable cut, never acknowledged) is dropped at the next start' : 'no torn tail',
      ...problems.map((p) => `${shardName(d.topology, p.shard)}: snapshot at position ${p.position}: ${p.why} (recovery passes over it)`),
      ok ? 'verify: ok' : 'verify: snapshot problems found',
    ].join('\n'),
  );
  if (!ok) throw new PersistenceError(Code.SNAPSHOT_CORRUPT, `${problems.length} snapshot problem(s); first: ${shardName(d.topology, problems[0]!.shard)} position ${problems[0]!.position}: ${problems[0]!.why}`, { shard: problems[0]!.shard, position: problems[0]!.position });
}
