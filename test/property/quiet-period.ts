// The quiet period of the no-frozen property (exchange-no-frozen.property.test.ts), shared with the
// pinned worlds it found (test/exchange/no-frozen-pinned.test.ts): the index stays where it is, liquidity
// comes back (the market makers first take whatever rests on the wrong side of the mark, then quote both
// sides) and time passes; what is still liquidating at the end is returned.

import type { Book } from '../../engine/book/types.js';
import { OrderOrigin, OrderType, Side, TimeInForce } from '../../engine/enums.js';
import type { LiquidationEngine } from '../../risk/shard/liquidation-engine.js';
import { place } from '../support/commands.js';
import { ActionDriver } from './action-driver.js';
import type { World } from './exchange-actions.js';

/** Quiet rounds: each re-quotes every market, ticks the index where it is and lets 5 s pass. */
const QUIET_ROUNDS = 12;
/** Levels looked at on the wrong side of the mark (a world leaves a few there at most; each round takes more). */
const CROSSING_LEVELS = 64;

/**
 * Market maker 1 buys every ask at or below the mark, market maker 2 sells to every bid at or above it (IOC
 * for exactly the lots resting there: an order of the market's maximum size would pass the top risk tier
 * in BTC-PERP and be refused POSITION_LIMIT_EXCEEDED, leaving the stale order, and the post-only quotes it
 * refuses, in place).
 */
function clearCrossing(d: ActionDriver, marketId: number): void {
  const mark = Number(d.h.markTicks(marketId));
  for (const [accountId, side] of [[1, Side.BUY], [2, Side.SELL]] as const) {
    const lots = crossingLots(d.h.book(marketId), side, mark);
    if (lots > 0) d.h.send(place({ orderId: d.h.orderId(), accountId, marketId, side, priceTicks: mark, qtyLots: lots, orderType: OrderType.LIMIT, timeInForce: TimeInForce.IOC, origin: OrderOrigin.USER }));
  }
}

/** The lots a taker on `side` could trade at the mark or better: asks at or below it for a buy, bids at or above it for a sell. */
function crossingLots(book: Book, side: Side, mark: number): number {
  const buying = side === Side.BUY;
  let lots = 0;
  for (const level of book.takeableLevels(buying ? Side.SELL : Side.BUY, CROSSING_LEVELS)) {
    if (buying ? level.priceTicks > mark : level.priceTicks < mark) break;
    lots += level.qtyLots;
  }
  return lots;
}

/** The quiet period on a driver that has run its world. */
export function quietPeriod(d: ActionDriver): void {
  const markets = d.marketIds.length;
  for (let round = 0; round < QUIET_ROUNDS; round++) {
    for (let m = 0; m < markets; m++) {
      clearCrossing(d, d.marketIds[m]!);
      d.apply({ kind: 'quote', mm: 0, market: m, levels: 5, stepBps: 20, lots: 3_000 });
      d.apply({ kind: 'quote', mm: 1, market: m, levels: 5, stepBps: 20, lots: 3_000 });
      d.apply({ kind: 'index', market: m, moveBps: 0 });
    }
    d.apply({ kind: 'tick', seconds: 5 });
  }
}

/** Runs the world, then the quiet period; returns the scopes still liquidating, as "shard r: scope key". */
export function liquidatingAfterQuiet(world: World): string[] {
  const d = new ActionDriver(world.population);
  d.run(world);
  quietPeriod(d);
  const left: string[] = [];
  d.h.exchange.riskShards.forEach((shard, r) => {
    for (const run of (shard.liquidation as LiquidationEngine).runs.values()) {
      left.push(`risk shard ${r}: account ${run.accountId} scope ${run.scopeMarketId} phase ${run.phase} liquidation ${run.liquidationId}`);
    }
  });
  return left;
}
