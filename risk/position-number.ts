// The number fast path of risk/position.ts applyFill: the same position, entry cost, realized PnL and
// closed lots, on doubles, or false when a guard refuses (the caller then takes the bigint path).
//
// Range proof: |q|, |fill| < 2^52 and 0 ≤ C < 2^51 on entry (checked). Every notional (lots·price·a) is
// produced by productBelow51, so it is exact and below 2^51; C + notional < 2^52; realized PnL is a
// difference of two values in [0, 2^51]: exact. The removed cost of a partial close, C·k/Q rounded
// (up for a long, down for a short, as applyFill), comes from mulDivFloor, exact for Q < 2^51.
// Pure.

import { mulDivFloor, remainder, TWO_51, TWO_52 } from './exact-number.js';
import { productBelow51 } from './margin-number.js';

/** What applyFillNumber returns (reused by its caller). */
export class FillNumbers {
  qtyLots = 0;
  entryCostAtoms = 0;
  realizedPnlAtoms = 0;
  closedLots = 0;
}

/** applyFill in numbers: fillQtyLots signed (buy > 0). false when a guard refuses; out is then not to be used. */
export function applyFillNumber(qtyLots: number, entryCostAtoms: number, fillQtyLots: number, priceTicks: number, atomsPerTickLot: number, out: FillNumbers): boolean {
  const q = qtyLots;
  const cost = entryCostAtoms;
  if (!(q > -TWO_52 && q < TWO_52 && cost >= 0 && cost < TWO_51 && fillQtyLots > -TWO_52 && fillQtyLots < TWO_52 && priceTicks >= 0)) return false;
  out.realizedPnlAtoms = 0;
  out.closedLots = 0;
  if (fillQtyLots === 0) {
    out.qtyLots = q;
    out.entryCostAtoms = cost;
    return true;
  }
  const fillLots = fillQtyLots > 0 ? fillQtyLots : -fillQtyLots;
  const next = q + fillQtyLots;
  if (!(next > -TWO_52 && next < TWO_52)) return false;
  if (q === 0 || q > 0 === fillQtyLots > 0) {
    const added = productBelow51(fillLots, priceTicks, atomsPerTickLot);
    if (added !== added) return false;
    out.qtyLots = next;
    out.entryCostAtoms = cost + added;
    return true;
  }
  const openLots = q > 0 ? q : -q;
  const long = q > 0;
  if (fillLots < openLots) {
    // Partial close: the removed share rounds so the realized PnL rounds down (risk/position.ts).
    let removed = mulDivFloor(cost, fillLots, openLots);
    if (removed !== removed) return false;
    if (long && remainder() > 0) removed++;
    const exit = productBelow51(fillLots, priceTicks, atomsPerTickLot);
    if (exit !== exit) return false;
    out.qtyLots = next;
    out.entryCostAtoms = cost - removed;
    out.realizedPnlAtoms = long ? exit - removed : removed - exit;
    out.closedLots = fillLots;
    return true;
  }
  const exit = productBelow51(openLots, priceTicks, atomsPerTickLot);
  const reopened = productBelow51(fillLots - openLots, priceTicks, atomsPerTickLot);
  if (exit !== exit || reopened !== reopened) return false;
  out.qtyLots = next;
  out.entryCostAtoms = reopened;
  out.realizedPnlAtoms = long ? exit - cost : cost - exit;
  out.closedLots = openLots;
  return true;
}
