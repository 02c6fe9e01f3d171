// Honest look-alikes: what a venue's good citizens do that resembles the manipulations, injected beside
// them. Alerts on their accounts are false positives.
//
//   market maker      quotes three levels a side, large (the size of a spoof), near the touch; a taker
//                     hits part of its bid or ask; it cancels everything within a second and requotes
//                     around the new price; ten cycles. Looks like spoofing, layering, high OTR.
//   splitting taker   works a large order as 5-8 slices, each sweeping the book up to 0.5 bp (as the injected bursts do), a few hundred
//                     ms apart, and never turns round. Looks like a momentum-ignition burst.
//   unrelated pair    two accounts that happen to trade with each other six times in a few minutes, both
//                     ways, while doing most of their trading with the market. Looks like wash trading.

import { Side } from '../../../engine/enums.js';
import { crossInside, pickSize, sweep, type Builder } from './episodes.js';

const marketMaker: Builder = (c, size, t0) => {
  const mm = c.account();
  const hitter = c.account();
  const qty = () => pickSize(size, 8, 12, 25) * c.avgLots();
  let live: number[] = [];
  let at = 0;
  for (let cycle = 0; cycle < 10; cycle++) {
    c.later(t0, at, () => {
      for (const id of live) c.cancel(mm, id);
      live = [];
      const mid = c.mid();
      if (mid === 0) return;
      const step = Math.max(1, Math.floor(c.bps(1) / 2));
      // One size for every quote of a cycle: a maker's two sides are alike.
      const q = qty();
      for (let k = 0; k < 3; k++) {
        live.push(c.place(mm, Side.BUY, mid - (k + 1) * step, q, false));
        live.push(c.place(mm, Side.SELL, mid + (k + 1) * step, q, false));
      }
    });
    const hitAt = at + c.between(100_000, 1_000_000);
    c.later(t0, hitAt, () => {
      const b = c.book();
      const side = c.pick([Side.BUY, Side.SELL]);
      const touch = side === Side.BUY ? b.bestAsk() : b.bestBid();
      if (touch !== 0) c.take(hitter, side, touch, c.avgLots(), false);
    });
    at = hitAt + c.between(50_000, 1_000_000);
  }
  c.later(t0, at, () => {
    for (const id of live) c.cancel(mm, id);
  });
  return { kind: 'market maker requoting', target: undefined, size, accounts: [mm, hitter], startUs: t0 };
};

const splittingTaker: Builder = (c, size, t0) => {
  const a = c.account();
  const side = c.pick([Side.BUY, Side.SELL]);
  const n = c.between(5, 8);
  let at = 0;
  for (let k = 0; k < n; k++) {
    c.later(t0, at, () => sweep(c, a, side, 5, false));
    at += c.between(100_000, 400_000);
  }
  return { kind: 'taker splitting a large order', target: undefined, size, accounts: [a], startUs: t0 };
};

const unrelatedPair: Builder = (c, size, t0) => {
  const x = c.account();
  const y = c.account();
  let at = 0;
  for (let k = 0; k < 6; k++) {
    at += c.between(5_000_000, 20_000_000);
    c.later(t0, at, () => {
      if (k % 2 === 0) crossInside(c, x, y, c.avgLots(), false);
      else crossInside(c, y, x, c.avgLots(), false);
      // Each also trades with the market, more than with the other.
      for (const who of [x, y]) {
        const b = c.book();
        const side = c.pick([Side.BUY, Side.SELL]);
        const touch = side === Side.BUY ? b.bestAsk() : b.bestBid();
        if (touch !== 0) c.take(who, side, touch, 3 * c.avgLots(), false);
      }
    });
  }
  return { kind: 'unrelated accounts trading together', target: undefined, size, accounts: [x, y], startUs: t0 };
};

export const LOOK_ALIKE_BUILDERS: readonly { kind: string; build: Builder; spanUs: number }[] = [
  { kind: 'market maker requoting', build: marketMaker, spanUs: 25_000_000 },
  { kind: 'taker splitting a large order', build: splittingTaker, spanUs: 4_000_000 },
  { kind: 'unrelated accounts trading together', build: unrelatedPair, spanUs: 130_000_000 },
];
