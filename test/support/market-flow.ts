// A seeded flow of trading on two markets for market-data tests: deposits and index ticks first, then
// limit orders around the mid (some crossing), market orders, cancels of earlier orders and index/timer
// ticks, each stamped one step (0.1 s by default) later than the last, so each market has an index tick
// every couple of seconds (a silent index goes stale after 10 s). Commands only; the caller sends them.

import { OrderType, Side, TimeInForce } from '../../engine/enums.js';
import { advanceTime, cancel, indexTick, place, type Cmd } from './commands.js';
import { deposit } from './risk-commands.js';
import { rng } from './seed.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { InProcessExchange } from '../../exchange/in-process-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';

export const FLOW_T0 = 1_700_000_000_000_000;
const USDT = 1_000_000n;
const MIDS = [600_000, 30_000];

export function marketFlow(seed: number, steps: number, stepUs = 100_000): Cmd[] {
  const r = rng(seed);
  const cmds: Cmd[] = [];
  let order = 1;
  const at = (c: Cmd, timeUs: number): Cmd => ({ ...c, header: { ...c.header, timeUs } });
  for (const id of [1, 2, 3, 4, 5, 6]) cmds.push(at(deposit(id, 10_000_000n * USDT, id), FLOW_T0));
  cmds.push(indexTick(MIDS[0]!, FLOW_T0, 1), indexTick(MIDS[1]!, FLOW_T0, 2));
  for (let i = 0; i < steps; i++) {
    const now = FLOW_T0 + (i + 1) * stepUs;
    const marketId = 1 + (r() % 2);
    const mid = MIDS[marketId - 1]!;
    const k = r() % 10;
    const accountId = 1 + (r() % 6);
    if (k < 6) {
      cmds.push(place({ orderId: order++, accountId, marketId, side: (r() % 2) as Side, priceTicks: mid + (r() % 41) - 20, qtyLots: 1 + (r() % 30), timeUs: now }));
    } else if (k < 7) {
      cmds.push(place({ orderId: order++, accountId, marketId, side: (r() % 2) as Side, orderType: OrderType.MARKET, timeInForce: TimeInForce.IOC, qtyLots: 1 + (r() % 10), timeUs: now }));
    } else if (k < 9 && order > 2) {
      // Cancels name a random earlier order of a random account: most are refused, which is fine.
      cmds.push(at(cancel(accountId, 1 + (r() % (order - 1)), 0, marketId), now));
    } else {
      cmds.push(indexTick(mid + (r() % 41) - 20, now, marketId), advanceTime(now));
    }
  }
  return cmds;
}

/** The two markets the flow trades, on one market shard, with one risk shard. */
export const FLOW_MARKETS = [DEFAULT_MARKETS[0]!, DEFAULT_MARKETS[1]!];
export const flowTopology = (): Topology => new Topology({ marketShards: [[FLOW_MARKETS[0]!, FLOW_MARKETS[1]!]], riskShards: 1 });
export const flowRiskMarkets = FLOW_MARKETS.map((m) => riskMarket(m));

export function flowExchange(): InProcessExchange {
  return new InProcessExchange({ topology: flowTopology(), riskMarkets: flowRiskMarkets });
}

/** A market's L2 levels as the market shard itself holds them, as [priceTicks, qtyLots, orderCount]. */
export function engineLevels(ex: InProcessExchange, marketId: number): { bids: number[][]; asks: number[][] } {
  const book = ex.marketShards[0]!.book(marketId)!;
  const tuples = (side: Side) => book.levels(side, 1_000_000).map((l) => [l.priceTicks, l.qtyLots, l.orderCount]);
  return { bids: tuples(Side.BUY), asks: tuples(Side.SELL) };
}
