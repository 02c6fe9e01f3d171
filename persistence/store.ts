// Store: the small key-value interface persistence needs, so the RocksDB binding can be swapped in one
// file (rocksdb-store.ts is the only file that imports `rocksdb`).
//
//   open / close           one handle per directory; readOnly handles may be opened beside a writer
//   write(ops, sync)       one atomic batch; sync = durable on return (fsync of the write-ahead log)
//   batch()                the same, gathered op by op: each put and del copies its bytes at once
//   get(key)               one value or undefined
//   scan(range)            keys in byte order over [gte, lt), optionally reversed and limited
//   deleteRange(range)     every key in [gte, lt)
//
// Keys and values are bytes. Column families are key prefixes (keys.ts): one byte names the family, so a
// family is a key range and a range scan over one shard's journal is a replay.
// Every failure is a PersistenceError with a stable code (errors.ts).

export type StoreOp = { readonly type: 'put'; readonly key: Uint8Array; readonly value: Uint8Array } | { readonly type: 'del'; readonly key: Uint8Array };

export interface KeyRange {
  /** Inclusive lower bound. */
  readonly gte: Uint8Array;
  /** Exclusive upper bound. */
  readonly lt: Uint8Array;
  readonly reverse?: boolean;
  /** At most this many entries (default: all). */
  readonly limit?: number;
}

export interface Entry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

/**
 * An atomic batch gathered one operation at a time, for writers that make many small ones (the gateway's
 * StoreBatcher): put() and del() copy the key and value at once, so a caller may pass bytes it rewrites
 * next (a scratch key, an encoder's shared buffer) and needs no copy or operation object of its own.
 * write() writes what was gathered, once; an operation the store refuses (an empty key) fails it whole.
 */
export interface StoreBatch {
  put(key: Uint8Array, value: Uint8Array): void;
  del(key: Uint8Array): void;
  /** Operations gathered. */
  readonly length: number;
  write(sync: boolean): Promise<void>;
}

/** A StoreBatch over any store's write(ops): each operation's bytes copied into Node's buffer pool. */
export class OpsBatch implements StoreBatch {
  /** Marked COPIED: a store may keep these bytes as they are (MemoryStore). */
  private readonly ops: StoreOp[] = copiedOps();

  constructor(private readonly store: Pick<Store, 'write'>) {}

  get length(): number {
    return this.ops.length;
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.ops.push({ type: 'put', key: Buffer.from(key), value: Buffer.from(value) });
  }

  del(key: Uint8Array): void {
    this.ops.push({ type: 'del', key: Buffer.from(key) });
  }

  write(sync: boolean): Promise<void> {
    return this.store.write(this.ops, sync);
  }
}

/** Marks an operations array whose keys and values are the store's own copies (an OpsBatch's). */
export const COPIED: unique symbol = Symbol('copied');

function copiedOps(): StoreOp[] {
  const ops: StoreOp[] & { [COPIED]?: true } = [];
  ops[COPIED] = true;
  return ops;
}

export interface Store {
  readonly readOnly: boolean;
  write(ops: readonly StoreOp[], sync: boolean): Promise<void>;
  /** A batch to gather op by op (see StoreBatch), written by its write(). */
  batch(): StoreBatch;
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  /** Entries in key order (or reverse); pulled in batches, so a scan of millions of keys stays bounded in memory. */
  scan(range: KeyRange): AsyncIterable<Entry>;
  deleteRange(range: Pick<KeyRange, 'gte' | 'lt'>, sync: boolean): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  readonly readOnly?: boolean;
  /** Create the directory when it holds no store (writers only; default false). */
  readonly createIfMissing?: boolean;
  /**
   * Bytes a writer gathers in memory before flushing them to a sorted file (RocksDB's write_buffer_size;
   * default the binding's 4 MiB). Up to two such buffers are held. The journal writer's is larger:
   * journal-writer.ts, JOURNAL_WRITE_BUFFER_BYTES.
   */
  readonly writeBufferBytes?: number;
}
