// When the snapshotter takes a shard's snapshot: the policy (due), the condition that makes a replica's
// state storable (settled), and the step that feeds the replica the shard's durable journal between them.
// The snapshotter worker runs one SnapshotSchedule per snapshotted shard, over its channel to the journal
// writer (SnapshotIo); a test runs it over a fake replica and a fake writer.
//
// A replica's state may be stored only where every record it wrote to another shard lies inside that
// shard's durable cut: recovery re-delivers from the consumer's last seq + 1, which a replay starting at
// the snapshot must be able to regenerate (the records before it are gone with the pruned journal). So a
// due snapshot waits where the replica stands until its consumers have durably consumed what it wrote.
// The replica does not run on meanwhile: a replica caught up with its shard holds outputs its consumers
// are still taking from the rings, so under a steady flow that keeps a consumer busy (a risk shard behind
// the market shards it consumes) a replica that kept applying was never settled, and market shards went
// unsnapshotted for as long as the flow lasted (the recovery bench, bench/RESULTS.md "recovery").

import { Code } from '../../engine/codes.js';
import { PersistenceError } from '../../persistence/errors.js';
import { JournalBlock } from '../../persistence/journal-block.js';
import type { SnapshotInfo } from '../../persistence/snapshot-store.js';
import type { SnapshotPolicy } from './snapshot-policy.js';

/** What the schedule needs of a replica (shard-replica.ts). */
export interface ScheduledReplica {
  readonly shard: number;
  readonly position: number;
  apply(block: JournalBlock, durable: number, pause?: () => boolean): number;
  outputNextSeqs(): number[];
  encode(takenAtMs: number): { info: SnapshotInfo; bytes: Uint8Array };
}

/** The journal writer's side, as the snapshotter reaches it (snapshot-service.ts), and the clock. */
export interface SnapshotIo {
  /** Stored journal blocks from `from` (up to about `maxRecords`), the durable cut, and every shard's durable last seq per input. */
  read(shard: number, from: number, maxRecords: number): Promise<{ blocks: Uint8Array[]; durable: number; durableLastSeq: number[][] }>;
  store(info: SnapshotInfo, bytes: Uint8Array): Promise<{ prunedSnapshots: number; journalBefore: number }>;
  /** Told of each stored snapshot. */
  stored(s: { info: SnapshotInfo; encodeMs: number; prunedSnapshots: number; journalBefore: number }): void;
  nowMs(): number;
  /** False once a stop was asked for: the step returns at its next record boundary. */
  running(): boolean;
}

/** Records per read from the writer. */
const READ_RECORDS = 65_536;

export class SnapshotSchedule {
  private lastPosition: number;
  private lastAtMs: number;

  constructor(
    readonly replica: ScheduledReplica,
    /** Per output stream of the replica's shard: the consuming shard and its input index (durability.ts consumersOf). */
    private readonly consumers: readonly { shard: number; input: number }[],
    private readonly policy: Pick<SnapshotPolicy, 'everyRecords' | 'everyMs'>,
    private readonly io: SnapshotIo,
  ) {
    this.lastPosition = replica.position;
    this.lastAtMs = io.nowMs();
  }

  /** By the policy: enough records since the last snapshot, or enough time and at least one record. */
  due(): boolean {
    const since = this.replica.position - this.lastPosition;
    return since >= this.policy.everyRecords || (since > 0 && this.io.nowMs() - this.lastAtMs >= this.policy.everyMs);
  }

  /** Every record the replica wrote to another shard is inside that shard's durable cut (`lastSeq`, per shard and input). */
  settled(lastSeq: readonly (readonly number[])[]): boolean {
    const next = this.replica.outputNextSeqs();
    for (let j = 0; j < this.consumers.length; j++) if (next[j]! - 1 > (lastSeq[this.consumers[j]!.shard]?.[this.consumers[j]!.input] ?? 0)) return false;
    return true;
  }

  /**
   * One slice of the replica's work: feeds it the durable records of one read (up to READ_RECORDS), stopping
   * where a snapshot falls due; stores it there once settled, else holds the replica there (a later step
   * asks again, reading a single block meanwhile). Returns true when it took records and more are durable:
   * the caller comes back without sleeping. One slice, not a loop until caught up: a replica that trails a
   * saturated shard (the risk shard, replaying about as fast as it runs) would never catch up, and a loop
   * kept every other shard's replica waiting behind it (stepAll).
   */
  async step(): Promise<boolean> {
    const r = this.replica;
    const due = () => this.due();
    const holding = due();
    const reply = await this.io.read(r.shard, r.position, holding ? 1 : READ_RECORDS);
    if (holding) {
      if (!this.settled(reply.durableLastSeq)) return false;
      await this.snapshot();
      return true;
    }
    let took = 0;
    for (const value of reply.blocks) {
      const block = JournalBlock.decode(value);
      if (block === undefined) throw new PersistenceError(Code.JOURNAL_CORRUPT, `shard ${r.shard}: an unreadable journal block after position ${r.position} (snapshotter)`, { shard: r.shard, position: r.position });
      if (block.firstPosition + block.count <= r.position) continue;
      for (;;) {
        took += r.apply(block, reply.durable, due);
        if (!due()) break;
        if (!this.settled(reply.durableLastSeq)) return false;
        await this.snapshot();
      }
      if (!this.io.running()) return false;
    }
    return took > 0 && r.position < reply.durable;
  }

  private async snapshot(): Promise<void> {
    const r = this.replica;
    const t0 = performance.now();
    const { info, bytes } = r.encode(this.io.nowMs());
    const encodeMs = performance.now() - t0;
    const stored = await this.io.store(info, bytes);
    this.lastPosition = r.position;
    this.lastAtMs = this.io.nowMs();
    this.io.stored({ info, encodeMs, prunedSnapshots: stored.prunedSnapshots, journalBefore: stored.journalBefore });
  }
}

/**
 * One round over every shard's schedule, a slice each; true when some replica has more durable records to
 * take now (the snapshotter then starts the next round at once, else it sleeps a tick).
 */
export async function stepAll(schedules: readonly SnapshotSchedule[], running: () => boolean): Promise<boolean> {
  let busy = false;
  for (let k = 0; k < schedules.length && running(); k++) if (await schedules[k]!.step()) busy = true;
  return busy;
}
