// The seam between the risk shard's core (dispatch, pre-trade, settlement, margin monitor, funding) and
// its liquidation engine (pipeline, insurance fund, ADL). The core implements RiskEffects (ShardEffects,
// shard-effects.ts): the only way the engine changes the world outside the state (commands to markets,
// events to the gateway). The engine implements LiquidationHooks: what the core tells it. Both run on the risk-shard thread, synchronously,
// inside the handling of one input record: deterministic.

import type { Side } from '../../engine/enums.js';
import type { SnapshotReader } from '../../engine/snapshot/snapshot-reader.js';
import type { SnapshotWriter } from '../../engine/snapshot/snapshot-writer.js';

/** marketId argument meaning "the cross scope of the account" rather than an isolated position. */
export const CROSS_SCOPE = -1;

/** Liquidation orders and Deleverage commands use ids above every gateway id (gateway ids < 2^52). */
export const SYSTEM_ORDER_ID_BASE = 2 ** 52;
/** Ids per risk shard inside the system range (shard s uses [BASE + s·SPAN, BASE + (s+1)·SPAN)). */
export const SYSTEM_ORDER_ID_SPAN = 2 ** 36;

export interface RiskEffects {
  /** Cancel every open order of the account in the market (CancelAllOrders, reason LIQUIDATION or ADMIN). */
  cancelAllOrders(accountId: number, marketId: number, reason: number, timeUs: number): void;
  /**
   * Sends an IOC reduce-only PlaceOrder with origin LIQUIDATION to the market's shard and records it as an
   * open order of the account (reserving nothing). Returns the order id it used.
   */
  placeLiquidationOrder(accountId: number, marketId: number, side: Side, qtyLots: bigint, limitPriceTicks: bigint, timeUs: number): number;
  /**
   * Sends a LiquidationSweep (the full close's budgeted walk of the book, executed by the market shard as
   * one IOC reduce-only order) and records that order as an open order of the account (reserving
   * nothing). Returns its order id.
   */
  sweepLiquidation(accountId: number, marketId: number, side: Side, qtyLots: bigint, limitPriceTicks: bigint, bankruptcyPriceTicks: bigint, budgetAtoms: bigint, timeUs: number): number;
  /** Sends a Deleverage command; returns its id (the orderId its TradeExecuted / OrderRejected will carry). */
  deleverage(liquidatedAccountId: number, counterpartyAccountId: number, marketId: number, side: Side, qtyLots: bigint, priceTicks: bigint, timeUs: number): number;
  /** Moves atoms between the insurance fund partition and an account's scope (cross wallet or isolated margin). */
  transferInsurance(accountId: number, marketId: number, deltaToFundAtoms: bigint, reason: number, liquidationId: number, timeUs: number): void;
  /** insuranceAtoms: what the insurance fund took (> 0) or paid (< 0) in this step (LiquidationProgressed.insuranceAtoms); 0n when omitted. */
  liquidationProgressed(accountId: number, marketId: number, liquidationId: number, step: number, qtyLots: bigint, priceTicks: bigint, timeUs: number, insuranceAtoms?: bigint): void;
  adlExecuted(counterpartyAccountId: number, marketId: number, liquidationId: number, liquidatedAccountId: number, side: Side, qtyLots: bigint, priceTicks: bigint, timeUs: number): void;
  /** Publishes the current position and account (after the engine changed them). */
  publishScope(accountId: number, marketId: number, timeUs: number): void;
}

/** Where a component writes its part of the state hash (risk-state-hash.ts). */
export interface StateWords {
  int(v: number): void;
  big(v: bigint): void;
}

export interface LiquidationHooks {
  /** The margin monitor found the scope possibly liquidatable (or a step may continue): evaluate it. */
  check(accountId: number, marketId: number, timeUs: number): void;
  /** A fill of any order (any origin) of an account in a liquidating scope, or of a LIQUIDATION/ADL order, after the core applied it. */
  onFill(accountId: number, marketId: number, orderId: number, origin: number, signedQtyLots: bigint, priceTicks: bigint, timeUs: number): void;
  /** An order or Deleverage of a liquidating scope ended (filled out, cancelled, expired or rejected with `code`). */
  onOrderEnded(accountId: number, marketId: number, orderId: number, code: number, timeUs: number): void;
  /**
   * A user's own fill left a flat scope below zero (no liquidation can see a flat scope): settle it with
   * the insurance fund now, as a bankruptcy event of its own.
   */
  onBankruptFlatScope(accountId: number, marketId: number, timeUs: number): void;
  /**
   * The end of every input record, after the margin monitor's share of work for it: runs waiting at a
   * step boundary take their steps, in trigger order (escalation-order.ts), unless a market stream is in
   * the middle of one input's records. more: the record came from market input `input` and that market's
   * input wrote another record after it (HeaderFlag.MORE).
   */
  afterRecord(timeUs: number, input: number, more: boolean): void;
  /** A new mark in the market: parked pipelines may continue (bounded work per call). */
  onMarkUpdated(marketId: number, timeUs: number): void;
  /** Pre-trade asks: is user order entry frozen for this account in this market? */
  isFrozen(accountId: number, marketId: number): boolean;
  /** Writes the pipeline's own state (runs, reservations, parked scopes, pending Deleverages) in a canonical order. */
  hashState(h: StateWords): void;
  /** The pipeline's section of a snapshot: whatever can influence its future outputs (docs/SNAPSHOTS.md). */
  writeState(w: SnapshotWriter): void;
  /** Reads what writeState wrote into this fresh engine; the rest of the shard's state is restored already. */
  readState(r: SnapshotReader): void;
}
