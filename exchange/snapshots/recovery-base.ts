// Which snapshot a shard's recovery starts from: the newest one that is whole, checks out, and lies where
// the journal can take over from it. Older ones are the fallback when the newest does not.
//
//   newest first ──▶ position ≤ the cut? ──▶ every piece there? CRC-32, kind, shard, the descriptor's hash
//                    and last seqs equal the header's? ──▶ settled: every record it wrote to another shard
//                    inside the consumer's cut (re-delivery from the consumer's last seq + 1 must be
//                    regenerable by a replay from the snapshot)? ──▶ use it
//   any "no" ──▶ a log line naming the snapshot and why, then the next older one; none ──▶ position 0
//
// A snapshot that passes is decoded by the shard's worker with its state hash checked again.

import type { SnapshotError } from '../../engine/snapshot/snapshot-error.js';
import { readSnapshotStreams } from '../../engine/snapshot/shard-streams.js';
import type { CutRecord } from '../../persistence/cut-record.js';
import { listSnapshots, readSnapshotBytes, type SnapshotInfo } from '../../persistence/snapshot-store.js';
import type { Store } from '../../persistence/store.js';
import { consumersOf } from '../durability.js';
import type { Topology } from '../topology.js';

export interface RecoveryBase {
  readonly info: SnapshotInfo;
  readonly bytes: Uint8Array;
}

/**
 * Why this snapshot cannot start shard x's recovery at this cut, or undefined when it can. Without a cut,
 * only whether the bytes are a sound snapshot of shard x that agrees with its descriptor.
 */
export function refusal(t: Topology, x: number, info: SnapshotInfo, bytes: Uint8Array, cut?: Pick<CutRecord, 'positions' | 'lastSeq'>): string | undefined {
  let header;
  let streams;
  try {
    ({ header, streams } = readSnapshotStreams(bytes));
  } catch (e) {
    return (e as SnapshotError).message;
  }
  const S = t.marketShards;
  const kind = x < S ? 1 : 2;
  const id = x < S ? x : x - S;
  if (header.kind !== kind || header.shardId !== id) return `it is the snapshot of another shard (kind ${header.kind}, id ${header.shardId})`;
  const hash = header.stateHash.toString(16).padStart(16, '0');
  if (hash !== info.stateHash) return `its descriptor records state hash ${info.stateHash}, its bytes ${hash}`;
  if (streams.inputs.join('/') !== info.lastSeq.join('/')) return `its descriptor records last seqs ${info.lastSeq.join('/')}, its bytes ${streams.inputs.join('/')}`;
  if (cut === undefined) return undefined;
  if (info.position > cut.positions[x]!) return `it lies past the durable cut (${info.position} > ${cut.positions[x]})`;
  const consumers = consumersOf(t, x);
  for (let j = 0; j < consumers.length; j++) {
    const c = consumers[j]!;
    const consumed = cut.lastSeq[c.shard]?.[c.input] ?? 0;
    if (streams.outputNextSeqs[j]! - 1 > consumed) return `shard ${c.shard} had consumed its stream only to seq ${consumed}, the snapshot had written to ${streams.outputNextSeqs[j]! - 1}`;
  }
  return undefined;
}

/** The newest usable snapshot of shard x at this cut, with a log line for each one passed over. */
export async function recoveryBase(store: Store, x: number, cut: CutRecord, t: Topology, log: (line: string) => void): Promise<RecoveryBase | undefined> {
  const all = await listSnapshots(store, x, (position, why) => log(`perpx: shard ${x}: snapshot at position ${position} skipped: ${why}; falling back to an older one`));
  for (let k = all.length - 1; k >= 0; k--) {
    const info = all[k]!;
    let bytes: Uint8Array;
    try {
      bytes = await readSnapshotBytes(store, info);
    } catch (e) {
      log(`perpx: shard ${x}: snapshot at position ${info.position} skipped: ${(e as Error).message}; falling back to an older one`);
      continue;
    }
    const why = refusal(t, x, info, bytes, cut);
    if (why === undefined) return { info, bytes };
    log(`perpx: shard ${x}: snapshot at position ${info.position} skipped: ${why}; falling back to an older one`);
  }
  return undefined;
}
