// A one-way position in one market: a signed quantity (long > 0) and the entry cost of the open quantity,
// entryCostAtoms = Σ entry notional (lots·priceTicks·atomsPerTickLot) of the lots still open, ≥ 0 for
// longs and shorts alike. The average entry price is entryCost / (|q|·atomsPerTickLot), kept rational:
// storing a rounded average would lose atoms on every partial close.
//
// A fill that reduces the position removes its pro-rata share of the cost, rounded so the realized PnL
// of the closed part rounds down (in the exchange's favour): a long removes ceil(C·k/Q), a short
// floor(C·k/Q). The remaining cost is C minus exactly what was removed, so no atom is lost: over the
// life of a position Σ realized PnL = Σ exit notional − Σ entry notional (longs; the reverse for shorts).
//
// Pure functions; the risk shard thread calls applyFill once per side of every fill.

import { ceilDiv, floorDiv } from '../engine/market/decimal.js';
import { absBig, ratio, type Rational } from './units.js';

export interface Position {
  /** Signed lots: long > 0, short < 0. */
  readonly qtyLots: bigint;
  /** Σ entry notional of the open lots, atoms, ≥ 0; 0 when flat. */
  readonly entryCostAtoms: bigint;
}

export interface FillResult extends Position {
  /** PnL of the lots this fill closed, atoms (0 when it only opened or added). */
  readonly realizedPnlAtoms: bigint;
  /** Lots of the previous position this fill closed. */
  readonly closedLots: bigint;
}

export const FLAT: Position = Object.freeze({ qtyLots: 0n, entryCostAtoms: 0n });

/**
 * The position after a fill of fillQtyLots (signed: a buy > 0, a sell < 0) at priceTicks, and the PnL
 * realized on the closed part. Open, add, reduce, close and flip are one rule: close first, then open
 * the rest at the fill price.
 */
export function applyFill(pos: Position, fillQtyLots: bigint, priceTicks: bigint, atomsPerTickLot: bigint): FillResult {
  const q = pos.qtyLots;
  const cost = pos.entryCostAtoms;
  if (fillQtyLots === 0n) return { qtyLots: q, entryCostAtoms: cost, realizedPnlAtoms: 0n, closedLots: 0n };
  const fillLots = absBig(fillQtyLots);
  if (q === 0n || (q > 0n) === (fillQtyLots > 0n)) {
    return { qtyLots: q + fillQtyLots, entryCostAtoms: cost + fillLots * priceTicks * atomsPerTickLot, realizedPnlAtoms: 0n, closedLots: 0n };
  }
  const openLots = absBig(q);
  const long = q > 0n;
  if (fillLots < openLots) {
    // Partial close: the removed share rounds so the realized PnL rounds down (see the file comment).
    const removed = long ? ceilDiv(cost * fillLots, openLots) : floorDiv(cost * fillLots, openLots);
    const exit = fillLots * priceTicks * atomsPerTickLot;
    return {
      qtyLots: q + fillQtyLots,
      entryCostAtoms: cost - removed,
      realizedPnlAtoms: long ? exit - removed : removed - exit,
      closedLots: fillLots,
    };
  }
  // Close all (the whole cost leaves, no rounding), then open what is left at the fill price.
  const exit = openLots * priceTicks * atomsPerTickLot;
  const rest = fillLots - openLots;
  return {
    qtyLots: q + fillQtyLots,
    entryCostAtoms: rest * priceTicks * atomsPerTickLot,
    realizedPnlAtoms: long ? exit - cost : cost - exit,
    closedLots: openLots,
  };
}

/** Average entry price in ticks, exact: entryCost / (|q|·atomsPerTickLot). undefined when flat. */
export function averageEntryTicks(pos: Position, atomsPerTickLot: bigint): Rational | undefined {
  if (pos.qtyLots === 0n) return undefined;
  return ratio(pos.entryCostAtoms, absBig(pos.qtyLots) * atomsPerTickLot);
}
