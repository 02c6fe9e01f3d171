// The risk state's sections of a risk-shard snapshot (docs/SNAPSHOTS.md): ledgers, markets and accounts,
// row by row in variable-length integers. Every collection is written in its own iteration order (Map and
// Set insertion order), so the decoded state iterates exactly as the encoded one did, not only where the
// code sorts. Number slots (exact-slot.ts) are written as they are, −0 and all; a value kept in bigint
// past 2^53 travels as a bigint and lands in the bigint slot again.
//
//   LEDG   insurance fund, fee pool, funding clearing, net deposits, next liquidation id, system ids
//          issued, applied top-up ids, reduce-only breaches
//   MRKT   per market, in configuration order: id, mark, index, reduce-only, last funding rate, next
//          funding time
//   ACCT   per account: id, wallet, fee tier, liquidation id, flags, applied request ids, the window of
//          placed order ids oldest first, then per position: market, quantity, entry cost, realized PnL,
//          isolated margin, order margin, leverage, flags (margin mode, margin called), liquidation id,
//          the mark and order its reservation was computed by, published LP, BP, UPnL, tier, quintile,
//          then per open order: id, client id, flags (side, reduce-only, cancel requested, origin),
//          P_assumed, remaining, filled, what its acceptance replaced (mark, order)
//
// Thread contract: the risk-shard thread between records (encode), the decoding thread (decode).

import { malformed } from '../../engine/snapshot/snapshot-error.js';
import type { SnapshotReader } from '../../engine/snapshot/snapshot-reader.js';
import type { SnapshotWriter } from '../../engine/snapshot/snapshot-writer.js';
import type { Hasher } from './risk-hasher.js';
import type { AccountsInStep } from './risk-state-hash.js';
import type { ShardParts } from './shard-parts.js';
import { AccountState, MarginMode, OpenOrderState, PLACED_ORDER_WINDOW, PositionState } from './state.js';

const ACCOUNT_MARGIN_CALLED = 1;
const POSITION_ISOLATED = 1;
const POSITION_MARGIN_CALLED = 2;
const ORDER_SELL = 1;
const ORDER_REDUCE_ONLY = 2;
const ORDER_CANCEL_REQUESTED = 4;
const ORDER_ORIGIN_SHIFT = 4;

export function writeLedgers(w: SnapshotWriter, p: ShardParts): void {
  const s = p.state;
  w.big(s.insuranceFundAtoms);
  w.exact(s.feePoolN === s.feePoolN ? s.feePoolN : s.feePoolAtoms);
  w.big(s.fundingClearingAtoms);
  w.big(s.netDepositsAtoms);
  w.uint(s.peekLiquidationId());
  w.uint(p.commands.issuedSystemIds);
  w.uint(s.appliedTopUps.size);
  for (const id of s.appliedTopUps) w.uint(id);
  w.uint(p.reduceOnlyBreaches);
}

export function readLedgers(r: SnapshotReader, p: ShardParts): void {
  const s = p.state;
  s.insuranceFundAtoms = r.big();
  const fee = r.exact();
  if (typeof fee === 'number') s.feePoolN = fee;
  else s.feePoolAtoms = fee;
  s.fundingClearingAtoms = r.big();
  s.netDepositsAtoms = r.big();
  const nextLiquidationId = r.uint();
  if (nextLiquidationId < 1) throw malformed(`${r.what}: next liquidation id 0`);
  s.restoreLiquidationId(nextLiquidationId);
  p.commands.issuedSystemIds = r.uint();
  const topUps = r.count(1);
  for (let i = 0; i < topUps; i++) s.appliedTopUps.add(r.uint());
  if (s.appliedTopUps.size !== topUps) throw malformed(`${r.what}: a top-up id listed twice`);
  p.reduceOnlyBreaches = r.uint();
  r.done();
  if (s.insuranceFundAtoms < 0n) throw malformed(`${r.what}: insurance fund ${s.insuranceFundAtoms} < 0`);
}

export function writeMarkets(w: SnapshotWriter, p: ShardParts): void {
  w.uint(p.state.markets.size);
  for (const [id, m] of p.state.markets) {
    w.uint(id);
    w.exact(m.markN === m.markN ? m.markN : m.markPriceTicks);
    w.big(m.indexPriceTicks);
    w.bool(m.reduceOnly);
    w.big(m.lastFundingRate);
    w.uint(m.nextFundingTimeUs);
  }
}

