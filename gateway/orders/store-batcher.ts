// StoreBatcher: coalesces the gateway's small store writes made in one event-loop turn into one batch
// (one RocksDB write for a burst of orders instead of one each). Not synced by default: the write-ahead
// log survives a killed process; `sync` makes each batch survive a machine crash too, at the cost of an
// fsync per batch. Batches are not ordered against each other (two may be in flight at once): a writer
// that puts one key in two batches waits for the first (ticker-store.ts). putLater()/delLater() join the
// batch without a promise of their own (history entries, evictions: nobody waits for them; a failure is
// still recorded in `failure`).

import type { Store, StoreOp } from '../../persistence/store.js';

export class StoreBatcher {
  private ops: StoreOp[] = [];
  /** The batch being gathered this turn: every write in it shares one promise (no promise per write). */
  private batch: { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } | undefined;
  /** The first write failure: the gateway can no longer promise idempotent retries. */
  failure: Error | undefined;
  /** Batches being written. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly sync = false,
  ) {}

  put(key: Uint8Array, value: Uint8Array): Promise<void> {
    return this.add({ type: 'put', key, value });
  }

  putLater(key: Uint8Array, value: Uint8Array): void {
    this.add({ type: 'put', key, value });
  }

  delLater(key: Uint8Array): void {
    this.add({ type: 'del', key });
  }

  private add(op: StoreOp): Promise<void> {
    this.ops.push(op);
    if (this.batch === undefined) {
      let resolve!: () => void;
      let reject!: (e: Error) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // Handled once per batch: writes nobody awaits (putLater) must not make an unhandled rejection.
      promise.catch(() => {});
      this.batch = { promise, resolve, reject };
      setImmediate(() => this.write());
    }
    return this.batch.promise;
  }

  /** Resolves once every write queued so far is in the store (or failed): before the store is closed. */
  async settled(): Promise<void> {
    while (this.batch !== undefined || this.inFlight.size > 0) await Promise.all([this.batch?.promise, ...this.inFlight].map((p) => p?.catch(() => {})));
  }

  private write(): void {
    const ops = this.ops;
    const batch = this.batch!;
    this.ops = [];
    this.batch = undefined;
    const written: Promise<void> = this.store.write(ops, this.sync).then(
      () => {
        this.inFlight.delete(written);
        batch.resolve();
      },
      (e: Error) => {
        this.inFlight.delete(written);
        this.failure ??= e;
        batch.reject(e);
      },
    );
    this.inFlight.add(written);
  }
}
