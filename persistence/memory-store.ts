// MemoryStore: the Store interface over a sorted in-memory map, for `--in-memory` runs and tests that need
// a store without a directory. Same contract as RocksStore: byte-ordered keys, atomic batches.

import { COPIED, OpsBatch, type Entry, type KeyRange, type Store, type StoreBatch, type StoreOp } from './store.js';

/** A copy in an ArrayBuffer of its own (a Buffer's slice() would be a view of the caller's bytes): for get(). */
const copy = (b: Uint8Array): Uint8Array => new Uint8Array(b);

/**
 * A written value as the map holds it: a copy cut from Node's buffer pool (Buffer.from copies a small
 * array into the shared slab). A fresh ArrayBuffer per value cost more than the rest of a write (three
 * values per order from the gateway); the price is that a kept value pins its 8 KiB slab.
 */
const own = (b: Uint8Array): Uint8Array => Buffer.from(b);

/**
 * A key as the map holds it: latin1, one character per byte, whose string order is the keys' byte order
 * (a prefix sorts first in both), so ranges compare strings. Half the length of hex and cheaper to make
 * and hash. The string is the store's only copy of the key: no ArrayBuffer per key written (the gateway
 * writes several per order); scan() rebuilds the bytes.
 */
const str = (k: Uint8Array) => (Buffer.isBuffer(k) ? k : Buffer.from(k.buffer, k.byteOffset, k.byteLength)).toString('latin1');
const bytesOf = (s: string): Uint8Array => copy(Buffer.from(s, 'latin1'));

export class MemoryStore implements Store {
  readonly readOnly = false;
  private readonly map = new Map<string, Uint8Array>();
  private closed = false;

  async write(ops: readonly StoreOp[], _sync: boolean): Promise<void> {
    if (this.closed) throw new Error('store closed');
    // an OpsBatch's values are copies already (made at put(): the caller's bytes may be a scratch buffer)
    const copied = (ops as { [COPIED]?: true })[COPIED] === true;
    for (const op of ops) {
      if (op.type === 'put') this.map.set(str(op.key), copied ? op.value : own(op.value));
      else this.map.delete(str(op.key));
    }
  }

  /** Gathers copies of the operations, then write()s them (so a subclass's write() sees every batch). */
  batch(): StoreBatch {
    return new OpsBatch(this);
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    const v = this.map.get(str(key));
    return v === undefined ? undefined : copy(v);
  }

  private keysIn(range: Pick<KeyRange, 'gte' | 'lt'>): string[] {
    const gte = str(range.gte);
    const lt = str(range.lt);
    const keys: string[] = [];
    for (const k of this.map.keys()) if (k >= gte && k < lt) keys.push(k);
    return keys;
  }

  async *scan(range: KeyRange): AsyncIterable<Entry> {
    const keys = this.keysIn(range).sort();
    if (range.reverse) keys.reverse();
    const hits = keys.slice(0, range.limit ?? keys.length).map((k) => ({ key: bytesOf(k), value: this.map.get(k)! }));
    yield* hits;
  }

  async deleteRange(range: Pick<KeyRange, 'gte' | 'lt'>, _sync: boolean): Promise<void> {
    for (const k of this.keysIn(range)) this.map.delete(k);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
