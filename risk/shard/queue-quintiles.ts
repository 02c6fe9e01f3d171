// ADL quintiles of one side of one market without sorting the side: a position's quintile only depends
// on where it stands against four boundary positions, so those are all a ranking has to find.
//
// With the side's n positions in the exact queue order of risk/adl.ts (compareAdl) and rank 0 first in
// line, adlQuintile(rank, n) = 5 − floor(5·rank/n), and floor(5·rank/n) ≥ k exactly when
// rank ≥ r_k = ceil(k·n/5). So with B_k the position at rank r_k (k = 1..4, when r_k < n):
//   quintile(p) = 5 − #{k : compareAdl(p, B_k) ≥ 0}
// which is exact for every position of the side, and places a position opened since among them.
//
// Finding B_k: every position gets a floating key (its score, computed from the exact UPnL, notional,
// entry cost and scope equity: numbers exact below 2^53, or bigints each converted once; relative error
// below KEY_ERROR); selectRanks finds the approximate score v_k at rank r_k (quickselect on a copy, O(n));
// the positions whose key lies within a relative WINDOW of v_k (far wider than the error) are ranked
// exactly with compareAdl, and those strictly above the window are only counted. B_k is the window member
// at rank r_k − above_k. Equal scores (including every scope with equity ≤ 0, which rank last) all fall
// in the window, so ties are broken exactly (notional, then account id). Cost: O(n) to build the keys and
// select, exact work only near the four boundaries.
//
// Placing a position against B_k (quintileByKey) compares keys first: two keys further apart than
// 2·KEY_ERROR of the larger order their exact scores the same way, so only near-ties are compared exactly.
// Thread contract: the risk-shard thread.

import { adlScore, compareAdl, type AdlCandidate, type RankedCandidate } from '../adl.js';
import { TWO_51 } from '../exact-number.js';
import { productBelow51 } from '../margin-number.js';

/** Relative width of the exact-ranking window around each boundary key. */
const WINDOW = 1e-9;
/**
 * Bound on a key's relative error: four conversions of exact values to doubles and three operations,
 * each within 2^-53, stay under 8·2^-53 < 1e-15.
 */
const KEY_ERROR = 1e-15;

export interface SideQuintiles {
  /** Positions ranked on this side when the boundaries were found. */
  readonly count: number;
  /** B_1..B_4 where they exist (r_k < count), in k order. */
  readonly bounds: readonly RankedCandidate[];
  /** The keys of B_1..B_4 (same order). */
  readonly boundKeys: readonly number[];
  /** Their notionals as exact numbers (NaN where a notional is not one). */
  readonly boundNotionals: readonly number[];
}

export const NO_QUINTILES: SideQuintiles = Object.freeze({
  count: 0,
  bounds: Object.freeze([]) as readonly RankedCandidate[],
  boundKeys: Object.freeze([]) as readonly number[],
  boundNotionals: Object.freeze([]) as readonly number[],
});

/** One side's positions as a ranking reads them (index-aligned arrays over [0, n)). */
export interface SideMembers {
  readonly n: number;
  /** approximateScore of each position. */
  readonly keys: Float64Array;
  /** Exact notionals as numbers, NaN where not exact. */
  readonly notionals: Float64Array;
  readonly accountIds: Float64Array;
  /** The exact candidate of position i (asked only near a boundary). */
  candidateAt(i: number): AdlCandidate;
}

/** The candidate as risk/adl.ts ranks it at this mark. */
export function rankedCandidate(c: AdlCandidate, markTicks: bigint, atomsPerTickLot: bigint): RankedCandidate {
  const qtyLots = c.qtyLots < 0n ? -c.qtyLots : c.qtyLots;
  return { index: -1, accountId: c.accountId, qtyLots, notionalAtoms: qtyLots * markTicks * atomsPerTickLot, score: adlScore(c, markTicks, atomsPerTickLot) };
}

