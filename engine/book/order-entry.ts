// OrderEntry: the fast book's place and cancel, between MatchingCore (taker loop, stops) and OrderBook
// (the other commands, queries). Same checks in the same order as the reference book
// (reference-book.ts, place and cancel; validate-order.ts lists the order).
//
// Two commands make up most of a venue's traffic and get a short path each: a GTC limit order that does
// not cross (it rests) and the cancel of a resting order. Each changes exactly one price level, and
// always changes its aggregate (one order more or less), so it reports that level itself instead of
// running the L2 diff (level-changes.ts), and it calls as few helpers as it can: on V8 each call that is
// not inlined costs tens of instructions, about what the whole level update does. Everything else
// (other types and time-in-force values, client ids, reduce-only, crossing orders, stops) takes the
// general path, which tracks its level changes and flushes them at the end.
//
// Thread contract: one market-shard thread owns the book; nothing is shared.

import { Code } from '../codes.js';
import { CancelReason, OrderType, StpMode, TimeInForce, TriggerSource, type Side } from '../enums.js';
import { RecordType } from '../ring/types.js';
import { AccountRecord } from './account-table.js';
import { MatchingCore } from './matching-core.js';
import { OrderRecord } from './order-pool.js';
import { reducibleLots, triggerHolds } from './order-rules.js';
import { orderFlags } from './state-hash.js';
import { defaultMarketLimit } from './slippage.js';
import { BookEventType, type OrderRequest } from './types.js';
import { validateOrderRequest } from './validate-order.js';

// Module-local copies (order-pool.ts says why).
const { F_ORDER_ID, F_PRICE, F_QTY, F_REMAINING, F_STRIDE_SHIFT, F_TIME, FLAG_HAS_CLIENT_ID, I_ACCOUNT, I_FLAGS, I_LEVEL, I_STRIDE_SHIFT, SIDE_SHIFT } = OrderRecord;
const { F_SHIFT: A_F_SHIFT, I_SHIFT: A_I_SHIFT, A_ID, A_OPEN_COUNT, A_STP } = AccountRecord;
const { OK, DUPLICATE_ORDER_ID, TOO_MANY_OPEN_ORDERS, BOOK_FULL, ORDER_NOT_FOUND } = Code;
const { ORDER_CANCELLED: CANCELLED } = BookEventType;
const { LIMIT, MARKET, STOP_MARKET, TAKE_PROFIT_LIMIT } = OrderType;
const { GTC, FOK, POST_ONLY } = TimeInForce;
const STP_DEFAULT = StpMode.DEFAULT;
const PLACE_ORDER = RecordType.PlaceOrder;
const CANCEL_ORDER = RecordType.CancelOrder;
const BUY = 0;

export class OrderEntry extends MatchingCore {
  place(req: OrderRequest): number {
    this.out.timeUs = req.timeUs;
    const spec = this.spec;
    const code = validateOrderRequest(req, spec, this.mark > 0 ? this.mark : this.lastPrice);
    if (code !== OK) return this.rejectPlace(req, code);
    if (this.orderIndex.find(req.orderId) >= 0) return this.rejectPlace(req, DUPLICATE_ORDER_ID);
    const accounts = this.accounts;
    const acct = accounts.findOrAdd(req.accountId);
    if (req.orderType === LIMIT && req.timeInForce === GTC && req.clientOrderId === 0 && !req.reduceOnly) {
      // The checks of placeGeneral that can fail for such an order, in the same order.
      if (accounts.i32[(acct << A_I_SHIFT) + A_OPEN_COUNT]! >= spec.maxOpenOrdersPerAccount) return this.rejectPlace(req, TOO_MANY_OPEN_ORDERS);
      if (this.pool.used >= spec.maxOrders) return this.rejectPlace(req, BOOK_FULL);
      const side = req.side;
      const best = this.priceLevels.bestPrice(side ^ 1);
      if (best === 0 || (side === BUY ? best > req.priceTicks : best < req.priceTicks)) return this.restNew(req, acct);
    }
    this.priceLevels.changes.begin();
    return this.placeGeneral(req, acct);
  }

