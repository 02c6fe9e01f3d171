// StoreBatcher: coalesces the gateway's small store writes made in one event-loop turn into one batch
// (one RocksDB write for a burst of orders instead of one each). Not synced by default: the write-ahead
// log survives a killed process; `sync` makes each batch survive a machine crash too, at the cost of an
// fsync per batch.

import type { Store, StoreOp } from '../../persistence/store.js';

export class StoreBatcher {
  private ops: StoreOp[] = [];
  private waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private scheduled = false;
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
    const p = new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.write());
    }
    return p;
  }

  private write(): void {
    this.scheduled = false;
    const ops = this.ops;
    const waiting = this.waiting;
    this.ops = [];
    this.waiting = [];
    this.store.write(ops, this.sync).then(
      () => waiting.forEach((w) => w.resolve()),
      (e: Error) => {
        this.failure ??= e;
        waiting.forEach((w) => w.reject(e));
      },
    );
  }
}
