// The cut as stored under key 'C' (keys.ts), written in the same synced batch as the journal blocks it
// covers: per shard the cut position and, per input stream, the last seq consumed inside the cut, plus the
// largest record time inside the cut (what `perpx-restore restore --to-time` and `list` show).
// JSON: a few hundred bytes once per batch, readable by an operator with any RocksDB tool.

import { Code } from '../engine/codes.js';
import type { CutState } from './cut.js';
import { PersistenceError } from './errors.js';

export interface CutRecord extends CutState {
  readonly version: 1;
  /** Batches written since the store was created (monotonic). */
  readonly batch: number;
}

export function encodeCut(c: CutRecord): Uint8Array {
  return Buffer.from(JSON.stringify(c));
}

export function decodeCut(bytes: Uint8Array): CutRecord {
  try {
    const c = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as CutRecord;
    if (c.version !== 1 || !Array.isArray(c.positions) || !Array.isArray(c.lastSeq)) throw new Error('unknown shape');
    return c;
  } catch (e) {
    throw new PersistenceError(Code.JOURNAL_CORRUPT, `the cut record (key C) is unreadable: ${(e as Error).message}`, { key: 'C' }, { cause: e });
  }
}