  cancel(accountId: number, orderId: number, clientOrderId: number, reason: CancelReason, timeUs: number): number {
    const out = this.out;
    out.timeUs = timeUs;
    const slot = this.findOwned(accountId, orderId, clientOrderId);
    if (slot < 0) {
      out.rejected(CANCEL_ORDER, ORDER_NOT_FOUND, accountId, orderId, clientOrderId, 0, 0, 0, false, 0, 0);
      return ORDER_NOT_FOUND;
    }
    if (this.pool.i32[(slot << I_STRIDE_SHIFT) + I_LEVEL]! < 0) {
      // An untriggered stop: no level changes, but the general path keeps one shape for both.
      this.priceLevels.changes.begin();
      this.closeOpen(CANCELLED, slot, reason);
      return this.end(OK);
    }
    // A resting order (what closeOpen does, with its one level reported directly).
    const levels = this.priceLevels;
    const lv = levels.unlink(slot);
    this.unlinkOpen(slot);
    this.emitEnded(CANCELLED, slot, reason);
    out.level(levels.sideOf(lv) as Side, levels.priceOf(lv), levels.qtyOf(lv), levels.countOf(lv));
    levels.drop(lv);
    if (levels.untidy) levels.tidy();
    this.pool.free(slot);
    return OK;
  }

  protected end(code: number): number {
    this.priceLevels.changes.flush(this.out);
    return code;
  }

  /** The open order of accountId named by orderId, or by clientOrderId when orderId is 0; −1 if none. */
  protected findOwned(accountId: number, orderId: number, clientOrderId: number): number {
    if (orderId !== 0) {
      const slot = this.orderIndex.find(orderId);
      return slot >= 0 && this.accounts.f64[(this.pool.i32[(slot << I_STRIDE_SHIFT) + I_ACCOUNT]! << A_F_SHIFT) + A_ID] === accountId ? slot : -1;
    }
    if (clientOrderId === 0) return -1;
    const acct = this.accounts.find(accountId);
    return acct >= 0 ? this.clientIndex.find(acct, clientOrderId) : -1;
  }

  protected rejectPlace(req: OrderRequest, code: number): number {
    this.out.rejected(PLACE_ORDER, code, req.accountId, req.orderId, req.clientOrderId, req.side, req.orderType, req.origin, req.reduceOnly, req.priceTicks, req.qtyLots);
    return code;
  }

  /**
   * A GTC limit without client id or reduce-only that does not cross: accepted, indexed, linked at the
   * back of its level; the level's new aggregate is the command's one L2 change.
   */
  private restNew(req: OrderRequest, acct: number): number {
    const stpMode = req.stpMode;
    const stp = stpMode === STP_DEFAULT ? this.accounts.i32[(acct << A_I_SHIFT) + A_STP]! : stpMode;
    const slot = this.allocSlot();
    const pool = this.pool;
    const f64 = pool.f64;
    const fo = slot << F_STRIDE_SHIFT;
    const io = slot << I_STRIDE_SHIFT;
    const orderId = req.orderId;
    const side = req.side;
    const price = req.priceTicks;
    const qty = req.qtyLots;
    const source = req.triggerSource;
    const origin = req.origin;
    f64[fo + F_ORDER_ID] = orderId;
    f64[fo + F_PRICE] = price;
    f64[fo + F_QTY] = qty;
    f64[fo + F_REMAINING] = qty;
    f64[fo + F_TIME] = req.timeUs;
    pool.i32[io + I_ACCOUNT] = acct;
    pool.i32[io + I_FLAGS] = orderFlags(LIMIT, GTC, stp, source, false, origin) | (side << SIDE_SHIFT);
    const out = this.out;
    out.accepted(req.accountId, orderId, 0, side, LIMIT, GTC, stp as StpMode, source, false, origin, price, qty, req.triggerPriceTicks);
    this.orderIndex.insert(orderId, slot);
    this.accounts.i32[(acct << A_I_SHIFT) + A_OPEN_COUNT]!++;
    const levels = this.priceLevels;
    const lv = levels.link(slot, side, price);
    out.level(side, price, levels.qtyOf(lv), levels.countOf(lv));
    return OK;
  }