/** quintile(p) = 5 − #{k : p ranks at or after B_k}. */
export function quintileAgainst(q: SideQuintiles, me: RankedCandidate): number {
  let after = 0;
  for (const b of q.bounds) if (compareAdl(me, b) >= 0) after++;
  return 5 - after;
}

/**
 * −1 when a key's exact score is certainly above b's (the position goes first), 1 when certainly below,
 * 0 when the keys cannot tell (compare exactly). −Infinity (equity ≤ 0) ranks last.
 */
export function keyOrder(a: number, b: number): number {
  if (a === b) return 0;
  if (a === -Infinity) return 1;
  if (b === -Infinity) return -1;
  const d = a - b;
  const m = 2 * KEY_ERROR * Math.max(Math.abs(a), Math.abs(b));
  return d > m ? -1 : d < -m ? 1 : 0;
}

/**
 * compareAdl decided from keys and exact notionals where they can: two keys that are both exactly 0
 * (UPnL 0: score 0) or both −Infinity (equity ≤ 0: no score) are equal scores, so the notional (larger
 * first) and then the account id decide; keys keyOrder tells apart decide by themselves. 0: compare the
 * exact candidates.
 */
export function orderByKeys(keyA: number, notionalA: number, accountA: number, keyB: number, notionalB: number, accountB: number): number {
  if (keyA === keyB && (keyA === 0 || keyA === -Infinity)) {
    if (notionalA !== notionalA || notionalB !== notionalB) return 0;
    if (notionalA !== notionalB) return notionalA > notionalB ? -1 : 1;
    return accountA - accountB;
  }
  return keyOrder(keyA, keyB);
}

/**
 * The boundaries of one side of n positions, given each one's floating key (approximateScore) and, on
 * demand, its exact candidate (only positions near a boundary are asked for).
 */
export function sideQuintiles(keys: Float64Array, candidateAt: (i: number) => AdlCandidate, markTicks: bigint, atomsPerTickLot: bigint, n: number = keys.length): SideQuintiles {
  const notionals = new Float64Array(n).fill(NaN);
  return rankSide({ n, keys, notionals, accountIds: new Float64Array(n), candidateAt }, markTicks, atomsPerTickLot);
}

/** sideQuintiles over members that also carry exact notionals and account ids (ties decided without bigint). */
export function rankSide(m: SideMembers, markTicks: bigint, atomsPerTickLot: bigint): SideQuintiles {
  const ranking = new SideRanking(m, markTicks, atomsPerTickLot);
  while (!ranking.step());
  return ranking.result();
}

/**
 * rankSide in steps, each O(n) at most (a ranking job runs one per input record): the selection of the
 * four approximate boundary scores, then one step per boundary (window scan and exact selection in it).
 */
export class SideRanking {
  private readonly ranks: number[] = [];
  private values: number[] = [];
  private next = -1;
  /** The current window: member indexes [0, windowSize). */
  private window = new Int32Array(0);
  private windowSize = 0;
  private above = 0;
  private readonly bounds: RankedCandidate[] = [];
  private readonly boundKeys: number[] = [];
  private readonly boundNotionals: number[] = [];
  private readonly exact = new Map<number, RankedCandidate>();

  constructor(
    private readonly m: SideMembers,
    private readonly markTicks: bigint,
    private readonly atomsPerTickLot: bigint,
  ) {
    if (m.n === 0 || markTicks <= 0n) return;
    for (let k = 1; k <= 4; k++) {
      const r = Math.ceil((k * m.n) / 5);
      if (r < m.n) this.ranks.push(r);
    }
  }

  /** Steps taken so far (snapshots replay them). */
  get stepsTaken(): number {
    return this.next + 1;
  }

  /** Steps this ranking takes in all (so a job knows its length up front). */
  get steps(): number {
    return this.ranks.length === 0 ? 1 : 1 + this.ranks.length;
  }

