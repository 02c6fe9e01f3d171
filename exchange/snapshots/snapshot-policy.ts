// When snapshots are taken and how long they are kept: the exchange's configuration of the snapshotter.
// Counted per shard, in the shard's own journal records, and in wall-clock time since its last snapshot.
// `npm start`'s defaults: gateway/start-options.ts (--snapshot-records, --snapshot-seconds, --snapshot-keep,
// --retain-window, --retain-records).

import type { RetentionPolicy } from '../../persistence/snapshot-store.js';

export interface SnapshotPolicy extends RetentionPolicy {
  /** Take a shard's snapshot once its journal has grown by this many records since the last one. */
  readonly everyRecords: number;
  /** …or once this much wall-clock time has passed and it has taken at least one record. */
  readonly everyMs: number;
  /** Snapshot market shards too (false while surveillance runs: its stream restarts from seq 1 on recovery). */
  readonly marketShards?: boolean;
}

/** A readable refusal for a policy no snapshotter can follow. */
export function checkSnapshotPolicy(p: SnapshotPolicy): void {
  const whole = (v: number, what: string, min: number) => {
    if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`snapshot policy: ${what} must be an integer ≥ ${min}, got ${v}`);
  };
  whole(p.everyRecords, 'everyRecords', 1);
  whole(p.everyMs, 'everyMs', 1);
  whole(p.keep, 'keep', 1);
  if (p.windowUs !== undefined) whole(p.windowUs, 'windowUs', 0);
  if (p.windowRecords !== undefined) whole(p.windowRecords, 'windowRecords', 0);
}
