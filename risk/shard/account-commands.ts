// Account commands from the gateway (input 0): Deposit, Withdraw, SetLeverage, SetMarginMode,
// AdjustIsolatedMargin, SetFeeTier, TopUpInsuranceFund. Each returns Code.OK after applying itself and
// publishing its outcome (AccountUpdated with the request id; InsuranceFundChanged for a top-up), or a
// rejection code with nothing changed: the dispatcher (risk-shard.ts) then publishes OrderRejected with
// the command's type and request id. Checks run in the order the code list below reads.
//
// Accounts are created by their first accepted Deposit; every other command for an unknown account is
// UNKNOWN_ACCOUNT. Money moves (Deposit, Withdraw, AdjustIsolatedMargin, TopUpInsuranceFund) need a
// request id in [1, 2^53) (INVALID_REQUEST_ID), which is idempotent (DUPLICATE_REQUEST): per account, per
// shard for top-ups; a rejected request is not remembered, so it may be retried. The setting commands may
// carry one (0: none) for the gateway to correlate their answer. A deposit or top-up that would take a
// balance past the pool's bound is BALANCE_LIMIT_EXCEEDED: with those bounds every balance a record
// publishes stays in its i64 field. Withdrawals wait while money they take may be owed to a scope below
// zero (invariant I11 as withdrawal-gate.ts applies it).
// Thread contract: the risk-shard thread.

import { Code } from '../../engine/codes.js';
import { AdjustIsolatedMarginLayout } from '../../engine/ring/layouts/adjust-isolated-margin.js';
import { DepositLayout } from '../../engine/ring/layouts/deposit.js';
import { SetFeeTierLayout } from '../../engine/ring/layouts/set-fee-tier.js';
import { SetLeverageLayout } from '../../engine/ring/layouts/set-leverage.js';
import { SetMarginModeLayout } from '../../engine/ring/layouts/set-margin-mode.js';
import { TopUpInsuranceFundLayout } from '../../engine/ring/layouts/top-up-insurance-fund.js';
import { WithdrawLayout } from '../../engine/ring/layouts/withdraw.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { Side } from '../../engine/enums.js';
import { leverageCode, marginTierIndexOf } from '../tiers.js';
import { openOrdersCostAtoms } from '../order-cost.js';
import { absBig, maxBig } from '../units.js';
import { InsuranceReason, UpdateReason } from './events.js';
import { openOrdersOf } from './reservation.js';
import { CROSS_SCOPE } from './seams.js';
import type { ShardParts } from './shard-parts.js';
import { withdrawalBlocked } from './withdrawal-gate.js';
import { AccountState, MarginMode, PositionState } from './state.js';

const DEP = DepositLayout.offsets;
const WDR = WithdrawLayout.offsets;
const LEV = SetLeverageLayout.offsets;
const MOD = SetMarginModeLayout.offsets;
const ISO = AdjustIsolatedMarginLayout.offsets;
const FEE = SetFeeTierLayout.offsets;
const TOP = TopUpInsuranceFundLayout.offsets;

/** The only collateral asset of the pool (USDT). */
const COLLATERAL_ASSET_ID = 0;

export function deposit(p: ShardParts, buf: RecordBuffer, at: number): number {
  const id = buf.accountId(at);
  const requestId = buf.u53At(at, DEP.requestId);
  const amount = buf.i64At(at, DEP.amountAtoms);
  if (requestId === 0) return Code.INVALID_REQUEST_ID;
  if (buf.u16At(at, DEP.assetId) !== COLLATERAL_ASSET_ID) return Code.UNKNOWN_ASSET;
  if (amount <= 0n) return Code.AMOUNT_NOT_POSITIVE;
  let account = p.state.accounts.get(id);
  if (account !== undefined && account.appliedRequests.has(requestId)) return Code.DUPLICATE_REQUEST;
  const wallet = (account === undefined ? 0n : account.walletAtoms) + amount;
  if (wallet > p.pool.maxWalletAtoms) return Code.BALANCE_LIMIT_EXCEEDED;
  if (account === undefined) {
    account = new AccountState(id);
    p.state.accounts.set(id, account);
  }
  p.quintiles.beforeChange(account);
  account.walletAtoms = wallet;
  account.appliedRequests.add(requestId);
  p.state.netDepositsAtoms += amount;
  settleWallet(p, account, buf.timeUs(at), requestId, UpdateReason.DEPOSIT);
  return Code.OK;
}

