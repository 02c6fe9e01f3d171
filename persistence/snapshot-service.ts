// SnapshotService: the journal writer's side of snapshotting. The writer's thread owns the only writable
// store handle (a read-only RocksDB handle opened beside a writer does not see a consistent recent state),
// so the snapshotter worker asks it, over a MessagePort, for durable journal blocks and hands it finished
// snapshots to store:
//
//   snapshotter ──{read, shard, from}──▶ service: raw blocks from the one holding `from`, ≤ maxRecords,
//               ◀──{blocks, durable}───           and the durable cut (positions, last seq per input)
//   snapshotter ──{store, info, bytes}─▶ service: pieces + descriptor in one synced batch, then the
//               ◀──{stored, pruned}────           retention rule (older snapshots and journal blocks)
//
// The service does no decoding or checking: the snapshotter verifies every record's checksum on its own
// thread, so the writer spends only a scan per request. Thread contract: the journal writer's thread.

import type { MessagePort } from 'node:worker_threads';
import type { CrashPoint } from './crash-points.js';
import { blockStartAt } from './journal-reader.js';
import { journalRange } from './keys.js';
import { pruneShard, snapshotOps, type RetentionPolicy, type SnapshotInfo } from './snapshot-store.js';
import type { Store } from './store.js';

export type SnapshotRequest =
  | { readonly type: 'read'; readonly id: number; readonly shard: number; readonly from: number; readonly maxRecords: number }
  | { readonly type: 'durable'; readonly id: number }
  | { readonly type: 'store'; readonly id: number; readonly info: SnapshotInfo; readonly bytes: Uint8Array };

export type SnapshotReply =
  | { readonly type: 'read'; readonly id: number; readonly blocks: Uint8Array[]; readonly durable: number; readonly durableLastSeq: number[][] }
  | { readonly type: 'durable'; readonly id: number; readonly durable: number[] }
  | { readonly type: 'stored'; readonly id: number; readonly prunedSnapshots: number; readonly journalBefore: number }
  | { readonly type: 'error'; readonly id: number; readonly message: string; readonly code: number };

export class SnapshotService {
  private inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly store: Store,
    private readonly writer: { readonly durable: readonly number[]; readonly durableLastSeq: readonly (readonly number[])[] },
    private readonly retention: RetentionPolicy,
    private readonly crashPoint?: (name: CrashPoint) => void,
  ) {}

  /** Answers requests on `port` until it closes. */
  serve(port: MessagePort): void {
    port.on('message', (m: SnapshotRequest) => {
      const p = this.handle(m).then(
        (reply) => port.postMessage(reply),
        (e: Error & { code?: number }) => port.postMessage({ type: 'error', id: m.id, message: e.message, code: e.code ?? 0 } satisfies SnapshotReply),
      );
      this.inFlight.add(p);
      void p.finally(() => this.inFlight.delete(p));
    });
  }

  /** Resolves once no request is being served (the writer closes the store after it). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async handle(m: SnapshotRequest): Promise<SnapshotReply> {
    if (m.type === 'durable') return { type: 'durable', id: m.id, durable: [...this.writer.durable] };
    if (m.type === 'read') {
      // Read both before the scan: records below `durable` are stored, whatever the writer does meanwhile.
      const durable = this.writer.durable[m.shard]!;
      const durableLastSeq = this.writer.durableLastSeq.map((l) => [...l]);
      const blocks: Uint8Array[] = [];
      let records = 0;
      if (m.from < durable) {
        for await (const { value } of this.store.scan(journalRange(m.shard, await blockStartAt(this.store, m.shard, m.from), durable))) {
          blocks.push(value);
          // A block's count is its header's second u32 (journal-block.ts); an estimate is enough to stop.
          records += value.byteLength >>> 7;
          if (records >= m.maxRecords) break;
        }
      }
      return { type: 'read', id: m.id, blocks, durable, durableLastSeq };
    }
    const ops = snapshotOps(m.info, m.bytes);
    // One piece per write, unsynced, so the journal's group commits interleave with a large snapshot
    // instead of queueing behind one write of all of it; then the descriptor, synced: the WAL's sync
    // covers the pieces written before it, and a crash before it leaves pieces no descriptor names.
    for (const op of ops.slice(0, -1)) await this.store.write([op], false);
    // "During a snapshot": its pieces written, not synced, the descriptor not yet stored.
    this.crashPoint?.('snapshot');
    await this.store.write(ops.slice(-1), true);
    const pruned = await pruneShard(this.store, m.info.shard, this.retention);
    return { type: 'stored', id: m.id, prunedSnapshots: pruned.snapshots, journalBefore: pruned.journalBefore };
  }
}
