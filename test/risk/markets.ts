// Shared fixtures of the risk tests: the two default markets and a USDT helper, so hand-worked numbers
// read in USDT and BTC while the code sees atoms, ticks and lots.
//
//   BTC-PERP  tick 0.1 USDT, lot 0.001 BTC  → 1 tick·lot = 0.0001 USDT = 100 atoms; 60,000 USDT = 600,000 ticks
//   ETH-PERP  tick 0.01 USDT, lot 0.01 ETH  → 1 tick·lot = 0.0001 USDT = 100 atoms; 3,000 USDT = 300,000 ticks

import { DEFAULT_MARKETS, MarketSpec } from '../../engine/market/spec.js';

export const BTC = new MarketSpec(DEFAULT_MARKETS[0]!);
export const ETH = new MarketSpec(DEFAULT_MARKETS[1]!);

/** Whole USDT in atoms. */
export function usdt(whole: bigint): bigint {
  return whole * 1_000_000n;
}

/** Whole BTC in lots (1 BTC = 1,000 lots). */
export function btc(whole: bigint): bigint {
  return whole * 1_000n;
}

/** Whole USDT as BTC-PERP ticks (1 USDT = 10 ticks). */
export function btcTicks(wholeUsdt: bigint): bigint {
  return wholeUsdt * 10n;
}
