// Synthetic manipulation episodes, one builder per kind, each at three sizes, injected into a background
// flow at seeded random times. Each episode uses fresh accounts, so an alert on one of them can be told
// apart from an alert on the honest flow; `target` is the detector that should catch it.
//
// Sizes scale what the pattern is made of (how large the spoof, how many layers, how long the burst, how
// many messages); the smallest still lies above the detector's default thresholds, by design: they are
// the episodes the thresholds are meant to catch.

import { Side } from '../../../engine/enums.js';
import { DetectorId } from '../../../risk/surveillance/alert.js';
import { EpisodeContext, Size } from './episode-context.js';
import type { OrderOutcome } from './outcomes.js';

export interface Episode {
  /** Honest look-alikes carry no target: any alert on their accounts is a false positive. */
  kind: string;
  target: DetectorId | undefined;
  size: Size;
  accounts: number[];
  startUs: number;
  /**
   * After the run: why the manipulation did not come to pass in the book as designed (the market may not
   * let it: a spoof hit before its cancel, a victim's order filled by others first), or undefined when
   * it did. Absent for kinds whose every step is the manipulator's own (the message-count indicators,
   * the wash trades): those always execute.
   */
  shortfall?: () => string | undefined;
}

export type Builder = (c: EpisodeContext, size: Size, startUs: number) => Episode;

export const pickSize = <T>(size: Size, small: T, medium: T, large: T): T => (size === Size.SMALL ? small : size === Size.MEDIUM ? medium : large);

const spoofing: Builder = (c, size, t0) => {
  const a = c.account();
  const side = c.pick([Side.BUY, Side.SELL]);
  let spoof = 0;
  let genuine = 0;
  c.later(t0, 0, () => {
    const b = c.book();
    const touch = side === Side.BUY ? b.bestBid() : b.bestAsk();
    if (touch === 0) return;
    // Just behind the touch, where it shows but is unlikely to be hit (a spoof is not meant to trade).
    const behind = c.between(Math.ceil(c.bps(1) / 2), c.bps(3));
    const typical = c.typicalOf(side);
    spoof = c.place(a, side, side === Side.BUY ? touch - behind : touch + behind, pickSize(size, 8, 12, 25) * typical, true);
    // The trade it is for: an ordinary order, half the typical one (on books whose two sides differ
    // tenfold in order size, sizing it by the other side would make it as large as the spoof).
    genuine = Math.max(1, Math.floor(typical / 2));
  });
  const fillAt = c.between(100_000, 1_000_000);
  let fill = 0;
  c.later(t0, fillAt, () => {
    const b = c.book();
    const opposite = side === Side.BUY ? b.bestBid() : b.bestAsk();
    if (opposite === 0 || genuine === 0) return;
    fill = c.take(a, side === Side.BUY ? Side.SELL : Side.BUY, opposite, genuine, true);
  });
  c.later(t0, fillAt + c.between(50_000, 1_500_000), () => spoof && c.cancel(a, spoof));
  // As designed: the genuine order traded, and the spoof was cancelled by its owner (not filled out)
  // having filled at most a tenth of itself.
  const shortfall = (): string | undefined => {
    const s = c.outcome(spoof);
    const f = c.outcome(fill);
    if (s === undefined || f === undefined) return 'not placed (a side of the book was empty)';
    if (f.filledLots === 0) return 'the genuine order did not trade';
    if (s.filledLots * 10 > s.qtyLots) return 'the spoof was hit (more than a tenth filled)';
    if (!s.cancelled) return 'the spoof filled out before its cancel';
    return undefined;
  };
  return { kind: 'spoofing', target: DetectorId.SPOOFING, size, accounts: [a], startUs: t0, shortfall };
};