  /** Every other order (level changes tracked since the caller's begin). */
  private placeGeneral(req: OrderRequest, acct: number): number {
    const spec = this.spec;
    const accounts = this.accounts;
    const orderId = req.orderId;
    const clientOrderId = req.clientOrderId;
    if (clientOrderId !== 0 && this.clientIndex.find(acct, clientOrderId) >= 0) return this.rejectPlace(req, Code.DUPLICATE_CLIENT_ORDER_ID);
    const type = req.orderType;
    const tif = req.timeInForce;
    const side = req.side;
    const trigger = type >= STOP_MARKET && type <= TAKE_PROFIT_LIMIT;
    // order-rules.mayStayOpen, spelled out: trigger orders, and GTC or post-only limits.
    if (trigger || (type === LIMIT && (tif === GTC || tif === POST_ONLY))) {
      if (accounts.i32[(acct << A_I_SHIFT) + A_OPEN_COUNT]! >= spec.maxOpenOrdersPerAccount) return this.rejectPlace(req, TOO_MANY_OPEN_ORDERS);
      if (this.pool.used >= spec.maxOrders) return this.rejectPlace(req, BOOK_FULL);
    }
    if (req.reduceOnly && reducibleLots(accounts.positionOf(acct), side) === 0) return this.rejectPlace(req, Code.REDUCE_ONLY_WOULD_NOT_REDUCE);
    const isMarket = type === MARKET;
    const stp = this.resolveStp(acct, req.stpMode);
    let limit = req.priceTicks;
    if (trigger) {
      const source = req.triggerSource === TriggerSource.MARK ? this.mark : this.lastPrice;
      if (triggerHolds(type, side, req.triggerPriceTicks, source)) return this.rejectPlace(req, Code.STOP_WOULD_TRIGGER_IMMEDIATELY);
    } else if (tif !== GTC || isMarket) {
      limit = this.checkTaker(req, acct, stp);
      if (limit < 0) return -limit;
    }

    const slot = this.allocSlot();
    const pool = this.pool;
    const fo = slot << F_STRIDE_SHIFT;
    const io = slot << I_STRIDE_SHIFT;
    const f64 = pool.f64;
    const qty = req.qtyLots;
    f64[fo + F_ORDER_ID] = orderId;
    f64[fo + F_PRICE] = limit;
    f64[fo + F_QTY] = qty;
    f64[fo + F_REMAINING] = qty;
    f64[fo + F_TIME] = req.timeUs;
    pool.i32[io + I_ACCOUNT] = acct;
    const reduceOnly = req.reduceOnly;
    const source = req.triggerSource;
    const origin = req.origin;
    pool.i32[io + I_FLAGS] = orderFlags(type, tif, stp, source, reduceOnly, origin) | (side << SIDE_SHIFT) | (clientOrderId !== 0 ? FLAG_HAS_CLIENT_ID : 0);
    if (clientOrderId !== 0) {
      pool.useClientIds();
      pool.clientOrderId[slot] = clientOrderId;
    }
    if (trigger) {
      pool.useTriggers();
      pool.triggerPriceTicks[slot] = req.triggerPriceTicks;
    }
    this.out.accepted(req.accountId, orderId, clientOrderId, side, type, tif, stp as StpMode, source, reduceOnly, origin, limit, qty, req.triggerPriceTicks);
    if (trigger) {
      this.linkOpen(slot);
      this.stops.add(slot);
      return this.end(OK);
    }
    // A GTC or post-only limit that does not cross rests at once (what runTaker would do; a reduce-only
    // one can still reduce, checked above).
    if (!isMarket && (tif === GTC || tif === POST_ONLY) && !this.wouldTake(side, limit)) {
      this.rest(slot);
      return this.end(OK);
    }
    this.runTaker(slot, isMarket);
    if (this.stops.count > 0) this.settleStops();
    return this.end(OK);
  }

  /**
   * The taker checks of a non-GTC limit or a market order: the default market limit, post-only,
   * fill-or-kill. Returns the limit price, or −code after rejecting.
   */
  private checkTaker(req: OrderRequest, acct: number, stp: number): number {
    const side = req.side;
    let limit = req.priceTicks;
    if (req.orderType === MARKET && limit === 0) {
      const best = this.priceLevels.bestPrice(side ^ 1);
      if (best === 0) return -this.rejectPlace(req, Code.NO_LIQUIDITY);
      limit = defaultMarketLimit(this.spec, side, best);
    }
    const tif = req.timeInForce;
    if (tif === POST_ONLY && this.wouldTake(side, limit)) return -this.rejectPlace(req, Code.POST_ONLY_WOULD_TAKE);
    if (tif === FOK && !this.fillCheck.canFill(side, acct, stp, req.reduceOnly, req.qtyLots, limit)) return -this.rejectPlace(req, Code.FOK_NOT_FILLABLE);
    return limit;
  }
}
