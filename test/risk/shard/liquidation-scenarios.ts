// Hand-worked starting points shared by the liquidation tests (numbers in USDT and BTC; see ../markets.ts):
//
//   isolatedLongBtc   account 1, isolated long 0.5 BTC at 60,000 with 500 margin, marked 59,500 (notional
//                     29,750, tier 1): equity 250 ≤ MM 297.5 → liquidatable; BP 59,000 (590,000 ticks).
//   shortCounterparty an account short `lots` at 60,000 in cross with a wallet: in profit at 59,500.

import type { RiskPoolConfig } from '../../../risk/shard/config.js';
import type { RiskState } from '../../../risk/shard/state.js';
import { BTC, btcTicks, usdt } from '../markets.js';
import { addAccount, BTC_ID, makeState, MarketSim, openPosition, setMark } from './liquidation-sim.js';

/** Whole ETH in ETH-PERP lots (lot 0.01 ETH). */
export function eth(whole: bigint): bigint {
  return whole * 100n;
}

/** Whole USDT as ETH-PERP ticks (tick 0.01 USDT). */
export function ethTicks(wholeUsdt: bigint): bigint {
  return wholeUsdt * 100n;
}

export function isolatedLongBtc(pool: Partial<RiskPoolConfig> = {}, insuranceAtoms = usdt(10_000n)): MarketSim {
  const state = makeState(pool, insuranceAtoms);
  addAccount(state, 1);
  openPosition(state, 1, BTC, 500n, btcTicks(60_000n), usdt(500n));
  setMark(state, BTC_ID, btcTicks(59_500n));
  return new MarketSim(state);
}

export function shortCounterparty(state: RiskState, id: number, lots: bigint, walletAtoms: bigint, entryUsdt = 60_000n): void {
  addAccount(state, id, walletAtoms);
  openPosition(state, id, BTC, -lots, btcTicks(entryUsdt));
}
