// RecentIds: a bounded set of the most recent ids, first in first out: the idempotency window of order ids
// an account's PlaceOrder commands were accepted under (docs/RISK-SHARD.md, "Idempotency").
//
// Why bounded: order ids are retired when an order ends, so without a window a command retried after a
// crash (the client never saw its acknowledgement) would be accepted a second time once the first order
// had filled or been cancelled. Retries come within seconds of the original; keeping the last `capacity`
// ids per account covers them with memory that does not grow with an account's history. The order of
// insertion is state (it decides what is evicted), so it is part of the state hash and of snapshots.
//
// Membership: a gateway hands out order ids from one rising counter, so an account's window is nearly
// always ascending oldest first. While it is, the ring alone answers: an id past the newest is absent (the
// question every new order asks, answered without touching the window), any other is binary-searched. The
// first id added out of that order builds a Set of the window, kept from then on. Which of the two answers
// is not state: the same ids in the same order answer the same (a Set per placing account was a hash probe
// into a cold table of up to 4,096 ids on every PlaceOrder, ~5% of the risk shard's replay of the demo).
// Thread contract: the risk-shard thread.

export class RecentIds {
  /**
   * Insertion order, made on the first add (most accounts never place an order, and a million accounts'
   * empty arrays were much of what a snapshot decode built): a plain array while it has never been full
   * (head 0, one element per id), then a ring of `capacity` slots whose first `count` from head
   * (wrapping) are the ids oldest first; a removal can leave it below full, and the next add fills the
   * slot after the newest.
   */
  private order: number[] | undefined = undefined;
  private head = 0;
  private count = 0;
  /** The window's ids, once one was added out of ascending order (undefined while the ring is ascending). */
  private set: Set<number> | undefined = undefined;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`window capacity must be a positive integer, got ${capacity}`);
  }

  has(id: number): boolean {
    if (this.set !== undefined) return this.set.has(id);
    return this.count !== 0 && id <= this.at(this.count - 1) && this.indexOf(id) >= 0;
  }

  get size(): number {
    return this.count;
  }

  /** Adds an id not in the window, evicting the oldest when full. */
  add(id: number): void {
    const order = (this.order ??= []);
    const n = this.count;
    if (this.set === undefined && n !== 0 && id <= this.at(n - 1)) {
      if (this.indexOf(id) >= 0) return;
      // Out of ascending order: from now on a Set answers.
      const set = (this.set = new Set());
      for (let i = 0; i < n; i++) set.add(this.at(i));
    } else if (this.set !== undefined && this.set.has(id)) return;
    if (order.length < this.capacity) order.push(id);
    else if (n < this.capacity) order[(this.head + n) % this.capacity] = id;
    else {
      this.set?.delete(order[this.head]!);
      order[this.head] = id;
      this.head = (this.head + 1) % this.capacity;
      this.set?.add(id);
      return;
    }
    this.count = n + 1;
    this.set?.add(id);
  }

  /**
   * Takes an id out of the window (an order the market refused was never an order: docs/COMMANDS.md,
   * "What a refusal leaves behind"). The order of the others is kept: the ids after it move back one slot.
   * Refused orders are nearly always the newest, so the search runs newest first and the move is short
   * (a full window of 4,096 ids used to be laid out afresh, oldest first, for every refusal).
   */
  remove(id: number): void {
    const order = this.order;
    if (order === undefined || !this.has(id)) return;
    this.set?.delete(id);
    const n = this.count;
    const len = order.length;
    const head = this.head;
    let k = n - 1;
    while (order[(head + k) % len] !== id) k--;
    for (let j = k + 1; j < n; j++) order[(head + j - 1) % len] = order[(head + j) % len]!;
    this.count = n - 1;
    if (len < this.capacity) order.pop();
  }

  /** The ids oldest first (state hash, snapshots). */
  *inOrder(): IterableIterator<number> {
    for (let i = 0, n = this.count; i < n; i++) yield this.at(i);
  }

  /** The same as inOrder without an iterator object (hot loops: hash, snapshot). */
  forEachInOrder(f: (id: number) => void): void {
    for (let i = 0, n = this.count; i < n; i++) f(this.at(i));
  }

  /** The i-th id, oldest first (i < count). */
  private at(i: number): number {
    const order = this.order!;
    return order[(this.head + i) % order.length]!;
  }

  /** Where the ascending window holds id (binary search), −1 when it does not. */
  private indexOf(id: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.at(mid);
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
