// PositionMap: an account's positions by market id, as a Map<number, PositionState> kept in one small
// array instead of a hash table. An account holds a handful of positions at most (one per market it
// trades), so a linear search beats hashing, and the account costs an array of its positions rather than
// a Map and its table (about 270 bytes each, empty or not): at a million accounts that was the largest
// single share of what a snapshot decode builds and the garbage collector marks (bench/RESULTS.md,
// "snapshot").
//
// Same behaviour as a Map: insertion order, a set of an existing key replaces in place. The key is the
// position's own market id (set refuses any other). The array is copied on every change (positions are
// added once per account and market, never removed by the shard), so an array handed out by inOrder()
// or values() is never changed under a loop that holds it.
// Thread contract: the risk-shard thread.

import type { PositionState } from './state.js';

const NONE: readonly PositionState[] = Object.freeze([]);

export class PositionMap implements Map<number, PositionState> {
  private list: readonly PositionState[] = NONE;
  /** list sorted by market id; list itself when already ascending (the usual case). */
  private sorted: readonly PositionState[] = NONE;

  get size(): number {
    return this.list.length;
  }

  get(marketId: number): PositionState | undefined {
    const list = this.list;
    for (let i = 0; i < list.length; i++) if (list[i]!.marketId === marketId) return list[i];
    return undefined;
  }

  has(marketId: number): boolean {
    return this.get(marketId) !== undefined;
  }

  set(marketId: number, pos: PositionState): this {
    if (pos.marketId !== marketId) throw new RangeError(`position of market ${pos.marketId} set under key ${marketId}`);
    // A loop, not findIndex: no closure per call (a decode sets a million positions).
    const list = this.list;
    let i = -1;
    for (let k = 0; k < list.length; k++) if (list[k]!.marketId === marketId) i = k;
    // Literals, concat and map allocate exactly the length (a push onto a copy would reserve 17 slots);
    // literals for the first two, which most accounts never pass (concat looks its argument up for
    // Symbol.isConcatSpreadable, through the class's prototypes).
    if (i >= 0) this.changed(list.map((p, k) => (k === i ? pos : p)));
    else this.changed(list.length === 0 ? [pos] : list.length === 1 ? [list[0]!, pos] : list.concat(pos));
    return this;
  }

  delete(marketId: number): boolean {
    const next = this.list.filter((p) => p.marketId !== marketId);
    if (next.length === this.list.length) return false;
    this.changed(next);
    return true;
  }

  clear(): void {
    this.changed(NONE);
  }

  /** Whether the map's own order (forEach's) is ascending by market, as inOrder() is. */
  get ascending(): boolean {
    return this.sorted === this.list;
  }

  /** The positions in ascending market order (never changed once returned). */
  inOrder(): readonly PositionState[] {
    return this.sorted;
  }

  forEach(f: (pos: PositionState, marketId: number, map: Map<number, PositionState>) => void): void {
    const list = this.list;
    for (let i = 0; i < list.length; i++) f(list[i]!, list[i]!.marketId, this);
  }

  values(): MapIterator<PositionState> {
    return this.list.values();
  }

  keys(): MapIterator<number> {
    return this.list.map((p) => p.marketId).values();
  }

  entries(): MapIterator<[number, PositionState]> {
    return this.list.map((p): [number, PositionState] => [p.marketId, p]).values();
  }

  [Symbol.iterator](): MapIterator<[number, PositionState]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'PositionMap';
  }

  private changed(next: readonly PositionState[]): void {
    this.list = next;
    let ascending = true;
    for (let i = 1; i < next.length; i++) if (next[i - 1]!.marketId > next[i]!.marketId) ascending = false;
    this.sorted = ascending ? next : [...next].sort((a, b) => a.marketId - b.marketId);
  }
}
