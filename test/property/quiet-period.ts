// The quiet period of the no-frozen property (exchange-no-frozen.property.test.ts), shared with the
// pinned worlds it found (test/exchange/no-frozen-pinned.test.ts): the index stays where it is, liquidity
// comes back (the market makers first take whatever rests on the wrong side of the mark, then quote both
// sides) and time passes; what is still liquidating at the end is returned.

import { OrderOrigin, OrderType, Side, TimeInForce } from '../../engine/enums.js';
import type { LiquidationEngine } from '../../risk/shard/liquidation-engine.js';
import { place } from '../support/commands.js';
import { ActionDriver } from './action-driver.js';
import type { World } from './exchange-actions.js';

/** Quiet rounds: each re-quotes every market, ticks the index where it is and lets 5 s pass. */
const QUIET_ROUNDS = 12;

/** Market maker 1 buys every ask at or below the mark, market maker 2 sells to every bid at or above it (IOC). */
function clearCrossing(d: ActionDriver, marketId: number): void {
  const mark = Number(d.h.markTicks(marketId));
  const lots = d.h.market(marketId).spec.maxQtyLots;
  for (const [accountId, side] of [[1, Side.BUY], [2, Side.SELL]] as const) {
    d.h.send(place({ orderId: d.h.orderId(), accountId, marketId, side, priceTicks: mark, qtyLots: lots, orderType: OrderType.LIMIT, timeInForce: TimeInForce.IOC, origin: OrderOrigin.USER }));
  }
}

/** Runs the world, then the quiet period; returns the scopes still liquidating, as "shard r: scope key". */
export function liquidatingAfterQuiet(world: World): string[] {
  const d = new ActionDriver(world.population);
  d.run(world);
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
  const left: string[] = [];
  d.h.exchange.riskShards.forEach((shard, r) => {
    for (const run of (shard.liquidation as LiquidationEngine).runs.values()) {
      left.push(`risk shard ${r}: account ${run.accountId} scope ${run.scopeMarketId} phase ${run.phase} liquidation ${run.liquidationId}`);
    }
  });
  return left;
}

