// A market maker of the crash scenarios: once a simulated minute it cancels its quotes and lays a fresh
// post-only ladder on both sides around a centre price (the scenarios give it the mark). Depth grows away
// from the touch: level k (1-based) quotes k·baseNotional, so
// the touch is thin and a large liquidation walks several percent down the book before the ladder ends.
// Prices round away from the centre (bids down, asks up); sizes are notionals turned into lots at the
// level's price by integer division, at least one lot.

import { CancelReason, OrderOrigin, OrderType, Side, TimeInForce } from '../../engine/enums.js';
import { cancelAll, place } from '../support/commands.js';
import type { ExchangeHarness } from '../property/exchange-harness.js';

export interface Ladder {
  readonly levels: number;
  /** Distance of the first level from the centre, and between levels, in basis points. */
  readonly firstBps: bigint;
  readonly stepBps: bigint;
  /** Notional of the first level, USDT; level k quotes k times as much. */
  readonly baseNotionalUsdt: bigint;
}

const BPS = 10_000n;
const USDT = 1_000_000n;

export function quoteLadder(h: ExchangeHarness, accountId: number, marketId: number, centreTicks: bigint, ladder: Ladder): void {
  h.send(cancelAll(accountId, CancelReason.CANCEL_ALL, marketId));
  const a = h.market(marketId).atomsPerTickLot;
  for (let k = 1; k <= ladder.levels; k++) {
    const offset = ladder.firstBps + BigInt(k - 1) * ladder.stepBps;
    const bid = (centreTicks * (BPS - offset)) / BPS;
    const ask = (centreTicks * (BPS + offset) + BPS - 1n) / BPS;
    const notional = BigInt(k) * ladder.baseNotionalUsdt * USDT;
    for (const [side, price] of [
      [Side.BUY, bid],
      [Side.SELL, ask],
    ] as const) {
      if (price <= 0n) continue;
      const lots = notional / (price * a);
      h.send(
        place({
          orderId: h.orderId(),
          accountId,
          marketId,
          side,
          priceTicks: Number(price),
          qtyLots: Number(lots > 0n ? lots : 1n),
          orderType: OrderType.LIMIT,
          timeInForce: TimeInForce.POST_ONLY,
          origin: OrderOrigin.USER,
        }),
      );
    }
  }
}