export function withdraw(p: ShardParts, buf: RecordBuffer, at: number): number {
  const account = p.state.accounts.get(buf.accountId(at));
  if (account === undefined) return Code.UNKNOWN_ACCOUNT;
  const requestId = buf.u53At(at, WDR.requestId);
  const amount = buf.i64At(at, WDR.amountAtoms);
  if (requestId === 0) return Code.INVALID_REQUEST_ID;
  if (buf.u16At(at, WDR.assetId) !== COLLATERAL_ASSET_ID) return Code.UNKNOWN_ASSET;
  if (amount <= 0n) return Code.AMOUNT_NOT_POSITIVE;
  if (account.appliedRequests.has(requestId)) return Code.DUPLICATE_REQUEST;
  if (withdrawalBlocked(p, account)) return Code.WITHDRAWALS_BLOCKED_NEGATIVE_EQUITY;
  if (amount > p.cross(account).withdrawableAtoms) return Code.WITHDRAWAL_EXCEEDS_WITHDRAWABLE;
  p.quintiles.beforeChange(account);
  account.walletAtoms -= amount;
  account.appliedRequests.add(requestId);
  p.state.netDepositsAtoms -= amount;
  settleWallet(p, account, buf.timeUs(at), requestId, UpdateReason.WITHDRAWAL);
  return Code.OK;
}

export function setLeverage(p: ShardParts, buf: RecordBuffer, at: number): number {
  const account = p.state.accounts.get(buf.accountId(at));
  if (account === undefined) return Code.UNKNOWN_ACCOUNT;
  const market = p.state.markets.get(buf.marketId(at));
  if (market === undefined) return Code.UNKNOWN_MARKET;
  const leverage = BigInt(buf.u16At(at, LEV.leverage));
  const tiers = market.config.tiers;
  if (leverageCode(tiers, leverage) !== Code.OK) return Code.LEVERAGE_TOO_HIGH;
  const existing = account.positions.get(market.spec.marketId);
  if (p.hooks.isFrozen(account.id, market.spec.marketId)) return Code.ACCOUNT_LIQUIDATING;
  const pos = existing ?? new PositionState(account.id, market.spec.marketId, market.config.defaultLeverage);
  // The tier the position reaches if the larger side of its orders fills caps the leverage.
  if (leverage > tiers[marginTierIndexOf(tiers, reachNotional(pos, market.markPriceTicks, market.spec.atomsPerTickLot))]!.maxLeverage) {
    return Code.LEVERAGE_TOO_HIGH;
  }
  if (leverage < pos.leverage && !affordableAt(p, account, pos, leverage)) return Code.INSUFFICIENT_MARGIN;
  if (existing === undefined) account.positions.set(pos.marketId, pos);
  pos.leverage = leverage;
  p.reserve(account, pos);
  const time = buf.timeUs(at);
  p.evaluator.evaluate(account.id, scopeMarket(pos), UpdateReason.LEVERAGE, time, pos.marketId);
  p.publishAccount(account, time, buf.u53At(at, LEV.requestId), UpdateReason.LEVERAGE);
  return Code.OK;
}

