// Trade settlement (docs/RISK-SHARD.md, "Settlement"): a TradeExecuted from a market shard settles each
// party this shard owns, taker first, then maker:
//
//   open order's rest ─▶ position (risk/position.ts applyFill) ─▶ fee to the fee pool ─▶ realized PnL to
//   WB (cross) or M_iso (isolated) ─▶ order reservation ─▶ FillSettled ─▶ scope evaluation (LP/BP/tier,
//   PositionUpdated, margin call) ─▶ AccountUpdated ─▶ liquidation hooks ─▶ below-IM clean-up
//
// The fill's arithmetic is fill-application.ts: the number fast path, or the bigint reference when one
// of its guards refuses. Before anything changes, ADL ranking jobs under way take the account's
// positions as they stood (quintiles.ts beforeChange).
//
// Fees: taker or maker rate of the account's fee tier on the fill notional; a charge rounds up, a maker
// rebate (negative rate) pays out rounded down. Fills of LIQUIDATION and ADL orders pay no trading fee
// (the liquidation fee is the pipeline's). Fees always come from the wallet.
// Isolated margin: opening lots moves their initial margin (notional at mark over the position's
// effective leverage, plus any loss the fill already made against the mark) from the wallet into M_iso,
// as far as the wallet goes; closing lots realize PnL into M_iso and release their share of it (all of it
// when the position closes or flips) back to the wallet, rounded down. A negative M_iso is never
// released: it stays with the scope for the pipeline to settle.
// Bankrupt flat scope: a user's own closing fill past the bankruptcy price (a thin book) can leave a flat
// isolated position with M_iso < 0, or a cross account with no position and WB < 0. No liquidation can
// see a flat scope, so the liquidation engine settles it against the insurance fund at once
// (LiquidationHooks.onBankruptFlatScope).
// Below-IM clean-up: after a fill that opened exposure leaves its scope below initial margin, every
// risk-increasing user order of the scope is cancelled with its own CancelOrder record (same-side
// orders, and the part of the reducing side beyond the position, best-priced kept): the "re-check when
// they would fill" of docs/RISK.md, applied at the first fill. Reduce-only and liquidation orders stay.
// Thread contract: the risk-shard thread.

import { Code } from '../../engine/codes.js';
import { OrderOrigin, Side } from '../../engine/enums.js';
import { TradeExecutedLayout } from '../../engine/ring/layouts/trade-executed.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { Liquidity, UpdateReason } from './events.js';
import { applyFillBig, applyFillNumbers, FillOutcome } from './fill-application.js';
import { PUBLISH_CHANGED_ONLY } from './scope-evaluator.js';
import { CROSS_SCOPE } from './seams.js';
import type { ShardParts } from './shard-parts.js';
import { AccountState, MarginMode, type MarketRiskState, type OpenOrderState, type PositionState } from './state.js';

const TRD = TradeExecutedLayout.offsets;

export function tradeExecuted(p: ShardParts, buf: RecordBuffer, at: number): void {
  const market = p.state.markets.get(buf.marketId(at));
  if (market === undefined) return;
  const taker = buf.accountId(at);
  const maker = buf.u32At(at, TRD.makerAccountId);
  const takerSide = buf.u8At(at, TRD.takerSide) as Side;
  const qty = buf.u53At(at, TRD.qtyLots);
  const price = buf.u53At(at, TRD.priceTicks);
  const tradeId = buf.u53At(at, TRD.tradeId);
  const time = buf.timeUs(at);
  if (p.state.owns(taker)) {
    settleParty(p, market, taker, buf.u53At(at, TRD.takerOrderId), takerSide, Liquidity.TAKER, buf.u8At(at, TRD.takerOrigin), buf.u53At(at, TRD.takerRemainingLots), qty, price, tradeId, time);
  }
  if (p.state.owns(maker)) {
    const makerSide = takerSide === Side.BUY ? Side.SELL : Side.BUY;
    settleParty(p, market, maker, buf.u53At(at, TRD.makerOrderId), makerSide, Liquidity.MAKER, buf.u8At(at, TRD.makerOrigin), buf.u53At(at, TRD.makerRemainingLots), qty, price, tradeId, time);
  }
}

const outcome = new FillOutcome();

