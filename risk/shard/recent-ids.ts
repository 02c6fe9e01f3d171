// RecentIds: a bounded set of the most recent ids, first in first out: the idempotency window of order ids
// an account's PlaceOrder commands were accepted under (docs/RISK-SHARD.md, "Idempotency").
//
// Why bounded: order ids are retired when an order ends, so without a window a command retried after a
// crash (the client never saw its acknowledgement) would be accepted a second time once the first order
// had filled or been cancelled. Retries come within seconds of the original; keeping the last `capacity`
// ids per account covers them with memory that does not grow with an account's history. The order of
// insertion is state (it decides what is evicted), so it is part of the state hash and of snapshots.
// Thread contract: the risk-shard thread.

export class RecentIds {
  private readonly set = new Set<number>();
  /** Insertion order, as a ring once full (grown lazily: most accounts place few orders). */
  private readonly order: number[] = [];
  private head = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`window capacity must be a positive integer, got ${capacity}`);
  }

  has(id: number): boolean {
    return this.set.has(id);
  }

  get size(): number {
    return this.set.size;
  }

  /** Adds an id not in the window, evicting the oldest when full. */
  add(id: number): void {
    if (this.set.has(id)) return;
    if (this.order.length < this.capacity) this.order.push(id);
    else {
      this.set.delete(this.order[this.head]!);
      this.order[this.head] = id;
      this.head = (this.head + 1) % this.capacity;
    }
    this.set.add(id);
  }

  /**
   * Takes an id out of the window (an order the market refused was never an order: docs/COMMANDS.md,
   * "What a refusal leaves behind"). The order of the others is kept. Refused orders are nearly always the
   * newest, so the search runs newest first; a full ring is laid out oldest first once (O(capacity)), after
   * which it is a plain array again until it fills.
   */
  remove(id: number): void {
    if (!this.set.delete(id)) return;
    if (this.head !== 0) {
      const linear = [...this.inOrder()];
      this.order.length = 0;
      this.order.push(...linear);
      this.head = 0;
    }
    const i = this.order.lastIndexOf(id);
    this.order.splice(i, 1);
  }

  /** The ids oldest first (state hash, snapshots). */
  *inOrder(): IterableIterator<number> {
    for (let i = 0; i < this.order.length; i++) yield this.order[(this.head + i) % this.order.length]!;
  }
}
