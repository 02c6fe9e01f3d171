// Small helpers the shard decoders share.

import { malformed, SnapshotError } from './snapshot-error.js';

export interface DecodeOptions {
  /**
   * Recompute the decoded shard's state hash and refuse a difference from the snapshot's (default true).
   * It costs about what the hash costs (docs/SNAPSHOTS.md); a caller that checks the hash itself anyway,
   * after replaying a journal on top, may skip it.
   */
  readonly verifyHash?: boolean;
}

/**
 * Runs a constructor over decoded configuration: a configuration it refuses (RangeError and the like) is
 * a snapshot that does not add up, reported as SNAPSHOT_MALFORMED with the constructor's reason.
 */
export function constructed<T>(build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof SnapshotError) throw e;
    throw malformed(`configuration refused: ${(e as Error).message}`);
  }
}

export function hex64(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16).padStart(16, '0')}`;
}
