// PersistenceError: every failure of the store, the journal, snapshots and recovery reaches callers as
// this one class with a stable `code` from engine/codes.ts (persistence band, 5000-5999), never as a raw
// binding error or a stack trace from deep inside. `details` carries what an operator needs to act on it
// (shard, key, sequence, expected checksum...), printed by the restore tool and by `npm start`.

import { Code, codeName } from '../engine/codes.js';

export type PersistenceCode =
  | typeof Code.JOURNAL_CORRUPT
  | typeof Code.SNAPSHOT_CORRUPT
  | typeof Code.JOURNAL_GAP
  | typeof Code.STORE_UNAVAILABLE
  | typeof Code.STORE_IO_FAILED
  | typeof Code.DATA_DIR_MISSING
  | typeof Code.DATA_DIR_FOREIGN
  | typeof Code.DATA_DIR_MISMATCH;

export class PersistenceError extends Error {
  override readonly name = 'PersistenceError';

  constructor(
    readonly code: PersistenceCode,
    message: string,
    readonly details: Readonly<Record<string, string | number>> = {},
    options?: { cause?: unknown },
  ) {
    super(`${codeName(code)}: ${message}`, options);
  }
}
