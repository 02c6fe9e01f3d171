// Store: the small key-value interface persistence needs, so the RocksDB binding can be swapped in one
// file (rocksdb-store.ts is the only file that imports `rocksdb`).
//
//   open / close           one handle per directory; readOnly handles may be opened beside a writer
//   write(ops, sync)       one atomic batch; sync = durable on return (fsync of the write-ahead log)
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

export interface Store {
  readonly readOnly: boolean;
  write(ops: readonly StoreOp[], sync: boolean): Promise<void>;
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