export function readMarkets(r: SnapshotReader, p: ShardParts): void {
  const markets = p.state.markets;
  if (r.count(1) !== markets.size) throw malformed(`${r.what}: market count differs from the configuration's ${markets.size}`);
  for (const [id, m] of markets) {
    const got = r.uint();
    if (got !== id) throw malformed(`${r.what}: market ${got} where the configuration has ${id}`);
    const mark = r.exact();
    if (typeof mark === 'number') m.markN = mark;
    else m.markPriceTicks = mark;
    m.indexPriceTicks = r.big();
    m.reduceOnly = r.bool();
    m.lastFundingRate = r.big();
    m.nextFundingTimeUs = r.uint();
  }
  r.done();
}

export function writeAccounts(w: SnapshotWriter, p: ShardParts, inStep: AccountsInStep): void {
  w.uint(p.state.accounts.size);
  inStep.start(p.state.accounts.size);
  const hashed = inStep.account;
  // forEach rather than for-of: no iterator result per entry (a million accounts' worth of garbage).
  const uint = (id: number): void => w.uint(id);
  const order = (o: OpenOrderState): void => writeOrder(w, o);
  const position = (pos: PositionState): void => positionFields(w, undefined, pos, order);
  let h: Hasher | undefined;
  const positionHashed = (pos: PositionState): void => positionFields(w, h, pos, order);
  p.state.accounts.forEach((a) => {
    w.uint(a.id);
    w.slot(a.walletN, a.walletN === a.walletN ? undefined : a.walletAtoms);
    w.uint(a.feeTier);
    w.uint(a.liquidationId);
    w.u8(a.marginCalled ? ACCOUNT_MARGIN_CALLED : 0);
    w.uint(a.appliedRequests.size);
    a.appliedRequests.forEach(uint);
    const placed = a.placedOrderWindow;
    w.uint(placed === undefined ? 0 : placed.size);
    placed?.forEachInOrder(uint);
    w.uint(a.positions.size);
    h = inStep.positionsInStep(a);
    if (h !== undefined) a.positions.forEach(positionHashed);
    else {
      a.positions.forEach(position);
      hashed(a);
    }
  });
}

/**
 * A position's row of the ACCT section into `w`, its words of the state hash into `h`, either or both:
 * the two in one function so that each field is read once and the two orders (the section's, below; the
 * hash's, risk-state-hash.ts) are kept side by side, interleaved so that the writer's work runs while the
 * hash's chain waits. `order` writes an open order (with `w`).
 */