  /** One step; true when the boundaries are all found. */
  step(): boolean {
    const m = this.m;
    if (this.ranks.length === 0) return true;
    if (this.next < 0) {
      // Rank r in descending score order is index n − 1 − r of the ascending order.
      this.values = selectAscending(m.keys, m.n, this.ranks.map((r) => m.n - 1 - r));
      this.next = 0;
      return false;
    }
    const j = this.next++;
    const r = this.ranks[j]!;
    const v = this.values[j]!;
    if (j === 0 || v !== this.values[j - 1]) this.scan(v);
    // A window of keys exactly 0 or −Infinity is one class of equal scores: notional and account id order it.
    const members = this.window.subarray(0, this.windowSize);
    const tieClass = v === 0 || v === -Infinity ? selectInTieClass(members, r - this.above, m) : -1;
    const b = tieClass >= 0 ? tieClass : selectNth(Array.from(members), r - this.above, (x, y) => this.compare(x, y));
    this.bounds.push(this.candidate(b));
    this.boundKeys.push(m.keys[b]!);
    this.boundNotionals.push(m.notionals[b]!);
    return this.next === this.ranks.length;
  }

  result(): SideQuintiles {
    if (this.m.n === 0 || this.markTicks <= 0n) return NO_QUINTILES;
    return { count: this.m.n, bounds: this.bounds, boundKeys: this.boundKeys, boundNotionals: this.boundNotionals };
  }

  /** The members whose key lies within WINDOW of v, and how many lie above it. */
  private scan(v: number): void {
    const keys = this.m.keys;
    const lo = v === -Infinity ? -Infinity : v - Math.abs(v) * WINDOW;
    const hi = v === -Infinity ? -Infinity : v + Math.abs(v) * WINDOW;
    if (this.window.length < this.m.n) this.window = new Int32Array(this.m.n);
    const window = this.window;
    let above = 0;
    let size = 0;
    for (let i = 0; i < this.m.n; i++) {
      const key = keys[i]!;
      if (key > hi) above++;
      else if (key >= lo) window[size++] = i;
    }
    this.above = above;
    this.windowSize = size;
  }

  private candidate(i: number): RankedCandidate {
    let c = this.exact.get(i);
    if (c === undefined) this.exact.set(i, (c = rankedCandidate(this.m.candidateAt(i), this.markTicks, this.atomsPerTickLot)));
    return c;
  }

  private compare(i: number, j: number): number {
    const m = this.m;
    return orderByKeys(m.keys[i]!, m.notionals[i]!, m.accountIds[i]!, m.keys[j]!, m.notionals[j]!, m.accountIds[j]!) || compareAdl(this.candidate(i), this.candidate(j));
  }
}

/**
 * The values at the given ascending positions (each in [0, n)) of keys[0..n) in ascending order, without
 * sorting: quickselect on a copy, median-of-three pivots, a full sort of a part whose partitioning goes
 * deeper than 2·log2(n) (so the worst case stays O(n log n)). Deterministic.
 */
export function selectAscending(keys: Float64Array, n: number, positions: readonly number[]): number[] {
  const a = keys.slice(0, n);
  const out: number[] = [];
  for (const target of positions) {
    let lo = 0;
    let hi = n - 1;
    let depth = 2 * Math.ceil(Math.log2(n + 1)) + 2;
    while (hi > lo) {
      if (depth-- === 0) {
        a.subarray(lo, hi + 1).sort();
        break;
      }
      const mid = (lo + hi) >>> 1;
      const pivot = medianOf3(a[lo]!, a[mid]!, a[hi]!);
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (a[i]! < pivot) i++;
        while (a[j]! > pivot) j--;
        if (i <= j) {
          const t = a[i]!;
          a[i] = a[j]!;
          a[j] = t;
          i++;
          j--;
        }
      }
      if (target <= j) hi = j;
      else if (target >= i) lo = i;
      else break;
    }
    out.push(a[target]!);
  }
  return out;
}

