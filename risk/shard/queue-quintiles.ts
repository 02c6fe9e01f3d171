// ADL quintiles of one side of one market without sorting the side: a position's quintile only depends
// on where it stands against four boundary positions, so those are all a ranking has to find.
//
// With the side's n positions in the exact queue order of risk/adl.ts (compareAdl) and rank 0 first in
// line, adlQuintile(rank, n) = 5 − floor(5·rank/n), and floor(5·rank/n) ≥ k exactly when
// rank ≥ r_k = ceil(k·n/5). So with B_k the position at rank r_k (k = 1..4, when r_k < n):
//   quintile(p) = 5 − #{k : compareAdl(p, B_k) ≥ 0}
// which is exact for every position of the side, and places a position opened since among them.
//
// Finding B_k: every position gets a floating key (its score, computed from the exact bigint UPnL,
// notional, entry cost and scope equity, each converted once: relative error below 2^-50); the keys are
// sorted natively (a Float64Array, no comparator) to read the approximate score v_k at rank r_k; the
// positions whose key lies within a relative WINDOW of v_k (far wider than the error) are ranked exactly
// with compareAdl, and those strictly above the window are only counted. B_k is the window member at rank
// r_k − above_k. Equal scores (including every scope with equity ≤ 0, which rank last) all fall in the
// window, so ties are broken exactly (notional, then account id). Cost: O(n) bigint work to build the
// keys, one native sort, and exact work only near the four boundaries.
// Thread contract: the risk-shard thread.

import { adlScore, compareAdl, type AdlCandidate, type RankedCandidate } from '../adl.js';

/** Relative width of the exact-ranking window around each boundary key (error bound: ~5·2^-53). */
const WINDOW = 1e-9;

export interface SideQuintiles {
  /** Positions ranked on this side when the boundaries were found. */
  readonly count: number;
  /** B_1..B_4 where they exist (r_k < count), in k order. */
  readonly bounds: readonly RankedCandidate[];
}

export const NO_QUINTILES: SideQuintiles = Object.freeze({ count: 0, bounds: Object.freeze([]) as readonly RankedCandidate[] });

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
 * The boundaries of one side of n positions, given each one's floating key (approximateScore) and, on
 * demand, its exact candidate (only positions near a boundary are asked for).
 */
export function sideQuintiles(keys: Float64Array, candidateAt: (i: number) => AdlCandidate, markTicks: bigint, atomsPerTickLot: bigint): SideQuintiles {
  const n = keys.length;
  if (n === 0 || markTicks <= 0n) return NO_QUINTILES;
  const sorted = keys.slice().sort();
  const bounds: RankedCandidate[] = [];
  for (let k = 1; k <= 4; k++) {
    const r = Math.ceil((k * n) / 5);
    if (r >= n) break;
    // Rank r in descending score order is index n − 1 − r of the ascending sort.
    const v = sorted[n - 1 - r]!;
    const lo = v === -Infinity ? -Infinity : v - Math.abs(v) * WINDOW;
    const hi = v === -Infinity ? -Infinity : v + Math.abs(v) * WINDOW;
    let above = 0;
    const window: RankedCandidate[] = [];
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      if (key > hi) above++;
      else if (key >= lo) window.push(rankedCandidate(candidateAt(i), markTicks, atomsPerTickLot));
    }
    window.sort(compareAdl);
    bounds.push(window[r - above]!);
  }
  return { count: n, bounds };
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
