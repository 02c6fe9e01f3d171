// MemoryStore: the Store interface over a sorted in-memory map, for `--in-memory` runs and tests that need
// a store without a directory. Same contract as RocksStore: byte-ordered keys, atomic batches.

import type { Entry, KeyRange, Store, StoreOp } from './store.js';

function compare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.byteLength, b.byteLength);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.byteLength - b.byteLength;
}

/** A copy in an ArrayBuffer of its own (a Buffer's slice() would be a view of the caller's bytes). */
const copy = (b: Uint8Array): Uint8Array => new Uint8Array(b);

const hex = (k: Uint8Array) => Buffer.from(k.buffer, k.byteOffset, k.byteLength).toString('hex');

export class MemoryStore implements Store {
  readonly readOnly = false;
  private readonly map = new Map<string, Entry>();
  private closed = false;

  async write(ops: readonly StoreOp[], _sync: boolean): Promise<void> {
    if (this.closed) throw new Error('store closed');
    for (const op of ops) {
      if (op.type === 'put') this.map.set(hex(op.key), { key: copy(op.key), value: copy(op.value) });
      else this.map.delete(hex(op.key));
    }
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    const e = this.map.get(hex(key));
    return e === undefined ? undefined : copy(e.value);
  }

  async *scan(range: KeyRange): AsyncIterable<Entry> {
    const hits = [...this.map.values()].filter((e) => compare(e.key, range.gte) >= 0 && compare(e.key, range.lt) < 0).sort((a, b) => compare(a.key, b.key));
    if (range.reverse) hits.reverse();
    yield* hits.slice(0, range.limit ?? hits.length);
  }

  async deleteRange(range: Pick<KeyRange, 'gte' | 'lt'>, _sync: boolean): Promise<void> {
    for (const [k, e] of this.map) if (compare(e.key, range.gte) >= 0 && compare(e.key, range.lt) < 0) this.map.delete(k);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
