// The risk shard's state: what it owns outright. Plain classes whose integer fields read and write as
// bigint; the shard's components (pre-trade, settlement, margin monitor, liquidation engine, funding)
// read and change them. Underneath, each such field is a number slot (…N, exact, NaN when the value is
// past ±(2^53 − 1)) with a bigint slot for that case (exact-slot.ts): the number fast paths read and
// write the number slots, every other reader uses the bigint accessors.
// Iteration is always in ascending id order (sortedIds), never in Map insertion order, so the state
// machine stays deterministic whatever order entries were created in.
//
// Thread contract: one risk-shard thread.

import type { MarketSpec } from '../../engine/market/spec.js';
import { numberTiers, type NumberTiers } from '../margin-number.js';
import type { TierTable } from '../tiers.js';
import type { RiskMarketConfig, RiskPoolConfig } from './config.js';
import { addExact, bigSlot, fitsNumber, numberSlot, slotValue } from './exact-slot.js';
import type { OpenOrderState } from './open-order-state.js';
import { PositionDerived } from './position-derived.js';
import { IdSet } from './id-set.js';
import { OrderMap } from './order-map.js';
import { PositionMap } from './position-map.js';
import { RecentIds } from './recent-ids.js';

/** Accepted order ids each account remembers, so a retried PlaceOrder is never a second order. */
export const PLACED_ORDER_WINDOW = 4_096;

export { OpenOrderState } from './open-order-state.js';
export { PositionDerived } from './position-derived.js';

export const MarginMode = { CROSS: 0, ISOLATED: 1 } as const;
export type MarginMode = (typeof MarginMode)[keyof typeof MarginMode];

/**
 * A position extends its published figures (PositionDerived) rather than holding them in an object of
 * their own: one heap object less per position, which a snapshot decode of a million positions builds
 * and the garbage collector marks (bench/RESULTS.md, "snapshot"). `derived` is the position itself.
 */
export class PositionState extends PositionDerived {
  /** Number slots (exact-slot.ts) of the integer fields below, read and written by the fast paths. */
  qtyN = 0;
  entryCostN = 0;
  realizedPnlN = 0;
  isolatedMarginN = 0;
  orderMarginN = 0;
  leverageN = 0;
  marginMode: MarginMode = MarginMode.CROSS;
  /**
   * Open orders in this market, by orderId: made on first use (openOrders until then), since most
   * positions never hold one and a million empty Maps were a large part of a snapshot decode's garbage
   * collection (bench/RESULTS.md, "snapshot"). Counting or walking them without making it: orderCount,
   * openOrders.
   */
  get orders(): OrderMap {
    return (this.ordersMap ??= new OrderMap());
  }

  /** The open orders' map if one was ever made (the hash and snapshot walk it without making one). */
  get openOrders(): ReadonlyMap<number, OpenOrderState> | undefined {
    return this.ordersMap;
  }

  get orderCount(): number {
    return this.ordersMap === undefined ? 0 : this.ordersMap.size;
  }
  /** The figures published with every PositionUpdated (this object: see the class comment). */
  get derived(): PositionDerived {
    return this;
  }
  /** Liquidation status of this position's isolated scope (cross scopes keep theirs on the account). */
  liquidationId = 0;
  /** The isolated scope's margin ratio is at or past pool.marginCallRatioRate and a MarginCallIssued went out. */
  marginCalled = false;
  /**
   * The mark the order reservation was last computed at, and the order whose acceptance computed it (0:
   * anything else did); both 0 without open orders. A PlaceOrder the market refuses is withdrawn with
   * them as if it had never been accepted (order-events.ts, refused).
   */
  reserveMarkTicks = 0;
  reserveOrderId = 0;
  /**
   * The position's trigger slot: its heap id in its market's MarketTriggers (trigger-index.ts), NO_SLOT
   * (−1) while it has none. Kept by MarketTriggers alone; not state of its own (the slot is).
   */
  triggerId = -1;
  private ordersMap: OrderMap | undefined = undefined;