const layering: Builder = (c, size, t0) => {
  const a = c.account();
  const side = c.pick([Side.BUY, Side.SELL]);
  const n = pickSize(size, 3, 5, 8);
  const stack: number[] = [];
  // Sizes are set by the typical order before the first layer: the layers rest near the touch, so the
  // typical order measured after them includes them, and a trade sized by it grew with the stack (on the
  // thin L3 book up to a third of it: not the small genuine order layering is for).
  let typical = 0;
  for (let k = 0; k < n; k++) {
    c.later(t0, k * c.between(20_000, 200_000), () => {
      const b = c.book();
      const touch = side === Side.BUY ? b.bestBid() : b.bestAsk();
      if (touch === 0) return;
      if (typical === 0) typical = c.avgLots();
      const behind = (k + 1) * Math.max(1, Math.floor(c.bps(2) / 2));
      stack.push(c.place(a, side, side === Side.BUY ? touch - behind : touch + behind, typical * c.between(1, 3), true));
    });
  }
  const tradeAt = n * 200_000 + c.between(100_000, 1_000_000);
  let trade = 0;
  c.later(t0, tradeAt, () => {
    const b = c.book();
    const opposite = side === Side.BUY ? b.bestBid() : b.bestAsk();
    if (opposite === 0) return;
    trade = c.take(a, side === Side.BUY ? Side.SELL : Side.BUY, opposite, Math.max(1, Math.floor((typical || c.avgLots()) / 2)), true);
  });
  c.later(t0, tradeAt + c.between(50_000, 1_500_000), () => {
    for (const id of stack) c.cancel(a, id);
  });
  // As designed: at least three layers rested, the order on the other side traded, and the layers were
  // cancelled with at most a quarter of their lots filled.
  const shortfall = (): string | undefined => {
    const t = c.outcome(trade);
    const layers = stack.map((id) => c.outcome(id)).filter((o): o is OrderOutcome => o !== undefined);
    if (t === undefined || layers.length < 3) return 'not placed (a side of the book was empty)';
    if (t.filledLots === 0) return 'the genuine order did not trade';
    const lots = layers.reduce((x, o) => x + o.qtyLots, 0);
    const filled = layers.reduce((x, o) => x + o.filledLots, 0);
    if (filled * 4 > lots || layers.filter((o) => o.cancelled).length < 3) return 'the layers were hit (more than a quarter filled)';
    return undefined;
  };
  return { kind: 'layering', target: DetectorId.LAYERING, size, accounts: [a], startUs: t0, shortfall };
};

/** An aggressive order that sweeps the opposite side up to `tenths` tenths of a bp beyond its touch; returns the lots it asked for (0: none sent) and, if given, its id in `ids`. */
export function sweep(c: EpisodeContext, a: number, side: Side, tenths: number, manipulative: boolean, ids?: number[]): number {
  const opposite = side === Side.BUY ? Side.SELL : Side.BUY;
  const b = c.book();
  const touch = side === Side.BUY ? b.bestAsk() : b.bestBid();
  if (touch === 0) return 0;
  // At least three levels deep, however far apart the levels of this book are.
  const third = b.levels(opposite, 3)[2]?.priceTicks ?? touch;
  const reach = Math.max(c.tenthsOfBps(tenths), Math.abs(third - touch));
  const qty = c.depthWithin(opposite, reach);
  if (qty === 0) return 0;
  const id = c.take(a, side, side === Side.BUY ? touch + reach : touch - reach, qty, manipulative);
  ids?.push(id);
  return qty;
}

