// Auto-deleveraging (docs/RISK.md, "Auto-deleveraging"): who is closed against a liquidation's shortfall, in
// which order, and how much each.
//
//   pnlPct = side·(MP − EP)/EP = UPnL / entryCost       (EP = entryCost/(Q·a), so exact and rational)
//   effLev = N / scopeEquity
//   score  = pnlPct·effLev = UPnL·N / (C·E)   when UPnL > 0
//          = pnlPct/effLev = UPnL·E / (C·N)   otherwise
// Queue order: scope equity E ≤ 0 ranks last; then score descending; then larger notional; then lower
// account id. Every key is exact (scores compared by cross-multiplication), so the order is a total
// order, a function of state alone (invariant I10), whatever order the candidates arrive in.
// Quintiles: 5 = the first fifth of the queue (first in line), 1 = the last fifth.
//
// The risk shard that owns all candidates of a market (or the coordinator, through sequenced records)
// calls these; pure.

import { absBig, RATE_ONE, type Rational } from './units.js';

export interface AdlCandidate {
  readonly accountId: number;
  readonly qtyLots: bigint;
  readonly entryCostAtoms: bigint;
  /** Equity of the candidate's scope: its isolated position's, or its cross account's. */
  readonly scopeEquityAtoms: bigint;
  /** System accounts (the IF, market makers of last resort) are never deleveraged. */
  readonly system: boolean;
}

export interface RankedCandidate {
  /** Index into the candidates given to rankAdl. */
  readonly index: number;
  readonly accountId: number;
  /** |q|. */
  readonly qtyLots: bigint;
  readonly notionalAtoms: bigint;
  /** undefined when the scope's equity is ≤ 0 (ranks last). */
  readonly score: Rational | undefined;
}

/** The score of one position at mark; undefined when its scope equity is ≤ 0 or it is flat. */
export function adlScore(c: AdlCandidate, markTicks: bigint, atomsPerTickLot: bigint): Rational | undefined {
  if (c.qtyLots === 0n || c.scopeEquityAtoms <= 0n) return undefined;
  const n = absBig(c.qtyLots) * markTicks * atomsPerTickLot;
  const upnl = c.qtyLots > 0n ? n - c.entryCostAtoms : c.entryCostAtoms - n;
  return upnl > 0n
    ? { num: upnl * n, den: c.entryCostAtoms * c.scopeEquityAtoms }
    : { num: upnl * c.scopeEquityAtoms, den: c.entryCostAtoms * n };
}

/** The queue comparator: negative when a goes before b. */
export function compareAdl(a: RankedCandidate, b: RankedCandidate): number {
  if (a.score === undefined || b.score === undefined) {
    if (a.score !== b.score) return a.score === undefined ? 1 : -1;
  } else {
    const l = a.score.num * b.score.den;
    const r = b.score.num * a.score.den;
    if (l !== r) return l > r ? -1 : 1;
  }
  if (a.notionalAtoms !== b.notionalAtoms) return a.notionalAtoms > b.notionalAtoms ? -1 : 1;
  return a.accountId - b.accountId;
}

/**
 * The ADL queue against a liquidated position of sign liquidatedQtyLots: the opposite-side positions,
 * without the liquidated account and system accounts (flat positions never appear), first in line first.
 * Pass liquidatedQtyLots = −(a side's sign) and excludedAccountId = −1 to rank a whole side for quintiles.
 */
export function rankAdl(
  candidates: readonly AdlCandidate[],
  liquidatedQtyLots: bigint,
  excludedAccountId: number,
  markTicks: bigint,
  atomsPerTickLot: bigint,
): RankedCandidate[] {
  const ranked: RankedCandidate[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    if (c.system || c.accountId === excludedAccountId || c.qtyLots === 0n || (c.qtyLots > 0n) === (liquidatedQtyLots > 0n)) continue;
    const qtyLots = absBig(c.qtyLots);
    ranked.push({
      index: i,
      accountId: c.accountId,
      qtyLots,
      notionalAtoms: qtyLots * markTicks * atomsPerTickLot,
      score: adlScore(c, markTicks, atomsPerTickLot),
    });
  }
  return ranked.sort(compareAdl);
}

/** Quintile of queue position rank (0 = first) among count: 5 for the first fifth … 1 for the last. */
export function adlQuintile(rank: number, count: number): number {
  return 5 - Math.floor((5 * rank) / count);
}

