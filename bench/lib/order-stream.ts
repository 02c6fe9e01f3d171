// The seeded operation stream of the book-stream benchmark. It is generated up front into typed arrays,
// so generation never shows in a timed loop and every engine replays exactly the same operations.
//
// Shape: a fair mid price takes a reflecting random walk; limit orders rest a few hundred ticks either
// side of it (skewed toward the touch); a share of limit orders is priced through the opposite best so
// it trades; market orders carry a slippage limit from the opposite best; cancels name open orders.
// Buyers and sellers come from disjoint account sets (odd ids buy, even ids sell), so self-trade
// prevention never fires and engines with different STP rules still agree on every trade.
//
// The generator tracks the book with a small price-time model (shadow-book.ts), so "open" is exact for
// any engine with plain price-time priority: a cancel never names a filled or cancelled order, and
// crossing orders are priced against the real touch rather than the fair mid.

import { rng } from '../../test/support/seed.js';
import { ShadowBook } from './shadow-book.js';

export const StreamOp = { LIMIT: 0, CANCEL: 1, MARKET: 2 } as const;
export type StreamOp = (typeof StreamOp)[keyof typeof StreamOp];

export interface OrderStreamConfig {
  seed: number;
  ops: number;
  /** Mid price at the start, ticks. */
  startMidTicks: number;
  /** Resting limit orders lie 1..depthTicks ticks from the mid: the "few hundred levels" per side. */
  depthTicks: number;
  /** A crossing limit order is priced 0..crossTicks-1 ticks beyond the opposite best price. */
  crossTicks: number;
  /** A market order's worst fill price, ticks beyond the opposite best price. */
  slippageTicks: number;
  /** The operation mix, per mille; the three add up to 1000. */
  limitPermille: number;
  cancelPermille: number;
  marketPermille: number;
  /** Share of limit orders priced through the opposite best, per mille. */
  crossingPermille: number;
  /** Chance per operation that the mid steps one tick up (and, separately, down), per mille. */
  stepPermille: number;
  /** The mid stays within ±wanderTicks of its start (it reflects), well inside the market's price band. */
  wanderTicks: number;
  /** Resting orders are 1..maxMakerLots lots, takers (crossing limits, market orders) 1..maxTakerLots. */
  maxMakerLots: number;
  maxTakerLots: number;
  /** Accounts per side: buyers are 1, 3, 5..., sellers 2, 4, 6... */
  accountsPerSide: number;
}

/** Defaults for BTC-PERP-like ticks (0.1 USDT): mid 50,000.0, 300 levels a side. */
export const DEFAULT_STREAM: Omit<OrderStreamConfig, 'seed' | 'ops'> = {
  startMidTicks: 500_000,
  depthTicks: 300,
  crossTicks: 3,
  slippageTicks: 20,
  limitPermille: 700,
  cancelPermille: 250,
  marketPermille: 50,
  crossingPermille: 250,
  stepPermille: 60,
  wanderTicks: 20_000,
  maxMakerLots: 100,
  maxTakerLots: 200,
  accountsPerSide: 1_000,
};

/**
 * One row per operation. For LIMIT and MARKET, orderId is the new order's id (1, 2, 3... in placement
 * order); for CANCEL it is the target's id, with the target's account, side and price.
 */
export interface OrderStream {
  readonly length: number;
  readonly op: Uint8Array;
  readonly side: Uint8Array;
  readonly orderId: Uint32Array;
  readonly accountId: Uint32Array;
  /** LIMIT: limit price. MARKET: slippage limit (worst fill price). CANCEL: the target's price. */
  readonly priceTicks: Uint32Array;
  /** LIMIT and MARKET: quantity. CANCEL: 0. */
  readonly qtyLots: Uint32Array;
  /** The mid when the operation was generated: for tests and diagnostics, never sent to an engine. */
  readonly midTicks: Uint32Array;
  /** Orders placed (LIMIT and MARKET): the highest orderId. */
  readonly orderCount: number;
  /** Lots a plain price-time book trades over the whole stream, and the orders it leaves open. */
  readonly tradedLots: number;
  readonly openAtEnd: number;
}

const BUY = 0;