export function setMarginMode(p: ShardParts, buf: RecordBuffer, at: number): number {
  const account = p.state.accounts.get(buf.accountId(at));
  if (account === undefined) return Code.UNKNOWN_ACCOUNT;
  const market = p.state.markets.get(buf.marketId(at));
  if (market === undefined) return Code.UNKNOWN_MARKET;
  const mode = buf.u8At(at, MOD.marginMode);
  if (mode !== MarginMode.CROSS && mode !== MarginMode.ISOLATED) return Code.INVALID_FLAGS;
  const existing = account.positions.get(market.spec.marketId);
  if (existing !== undefined && (existing.qtyLots !== 0n || existing.orderCount > 0)) return Code.MARGIN_MODE_CHANGE_WITH_POSITION;
  // A flat isolated position below zero holds a loss its liquidation reported (docs/RISK.md, "Isolated
  // margin below zero"): moving it to the wallet would charge the cross scope, which an isolated position
  // never may. It stays where it is until the account tops the isolated margin up.
  if (existing !== undefined && existing.marginMode === MarginMode.ISOLATED && mode !== MarginMode.ISOLATED && existing.isolatedMarginAtoms < 0n) return Code.ISOLATED_MARGIN_NEGATIVE;
  const pos = existing ?? p.positionOf(account, market);
  const time = buf.timeUs(at);
  if (pos.marginMode !== mode) {
    // Leaving isolated: whatever margin the flat position still holds goes back to the wallet.
    p.quintiles.beforeChange(account);
    account.walletAtoms += pos.isolatedMarginAtoms;
    pos.isolatedMarginAtoms = 0n;
    pos.marginMode = mode;
    pos.marginCalled = false;
    p.evaluator.evaluate(account.id, CROSS_SCOPE, UpdateReason.MARGIN_MODE, time);
  }
  p.evaluator.evaluate(account.id, scopeMarket(pos), UpdateReason.MARGIN_MODE, time, pos.marketId);
  p.publishAccount(account, time, buf.u53At(at, MOD.requestId), UpdateReason.MARGIN_MODE);
  return Code.OK;
}

export function adjustIsolatedMargin(p: ShardParts, buf: RecordBuffer, at: number): number {
  const account = p.state.accounts.get(buf.accountId(at));
  if (account === undefined) return Code.UNKNOWN_ACCOUNT;
  const market = p.state.markets.get(buf.marketId(at));
  if (market === undefined) return Code.UNKNOWN_MARKET;
  const requestId = buf.u53At(at, ISO.requestId);
  const delta = buf.i64At(at, ISO.deltaAtoms);
  if (requestId === 0) return Code.INVALID_REQUEST_ID;
  if (delta === 0n) return Code.AMOUNT_NOT_POSITIVE;
  if (account.appliedRequests.has(requestId)) return Code.DUPLICATE_REQUEST;
  const pos = account.positions.get(market.spec.marketId);
  if (pos === undefined || pos.marginMode !== MarginMode.ISOLATED) return Code.NOT_ISOLATED;
  if (pos.liquidationId !== 0 || p.hooks.isFrozen(account.id, pos.marketId)) return Code.ACCOUNT_LIQUIDATING;
  if (delta > 0n) {
    // The margin comes out of the wallet: as much as could be withdrawn.
    if (delta > p.cross(account).withdrawableAtoms) return Code.INSUFFICIENT_BALANCE;
  } else {
    const iso = p.valuer.isolated(pos, p.scopeFigures);
    const out = -delta;
    if (iso.open && iso.equityAtoms - out <= iso.maintenanceAtoms) return Code.ISOLATED_MARGIN_WOULD_LIQUIDATE;
    if (out > iso.withdrawableAtoms) return Code.INSUFFICIENT_BALANCE;
  }
  p.quintiles.beforeChange(account);
  pos.isolatedMarginAtoms += delta;
  account.walletAtoms -= delta;
  account.appliedRequests.add(requestId);
  const time = buf.timeUs(at);
  p.evaluator.evaluate(account.id, pos.marketId, UpdateReason.ISOLATED_MARGIN, time, pos.marketId);
  settleWallet(p, account, time, requestId, UpdateReason.ISOLATED_MARGIN);
  return Code.OK;
}

