// Snapshotter worker: keeps a replica of each snapshotted shard (shard-replica.ts) in step with the shard's
// durable journal, and encodes a snapshot from the replica when the policy says so. The live shards never
// stop for it; the journal writer's thread only scans and stores for it (snapshot-service.ts).
//
//   round after round while some replica has durable records to take, else every tick (≤ 100 ms),
//   observing stop:
//     per shard, one slice: {read from replica.position} ──▶ writer ──▶ raw blocks below the durable cut
//                replica.apply(each block)        (checksums verified here, not on the writer's thread)
//                due? (records since last ≥ everyRecords, or everyMs passed and something new)
//                  settled? (its consumers durably took what it wrote) else hold there until a later tick
//                  encode ──▶ {store info, bytes} ──▶ writer: one synced batch, then retention
//                  ──▶ parent: {snapshot, info, encodeMs}
//   (snapshot-schedule.ts: due, settled, the step)
//
// Replies to the parent: 'ready' once the replicas are built, {snapshot} per stored snapshot, 'stopped'
// at the end, {failed, message} if anything throws (the exchange keeps running on its journal: snapshots
// only shorten recovery).

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { ControlBlock } from '../../engine/shard/control-block.js';
import { PersistenceError } from '../../persistence/errors.js';
import { Code } from '../../engine/codes.js';
import type { SnapshotReply, SnapshotRequest } from '../../persistence/snapshot-service.js';
import { consumersOf } from '../durability.js';
import { configFromMeta } from '../exchange-config.js';
import type { ReplayConfig } from '../journal-replay.js';
import { ShardReplica } from './shard-replica.js';
import { SnapshotSchedule, stepAll, type SnapshotIo } from './snapshot-schedule.js';
import type { SnapshotPolicy } from './snapshot-policy.js';

export interface SnapshotterWorkerData {
  /** The configuration as the data directory's meta holds it (canonical JSON). */
  config: unknown;
  /** Per snapshotted shard: where its replica starts (the snapshot recovery used, or none: position 0). */
  shards: { shard: number; position: number; snapshot?: Uint8Array; timeUs?: number }[];
  policy: SnapshotPolicy;
  writer: MessagePort;
  control: SharedArrayBuffer;
}

const data = workerData as SnapshotterWorkerData;
const control = ControlBlock.attach(data.control);
const TICK_MS = Math.min(100, data.policy.everyMs);

let nextId = 1;
const waiting = new Map<number, (r: SnapshotReply) => void>();
data.writer.on('message', (r: SnapshotReply) => {
  const done = waiting.get(r.id);
  waiting.delete(r.id);
  done?.(r);
});
type Request = SnapshotRequest extends infer R ? (R extends SnapshotRequest ? Omit<R, 'id'> : never) : never;
function ask<T extends SnapshotReply['type']>(req: Request, type: T): Promise<Extract<SnapshotReply, { type: T }>> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, (r) => {
      if (r.type === 'error') reject(new PersistenceError((r.code as typeof Code.STORE_IO_FAILED) || Code.STORE_IO_FAILED, r.message));
      else if (r.type !== type) reject(new Error(`snapshotter: asked for ${type}, the writer answered ${r.type}`));
      else resolve(r as Extract<SnapshotReply, { type: T }>);
    });
    data.writer.postMessage({ ...req, id });
  });
}

/** Sleeps up to `ms`, waking early on a stop request (the parent posts 'stop' after requesting it). */
let wake: (() => void) | undefined;
parentPort!.on('message', (m: { type: string }) => m.type === 'stop' && wake?.());
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => ((wake = undefined), resolve()), ms);
    wake = () => (clearTimeout(t), (wake = undefined), resolve());
  });
}

try {
  const c = configFromMeta(data.config);
  const rc: ReplayConfig = { topology: c.topologyObject, riskMarkets: c.riskMarkets, pool: c.pool, pricing: c.pricing };
  const io: SnapshotIo = {
    read: (shard, from, maxRecords) => ask({ type: 'read', shard, from, maxRecords }, 'read'),
    store: (info, bytes) => ask({ type: 'store', info, bytes }, 'stored'),
    stored: (s) => parentPort!.postMessage({ type: 'snapshot', ...s }),
    nowMs: () => Date.now(),
    running: () => control.running(),
  };
  const schedules = data.shards.map((s) => {
    const replica = s.snapshot ? ShardReplica.fromSnapshot(rc, s.shard, s.position, s.snapshot, s.timeUs, false) : ShardReplica.fresh(rc, s.shard);
    return new SnapshotSchedule(replica, consumersOf(rc.topology, s.shard), data.policy, io);
  });
  parentPort!.postMessage({ type: 'ready' });
  while (control.running()) if (!(await stepAll(schedules, () => control.running()))) await sleep(TICK_MS);
  parentPort!.postMessage({ type: 'stopped' });
} catch (e) {
  const err = e as Error & { code?: number };
  parentPort!.postMessage({ type: 'failed', message: err.message, code: err.code ?? 0 });
} finally {
  data.writer.close();
}
