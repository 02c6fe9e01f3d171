// TriggerHeap: a binary min-heap of price triggers in typed arrays, for the margin monitor's per-market
// indexes (trigger-index.ts). An entry is (order key, account id, version): the order key is the trigger
// price in ticks for an "at or above" trigger and its negation for an "at or below" one, so the entry
// the mark reaches first is always on top. Ties go to the lower account id, which makes the pop order a
// function of the entries alone, not of the order they were pushed in (a heap rebuilt from a snapshot
// pops the same sequence).
//
// Entries are never updated in place: a re-keyed position pushes a new entry with a new version and the
// old one becomes stale, skipped when popped and dropped by compact(). Keys are integer ticks below 2^53
// and versions integers below 2^53, exact in a Float64Array. No allocation per push once grown.
// Thread contract: the risk-shard thread.

export class TriggerHeap {
  private keys: Float64Array;
  private accounts: Uint32Array;
  private versions: Float64Array;
  private n = 0;

  constructor(initialCapacity = 256) {
    this.keys = new Float64Array(initialCapacity);
    this.accounts = new Uint32Array(initialCapacity);
    this.versions = new Float64Array(initialCapacity);
  }

  get size(): number {
    return this.n;
  }

  /** The top entry's order key; NaN when empty. */
  topKey(): number {
    return this.n > 0 ? this.keys[0]! : NaN;
  }

  topAccount(): number {
    return this.accounts[0]!;
  }

  topVersion(): number {
    return this.versions[0]!;
  }

  push(orderKey: number, accountId: number, version: number): void {
    if (this.n === this.keys.length) this.grow();
    let i = this.n++;
    const keys = this.keys;
    const accounts = this.accounts;
    const versions = this.versions;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p]!;
      if (pk < orderKey || (pk === orderKey && accounts[p]! <= accountId)) break;
      keys[i] = pk;
      accounts[i] = accounts[p]!;
      versions[i] = versions[p]!;
      i = p;
    }
    keys[i] = orderKey;
    accounts[i] = accountId;
    versions[i] = version;
  }

  pop(): void {
    if (this.n === 0) throw new RangeError('pop of an empty trigger heap');
    const last = --this.n;
    if (last > 0) this.siftDown(0, this.keys[last]!, this.accounts[last]!, this.versions[last]!);
  }

  /** Keeps the entries `live` accepts and restores the heap order (O(n)). */
  compact(live: (accountId: number, version: number) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.n; i++) {
      if (!live(this.accounts[i]!, this.versions[i]!)) continue;
      this.keys[kept] = this.keys[i]!;
      this.accounts[kept] = this.accounts[i]!;
      this.versions[kept] = this.versions[i]!;
      kept++;
    }
    this.n = kept;
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.siftDown(i, this.keys[i]!, this.accounts[i]!, this.versions[i]!);
  }

  /** Every entry in array order (state hashes, tests). */
  forEach(f: (orderKey: number, accountId: number, version: number) => void): void {
    for (let i = 0; i < this.n; i++) f(this.keys[i]!, this.accounts[i]!, this.versions[i]!);
  }

  private siftDown(from: number, key: number, account: number, version: number): void {
    const keys = this.keys;
    const accounts = this.accounts;
    const versions = this.versions;
    const n = this.n;
    let i = from;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (keys[r]! < keys[c]! || (keys[r] === keys[c] && accounts[r]! < accounts[c]!))) c = r;
      const ck = keys[c]!;
      if (key < ck || (key === ck && account <= accounts[c]!)) break;
      keys[i] = ck;
      accounts[i] = accounts[c]!;
      versions[i] = versions[c]!;
      i = c;
    }
    keys[i] = key;
    accounts[i] = account;
    versions[i] = version;
  }

  private grow(): void {
    const cap = this.keys.length * 2;
    const keys = new Float64Array(cap);
    const accounts = new Uint32Array(cap);
    const versions = new Float64Array(cap);
    keys.set(this.keys);
    accounts.set(this.accounts);
    versions.set(this.versions);
    this.keys = keys;
    this.accounts = accounts;
    this.versions = versions;
  }
}