/**
 * The member at position k of a class of equal scores, ordered by notional (larger first) then account id,
 * on typed arrays (O(m)); −1 when a notional is not an exact number (then compare exactly).
 */
function selectInTieClass(window: Int32Array, k: number, m: SideMembers): number {
  const count = window.length;
  const negated = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const notional = m.notionals[window[i]!]!;
    if (notional !== notional) return -1;
    negated[i] = -notional;
  }
  const v = selectAscending(negated, count, [k])[0]!;
  let before = 0;
  let tied = 0;
  const ids = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    if (negated[i]! < v) before++;
    else if (negated[i] === v) ids[tied++] = m.accountIds[window[i]!]!;
  }
  // Account ids are unique: the one at the position is found again by a scan of the tied members.
  const id = selectAscending(ids, tied, [k - before])[0]!;
  for (let i = 0; i < count; i++) if (negated[i] === v && m.accountIds[window[i]!] === id) return window[i]!;
  return -1;
}

/**
 * The item that sorting `items` by `compare` would put at position k (items is reordered): quickselect
 * with a middle pivot and three-way partitioning (runs of equal items cost nothing), falling back to a
 * full sort of what is left past 2·log2(n) rounds. Deterministic.
 */
export function selectNth(items: number[], k: number, compare: (a: number, b: number) => number): number {
  let lo = 0;
  let hi = items.length - 1;
  let depth = 2 * Math.ceil(Math.log2(items.length + 1)) + 2;
  while (hi > lo) {
    if (depth-- === 0) {
      const rest = items.slice(lo, hi + 1).sort(compare);
      return rest[k - lo]!;
    }
    const pivot = items[(lo + hi) >>> 1]!;
    // Dutch flag: [lo, lt) before the pivot, [lt, i) equal, (gt, hi] after.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const c = compare(items[i]!, pivot);
      if (c < 0) swap(items, lt++, i++);
      else if (c > 0) swap(items, i, gt--);
      else i++;
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return items[k]!;
  }
  return items[k]!;
}

function swap(a: number[], i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

function medianOf3(x: number, y: number, z: number): number {
  return x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
}

/** The ADL score as a double from exact parts; −Infinity for scope equity ≤ 0 (ranks last). */
export function approximateScore(qtyLots: bigint, entryCostAtoms: bigint, scopeEquityAtoms: bigint, markTicks: bigint, atomsPerTickLot: bigint): number {
  if (scopeEquityAtoms <= 0n) return -Infinity;
  const notional = (qtyLots < 0n ? -qtyLots : qtyLots) * markTicks * atomsPerTickLot;
  const upnl = qtyLots > 0n ? notional - entryCostAtoms : entryCostAtoms - notional;
  const u = Number(upnl);
  const n = Number(notional);
  const cost = Number(entryCostAtoms);
  const e = Number(scopeEquityAtoms);
  return upnl > 0n ? (u * n) / (cost * e) : (u * e) / (cost * n);
}

/**
 * approximateScore from exact numbers (the state's number slots, equity from the number path); NaN when
 * an input is NaN or the notional passes 2^51 (then use approximateScore).
 */
export function approximateScoreNumber(qtyLots: number, entryCostAtoms: number, scopeEquityAtoms: number, markTicks: number, atomsPerTickLot: number): number {
  if (!(scopeEquityAtoms === scopeEquityAtoms && entryCostAtoms >= 0 && entryCostAtoms < TWO_51 && markTicks > 0)) return NaN;
  if (scopeEquityAtoms <= 0) return -Infinity;
  const notional = productBelow51(qtyLots < 0 ? -qtyLots : qtyLots, markTicks, atomsPerTickLot);
  const upnl = qtyLots > 0 ? notional - entryCostAtoms : entryCostAtoms - notional;
  return upnl > 0 ? (upnl * notional) / (entryCostAtoms * scopeEquityAtoms) : (upnl * scopeEquityAtoms) / (entryCostAtoms * notional);
}
