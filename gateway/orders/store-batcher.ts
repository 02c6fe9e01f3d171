// StoreBatcher: coalesces the gateway's small store writes into batches (one RocksDB write for a burst of
// orders instead of one each). Not synced by default: the write-ahead log survives a killed process;
// `sync` makes each batch survive a machine crash too, at the cost of an fsync per batch.
//
// Group commit: at most one batch is being written at a time. Writes made while none is in flight are
// written at the end of their turn (setImmediate); writes made while one is in flight join the next batch,
// written as soon as the one in flight is in the store. A store write costs the main thread more than its
// operations do (RocksDB: ~12 µs of CPU a batch here against 1-1.6 µs an operation, bench/RESULTS.md
// gwcpu4), so under load the batches grow instead of multiplying; at a low rate nothing waits longer than
// before. Batches are written in the order they were gathered, one after the other.
//
// Every write goes into the store's batch at once (Store.batch(): the key and value are copied by the call),
// so callers pass scratch keys and their encoder's shared bytes: no copy, key buffer or operation object of
// their own per write (on RocksDB each put is one N-API call into the native WriteBatch).
//
// putLater()/delLater() join the batch without a promise of their own (history entries, evictions: nobody
// waits for them; a failure is still recorded in `failure`); putThen() calls back once its batch is
// written, also without a promise. A callback that throws is counted and reported (onCallbackError), never
// rethrown: a throw in the store's promise handler would be an unhandled rejection, which stops the
// process, and would skip the batch's other callbacks (other orders' answers).

import type { Store, StoreBatch } from '../../persistence/store.js';

/** Told once a batch is in the store: undefined, or the write's failure. */
export type Written = (failure: Error | undefined) => void;

/** put()'s one promise for a whole batch, made when the first put() of the batch asks for it. */
interface BatchPromise {
  readonly promise: Promise<void>;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class StoreBatcher {
  /**
   * The batch being gathered (made by the first write after the last was written): its operations,
   * putThen()'s callbacks in the order of their writes (the first `writtenCount` of `written`), put()'s
   * promise.
   */
  private gathering: StoreBatch | undefined;
  private written: Written[] = [];
  private writtenCount = 0;
  private promise: BatchPromise | undefined;
  /**
   * The batch being written (at most one). The two callback arrays swap and keep their length: slots are
   * overwritten and cleared, never truncated (`length = 0` drops the backing store, and the next batch
   * would allocate it again).
   */
  private writing = false;
  private writingWritten: Written[] = [];
  private writingCount = 0;
  private writingPromise: BatchPromise | undefined;
  /** A setImmediate is pending to write the batch being gathered. */
  private scheduled = false;
  /** settled()'s waiters: woken after every batch. */
  private idle: (() => void)[] = [];
  /** The first write failure: the gateway can no longer promise idempotent retries. */
  failure: Error | undefined;
  /** putThen() callbacks that threw (each reported to onCallbackError). */
  callbackErrors = 0;
  /** Batches written (or failed), and the operations in them. */
  batches = 0;
  opsWritten = 0;
  private readonly writeNow = (): void => {
    this.scheduled = false;
    if (!this.writing && this.gathering !== undefined) this.write();
  };
  private readonly onWritten = (): void => this.finish(undefined);
  private readonly onFailed = (e: Error): void => {
    this.failure ??= e;
    this.finish(e);
  };

  constructor(
    private readonly store: Store,
    private readonly sync = false,
    private readonly onCallbackError: (e: unknown) => void = (e) => process.emitWarning(`a store batch's callback threw: ${(e as Error)?.stack ?? String(e)}`, 'StoreBatcherWarning'),
  ) {}

  /** Resolves once the batch holding this write is in the store (one promise for the whole batch). */
  put(key: Uint8Array, value: Uint8Array): Promise<void> {
    this.batch().put(key, value);
    let p = this.promise;
    if (p === undefined) {
      let resolve!: () => void;
      let reject!: (e: Error) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // Handled once per batch: a failure nobody awaits must not make an unhandled rejection.
      promise.catch(() => {});
      p = this.promise = { promise, resolve, reject };
    }
    return p.promise;
  }

  /**
   * Calls `written` once the batch holding this write is in the store (or failed), in the order of the
   * batch's writes: no promise per write (the idempotency records, two an order).
   */
  putThen(key: Uint8Array, value: Uint8Array, written: Written): void {
    this.batch().put(key, value);
    this.written[this.writtenCount++] = written;
  }

  putLater(key: Uint8Array, value: Uint8Array): void {
    this.batch().put(key, value);
  }

  delLater(key: Uint8Array): void {
    this.batch().del(key);
  }

  /** The batch being gathered, made (and its write scheduled when none is in flight) by the first write. */
  private batch(): StoreBatch {
    const b = this.gathering;
    if (b !== undefined) return b;
    if (!this.scheduled && !this.writing) {
      this.scheduled = true;
      setImmediate(this.writeNow);
    }
    return (this.gathering = this.store.batch());
  }

  /** Resolves once every write queued so far is in the store (or failed): before the store is closed. */
  async settled(): Promise<void> {
    while (this.gathering !== undefined || this.writing) await new Promise<void>((wake) => this.idle.push(wake));
  }

  /** Writes the batch gathered so far; the next one gathers meanwhile. */
  private write(): void {
    const b = this.gathering!;
    this.gathering = undefined;
    // The callbacks' arrays swap: the one written last (emptied by finish) gathers the next batch.
    const written = this.written;
    this.written = this.writingWritten;
    this.writingWritten = written;
    this.writingCount = this.writtenCount;
    this.writtenCount = 0;
    this.writingPromise = this.promise;
    this.promise = undefined;
    this.writing = true;
    this.batches++;
    this.opsWritten += b.length;
    let done: Promise<void>;
    try {
      done = b.write(this.sync);
    } catch (e) {
      // a store that throws instead of rejecting: the batch fails, and the batcher goes on
      done = Promise.reject(e as Error);
    }
    done.then(this.onWritten, this.onFailed);
  }

  /** Tells every waiter of the batch just written, all of them even when one throws; then writes the next. */
  private finish(e: Error | undefined): void {
    const written = this.writingWritten;
    const n = this.writingCount;
    const p = this.writingPromise;
    this.writingPromise = undefined;
    for (let i = 0; i < n; i++) {
      const w = written[i]!;
      written[i] = undefined as unknown as Written;
      try {
        w(e);
      } catch (x) {
        this.callbackErrors++;
        try {
          this.onCallbackError(x);
        } catch {
          // the reporter itself must not stop the batch's promise from settling
        }
      }
    }
    this.writingCount = 0;
    // an overload's huge batch does not keep its array's capacity for good
    if (n > 65_536) this.writingWritten = [];
    if (p !== undefined) {
      if (e === undefined) p.resolve();
      else p.reject(e);
    }
    this.writing = false;
    // What gathered while this batch was written goes at the end of this turn, with whatever the
    // callbacks above added.
    if (this.gathering !== undefined && !this.scheduled) {
      this.scheduled = true;
      setImmediate(this.writeNow);
    }
    const idle = this.idle;
    if (idle.length > 0) {
      this.idle = [];
      for (const wake of idle) wake();
    }
  }
}
