// Was auto-deleveraging necessary? (docs/RISK.md I5: ADL runs only when the insurance-fund budget is exhausted.)
// At the moment a scope's remainder goes to ADL, walk the book as a liquidation order would (best first,
// only levels inside the liquidation band around mark: docs/RISK.md keeps every liquidation fill in it) for
// the whole remainder: if the book holds enough there, and closing there leaves the scope's equity at or
// above −budget (what the fund may still pay for this event), the book and the fund could have absorbed it
// and ADL was not needed.
//
// Closing a long's lot at price p moves the scope's equity (valued at mark) by (p − mark)·atomsPerTickLot
// (a short's by (mark − p)·a): realized PnL replaces unrealized. Exact integers throughout.

import { Side } from '../../engine/enums.js';
import type { Book } from '../../engine/book/types.js';
import { liquidationBand } from '../../risk/shard/liquidation-prices.js';

export interface AdlMoment {
  /** The remainder's closing direction and size: a sale < 0 (the liquidated position was long). */
  readonly closingLots: bigint;
  readonly markTicks: bigint;
  readonly bandRate: bigint;
  /** The scope's equity at mark when ADL started. */
  readonly equityAtoms: bigint;
  /** What the fund still holds for this event (its reservation). */
  readonly budgetAtoms: bigint;
  readonly atomsPerTickLot: bigint;
}

/** The scope's equity after closing the remainder against the book, or undefined when the book cannot take it all in the band. */
export function equityAfterBookClose(book: Book, m: AdlMoment): bigint | undefined {
  const selling = m.closingLots < 0n;
  let remaining = selling ? -m.closingLots : m.closingLots;
  const band = liquidationBand(m.markTicks, m.bandRate);
  let equity = m.equityAtoms;
  for (const level of book.levels(selling ? Side.BUY : Side.SELL, 10_000)) {
    const price = BigInt(level.priceTicks);
    // Best first: levels before the band (better than its near edge) are skipped, the far edge ends the walk.
    if (selling ? price > band.hiTicks : price < band.loTicks) continue;
    if (selling ? price < band.loTicks : price > band.hiTicks) break;
    const lots = BigInt(level.qtyLots) < remaining ? BigInt(level.qtyLots) : remaining;
    equity += lots * (selling ? price - m.markTicks : m.markTicks - price) * m.atomsPerTickLot;
    remaining -= lots;
    if (remaining === 0n) return equity;
  }
  return undefined;
}

/** A violation line when the book and the budget could have absorbed the remainder, else undefined. */
export function unnecessaryAdl(book: Book, m: AdlMoment): string | undefined {
  const after = equityAfterBookClose(book, m);
  if (after === undefined || after < -m.budgetAtoms) return undefined;
  return `I5: ADL of ${m.closingLots} lots started although the book could close them within the band leaving equity ${after} ≥ −budget ${m.budgetAtoms}`;
}