const momentum: Builder = (c, size, t0) => {
  const a = c.account();
  const side = c.pick([Side.BUY, Side.SELL]);
  const n = pickSize(size, 3, 5, 8);
  let bought = 0;
  let at = 0;
  const burst: number[] = [];
  for (let k = 0; k < n; k++) {
    c.later(t0, at, () => {
      bought += sweep(c, a, side, 5, true, burst);
    });
    at += c.between(50_000, 400_000);
  }
  let reversal = 0;
  c.later(t0, at + c.between(300_000, 5_000_000), () => {
    const b = c.book();
    const touch = side === Side.BUY ? b.bestBid() : b.bestAsk();
    if (touch === 0 || bought === 0) return;
    const back = c.bps(50);
    reversal = c.take(a, side === Side.BUY ? Side.SELL : Side.BUY, side === Side.BUY ? Math.max(1, touch - back) : touch + back, Math.max(1, Math.floor((bought * c.between(60, 100)) / 100)), true);
  });
  // As designed: at least three of the burst's orders traded, at four prices or more in all, and the
  // reversal traded at least half the lots the burst did.
  const shortfall = (): string | undefined => {
    const traded = burst.map((id) => c.outcome(id)).filter((o): o is OrderOutcome => o !== undefined && o.filledLots > 0);
    const prices = new Set(traded.flatMap((o) => o.prices));
    const lots = traded.reduce((x, o) => x + o.filledLots, 0);
    const back = c.outcome(reversal);
    if (traded.length < 3) return 'fewer than three burst orders traded (the opposite side was bare)';
    if (prices.size < 4) return 'the burst traded at fewer than four prices';
    if (back === undefined || back.filledLots * 2 < lots) return 'the reversal traded less than half the burst';
    return undefined;
  };
  return { kind: 'momentum ignition', target: DetectorId.MOMENTUM_IGNITION, size, accounts: [a], startUs: t0, shortfall };
};

const frontRunning: Builder = (c, size, t0) => {
  const runner = c.account();
  const client = c.account();
  const owner = runner;
  const side = c.pick([Side.BUY, Side.SELL]);
  let pre = 0;
  let price = 0;
  let preId = 0;
  let victim = 0;
  let unwind = 0;
  c.later(t0, 0, () => {
    pre = pickSize(size, 1, 2, 4) * c.avgLots();
    c.d.link(runner, owner);
    c.d.link(client, owner);
    const b = c.book();
    const touch = side === Side.BUY ? b.bestAsk() : b.bestBid();
    if (touch === 0) return;
    preId = c.take(runner, side, touch, pre, true);
  });
  const bigAt = c.between(100_000, 2_000_000);
  c.later(t0, bigAt, () => {
    // The large order: at the touch it meets, so it takes that level and its rest becomes the best price.
    const b = c.book();
    price = side === Side.BUY ? b.bestAsk() : b.bestBid();
    if (price === 0) return;
    victim = c.place(client, side, price, pickSize(size, 8, 12, 25) * c.typicalOf(side), true);
  });
  c.later(t0, bigAt + c.between(20_000, 300_000), () => {
    if (price !== 0 && pre !== 0) unwind = c.take(runner, side === Side.BUY ? Side.SELL : Side.BUY, price, pre, true);
  });
  // As designed: the pre-position traded, and the unwind traded into the victim's order at least half
  // of it (not into others who got there first).
  const shortfall = (): string | undefined => {
    const p = c.outcome(preId);
    const u = c.outcome(unwind);
    if (p === undefined || victim === 0 || u === undefined) return 'not placed (a side of the book was empty)';
    if (p.filledLots === 0) return 'the pre-position did not trade';
    if ((u.against.get(victim) ?? 0) * 2 < p.filledLots) return "the unwind did not trade into the victim's order (filled by others first)";
    return undefined;
  };
  return { kind: 'front-running', target: DetectorId.FRONT_RUNNING, size, accounts: [runner, client], startUs: t0, shortfall };
};

/** One trade between a (resting, inside the spread) and b (taking it). */
export function crossInside(c: EpisodeContext, seller: number, buyer: number, qty: number, manipulative: boolean): void {
  const p = c.insideSpread();
  if (p === undefined) return;
  const id = c.place(seller, Side.SELL, p, qty, manipulative);
  c.take(buyer, Side.BUY, p, qty, manipulative);
  c.cancel(seller, id);
}

const washLinked: Builder = (c, size, t0) => {
  const a = c.account();
  const b = c.account();
  const n = pickSize(size, 2, 4, 8);
  c.later(t0, 0, () => {
    c.d.link(a, a);
    c.d.link(b, a);
  });
  let at = 0;
  for (let k = 0; k < n; k++) {
    at += c.between(200_000, 5_000_000);
    c.later(t0, at, () => (k % 2 === 0 ? crossInside(c, a, b, c.avgLots(), true) : crossInside(c, b, a, c.avgLots(), true)));
  }
  return { kind: 'wash trading, linked', target: DetectorId.WASH_LINKED, size, accounts: [a, b], startUs: t0 };
};

