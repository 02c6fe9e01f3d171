// The budgeted sweep's walk (docs/RISK-SHARD.md, "Full close: the budgeted sweep"): how much of a
// liquidated position the book can take, best first, while the insurance fund's running cost stays within
// the event's budget. Shared by the market shard, which executes it (liquidation-sweep.ts), and by the
// tests' checker of "ADL only past the budget", which replays it against the book ADL found.
//
// A sale (closing a long) at price p costs the fund (BP − p) · lots · atomsPerTickLot relative to closing
// at BP (the price ADL would close the remainder at; the risk shard sends with the budget what is left of
// the event's reservation once closing everything at BP is paid for); a purchase (closing a short) costs
// (p − BP) · lots · a. A fill better than BP has negative cost: it pays for worse ones further down
// the book. The walk takes each level whole while the running cost stays ≤ budget, the first level that
// would pass it in part (as many lots as the budget still pays for), and stops there, at the first level
// out of reach (past the limit or the book's band), or when the quantity is taken.
//
// Exact integer arithmetic throughout (bigint); pure.

import { Side } from '../enums.js';

export interface SweepLevel {
  readonly priceTicks: number;
  readonly qtyLots: number;
}

export interface SweepOrder {
  /** The liquidated account's closing side: SELL walks the bids, BUY the asks. */
  readonly side: Side;
  readonly qtyLots: bigint;
  readonly bankruptcyPriceTicks: bigint;
  readonly budgetAtoms: bigint;
  readonly atomsPerTickLot: bigint;
}

export interface SweepPlan {
  /** Lots the book can take within reach and budget. */
  readonly lots: bigint;
  /** The worst price among them (0n when none). */
  readonly worstPriceTicks: bigint;
  /** The fund's cost of those fills relative to BP, in atoms (negative: a surplus). */
  readonly costAtoms: bigint;
  /** True when the walk ran out of levels before anything else stopped it (more depth might take more). */
  readonly exhausted: boolean;
}

/**
 * Walks levels (the opposite side, best first) while inReach(price) holds; see the file comment. A budget
 * below zero takes only fills better than BP, and worse ones once those have made up for it.
 */
export function planSweep(o: SweepOrder, levels: readonly SweepLevel[], inReach: (priceTicks: number) => boolean): SweepPlan {
  const selling = o.side === Side.SELL;
  let remaining = o.qtyLots;
  let cost = 0n;
  let worst = 0n;
  for (const level of levels) {
    if (remaining <= 0n || !inReach(level.priceTicks)) return { lots: o.qtyLots - remaining, worstPriceTicks: worst, costAtoms: cost, exhausted: false };
    const p = BigInt(level.priceTicks);
    const unitCost = (selling ? o.bankruptcyPriceTicks - p : p - o.bankruptcyPriceTicks) * o.atomsPerTickLot;
    let take = BigInt(level.qtyLots) < remaining ? BigInt(level.qtyLots) : remaining;
    let spent = false;
    if (unitCost > 0n) {
      // The lots what is left of the budget still pays for (none once it is spent or was below zero).
      const left = o.budgetAtoms - cost;
      const affordable = left > 0n ? left / unitCost : 0n;
      if (affordable < take) {
        take = affordable;
        spent = true;
      }
    }
    if (take > 0n) {
      cost += unitCost * take;
      remaining -= take;
      worst = p;
    }
    if (spent) return { lots: o.qtyLots - remaining, worstPriceTicks: worst, costAtoms: cost, exhausted: false };
  }
  return { lots: o.qtyLots - remaining, worstPriceTicks: worst, costAtoms: cost, exhausted: remaining > 0n };
}
