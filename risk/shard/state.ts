// The risk shard's state: what it owns outright. Plain classes with bigint fields; the shard's
// components (pre-trade, settlement, margin monitor, liquidation engine, funding) read and change them.
// Iteration is always in ascending id order (sortedIds), never in Map insertion order, so the state
// machine stays deterministic whatever order entries were created in.
//
// Thread contract: one risk-shard thread.

import type { Side } from '../../engine/enums.js';
import type { MarketSpec } from '../../engine/market/spec.js';
import type { TierTable } from '../tiers.js';
import type { RiskMarketConfig, RiskPoolConfig } from './config.js';

export const MarginMode = { CROSS: 0, ISOLATED: 1 } as const;
export type MarginMode = (typeof MarginMode)[keyof typeof MarginMode];

/** An order this shard let through to a market and that has not ended yet. */
export class OpenOrderState {
  constructor(
    readonly orderId: number,
    readonly clientOrderId: number,
    readonly marketId: number,
    readonly side: Side,
    /**
     * P_assumed of RISK.md: the limit price, or for a market order the worst price its slippage allows.
     * Mutable: OrderAccepted resolves a market order's slippage limit, OrderAmended moves the price.
     */
    public priceTicks: bigint,
    /** Open quantity: the order's quantity less what has filled. */
    public remainingLots: bigint,
    readonly reduceOnly: boolean,
    /** OrderOrigin: user orders reserve margin, liquidation orders do not. */
    readonly origin: number,
  ) {}

  /** Lots filled so far: AmendOrder carries the new total quantity, so the new remainder is total − filled. */
  filledLots = 0n;
  /** A system CancelOrder for this order is on its way to the market (so it is sent once). */
  cancelRequested = false;

  /** The open quantity under the name risk/order-cost.ts reads (OpenOrder.qtyLots). */
  get qtyLots(): bigint {
    return this.remainingLots;
  }
}

/** Values published with every PositionUpdated, recomputed when the position's scope changes. */
export class PositionDerived {
  liquidationPriceTicks = 0n;
  bankruptcyPriceTicks = 0n;
  /** 1-based tier of the notional at mark; 0 when flat. */
  tier = 0;
  adlQuintile = 0;
  unrealizedPnlAtoms = 0n;
}

export class PositionState {
  /** Signed lots, long > 0. */
  qtyLots = 0n;
  /** Σ entry notional of the open quantity (risk/position.ts). */
  entryCostAtoms = 0n;
  realizedPnlAtoms = 0n;
  marginMode: MarginMode = MarginMode.CROSS;
  leverage: bigint;
  isolatedMarginAtoms = 0n;
  /** Open orders in this market, by orderId. */
  readonly orders = new Map<number, OpenOrderState>();
  /** Initial margin reserved for those orders (max of the two sides' costs, recomputed on change). */
  orderMarginAtoms = 0n;
  readonly derived = new PositionDerived();
  /** Liquidation status of this position's isolated scope (cross scopes keep theirs on the account). */
  liquidationId = 0;
  /** The isolated scope's margin ratio is at or past pool.marginCallRatioRate and a MarginCallIssued went out. */
  marginCalled = false;

  constructor(
    readonly accountId: number,
    readonly marketId: number,
    defaultLeverage: bigint,
  ) {
    this.leverage = defaultLeverage;
  }

  isFlat(): boolean {
    return this.qtyLots === 0n;
  }
}

export class AccountState {
  /** Wallet balance WB: deposits − withdrawals + realized PnL − fees ± funding (cross side). */
  walletAtoms = 0n;
  feeTier = 0;
  readonly positions = new Map<number, PositionState>();
  /** Request ids of deposits, withdrawals and margin moves already applied (idempotency). */
  readonly appliedRequests = new Set<number>();
  /** Non-zero while the cross scope is in the liquidation pipeline. */
  liquidationId = 0;
  /** The cross scope's margin ratio is at or past pool.marginCallRatioRate and a MarginCallIssued went out. */
  marginCalled = false;

  constructor(readonly id: number) {}
}

export class MarketRiskState {
  markPriceTicks = 0n;
  indexPriceTicks = 0n;
  /** Stale index: the mark is frozen and only risk-reducing orders are accepted. */
  reduceOnly = false;
  lastFundingRate = 0n;
  nextFundingTimeUs = 0;

  constructor(
    readonly spec: MarketSpec,
    readonly config: RiskMarketConfig,
  ) {}

  get tiers(): TierTable {
    return this.config.tiers;
  }

  get atomsPerTickLot(): bigint {
    return this.spec.atomsPerTickLot;
  }
}

export class RiskState {
  readonly accounts = new Map<number, AccountState>();
  readonly markets = new Map<number, MarketRiskState>();
  /** This shard's partition of the insurance fund (never negative). */
  insuranceFundAtoms = 0n;
  /** Fees charged minus rebates paid. */
  feePoolAtoms = 0n;
  /** Funding collected minus funding paid out by this shard (its part of the zero-sum flow). */
  fundingClearingAtoms = 0n;
  /** Deposits minus withdrawals (external money in), including insurance top-ups from outside. */
  netDepositsAtoms = 0n;
  /** Request ids of TopUpInsuranceFund already applied (idempotency; a top-up belongs to no account). */
  readonly appliedTopUps = new Set<number>();
  private nextLiquidationId = 1;

  constructor(
    readonly shardId: number,
    readonly shardCount: number,
    readonly pool: RiskPoolConfig,
  ) {}

  owns(accountId: number): boolean {
    return accountId % this.shardCount === this.shardId;
  }

  newLiquidationId(): number {
    return this.nextLiquidationId++;
  }

  /** The id newLiquidationId() will hand out next (state hashes and snapshots). */
  peekLiquidationId(): number {
    return this.nextLiquidationId;
  }

  /** Account ids in ascending order: the only order accounts are iterated in. */
  sortedAccountIds(): number[] {
    return [...this.accounts.keys()].sort((a, b) => a - b);
  }

  sortedMarketIds(): number[] {
    return [...this.markets.keys()].sort((a, b) => a - b);
  }
}