export function generateOrderStream(config: Pick<OrderStreamConfig, 'seed' | 'ops'> & Partial<OrderStreamConfig>): OrderStream {
  const c: OrderStreamConfig = { ...DEFAULT_STREAM, ...config };
  if (c.limitPermille + c.cancelPermille + c.marketPermille !== 1000) throw new RangeError('the operation mix must add up to 1000 per mille');
  const reach = c.wanderTicks + c.depthTicks + c.crossTicks + c.slippageTicks;
  if (c.startMidTicks - reach < 1 || c.startMidTicks + reach >= 2 ** 32) throw new RangeError('prices must stay within 1..2^32-1 ticks');
  const n = c.ops;
  const op = new Uint8Array(n);
  const side = new Uint8Array(n);
  const orderId = new Uint32Array(n);
  const accountId = new Uint32Array(n);
  const priceTicks = new Uint32Array(n);
  const qtyLots = new Uint32Array(n);
  const midTicks = new Uint32Array(n);
  // Per placed order (indexed by orderId): what a later cancel repeats.
  const placedSide = new Uint8Array(n + 1);
  const placedPrice = new Uint32Array(n + 1);
  const placedAccount = new Uint32Array(n + 1);
  const model = new ShadowBook(c.startMidTicks - reach, c.startMidTicks + reach, n);

  const next = rng(c.seed);
  // Modulo bias is below m / 2^32 for the small ranges used here: irrelevant to a load generator.
  const below = (m: number): number => next() % m;
  const lo = c.startMidTicks - c.wanderTicks;
  const hi = c.startMidTicks + c.wanderTicks;
  let mid = c.startMidTicks;
  let lastId = 0;

  /** The opposite best a taker of side s meets, or the mid when that side is empty. */
  const opposite = (s: number): number => {
    const best = s === BUY ? model.bestAskTicks() : model.bestBidTicks();
    return best !== 0 ? best : mid;
  };

  const place = (i: number, kind: StreamOp, s: number, price: number, qty: number): void => {
    const id = ++lastId;
    const account = 2 * below(c.accountsPerSide) + 1 + s;
    op[i] = kind;
    side[i] = s;
    orderId[i] = id;
    accountId[i] = account;
    priceTicks[i] = price;
    qtyLots[i] = qty;
    placedSide[id] = s;
    placedPrice[id] = price;
    placedAccount[id] = account;
    model.place(id, s, price, qty, kind === StreamOp.LIMIT);
  };

  const placeLimit = (i: number): void => {
    const s = below(2);
    if (below(1000) < c.crossingPermille) {
      const through = below(c.crossTicks);
      const price = s === BUY ? opposite(s) + through : opposite(s) - through;
      place(i, StreamOp.LIMIT, s, price, 1 + below(c.maxTakerLots));
      return;
    }
    // The product of two uniforms leans toward 0: most resting orders sit near the touch.
    const offset = 1 + Math.floor((below(c.depthTicks) * below(c.depthTicks)) / c.depthTicks);
    place(i, StreamOp.LIMIT, s, s === BUY ? mid - offset : mid + offset, 1 + below(c.maxMakerLots));
  };

  const cancel = (i: number): void => {
    const id = model.openAt(below(model.openCount));
    model.cancel(id);
    op[i] = StreamOp.CANCEL;
    side[i] = placedSide[id]!;
    orderId[i] = id;
    accountId[i] = placedAccount[id]!;
    priceTicks[i] = placedPrice[id]!;
  };

  for (let i = 0; i < n; i++) {
    const step = below(1000);
    if (step < c.stepPermille) mid = mid < hi ? mid + 1 : mid - 1;
    else if (step < 2 * c.stepPermille) mid = mid > lo ? mid - 1 : mid + 1;
    midTicks[i] = mid;

    const roll = below(1000);
    if (roll < c.limitPermille) placeLimit(i);
    // With nothing open (the very start) a cancel draw becomes a limit order.
    else if (roll < c.limitPermille + c.cancelPermille) {
      if (model.openCount > 0) cancel(i);
      else placeLimit(i);
    } else {
      const s = below(2);
      const worst = s === BUY ? opposite(s) + c.slippageTicks : opposite(s) - c.slippageTicks;
      place(i, StreamOp.MARKET, s, worst, 1 + below(c.maxTakerLots));
    }
  }
  return { length: n, op, side, orderId, accountId, priceTicks, qtyLots, midTicks, orderCount: lastId, tradedLots: model.tradedLots, openAtEnd: model.openCount };
}