/** One party of one fill. */
function settleParty(
  p: ShardParts,
  market: MarketRiskState,
  accountId: number,
  orderId: number,
  side: Side,
  liquidity: number,
  origin: number,
  remainingLots: number,
  qty: number,
  price: number,
  tradeId: number,
  timeUs: number,
): void {
  const state = p.state;
  let account = state.accounts.get(accountId);
  if (account === undefined) {
    // A trade for an account the shard never saw (its orders predate this shard's state): it happened,
    // so it is settled; the account starts with an empty wallet.
    account = new AccountState(accountId);
    state.accounts.set(accountId, account);
  }
  const pos = p.positionOf(account, market);
  p.quintiles.beforeChange(account);
  // openOrders: the position's map only if it has one (pos.orders would make an empty one for every position that trades).
  const order = pos.openOrders?.get(orderId);
  let orderDone = false;
  if (order !== undefined) {
    order.filled(qty, remainingLots);
    if (remainingLots === 0) {
      pos.orders.delete(orderId);
      orderDone = true;
    }
  }
  const reduceOnly = order !== undefined && order.reduceOnly;
  const out = outcome;
  const signed = side === Side.BUY ? qty : -qty;
  if (!(p.valuer.fast && applyFillNumbers(state, p.numberFees, market, account, pos, reduceOnly, signed, price, liquidity, origin, out))) {
    applyFillBig(state, p.pool.feeTiers, market, account, pos, reduceOnly, side, qty, price, liquidity, origin, out);
  }
  if (out.reduceOnlyBreach) p.reduceOnlyBreaches++;
  const opened = out.opened;
  p.reserve(account, pos);

  p.events.fillSettled(accountId, pos.marketId, timeUs, orderId, tradeId, qty, price, out.feeAtoms, out.realizedPnlAtoms, side, liquidity, origin);
  const isolated = pos.marginMode === MarginMode.ISOLATED;
  const scopeMarket = isolated ? pos.marketId : CROSS_SCOPE;
  let figures = p.evaluator.evaluate(accountId, scopeMarket, UpdateReason.FILL, timeUs, pos.marketId, false)!;
  const liquidatable = figures.liquidatable;
  const belowInitial = figures.belowInitial;
  // The wallet paid the fee (and funded or received isolated margin): the cross scope moved too.
  if (isolated) figures = p.evaluator.evaluate(accountId, CROSS_SCOPE, UpdateReason.FILL, timeUs, PUBLISH_CHANGED_ONLY, false)!;
  const crossLiquidatable = isolated && figures.liquidatable;
  // The evaluation's cross figures are the account's: published before any hook can change them.
  p.events.accountUpdated(account, timeUs, figures, 0, UpdateReason.FILL);
  if (origin !== OrderOrigin.USER || p.liquidating(account, pos)) {
    p.hooks.onFill(accountId, pos.marketId, orderId, origin, BigInt(signed), BigInt(price), timeUs);
    if (orderDone) p.hooks.onOrderEnded(accountId, pos.marketId, orderId, Code.OK, timeUs);
  }
  if (origin === OrderOrigin.USER && !p.liquidating(account, pos) && bankruptFlat(account, pos, isolated)) p.hooks.onBankruptFlatScope(accountId, scopeMarket, timeUs);
  // An isolated fill pays its fee (and moves margin) through the wallet: the cross scope may be the one left flat below zero.
  if (origin === OrderOrigin.USER && isolated && account.liquidationId === 0 && bankruptFlat(account, pos, false)) p.hooks.onBankruptFlatScope(accountId, CROSS_SCOPE, timeUs);
  if (liquidatable && !p.liquidating(account, pos)) p.hooks.check(accountId, scopeMarket, timeUs);
  if (crossLiquidatable && account.liquidationId === 0) p.hooks.check(accountId, CROSS_SCOPE, timeUs);
  if (opened && origin === OrderOrigin.USER && belowInitial && !liquidatable) cancelRiskIncreasing(p, account, isolated ? pos : undefined, timeUs);
}

/**
 * The fill's scope is flat and below zero: an isolated position's margin, or a cross account's wallet with
 * no cross position left. Reads the number slots (no bigint is made on this per-fill path).
 */
function bankruptFlat(account: AccountState, pos: PositionState, isolated: boolean): boolean {
  if (isolated) {
    if (pos.qtyN !== 0) return false;
    const m = pos.isolatedMarginN;
    return m === m ? m < 0 : pos.isolatedMarginAtoms < 0n;
  }
  const w = account.walletN;
  if (w === w ? w >= 0 : account.walletAtoms >= 0n) return false;
  for (const x of account.positions.values()) if (x.marginMode === MarginMode.CROSS && x.qtyN !== 0) return false;
  return true;
}

/** Cancels the scope's risk-increasing user orders (see the file comment), each once. */
function cancelRiskIncreasing(p: ShardParts, account: AccountState, isolated: PositionState | undefined, timeUs: number): void {
  const positions = isolated !== undefined ? [isolated] : [...account.positions.values()].filter((x) => x.marginMode === MarginMode.CROSS).sort((x, y) => x.marketId - y.marketId);
  for (const pos of positions) {
    if (pos.orderCount === 0) continue;
    const q = pos.qtyLots;
    const reducing = q > 0n ? Side.SELL : q < 0n ? Side.BUY : -1;
    let room = q < 0n ? -q : q;
    const orders = [...pos.orders.values()]
      .filter((o) => o.origin === OrderOrigin.USER && !o.reduceOnly)
      .sort((x, y) => (x.side !== y.side ? x.side - y.side : betterFirst(x, y) || x.orderId - y.orderId));
    for (const o of orders) {
      if (o.side === reducing && o.remainingLots <= room) {
        room -= o.remainingLots;
        continue;
      }
      if (o.side === reducing) room = 0n;
      if (o.cancelRequested) continue;
      o.cancelRequested = true;
      p.commands.cancelOrder(account.id, pos.marketId, o.orderId, timeUs);
    }
  }
}

/** Within one side: the order that would fill first comes first (buys highest, sells lowest price). */
function betterFirst(x: OpenOrderState, y: OpenOrderState): number {
  if (x.priceTicks === y.priceTicks) return 0;
  const xFirst = x.side === Side.BUY ? x.priceTicks > y.priceTicks : x.priceTicks < y.priceTicks;
  return xFirst ? -1 : 1;
}