  constructor(
    readonly accountId: number,
    readonly marketId: number,
    defaultLeverage: bigint,
  ) {
    super();
    this.leverage = defaultLeverage;
  }

  /** Signed lots, long > 0. */
  get qtyLots(): bigint {
    return this.qtyN === this.qtyN ? BigInt(this.qtyN) : this.bigAt(3);
  }
  set qtyLots(v: bigint) {
    this.qtyN = numberSlot(v);
    this.setBig(3, v);
  }

  /** Σ entry notional of the open quantity (risk/position.ts). */
  get entryCostAtoms(): bigint {
    return this.entryCostN === this.entryCostN ? BigInt(this.entryCostN) : this.bigAt(4);
  }
  set entryCostAtoms(v: bigint) {
    this.entryCostN = numberSlot(v);
    this.setBig(4, v);
  }

  get realizedPnlAtoms(): bigint {
    return this.realizedPnlN === this.realizedPnlN ? BigInt(this.realizedPnlN) : this.bigAt(5);
  }
  set realizedPnlAtoms(v: bigint) {
    this.realizedPnlN = numberSlot(v);
    this.setBig(5, v);
  }

  get isolatedMarginAtoms(): bigint {
    return this.isolatedMarginN === this.isolatedMarginN ? BigInt(this.isolatedMarginN) : this.bigAt(6);
  }
  set isolatedMarginAtoms(v: bigint) {
    this.isolatedMarginN = numberSlot(v);
    this.setBig(6, v);
  }

  /** Initial margin reserved for the open orders (max of the two sides' costs, recomputed on change). */
  get orderMarginAtoms(): bigint {
    return this.orderMarginN === this.orderMarginN ? BigInt(this.orderMarginN) : this.bigAt(7);
  }
  set orderMarginAtoms(v: bigint) {
    this.orderMarginN = numberSlot(v);
    this.setBig(7, v);
  }

  get leverage(): bigint {
    return this.leverageN === this.leverageN ? BigInt(this.leverageN) : this.bigAt(8);
  }
  set leverage(v: bigint) {
    this.leverageN = numberSlot(v);
    this.setBig(8, v);
  }

  /** Adds realized PnL (an exact number), in bigint when the sum leaves the number slot's range. */
  addRealizedPnl(atoms: number): void {
    const s = addExact(this.realizedPnlN, atoms);
    if (s === s) this.realizedPnlN = s;
    else this.realizedPnlAtoms = this.realizedPnlAtoms + BigInt(atoms);
  }

  isFlat(): boolean {
    return this.qtyN === 0;
  }

  /**
   * Nothing in it: flat, no orders, no margin, PnL or liquidation, default settings. A blank record is the
   * same state as no record (pre-trade creates one for an order the market may then refuse), so the state
   * hash leaves it out.
   */
  isBlank(defaultLeverage: bigint): boolean {
    const d = this.derived;
    return (
      this.qtyN === 0 &&
      this.entryCostN === 0 &&
      this.realizedPnlN === 0 &&
      this.isolatedMarginN === 0 &&
      this.orderMarginN === 0 &&
      this.orderCount === 0 &&
      this.marginMode === MarginMode.CROSS &&
      this.leverage === defaultLeverage &&
      this.liquidationId === 0 &&
      !this.marginCalled &&
      this.reserveMarkTicks === 0 &&
      this.reserveOrderId === 0 &&
      d.tier === 0 &&
      d.adlQuintile === 0 &&
      d.liquidationPriceN === 0 &&
      d.bankruptcyPriceN === 0 &&
      d.unrealizedPnlN === 0
    );
  }
}

export class AccountState {
  /** Number slot of walletAtoms (exact-slot.ts). */
  walletN = 0;
  feeTier = 0;
  /** By market id, in insertion order (position-map.ts: a small array, not a hash table). */
  readonly positions = new PositionMap();
  /** Request ids of deposits, withdrawals and margin moves already applied (idempotency). */
  readonly appliedRequests = new IdSet();
  /** Order ids of the last PLACED_ORDER_WINDOW PlaceOrder commands accepted (idempotency of retries). */
  get placedOrderIds(): RecentIds {
    return (this.placed ??= new RecentIds(PLACED_ORDER_WINDOW));
  }

