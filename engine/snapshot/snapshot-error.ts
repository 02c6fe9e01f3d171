// SnapshotError: why a shard snapshot could not be read (or a decoded shard could not be wired), with a
// stable code from the persistence band of engine/codes.ts. Decoding never throws anything else on bad
// bytes: the reader checks every length and count before it trusts it, so a truncated, corrupted or
// foreign buffer ends here, never in a RangeError deep in a typed array or a silently wrong state.

import { Code, codeName } from '../codes.js';

export type SnapshotCode =
  | typeof Code.SNAPSHOT_CORRUPT
  | typeof Code.SNAPSHOT_TRUNCATED
  | typeof Code.SNAPSHOT_VERSION_UNSUPPORTED
  | typeof Code.SNAPSHOT_KIND_MISMATCH
  | typeof Code.SNAPSHOT_MALFORMED
  | typeof Code.SNAPSHOT_HASH_MISMATCH
  | typeof Code.SNAPSHOT_STREAM_MISMATCH;

export class SnapshotError extends Error {
  constructor(
    readonly code: SnapshotCode,
    /** What did not add up, for the operator: the section and the value. */
    readonly detail: string,
  ) {
    super(`${codeName(code)}: ${detail}`);
    this.name = 'SnapshotError';
  }
}

/** A section's content contradicts itself or the rest of the snapshot. */
export function malformed(detail: string): SnapshotError {
  return new SnapshotError(Code.SNAPSHOT_MALFORMED, detail);
}
