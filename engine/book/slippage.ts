// The default worst price of a MARKET order sent without one (priceTicks 0): a distance of
// marketSlippageBps from the best opposite price at the moment the order runs, rounded away from that
// price (ceil of the distance), so the band is never narrower than configured:
//   buy  limit = min(maxPriceTicks, bestAsk + ceil(bestAsk · bps / 10^4))
//   sell limit = max(1, bestBid − ceil(bestBid · bps / 10^4))
// The product passes 2^53 only when the price reaches 2^39 ticks (bps ≤ 10^4 < 2^14): bigint above that.

import { Side } from '../enums.js';
import type { MarketSpec } from '../market/spec.js';

const FAST_LIMIT = 2 ** 39;

function ceilDistance(priceTicks: number, bps: number): number {
  if (priceTicks < FAST_LIMIT) {
    const n = priceTicks * bps;
    const r = n % 10_000;
    return (n - r) / 10_000 + (r > 0 ? 1 : 0);
  }
  const n = BigInt(priceTicks) * BigInt(bps);
  return Number((n + 9_999n) / 10_000n);
}

/** bestOppositeTicks must be non-zero (callers reject or expire on an empty side first). */
export function defaultMarketLimit(spec: MarketSpec, side: number, bestOppositeTicks: number): number {
  const d = ceilDistance(bestOppositeTicks, spec.marketSlippageBps);
  if (side === Side.BUY) {
    const limit = bestOppositeTicks + d;
    return limit > spec.maxPriceTicks ? spec.maxPriceTicks : limit;
  }
  const limit = bestOppositeTicks - d;
  return limit < 1 ? 1 : limit;
}