  /** The window if an order was ever placed (the hash and snapshot read it without making one). */
  get placedOrderWindow(): RecentIds | undefined {
    return this.placed;
  }
  /** Non-zero while the cross scope is in the liquidation pipeline. */
  liquidationId = 0;
  /** The cross scope's margin ratio is at or past pool.marginCallRatioRate and a MarginCallIssued went out. */
  marginCalled = false;
  private walletBig = 0n;
  /** Made on the first PlaceOrder: most accounts never place one (one object less each until then). */
  private placed: RecentIds | undefined = undefined;

  constructor(readonly id: number) {}

  /** The positions in ascending market order, kept by the map as it changes (never changed once returned). */
  positionsInOrder(): readonly PositionState[] {
    return this.positions.inOrder();
  }

  /** Wallet balance WB: deposits − withdrawals + realized PnL − fees ± funding (cross side). */
  get walletAtoms(): bigint {
    return slotValue(this.walletN, this.walletBig);
  }
  set walletAtoms(v: bigint) {
    this.walletN = numberSlot(v);
    this.walletBig = bigSlot(v);
  }

  /** Adds an exact number of atoms to the wallet, in bigint when the sum leaves the number slot's range. */
  addWallet(atoms: number): void {
    const s = addExact(this.walletN, atoms);
    if (s === s) this.walletN = s;
    else this.walletAtoms = this.walletAtoms + BigInt(atoms);
  }
}

export class MarketRiskState {
  /** Number slot of markPriceTicks (0: no mark yet). */
  markN = 0;
  indexPriceTicks = 0n;
  /** Stale index: the mark is frozen and only risk-reducing orders are accepted. */
  reduceOnly = false;
  lastFundingRate = 0n;
  nextFundingTimeUs = 0;
  /** atomsPerTickLot as a number (NaN past 2^53: the fast paths then refuse this market). */
  readonly atomsPerTickLotN: number;
  /** The tier table as numbers (margin-number.ts). */
  readonly numberTiers: NumberTiers;
  private markBig = 0n;

  constructor(
    readonly spec: MarketSpec,
    readonly config: RiskMarketConfig,
  ) {
    this.atomsPerTickLotN = fitsNumber(spec.atomsPerTickLot) ? Number(spec.atomsPerTickLot) : NaN;
    this.numberTiers = numberTiers(config.tiers);
  }

  get markPriceTicks(): bigint {
    return slotValue(this.markN, this.markBig);
  }
  set markPriceTicks(v: bigint) {
    this.markN = numberSlot(v);
    this.markBig = bigSlot(v);
  }

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
  /** Number slot of feePoolAtoms (exact-slot.ts). */
  feePoolN = 0;
  private feePoolBig = 0n;
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

  /** Fees charged minus rebates paid. */
  get feePoolAtoms(): bigint {
    return slotValue(this.feePoolN, this.feePoolBig);
  }
  set feePoolAtoms(v: bigint) {
    this.feePoolN = numberSlot(v);
    this.feePoolBig = bigSlot(v);
  }

  /** Adds an exact number of atoms to the fee pool, in bigint when the sum leaves the number slot's range. */
  addFeePool(atoms: number): void {
    const s = addExact(this.feePoolN, atoms);
    if (s === s) this.feePoolN = s;
    else this.feePoolAtoms = this.feePoolAtoms + BigInt(atoms);
  }

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

  /** Snapshot decode: the id newLiquidationId() hands out next. */
  restoreLiquidationId(next: number): void {
    this.nextLiquidationId = next;
  }

  /** Account ids in ascending order: the only order accounts are iterated in. */
  sortedAccountIds(): number[] {
    return [...this.accounts.keys()].sort((a, b) => a - b);
  }

  sortedMarketIds(): number[] {
    return [...this.markets.keys()].sort((a, b) => a - b);
  }
}