const washCircular: Builder = (c, size, t0) => {
  const a = c.account();
  const b = c.account();
  const n = pickSize(size, 6, 10, 16);
  let qty = 0;
  let at = 0;
  for (let k = 0; k < n; k++) {
    at += c.between(2_000_000, 20_000_000);
    c.later(t0, at, () => {
      qty ||= c.avgLots();
      if (k % 2 === 0) crossInside(c, a, b, qty, true);
      else crossInside(c, b, a, qty, true);
    });
  }
  return { kind: 'wash trading, circular', target: DetectorId.WASH_CIRCULAR, size, accounts: [a, b], startUs: t0 };
};

const selfTrades: Builder = (c, size, t0) => {
  const a = c.account();
  const n = pickSize(size, 3, 5, 8);
  let at = 0;
  for (let k = 0; k < n; k++) {
    at += c.between(500_000, 20_000_000);
    c.later(t0, at, () => crossInside(c, a, a, c.avgLots(), true));
  }
  return { kind: 'self-trade attempts', target: DetectorId.SELF_TRADE_ATTEMPTS, size, accounts: [a], startUs: t0 };
};

/** n orders placed away from the touch and cancelled after lifeUs, every gapUs. */
function churn(c: EpisodeContext, a: number, t0: number, n: number, lifeUs: () => number, gapUs: () => number): void {
  let at = 0;
  for (let k = 0; k < n; k++) {
    const side = k % 2 === 0 ? Side.BUY : Side.SELL;
    let id = 0;
    c.later(t0, at, () => {
      const b = c.book();
      const touch = side === Side.BUY ? b.bestBid() : b.bestAsk();
      if (touch === 0) return;
      const away = c.bps(5);
      id = c.place(a, side, side === Side.BUY ? touch - away : touch + away, 1, true);
    });
    c.later(t0, at + lifeUs(), () => id && c.cancel(a, id));
    at += gapUs();
  }
}

const orderToTrade: Builder = (c, size, t0) => {
  const a = c.account();
  churn(c, a, t0, pickSize(size, 300, 500, 1_000), () => c.between(10_000, 100_000), () => c.between(50_000, 150_000));
  return { kind: 'order-to-trade ratio', target: DetectorId.ORDER_TO_TRADE, size, accounts: [a], startUs: t0 };
};

const fastCancels: Builder = (c, size, t0) => {
  const a = c.account();
  churn(c, a, t0, pickSize(size, 60, 100, 200), () => c.between(50, 900), () => c.between(50_000, 500_000));
  return { kind: 'cancels within 1 ms', target: DetectorId.FAST_CANCELS, size, accounts: [a], startUs: t0 };
};

const quoteStuffing: Builder = (c, size, t0) => {
  const a = c.account();
  const n = pickSize(size, 120, 250, 500);
  churn(c, a, t0, n, () => c.between(100, 1_500), () => c.between(200, Math.floor(800_000 / n)));
  return { kind: 'quote stuffing', target: DetectorId.QUOTE_STUFFING, size, accounts: [a], startUs: t0 };
};

export const EPISODE_BUILDERS: readonly { kind: string; build: Builder; spanUs: number }[] = [
  { kind: 'spoofing', build: spoofing, spanUs: 5_000_000 },
  { kind: 'layering', build: layering, spanUs: 5_000_000 },
  { kind: 'momentum ignition', build: momentum, spanUs: 10_000_000 },
  { kind: 'front-running', build: frontRunning, spanUs: 5_000_000 },
  { kind: 'wash trading, linked', build: washLinked, spanUs: 60_000_000 },
  { kind: 'wash trading, circular', build: washCircular, spanUs: 300_000_000 },
  { kind: 'self-trade attempts', build: selfTrades, spanUs: 180_000_000 },
  { kind: 'order-to-trade ratio', build: orderToTrade, spanUs: 150_000_000 },
  { kind: 'cancels within 1 ms', build: fastCancels, spanUs: 100_000_000 },
  { kind: 'quote stuffing', build: quoteStuffing, spanUs: 2_000_000 },
];
