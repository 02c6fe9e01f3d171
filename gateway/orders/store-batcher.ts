// StoreBatcher: coalesces the gateway's small store writes made in one event-loop turn into one batch
// (one RocksDB write for a burst of orders instead of one each). Not synced by default: the write-ahead
// log survives a killed process; `sync` makes each batch survive a machine crash too, at the cost of an
// fsync per batch. Batches are not ordered against each other (two may be in flight at once): a writer
// that puts one key in two batches waits for the first (ticker-store.ts). putLater()/delLater() join the
// batch without a promise of their own (history entries, evictions: nobody waits for them; a failure is
// still recorded in `failure`); putThen() calls back once its batch is written, also without a promise.
// A callback that throws is counted and reported (onCallbackError), never rethrown: a throw in the
// store's promise handler would be an unhandled rejection, which stops the process, and would skip the
// batch's other callbacks (other orders' answers).

import type { Store, StoreOp } from '../../persistence/store.js';

/** Told once a batch is in the store: undefined, or the write's failure. */
export type Written = (failure: Error | undefined) => void;

/** The writes gathered this turn and who waits for them. */
interface Batch {
  /** putThen()'s callbacks, in the order of their writes. */
  readonly written: Written[];
  /** put()'s one promise for the whole batch, made when the first put() asks for it. */
  promise: Promise<void> | undefined;
  resolve: (() => void) | undefined;
  reject: ((e: Error) => void) | undefined;
}

export class StoreBatcher {
  private ops: StoreOp[] = [];
  /** The batch being gathered this turn. */
  private batch: Batch | undefined;
  /** The first write failure: the gateway can no longer promise idempotent retries. */
  failure: Error | undefined;
  /** Batches being written. */
  private readonly inFlight = new Set<Promise<void>>();
  private readonly writeNow = (): void => this.write();
  /** putThen() callbacks that threw (each reported to onCallbackError). */
  callbackErrors = 0;

  constructor(
    private readonly store: Store,
    private readonly sync = false,
    private readonly onCallbackError: (e: unknown) => void = (e) => process.emitWarning(`a store batch's callback threw: ${(e as Error)?.stack ?? String(e)}`, 'StoreBatcherWarning'),
  ) {}

  /** Resolves once the batch holding this write is in the store (one promise for the whole batch). */
  put(key: Uint8Array, value: Uint8Array): Promise<void> {
    return this.promiseOf(this.add({ type: 'put', key, value }));
  }

  /**
   * Calls `written` once the batch holding this write is in the store (or failed), in the order of the
   * batch's writes: no promise per write (the idempotency records, two an order).
   */
  putThen(key: Uint8Array, value: Uint8Array, written: Written): void {
    this.add({ type: 'put', key, value }).written.push(written);
  }

  putLater(key: Uint8Array, value: Uint8Array): void {
    this.add({ type: 'put', key, value });
  }

  delLater(key: Uint8Array): void {
    this.add({ type: 'del', key });
  }

  private add(op: StoreOp): Batch {
    this.ops.push(op);
    let b = this.batch;
    if (b === undefined) {
      b = this.batch = { written: [], promise: undefined, resolve: undefined, reject: undefined };
      setImmediate(this.writeNow);
    }
    return b;
  }

  private promiseOf(b: Batch): Promise<void> {
    if (b.promise === undefined) {
      b.promise = new Promise<void>((res, rej) => {
        b.resolve = res;
        b.reject = rej;
      });
      // Handled once per batch: a failure nobody awaits must not make an unhandled rejection.
      b.promise.catch(() => {});
    }
    return b.promise;
  }

  /** Resolves once every write queued so far is in the store (or failed): before the store is closed. */
  async settled(): Promise<void> {
    while (this.batch !== undefined || this.inFlight.size > 0) {
      const waits = [...this.inFlight];
      if (this.batch !== undefined) waits.push(this.promiseOf(this.batch));
      await Promise.all(waits.map((p) => p.catch(() => {})));
    }
  }

  private write(): void {
    const ops = this.ops;
    const batch = this.batch!;
    this.ops = [];
    this.batch = undefined;
    const written: Promise<void> = this.store.write(ops, this.sync).then(
      () => {
        this.inFlight.delete(written);
        this.finish(batch, undefined);
      },
      (e: Error) => {
        this.inFlight.delete(written);
        this.failure ??= e;
        this.finish(batch, e);
      },
    );
    this.inFlight.add(written);
  }

  /** Tells every waiter of the batch, all of them even when one throws. */
  private finish(b: Batch, e: Error | undefined): void {
    for (const w of b.written) {
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
    if (e === undefined) b.resolve?.();
    else b.reject?.(e);
  }
}
