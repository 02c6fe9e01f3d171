// TriggerHeap: an indexed binary min-heap of trigger entries for the margin monitor's per-market indexes
// (trigger-index.ts). An entry is (order key, account id) under a dense entry id (the market's slot id):
// the order key is the trigger price in ticks for an "at or above" trigger and its negation for an "at or
// below" one, so the entry the mark reaches first is always on top. Ties go to the lower account id, which
// makes the pop order a function of the entries alone, not of the order they were inserted in.
//
// Indexed: where each id sits in the heap is kept in a typed array (atOf[id], -1 when absent), so a
// re-keyed or closed position leaves the heap at once in O(log n). The heap never holds a stale entry,
// so it never needs compacting: no O(n) pass ever stalls the shard, whatever the number of positions
// (an earlier version pushed a new entry per re-key and compacted the heap when stale entries piled up:
// ~20 ms at 100,000 positions, ~0.3 s at a million, a pause every so many mark updates). Keys are integer
// ticks below 2^53, exact in a Float64Array. Everything lives in typed arrays: no allocation per insert
// once grown, and a sift touches only these arrays.
// Thread contract: the risk-shard thread.

import { malformed } from '../../engine/snapshot/snapshot-error.js';

export class TriggerHeap {
  private keys: Float64Array;
  private accounts: Uint32Array;
  private ids: Int32Array;
  private atOf: Int32Array;
  private n = 0;

  constructor(initialCapacity = 256) {
    this.keys = new Float64Array(initialCapacity);
    this.accounts = new Uint32Array(initialCapacity);
    this.ids = new Int32Array(initialCapacity);
    this.atOf = new Int32Array(initialCapacity).fill(-1);
  }

  get size(): number {
    return this.n;
  }

  /** The top entry's order key; NaN when empty. */
  topKey(): number {
    return this.n > 0 ? this.keys[0]! : NaN;
  }

  /** The top entry's id; -1 when empty. */
  topId(): number {
    return this.n > 0 ? this.ids[0]! : -1;
  }

  has(id: number): boolean {
    return id < this.atOf.length && this.atOf[id]! >= 0;
  }

  /** Adds entry `id` (a non-negative integer) with this order key and account; it must not be in already. */
  insert(id: number, orderKey: number, accountId: number): void {
    if (id >= this.atOf.length) this.growIds(id + 1);
    if (this.atOf[id]! >= 0) throw new RangeError(`entry ${id} (account ${accountId}) is in the trigger heap already`);
    if (this.n === this.keys.length) this.grow();
    this.siftUp(this.n++, orderKey, accountId, id);
  }

  /** Takes entry `id` out, if it is in. */
  remove(id: number): void {
    if (id >= this.atOf.length) return;
    const i = this.atOf[id]!;
    if (i < 0) return;
    this.atOf[id] = -1;
    const last = --this.n;
    if (i === last) return;
    const key = this.keys[last]!;
    const account = this.accounts[last]!;
    const moved = this.ids[last]!;
    // The last entry fills the hole: up if it beats the hole's parent, else down.
    const p = (i - 1) >> 1;
    if (i > 0 && before(key, account, this.keys[p]!, this.accounts[p]!)) this.siftUp(i, key, account, moved);
    else this.siftDown(i, key, account, moved);
  }

  /** Takes the top entry out. */
  pop(): void {
    if (this.n === 0) throw new RangeError('pop of an empty trigger heap');
    this.remove(this.ids[0]!);
  }

  /** Every entry in array order (tests). */
  forEach(f: (orderKey: number, accountId: number, id: number) => void): void {
    for (let i = 0; i < this.n; i++) f(this.keys[i]!, this.accounts[i]!, this.ids[i]!);
  }

  /**
   * Snapshot decode: the entries in the array order forEach gave (ids dense and distinct, checked by the
   * caller); throws SnapshotError when they do not form a heap.
   */
  restore(ids: ArrayLike<number>, keys: ArrayLike<number>, accounts: ArrayLike<number>): void {
    const n = ids.length;
    let cap = this.keys.length;
    while (cap < n) cap *= 2;
    this.keys = new Float64Array(cap);
    this.accounts = new Uint32Array(cap);
    this.ids = new Int32Array(cap);
    this.atOf = new Int32Array(Math.max(this.atOf.length, 1)).fill(-1);
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      if (id >= this.atOf.length) this.growIds(id + 1);
      if (this.atOf[id]! >= 0) throw malformed(`trigger heap: entry ${id} twice`);
      this.keys[i] = keys[i]!;
      this.accounts[i] = accounts[i]!;
      this.ids[i] = id;
      this.atOf[id] = i;
      if (i > 0 && before(keys[i]!, accounts[i]!, this.keys[(i - 1) >> 1]!, this.accounts[(i - 1) >> 1]!)) throw malformed(`trigger heap: entry ${id} above its parent`);
    }
    this.n = n;
  }

  private siftUp(from: number, key: number, account: number, id: number): void {
    const keys = this.keys;
    const accounts = this.accounts;
    const ids = this.ids;
    const atOf = this.atOf;
    let i = from;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(key, account, keys[p]!, accounts[p]!)) break;
      keys[i] = keys[p]!;
      accounts[i] = accounts[p]!;
      ids[i] = ids[p]!;
      atOf[ids[i]!] = i;
      i = p;
    }
    keys[i] = key;
    accounts[i] = account;
    ids[i] = id;
    atOf[id] = i;
  }

  private siftDown(from: number, key: number, account: number, id: number): void {
    const keys = this.keys;
    const accounts = this.accounts;
    const ids = this.ids;
    const atOf = this.atOf;
    const n = this.n;
    let i = from;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && before(keys[r]!, accounts[r]!, keys[c]!, accounts[c]!)) c = r;
      if (!before(keys[c]!, accounts[c]!, key, account)) break;
      keys[i] = keys[c]!;
      accounts[i] = accounts[c]!;
      ids[i] = ids[c]!;
      atOf[ids[i]!] = i;
      i = c;
    }
    keys[i] = key;
    accounts[i] = account;
    ids[i] = id;
    atOf[id] = i;
  }

  private grow(): void {
    const cap = this.keys.length * 2;
    const keys = new Float64Array(cap);
    const accounts = new Uint32Array(cap);
    const ids = new Int32Array(cap);
    keys.set(this.keys);
    accounts.set(this.accounts);
    ids.set(this.ids);
    this.keys = keys;
    this.accounts = accounts;
    this.ids = ids;
  }

  private growIds(need: number): void {
    let cap = this.atOf.length * 2;
    while (cap < need) cap *= 2;
    const atOf = new Int32Array(cap).fill(-1);
    atOf.set(this.atOf);
    this.atOf = atOf;
  }
}

/** (k1, a1) pops before (k2, a2): lower key, then lower account id. */
function before(k1: number, a1: number, k2: number, a2: number): boolean {
  return k1 < k2 || (k1 === k2 && a1 < a2);
}
