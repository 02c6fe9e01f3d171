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
  /**
   * Both made on the first add: most accounts never place an order, and a million accounts' empty Sets
   * and arrays were most of what a snapshot decode built and the garbage collector marked.
   */
  private set: Set<number> | undefined = undefined;
  /** Insertion order, as a ring once full (grown lazily: most accounts place few orders). */
  private order: number[] | undefined = undefined;
  private head = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`window capacity must be a positive integer, got ${capacity}`);
  }

  has(id: number): boolean {
    return this.set !== undefined && this.set.has(id);
  }

  get size(): number {
    return this.set === undefined ? 0 : this.set.size;
  }

  /** Adds an id not in the window, evicting the oldest when full. */
  add(id: number): void {
    const set = (this.set ??= new Set());
    const order = (this.order ??= []);
    if (set.has(id)) return;
    if (order.length < this.capacity) order.push(id);
    else {
      set.delete(order[this.head]!);
      order[this.head] = id;
      this.head = (this.head + 1) % this.capacity;
    }
    set.add(id);
  }

  /**
   * Takes an id out of the window (an order the market refused was never an order: docs/COMMANDS.md,
   * "What a refusal leaves behind"). The order of the others is kept. Refused orders are nearly always the
   * newest, so the search runs newest first; a full ring is laid out oldest first once (O(capacity)), after
   * which it is a plain array again until it fills.
   */
  remove(id: number): void {
    const order = this.order;
    if (this.set === undefined || order === undefined || !this.set.delete(id)) return;
    if (this.head !== 0) {
      const linear = [...this.inOrder()];
      order.length = 0;
      order.push(...linear);
      this.head = 0;
    }
    const i = order.lastIndexOf(id);
    order.splice(i, 1);
  }

  /** The ids oldest first (state hash, snapshots). */
  *inOrder(): IterableIterator<number> {
    const order = this.order;
    if (order === undefined) return;
    for (let i = 0; i < order.length; i++) yield order[(this.head + i) % order.length]!;
  }

  /** The same as inOrder without an iterator object (hot loops: hash, snapshot). */
  forEachInOrder(f: (id: number) => void): void {
    const order = this.order;
    if (order === undefined) return;
    for (let i = 0; i < order.length; i++) f(order[(this.head + i) % order.length]!);
  }
}
