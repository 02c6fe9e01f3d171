// IdSet: a set of ids in insertion order that costs one small object while it holds none or one id (the
// common case: an account's applied request ids), and allocates a Set only for the second. A million
// accounts each holding an empty or one-entry Set were a million Maps' hash tables more for the garbage
// collector to mark and a snapshot decode to build (bench/RESULTS.md, "snapshot").
// Ids are never removed (idempotency sets only grow), so insertion order is: the first id, then the rest.
// Thread contract: the owning shard's thread.

export class IdSet implements Iterable<number> {
  private first = 0;
  private count = 0;
  private rest: Set<number> | undefined = undefined;

  get size(): number {
    return this.count;
  }

  has(id: number): boolean {
    if (this.count === 0) return false;
    if (this.first === id) return true;
    return this.rest !== undefined && this.rest.has(id);
  }

  /** Adds an id not yet in the set (one already in changes nothing). */
  add(id: number): void {
    if (this.count === 0) {
      this.first = id;
      this.count = 1;
      return;
    }
    if (this.has(id)) return;
    (this.rest ??= new Set()).add(id);
    this.count++;
  }

  /** The ids in insertion order, without an iterator object (hot loops: hash, snapshot). */
  forEach(f: (id: number) => void): void {
    if (this.count === 0) return;
    f(this.first);
    if (this.rest !== undefined) this.rest.forEach((id) => f(id));
  }

  *[Symbol.iterator](): IterableIterator<number> {
    if (this.count === 0) return;
    yield this.first;
    if (this.rest !== undefined) yield* this.rest;
  }
}