export function positionFields(w: SnapshotWriter | undefined, h: Hasher | undefined, pos: PositionState, order?: (o: OpenOrderState) => void): void {
  const d = pos.derived;
  const qty = pos.qtyN;
  const qtyBig = qty === qty ? undefined : pos.qtyLots;
  const cost = pos.entryCostN;
  const costBig = cost === cost ? undefined : pos.entryCostAtoms;
  const pnl = pos.realizedPnlN;
  const pnlBig = pnl === pnl ? undefined : pos.realizedPnlAtoms;
  const iso = pos.isolatedMarginN;
  const isoBig = iso === iso ? undefined : pos.isolatedMarginAtoms;
  const om = pos.orderMarginN;
  const omBig = om === om ? undefined : pos.orderMarginAtoms;
  const lev = pos.leverageN;
  const levBig = lev === lev ? undefined : pos.leverage;
  const lp = d.liquidationPriceN;
  const lpBig = lp === lp ? undefined : d.liquidationPriceTicks;
  const bp = d.bankruptcyPriceN;
  const bpBig = bp === bp ? undefined : d.bankruptcyPriceTicks;
  const upnl = d.unrealizedPnlN;
  const upnlBig = upnl === upnl ? undefined : d.unrealizedPnlAtoms;
  // Section: market, quantity, entry cost, realized PnL, isolated margin, order margin, leverage, flags,
  // liquidation id, reservation mark (a number slot's value, NaN past 2^53: as it is) and order, LP, BP,
  // UPnL, tier, quintile, order count, the orders in map order. Hash: market, quantity, entry cost,
  // realized PnL, mode, leverage, isolated margin, order margin, reservation mark and order, liquidation
  // id, margin called, LP, BP, tier, quintile, UPnL, the orders by id.
  w?.uint(pos.marketId);
  h?.int(pos.marketId);
  w?.slot(qty, qtyBig);
  h?.exact(qty, qtyBig);
  w?.slot(cost, costBig);
  h?.exact(cost, costBig);
  w?.slot(pnl, pnlBig);
  h?.exact(pnl, pnlBig);
  w?.slot(iso, isoBig);
  h?.word(pos.marginMode);
  w?.slot(om, omBig);
  h?.exact(lev, levBig);
  w?.slot(lev, levBig);
  h?.exact(iso, isoBig);
  w?.u8((pos.marginMode === MarginMode.ISOLATED ? POSITION_ISOLATED : 0) | (pos.marginCalled ? POSITION_MARGIN_CALLED : 0));
  h?.exact(om, omBig);
  w?.uint(pos.liquidationId);
  h?.int(pos.reserveMarkTicks);
  w?.f64(pos.reserveMarkTicks);
  h?.int(pos.reserveOrderId);
  w?.uint(pos.reserveOrderId);
  h?.int(pos.liquidationId);
  w?.slot(lp, lpBig);
  h?.word(pos.marginCalled ? 1 : 0);
  w?.slot(bp, bpBig);
  h?.exact(lp, lpBig);
  w?.slot(upnl, upnlBig);
  h?.exact(bp, bpBig);
  w?.uint(d.tier);
  h?.int(d.tier);
  w?.uint(d.adlQuintile);
  h?.int(d.adlQuintile);
  w?.uint(pos.orderCount);
  h?.exact(upnl, upnlBig);
  if (w !== undefined) pos.openOrders?.forEach(order!);
  h?.orders(pos.openOrders);
}

function writeOrder(w: SnapshotWriter, o: OpenOrderState): void {
  w.uint(o.orderId);
  w.uint(o.clientOrderId);
  w.u8((o.side === 1 ? ORDER_SELL : 0) | (o.reduceOnly ? ORDER_REDUCE_ONLY : 0) | (o.cancelRequested ? ORDER_CANCEL_REQUESTED : 0) | (o.origin << ORDER_ORIGIN_SHIFT));
  w.exact(o.priceN === o.priceN ? o.priceN : o.priceTicks);
  w.exact(o.remainingN === o.remainingN ? o.remainingN : o.remainingLots);
  w.exact(o.filledN === o.filledN ? o.filledN : o.filledLots);
  w.f64(o.markBeforeTicks);
  w.uint(o.reserveOrderIdBefore);
}

/** Reads the accounts into the (empty) state; returns them in the order read. */
export function readAccounts(r: SnapshotReader, p: ShardParts, inStep: AccountsInStep | undefined): AccountState[] {
  const s = p.state;
  const n = r.count(6);
  inStep?.start(n);
  const read: AccountState[] = [];
  for (let i = 0; i < n; i++) {
    const id = r.uint();
    if (!s.owns(id) || id > 0xffff_ffff) throw malformed(`${r.what}: account ${id} out of range or not this shard's`);
    const a = new AccountState(id);
    const wallet = r.exact();
    if (typeof wallet === 'number') a.walletN = wallet;
    else a.walletAtoms = wallet;
    a.feeTier = r.uint();
    if (a.feeTier >= p.pool.feeTiers.length) throw malformed(`${r.what}: account ${id} in fee tier ${a.feeTier} of ${p.pool.feeTiers.length}`);
    a.liquidationId = r.uint();
    const flags = r.u8();
    if ((flags & ~ACCOUNT_MARGIN_CALLED) !== 0) throw malformed(`${r.what}: account ${id} flags ${flags}`);
    a.marginCalled = flags !== 0;
    const requests = r.count(1);
    for (let k = 0; k < requests; k++) a.appliedRequests.add(r.uint());
    if (a.appliedRequests.size !== requests) throw malformed(`${r.what}: account ${id} lists a request id twice`);
    const placed = r.count(1);
    if (placed > PLACED_ORDER_WINDOW) throw malformed(`${r.what}: account ${id} remembers ${placed} order ids, its window ${PLACED_ORDER_WINDOW}`);
    // Oldest first: the window evicts in the order it was filled. None: no window made (state.ts).
    if (placed > 0) {
      const window = a.placedOrderIds;
      for (let k = 0; k < placed; k++) window.add(r.uint());
      if (window.size !== placed) throw malformed(`${r.what}: account ${id} lists an order id twice in its window`);
    }
    const positions = r.count(12);
    for (let k = 0; k < positions; k++) readPosition(r, p, a);
    // One map operation per account: a duplicate id shows as a map that did not grow.
    s.accounts.set(id, a);
    if (s.accounts.size !== i + 1) throw malformed(`${r.what}: account ${id} listed twice`);
    inStep?.account(a);
    read.push(a);
  }
  r.done();
  return read;
}

