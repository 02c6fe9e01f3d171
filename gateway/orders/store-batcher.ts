// StoreBatcher: coalesces the gateway's small store writes made in one event-loop turn into one batch
// (one RocksDB write for a burst of orders instead of one each). Not synced by default: the write-ahead
// log survives a killed process; `sync` makes each batch survive a machine crash too, at the cost of an
// fsync per batch.

import type { Store, StoreOp } from '../../persistence/store.js';

export class StoreBatcher {
  private ops: StoreOp[] = [];
  /** The batch being gathered this turn: every write in it shares one promise (no promise per write). */
  private batch: { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } | undefined;
  /** The first write failure: the gateway can no longer promise idempotent retries. */
  failure: Error | undefined;

  constructor(
    private readonly store: Store,
    private readonly sync = false,
  ) {}

  put(key: Uint8Array, value: Uint8Array): Promise<void> {
    return this.add({ type: 'put', key, value });
  }

  del(key: Uint8Array): Promise<void> {
    return this.add({ type: 'del', key });
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
      this.batch = { promise, resolve, reject };
      setImmediate(() => this.write());
    }
    return this.batch.promise;
  }

  private write(): void {
    const ops = this.ops;
    const batch = this.batch!;
    this.ops = [];
    this.batch = undefined;
    this.store.write(ops, this.sync).then(batch.resolve, (e: Error) => {
      this.failure ??= e;
      batch.reject(e);
    });
  }
}
