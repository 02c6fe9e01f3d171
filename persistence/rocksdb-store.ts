// RocksStore: the Store interface over the `rocksdb` package (leveldown API, prebuilt binary shipped in
// the package). The only file that imports it: swapping the binding (for example for
// @nxtedition/rocksdb) touches this file alone.
//
// Callback errors from the binding become PersistenceError: STORE_UNAVAILABLE when the directory cannot
// be opened (missing, locked by another writer, not a store), STORE_IO_FAILED for a failed read or write.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Code } from '../engine/codes.js';
import { PersistenceError } from './errors.js';
import type { Entry, KeyRange, OpenOptions, Store, StoreOp } from './store.js';

type Cb<T = void> = (err: Error | undefined | null, value?: T) => void;
interface RawIterator {
  next(cb: (err: Error | undefined | null, key?: Buffer, value?: Buffer) => void): void;
  end(cb: Cb): void;
}
/** leveldown's chained batch: each put and del goes into the native batch at once (one call with two arguments). */
interface RawBatch {
  put(key: Buffer, value: Buffer): void;
  del(key: Buffer): void;
  write(options: object, cb: Cb): void;
}
interface RawDb {
  open(options: object, cb: Cb): void;
  close(cb: Cb): void;
  get(key: Buffer, options: object, cb: Cb<Buffer>): void;
  batch(): RawBatch;
  iterator(options: object): RawIterator;
  clear(options: object, cb: Cb): void;
}

const require = createRequire(import.meta.url);
const rocksdb = require('rocksdb') as (location: string) => RawDb;

const buf = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function call<T = void>(what: string, dir: string, fn: (cb: Cb<T>) => void, code: typeof Code.STORE_IO_FAILED | typeof Code.STORE_UNAVAILABLE = Code.STORE_IO_FAILED): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    fn((err, value) => {
      if (err) reject(new PersistenceError(code, `${what} failed in ${dir}: ${err.message}`, { dir }, { cause: err }));
      else resolve(value as T);
    }),
  );
}

export class RocksStore implements Store {
  private constructor(
    private readonly db: RawDb,
    readonly dir: string,
    readonly readOnly: boolean,
  ) {}

  static async open(dir: string, o: OpenOptions = {}): Promise<RocksStore> {
    const readOnly = o.readOnly ?? false;
    if (!o.createIfMissing && !existsSync(`${dir}/CURRENT`)) {
      throw new PersistenceError(Code.DATA_DIR_MISSING, `no data directory at ${dir}`, { dir });
    }
    const db = rocksdb(dir);
    const writeBuffer = o.writeBufferBytes === undefined ? {} : { writeBufferSize: o.writeBufferBytes };
    await call('open', dir, (cb) => db.open({ readOnly, createIfMissing: !readOnly && (o.createIfMissing ?? false), errorIfExists: false, ...writeBuffer }, cb), Code.STORE_UNAVAILABLE);
    return new RocksStore(db, dir, readOnly);
  }

  /**
   * One atomic batch, built with leveldown's chained batch: the array form copied every operation twice in
   * JavaScript (here, then abstract-leveldown's Object.assign) and the binding read each one's type, key
   * and value by name (about ten N-API calls an operation): 1.5-2.3 µs of main-thread CPU an operation in
   * batches of 16, against 1.1-1.4 µs (bench/RESULTS.md gwcpu4). Same WriteBatch, same bytes.
   */
  write(ops: readonly StoreOp[], sync: boolean): Promise<void> {
    const b = this.db.batch();
    try {
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i]!;
        if (op.type === 'put') b.put(buf(op.key), buf(op.value));
        else b.del(buf(op.key));
      }
    } catch (err) {
      // an operation the binding refuses (an empty key): the batch fails whole, as the array form's did
      return Promise.reject(new PersistenceError(Code.STORE_IO_FAILED, `write failed in ${this.dir}: ${(err as Error).message}`, { dir: this.dir }, { cause: err }));
    }
    return call('write', this.dir, (cb) => b.write({ sync }, cb));
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    return new Promise((resolve, reject) =>
      this.db.get(buf(key), { asBuffer: true, fillCache: false }, (err, value) => {
        if (err === undefined || err === null) resolve(value);
        else if (/NotFound/i.test(err.message)) resolve(undefined);
        else reject(new PersistenceError(Code.STORE_IO_FAILED, `get failed in ${this.dir}: ${err.message}`, { dir: this.dir }, { cause: err }));
      }),
    );
  }

  async *scan(range: KeyRange): AsyncIterable<Entry> {
    const it = this.db.iterator({ gte: buf(range.gte), lt: buf(range.lt), reverse: range.reverse ?? false, limit: range.limit ?? -1, keyAsBuffer: true, valueAsBuffer: true, fillCache: false });
    const next = () =>
      new Promise<Entry | undefined>((resolve, reject) =>
        it.next((err, key, value) => {
          if (err) reject(new PersistenceError(Code.STORE_IO_FAILED, `scan failed in ${this.dir}: ${err.message}`, { dir: this.dir }, { cause: err }));
          else resolve(key === undefined ? undefined : { key, value: value! });
        }),
      );
    // One read ahead: the next entry is fetched (and decompressed) on libuv's pool while the caller handles
    // this one, so a recovery's journal read overlaps RocksDB's work with the checksums instead of waiting
    // for each in turn (a third of the read's wall time was the main thread idle, waiting for the next block).
    let pending: Promise<Entry | undefined> | undefined = next();
    try {
      for (;;) {
        const entry: Entry | undefined = await pending;
        pending = undefined;
        if (entry === undefined) return;
        pending = next();
        yield entry;
      }
    } finally {
      // The iterator ends only once the read in flight is back (its result, or its error, is dropped).
      if (pending) await pending.catch(() => undefined);
      await call('iterator end', this.dir, (cb) => it.end(cb));
    }
  }

  deleteRange(range: Pick<KeyRange, 'gte' | 'lt'>, sync: boolean): Promise<void> {
    // clear() has no sync option: a synced delete after it (of a key already gone) syncs the log its
    // deletions went to, and rocksdb may skip the sync of an empty batch.
    return call('delete range', this.dir, (cb) => this.db.clear({ gte: buf(range.gte), lt: buf(range.lt) }, cb)).then(() => (sync ? this.write([{ type: 'del', key: range.gte }], true) : undefined));
  }

  close(): Promise<void> {
    return call('close', this.dir, (cb) => this.db.close(cb));
  }
}
