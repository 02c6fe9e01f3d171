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
  /**
   * Insertion order: a plain array while it has never been full (head 0, one element per id), then a ring
   * of `capacity` slots whose first set.size from head (wrapping) are the ids oldest first; a removal can
   * leave it below full, and the next add fills the slot after the newest.
   */
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
    const n = set.size;
    if (order.length < this.capacity) order.push(id);
    else if (n < this.capacity) order[(this.head + n) % this.capacity] = id;
    else {
      set.delete(order[this.head]!);
      order[this.head] = id;
      this.head = (this.head + 1) % this.capacity;
    }
    set.add(id);
  }

  /**
   * Takes an id out of the window (an order the market refused was never an order: docs/COMMANDS.md,
   * "What a refusal leaves behind"). The order of the others is kept: the ids after it move back one slot.
   * Refused orders are nearly always the newest, so the search runs newest first and the move is short
   * (a full window of 4,096 ids used to be laid out afresh, oldest first, for every refusal).
   */
  remove(id: number): void {
    const order = this.order;
    if (this.set === undefined || order === undefined || !this.set.delete(id)) return;
    const n = this.set.size + 1;
    const len = order.length;
    const head = this.head;
    let k = n - 1;
    while (order[(head + k) % len] !== id) k--;
    for (let j = k + 1; j < n; j++) order[(head + j - 1) % len] = order[(head + j) % len]!;
    if (len < this.capacity) order.pop();
  }

  /** The ids oldest first (state hash, snapshots). */
  *inOrder(): IterableIterator<number> {
    const order = this.order;
    if (order === undefined) return;
    for (let i = 0, n = this.size; i < n; i++) yield order[(this.head + i) % order.length]!;
  }

  /** The same as inOrder without an iterator object (hot loops: hash, snapshot). */
  forEachInOrder(f: (id: number) => void): void {
    const order = this.order;
    if (order === undefined) return;
    for (let i = 0, n = this.size; i < n; i++) f(order[(this.head + i) % order.length]!);
  }
}
