// Risk configuration: per market (tiers, default leverage, funding and liquidation parameters) and per
// pool (fee schedule, insurance-fund cap, surplus policy). All amounts in atoms, rates in 10^-8 units.

import type { MarketConfig } from '../../engine/market/spec.js';
import { DEFAULT_TIERS, type TierTable } from '../tiers.js';
import { RATE_BASIS_POINT, RATE_PERCENT, ATOMS_PER_USDT } from '../units.js';
import { SurplusPolicy } from '../liquidation.js';
import { AdlMode } from '../adl.js';

export interface FeeTier {
  /** Rate charged to the maker side; negative = rebate. */
  readonly makerRate: bigint;
  readonly takerRate: bigint;
}

/** Default schedule: tier 0 retail, higher tiers volume, the last a market-maker tier with a rebate. */
const DEFAULT_FEE_TIERS: readonly FeeTier[] = [
  { makerRate: 2n * RATE_BASIS_POINT, takerRate: 5n * RATE_BASIS_POINT },
  { makerRate: 1n * RATE_BASIS_POINT, takerRate: 4n * RATE_BASIS_POINT },
  { makerRate: 0n, takerRate: 3n * RATE_BASIS_POINT },
  { makerRate: -(RATE_BASIS_POINT / 2n), takerRate: 3n * RATE_BASIS_POINT },
];

export interface RiskMarketConfig {
  readonly market: MarketConfig;
  readonly tiers: TierTable;
  /** Leverage of an account that never chose one. */
  readonly defaultLeverage: bigint;
  /** Liquidation orders and fills stay within this band around mark (rate). */
  readonly liquidationBandRate: bigint;
}

export interface RiskPoolConfig {
  readonly feeTiers: readonly FeeTier[];
  /** Fee the insurance fund takes from a liquidation's surplus under CAPPED_FEE (rate of fill notional). */
  readonly liquidationFeeRate: bigint;
  readonly surplusPolicy: SurplusPolicy;
  /** Most the insurance fund pays for one liquidation event. */
  readonly insurancePerEventCapAtoms: bigint;
  readonly adlMode: AdlMode;
  /** Margin ratio (Σ MM / Equity) at or above which a MarginCallIssued is sent. */
  readonly marginCallRatioRate: bigint;
  /** Positions whose LP a mark update may re-check per input record; the rest carry over. */
  readonly maxChecksPerUpdate: number;
  /**
   * Largest wallet balance a deposit may bring an account to (at most 2^62: with the fund's bound below
   * it keeps every balance a record publishes, an i64, in range; docs/COMMANDS.md, "Field ranges").
   */
  readonly maxWalletAtoms: bigint;
  /** Largest balance a top-up may bring this shard's insurance-fund partition to (at most 2^62). */
  readonly maxInsuranceFundAtoms: bigint;
  /**
   * How far past the shard's current time one command may move it (engine/shard/shard-clock.ts).
   * Default DEFAULT_TIME_HORIZON_US (seven days).
   */
  readonly timeHorizonUs?: number;
  /**
   * false: every figure in bigint, the number fast paths off (the reference they are tested against).
   * Default (absent or true): number fast paths with bigint fallback, the same results.
   */
  readonly numberFastPath?: boolean;
  /**
   * Positions an ADL ranking job keys per input record (quintiles.ts); a market with no more open positions
   * is ranked at once. Default 4,096 (under 1 ms of keying).
   */
  readonly adlRankingKeysPerRecord?: number;
}

export const DEFAULT_POOL: RiskPoolConfig = {
  feeTiers: DEFAULT_FEE_TIERS,
  liquidationFeeRate: RATE_PERCENT / 2n,
  surplusPolicy: SurplusPolicy.CAPPED_FEE,
  insurancePerEventCapAtoms: 1_000_000n * ATOMS_PER_USDT,
  adlMode: AdlMode.SEQUENTIAL,
  marginCallRatioRate: 80n * RATE_PERCENT,
  maxChecksPerUpdate: 1_000,
  maxWalletAtoms: 1_000_000_000n * ATOMS_PER_USDT,
  maxInsuranceFundAtoms: 1_000_000_000_000n * ATOMS_PER_USDT,
};

/** The most any balance bound of a pool may be: half the i64 range, the other half headroom for PnL. */
export const MAX_BALANCE_BOUND_ATOMS = 1n << 62n;

export function riskMarket(market: MarketConfig, overrides: Partial<Omit<RiskMarketConfig, 'market'>> = {}): RiskMarketConfig {
  return { market, tiers: DEFAULT_TIERS, defaultLeverage: 20n, liquidationBandRate: 10n * RATE_PERCENT, ...overrides };
}