export const AdlMode = {
  /** min(remaining, Q_i) from each in queue order. */
  SEQUENTIAL: 0,
  /** In proportion to Q_i·max(score_i, 0), capped at Q_i; see allocateAdl. */
  PRO_RATA: 1,
} as const;
export type AdlMode = (typeof AdlMode)[keyof typeof AdlMode];

export interface AdlAllocation {
  /** Lots closed per queue entry, aligned with the ranked array. */
  readonly lots: bigint[];
  /** Lots no candidate could take (0n while open interest is balanced). */
  readonly unallocatedLots: bigint;
}

/** Q·max(score, 0) in 10^-8·lots, the score rounded down: integer weights keep the shares exact. */
function weight(c: RankedCandidate): bigint {
  if (c.score === undefined || c.score.num <= 0n) return 0n;
  return (c.qtyLots * c.score.num * RATE_ONE) / c.score.den;
}

/**
 * Shares shortfallLots over the queue. PRO_RATA: water-filling over positive weights (a candidate whose
 * share reaches Q_i is capped there and the rest re-shared), floor shares, then the leftover lots (fewer
 * than the candidates sharing) one each in queue order; anything pro rata cannot place (no positive
 * weights, or their positions are too small) continues sequentially in queue order. All closes happen at
 * the liquidated scope's BP.
 */
export function allocateAdl(ranked: readonly RankedCandidate[], shortfallLots: bigint, mode: AdlMode = AdlMode.SEQUENTIAL): AdlAllocation {
  const lots = new Array<bigint>(ranked.length).fill(0n);
  let rest = shortfallLots > 0n ? shortfallLots : 0n;
  if (mode === AdlMode.PRO_RATA) {
    const weights = ranked.map(weight);
    let active = ranked.map((_, i) => i).filter((i) => weights[i]! > 0n);
    while (active.length > 0 && rest > 0n) {
      let total = 0n;
      for (const i of active) total += weights[i]!;
      const capped = active.filter((i) => ranked[i]!.qtyLots * total <= rest * weights[i]!);
      if (capped.length > 0) {
        for (const i of capped) {
          lots[i] = ranked[i]!.qtyLots;
          rest -= ranked[i]!.qtyLots;
        }
        active = active.filter((i) => lots[i] === 0n);
        continue;
      }
      let placed = 0n;
      for (const i of active) {
        const share = (rest * weights[i]!) / total;
        lots[i] = share;
        placed += share;
      }
      rest -= placed;
      for (const i of active) {
        if (rest === 0n) break;
        lots[i]! += 1n;
        rest -= 1n;
      }
      break;
    }
  }
  for (let i = 0; i < ranked.length && rest > 0n; i++) {
    const room = ranked[i]!.qtyLots - lots[i]!;
    const take = room < rest ? room : rest;
    lots[i]! += take;
    rest -= take;
  }
  return { lots, unallocatedLots: rest };
}

/**
 * The price one counterparty's close executes at: the liquidated scope's bankruptcy price, unless that
 * would take the counterparty's scope below zero equity. A close at P moves the counterparty's equity by
 * its loss against the mark, closeLots·|P − MP|·a when P is on the wrong side of MP for it (a short buying
 * back above the mark, a long selling below it); that happens when the mark gapped past the liquidated
 * scope's BP before the event reached ADL. Then the counterparty closes at the price where its scope
 * equity reaches exactly 0 (rounded in its favour), and the difference stays with the liquidated scope,
 * which completes below zero and reports it: ADL never makes a solvent trader insolvent (docs/RISK.md I4).
 *
 * counterpartySign: +1 for a long counterparty (it sells), −1 for a short one (it buys).
 */
export function adlClosePriceTicks(bpTicks: bigint, markTicks: bigint, counterpartySign: 1 | -1, closeLots: bigint, scopeEquityAtoms: bigint, atomsPerTickLot: bigint): bigint {
  const bp = bpTicks > 1n ? bpTicks : 1n;
  if (markTicks <= 0n || closeLots <= 0n) return bp;
  const equity = scopeEquityAtoms > 0n ? scopeEquityAtoms : 0n;
  // Ticks of adverse move against the mark the scope can bear on closeLots, rounded down.
  const bearable = equity / (closeLots * atomsPerTickLot);
  if (counterpartySign < 0) {
    const worst = markTicks + bearable;
    return bp < worst ? bp : worst;
  }
  const worst = markTicks - bearable;
  const floor = worst > 1n ? worst : 1n;
  return bp > floor ? bp : floor;
}