function readPosition(r: SnapshotReader, p: ShardParts, a: AccountState): void {
  const marketId = r.uint();
  const market = p.state.markets.get(marketId);
  if (market === undefined || a.positions.has(marketId)) throw malformed(`${r.what}: account ${a.id} holds a position in unknown market ${marketId}, or two`);
  const pos = new PositionState(a.id, marketId, market.config.defaultLeverage);
  let v = r.exact();
  if (typeof v === 'number') pos.qtyN = v;
  else pos.qtyLots = v;
  v = r.exact();
  if (typeof v === 'number') pos.entryCostN = v;
  else pos.entryCostAtoms = v;
  v = r.exact();
  if (typeof v === 'number') pos.realizedPnlN = v;
  else pos.realizedPnlAtoms = v;
  v = r.exact();
  if (typeof v === 'number') pos.isolatedMarginN = v;
  else pos.isolatedMarginAtoms = v;
  v = r.exact();
  if (typeof v === 'number') pos.orderMarginN = v;
  else pos.orderMarginAtoms = v;
  v = r.exact();
  if (typeof v === 'number') pos.leverageN = v;
  else pos.leverage = v;
  const flags = r.u8();
  if ((flags & ~(POSITION_ISOLATED | POSITION_MARGIN_CALLED)) !== 0) throw malformed(`${r.what}: position ${a.id}/${marketId} flags ${flags}`);
  pos.marginMode = (flags & POSITION_ISOLATED) !== 0 ? MarginMode.ISOLATED : MarginMode.CROSS;
  pos.marginCalled = (flags & POSITION_MARGIN_CALLED) !== 0;
  pos.liquidationId = r.uint();
  pos.reserveMarkTicks = r.f64();
  pos.reserveOrderId = r.uint();
  const d = pos.derived;
  v = r.exact();
  if (typeof v === 'number') d.liquidationPriceN = v;
  else d.liquidationPriceTicks = v;
  v = r.exact();
  if (typeof v === 'number') d.bankruptcyPriceN = v;
  else d.bankruptcyPriceTicks = v;
  v = r.exact();
  if (typeof v === 'number') d.unrealizedPnlN = v;
  else d.unrealizedPnlAtoms = v;
  d.tier = r.uint();
  d.adlQuintile = r.uint();
  if (d.adlQuintile > 5) throw malformed(`${r.what}: position ${a.id}/${marketId} in ADL quintile ${d.adlQuintile}`);
  const orders = r.count(6);
  for (let k = 0; k < orders; k++) {
    const orderId = r.uint();
    const clientOrderId = r.uint();
    const of = r.u8();
    const origin = of >>> ORDER_ORIGIN_SHIFT;
    if ((of & 8) !== 0 || origin > 2 || orderId < 1 || pos.orders.has(orderId)) throw malformed(`${r.what}: order ${orderId} of ${a.id}/${marketId} (flags ${of}) malformed or listed twice`);
    const o = new OpenOrderState(orderId, clientOrderId, marketId, (of & ORDER_SELL) !== 0 ? 1 : 0, 0n, 0n, (of & ORDER_REDUCE_ONLY) !== 0, origin);
    o.cancelRequested = (of & ORDER_CANCEL_REQUESTED) !== 0;
    v = r.exact();
    if (typeof v === 'number') o.priceN = v;
    else o.priceTicks = v;
    v = r.exact();
    if (typeof v === 'number') o.remainingN = v;
    else o.remainingLots = v;
    v = r.exact();
    if (typeof v === 'number') o.filledN = v;
    else o.filledLots = v;
    o.markBeforeTicks = r.f64();
    o.reserveOrderIdBefore = r.uint();
    pos.orders.set(orderId, o);
  }
  a.positions.set(marketId, pos);
}
