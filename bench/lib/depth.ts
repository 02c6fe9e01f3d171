// Resting depth as plain [priceTicks, qtyLots] pairs, best first: the common ground on which the
// benchmarks compare our books with the peer after a run (never inside a timed loop: it allocates).

import { Side } from '../../engine/enums.js';
import type { Book } from '../../engine/book/types.js';

export interface Depth {
  bids: Array<[number, number]>;
  asks: Array<[number, number]>;
}

export function bookDepth(book: Book): Depth {
  const pairs = (side: Side): Array<[number, number]> => book.levels(side, Number.MAX_SAFE_INTEGER).map((l) => [l.priceTicks, l.qtyLots]);
  return { bids: pairs(Side.BUY), asks: pairs(Side.SELL) };
}

/** First difference between two depths, or undefined when they are equal. */
export function depthDifference(a: Depth, b: Depth): string | undefined {
  for (const key of ['bids', 'asks'] as const) {
    const x = a[key];
    const y = b[key];
    if (x.length !== y.length) return `${key}: ${x.length} levels vs ${y.length}`;
    for (let i = 0; i < x.length; i++) {
      if (x[i]![0] !== y[i]![0] || x[i]![1] !== y[i]![1]) return `${key}[${i}]: ${x[i]!.join('@')} vs ${y[i]!.join('@')}`;
    }
  }
  return undefined;
}
