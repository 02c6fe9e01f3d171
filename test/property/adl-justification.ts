// Was auto-deleveraging necessary? (docs/RISK.md I5: ADL takes only what the book within the band could not take within
// the insurance fund's budget for the event.) At the moment a scope's remainder goes to ADL, the fund's
// cost if all of it closes by ADL at its price is −(equity + R·(ADL price − mark)·a) for a long's R lots
// (the mirror for a short): closing a lot at p instead costs the fund (ADL price − p)·a more. Whatever is
// left of the budget on top of that is what the book could still have been walked with: the market
// shard's own walk (engine/shard/liquidation-sweep.ts, planAgainstBook) against the book as it stands,
// within the band, must find not one lot it could take. Any lot it finds is ADL quantity the book and the
// fund could have absorbed: a violation.
//
// Closing a long's lot at price p moves the scope's equity (valued at mark) by (p − mark)·atomsPerTickLot
// (a short's by (mark − p)·a): realized PnL replaces unrealized. Exact integers throughout.

import { Side } from '../../engine/enums.js';
import type { Book } from '../../engine/book/types.js';
import { planAgainstBook } from '../../engine/shard/liquidation-sweep.js';
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
  /** Where ADL closes the remainder (ADL_STARTED's price). */
  readonly adlPriceTicks: bigint;
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

/** A violation line when the book and what is left of the budget could have taken any of the remainder, else undefined. */
export function unnecessaryAdl(book: Book, m: AdlMoment): string | undefined {
  const selling = m.closingLots < 0n;
  const lots = selling ? -m.closingLots : m.closingLots;
  const perLotAtAdl = (selling ? m.adlPriceTicks - m.markTicks : m.markTicks - m.adlPriceTicks) * m.atomsPerTickLot;
  const costAllAdl = -(m.equityAtoms + lots * perLotAtAdl);
  const band = liquidationBand(m.markTicks, m.bandRate);
  const plan = planAgainstBook(book, selling ? Side.SELL : Side.BUY, Number(selling ? band.loTicks : band.hiTicks), {
    side: selling ? Side.SELL : Side.BUY,
    qtyLots: lots,
    bankruptcyPriceTicks: m.adlPriceTicks,
    budgetAtoms: m.budgetAtoms - costAllAdl,
    atomsPerTickLot: m.atomsPerTickLot,
  });
  if (plan.lots === 0n) return undefined;
  return `I5: ADL of ${m.closingLots} lots started although the book could take ${plan.lots} of them within the band for ${plan.costAtoms} more of the fund (all by ADL would cost ${costAllAdl}, budget ${m.budgetAtoms})`;
}
