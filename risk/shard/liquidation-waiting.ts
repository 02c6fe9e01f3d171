// Scopes whose pipeline is parked (no mark, or no ADL counterparty in this shard), kept in ascending scope
// key order, i.e. ascending (accountId, marketId) with the cross scope first. The engine retries one of
// them per check() call, round-robin from the last one retried, so every parked scope is retried in a
// fixed order and no call does more than one retry's work.
//
// Thread contract: the risk-shard thread.

import { malformed } from '../../engine/snapshot/snapshot-error.js';
import type { SnapshotReader } from '../../engine/snapshot/snapshot-reader.js';
import type { SnapshotWriter } from '../../engine/snapshot/snapshot-writer.js';
import type { StateWords } from './seams.js';

export class WaitingScopes {
  private readonly keys: number[] = [];
  private cursor = -1;

  get size(): number {
    return this.keys.length;
  }

  add(key: number): void {
    const i = this.lowerBound(key);
    if (this.keys[i] !== key) this.keys.splice(i, 0, key);
  }

  remove(key: number): void {
    const i = this.lowerBound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /** The next key after the last one returned (wrapping), skipping `except`; undefined when none. */
  next(except: number): number | undefined {
    if (this.keys.length === 0) return undefined;
    let i = this.lowerBound(this.cursor + 1);
    for (let tries = 0; tries < 2; tries++, i++) {
      if (i >= this.keys.length) i = 0;
      const key = this.keys[i]!;
      if (key === except) continue;
      this.cursor = key;
      return key;
    }
    return undefined;
  }

  hashState(h: StateWords): void {
    h.int(this.keys.length);
    for (const k of this.keys) h.int(k);
    h.int(this.cursor + 1);
  }

  forEachKey(f: (key: number) => void): void {
    for (const k of this.keys) f(k);
  }

  writeState(w: SnapshotWriter): void {
    w.uint(this.keys.length);
    for (const k of this.keys) w.uint(k);
    w.int(this.cursor);
  }

  readState(r: SnapshotReader): void {
    const n = r.count(1);
    for (let i = 0; i < n; i++) {
      const k = r.uint();
      if (i > 0 && k <= this.keys[i - 1]!) throw malformed(`${r.what}: parked scopes out of order at ${k}`);
      this.keys.push(k);
    }
    this.cursor = r.int();
  }

  private lowerBound(key: number): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