export function setFeeTier(p: ShardParts, buf: RecordBuffer, at: number): number {
  const account = p.state.accounts.get(buf.accountId(at));
  if (account === undefined) return Code.UNKNOWN_ACCOUNT;
  const tier = buf.u8At(at, FEE.feeTier);
  if (tier >= p.pool.feeTiers.length) return Code.INVALID_FLAGS;
  account.feeTier = tier;
  // Reservations hold a taker-fee reserve at the account's rate.
  for (const pos of account.positions.values()) if (pos.orderCount > 0) p.reserve(account, pos);
  p.publishAccount(account, buf.timeUs(at), buf.u53At(at, FEE.requestId), UpdateReason.FEE_TIER);
  return Code.OK;
}

/** External money into this shard's insurance-fund partition; the header account only routes it. */
export function topUpInsuranceFund(p: ShardParts, buf: RecordBuffer, at: number): number {
  const requestId = buf.u53At(at, TOP.requestId);
  const amount = buf.i64At(at, TOP.amountAtoms);
  if (requestId === 0) return Code.INVALID_REQUEST_ID;
  if (amount <= 0n) return Code.AMOUNT_NOT_POSITIVE;
  if (p.state.appliedTopUps.has(requestId)) return Code.DUPLICATE_REQUEST;
  if (p.state.insuranceFundAtoms + amount > p.pool.maxInsuranceFundAtoms) return Code.BALANCE_LIMIT_EXCEEDED;
  p.state.appliedTopUps.add(requestId);
  p.state.insuranceFundAtoms += amount;
  p.state.netDepositsAtoms += amount;
  p.events.insuranceFundChanged(buf.accountId(at), 0, buf.timeUs(at), amount, p.state.insuranceFundAtoms, 0, InsuranceReason.TOP_UP, requestId);
  return Code.OK;
}

function scopeMarket(pos: PositionState): number {
  return pos.marginMode === MarginMode.ISOLATED ? pos.marketId : CROSS_SCOPE;
}

/** The wallet changed: the cross scope's LPs moved (evaluate it), then AccountUpdated. */
function settleWallet(p: ShardParts, account: AccountState, timeUs: number, requestId: number, reason: number): void {
  p.evaluator.evaluate(account.id, CROSS_SCOPE, reason, timeUs);
  p.publishAccount(account, timeUs, requestId, reason);
}

/** |q| after the larger side of the position's orders fills, valued at mark (at entry without one). */
function reachNotional(pos: PositionState, markTicks: bigint, atomsPerTickLot: bigint): bigint {
  let buys = 0n;
  let sells = 0n;
  for (const o of pos.orders.values()) {
    if (o.reduceOnly) continue;
    if (o.side === Side.BUY) buys += o.remainingLots;
    else sells += o.remainingLots;
  }
  const lots = maxBig(absBig(pos.qtyLots + buys), absBig(pos.qtyLots - sells));
  return markTicks > 0n ? lots * markTicks * atomsPerTickLot : pos.entryCostAtoms;
}

/**
 * Would the scope still cover its initial margin (positions and orders) at the lower leverage? Tried on
 * the live position and put back: nothing changes unless the caller goes on to apply it.
 */
function affordableAt(p: ShardParts, account: AccountState, pos: PositionState, leverage: bigint): boolean {
  const was = pos.leverage;
  const wasReserve = pos.orderMarginAtoms;
  const market = p.state.markets.get(pos.marketId)!;
  pos.leverage = leverage;
  pos.orderMarginAtoms = pos.orderCount === 0 ? 0n : openOrdersCostAtoms(openOrdersOf(pos), p.cost.fill(pos, market, p.pool.feeTiers[account.feeTier]!)) ?? 0n;
  let ok: boolean;
  if (pos.marginMode === MarginMode.ISOLATED) {
    const iso = p.valuer.isolated(pos, p.scopeFigures);
    ok = !iso.open || iso.equityAtoms >= iso.initialAtoms;
  } else ok = true;
  const cross = p.cross(account);
  ok = ok && (!cross.open && cross.orderInitialAtoms === 0n ? true : cross.equityAtoms >= cross.initialAtoms + cross.orderInitialAtoms);
  pos.leverage = was;
  pos.orderMarginAtoms = wasReserve;
  return ok;
}
