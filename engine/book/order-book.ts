// OrderBook: the fast book. Same contract and the same events as the reference book (reference-book.ts
// is the oracle; the property tests compare the two after every command), built for throughput:
//
//   OrderPool      order slots: one 64-byte record per order in typed arrays, free list, grows by
//                  doubling up to maxOrders + 1
//   PriceLevels    per side a sorted array of levels (best at the end), FIFO queue per level
//   OrderIdIndex   orderId → slot;  ClientIdIndex  (account, clientOrderId) → slot
//   AccountTable   per account: open-order count, STP default, position, reduce-only order list
//   StopBook       untriggered stops in four trigger-sorted lists
//   LevelChanges   the L2 diff of the current command
//
//   BookCore (state, primitive moves) ◀── MatchingCore (taker loop, stops) ◀── OrderBook (commands)
//
// No allocation per order on the hot path: a command reuses the one event struct, the pools and the
// scratch arrays. Rare paths (cancel-all, reduce-only clean-up, views) may allocate.
//
// Thread contract: one market-shard thread owns the book. Determinism: time comes in as arguments;
// every ordering that reaches an event is explicit (price, then queue order, then orderId).

import { Code } from '../codes.js';
import { CancelReason, OrderOrigin, OrderType, Side, StpMode, TimeInForce, TriggerSource } from '../enums.js';
import type { MarketSpec } from '../market/spec.js';
import { RecordType } from '../ring/types.js';
import { CANCELLED } from './book-core.js';
import { depth, orderViews, stateHash } from './book-views.js';
import { MatchingCore } from './matching-core.js';
import { F_ORDER_ID, F_PRICE, F_QTY, F_REMAINING, F_STRIDE_SHIFT, F_TIME, FLAG_REDUCE_ONLY, flagOrigin, flagSide, flagTif, flagType, I_ACCOUNT, I_FLAGS, I_STRIDE_SHIFT, packFlags } from './order-pool.js';
import { isTriggerType, mayStayOpen, reducibleLots, triggerHolds } from './order-rules.js';
import { defaultMarketLimit } from './slippage.js';
import type { Book, BookEventSink, LevelView, OrderRequest, OrderView } from './types.js';
import { validateAmendArgs, validateDeleverage, validateOrderRequest } from './validate-order.js';

export class OrderBook extends MatchingCore implements Book {
  constructor(spec: MarketSpec, sink: BookEventSink) {
    super(spec, sink);
  }

  // ---- commands -------------------------------------------------------------------------------------

  place(req: OrderRequest): number {
    this.begin(req.timeUs);
    const spec = this.spec;
    const code = validateOrderRequest(req, spec, this.mark > 0 ? this.mark : this.lastPrice);
    if (code !== Code.OK) return this.rejectPlace(req, code);
    if (this.orderIndex.find(req.orderId) >= 0) return this.rejectPlace(req, Code.DUPLICATE_ORDER_ID);
    const acct = this.accounts.findOrAdd(req.accountId);
    if (req.clientOrderId !== 0 && this.clientIndex.find(acct, req.clientOrderId) >= 0) return this.rejectPlace(req, Code.DUPLICATE_CLIENT_ORDER_ID);
    const type = req.orderType;
    const tif = req.timeInForce;
    const side = req.side;
    if (mayStayOpen(type, tif)) {
      if (this.accounts.openCount[acct]! >= spec.maxOpenOrdersPerAccount) return this.rejectPlace(req, Code.TOO_MANY_OPEN_ORDERS);
      if (this.pool.used >= spec.maxOrders) return this.rejectPlace(req, Code.BOOK_FULL);
    }
    if (req.reduceOnly && reducibleLots(this.accounts.positionLots[acct]!, side) === 0) return this.rejectPlace(req, Code.REDUCE_ONLY_WOULD_NOT_REDUCE);
    const trigger = isTriggerType(type);
    const isMarket = type === OrderType.MARKET;
    const stp = this.resolveStp(acct, req.stpMode);
    let limit = req.priceTicks;
    if (trigger) {
      const source = req.triggerSource === TriggerSource.MARK ? this.mark : this.lastPrice;
      if (triggerHolds(type, side, req.triggerPriceTicks, source)) return this.rejectPlace(req, Code.STOP_WOULD_TRIGGER_IMMEDIATELY);
    } else {
      if (isMarket && limit === 0) {
        const best = this.priceLevels.bestPrice(side ^ 1);
        if (best === 0) return this.rejectPlace(req, Code.NO_LIQUIDITY);
        limit = defaultMarketLimit(spec, side, best);
      }
      if (tif === TimeInForce.POST_ONLY && this.wouldTake(side, limit)) return this.rejectPlace(req, Code.POST_ONLY_WOULD_TAKE);
      if (tif === TimeInForce.FOK && !this.fillCheck.canFill(side, acct, stp, req.reduceOnly, req.qtyLots, limit)) {
        return this.rejectPlace(req, Code.FOK_NOT_FILLABLE);
      }
    }

    const slot = this.allocSlot();
    const pool = this.pool;
    const fo = slot << F_STRIDE_SHIFT;
    const io = slot << I_STRIDE_SHIFT;
    const f64 = pool.f64;
    f64[fo + F_ORDER_ID] = req.orderId;
    f64[fo + F_PRICE] = limit;
    f64[fo + F_QTY] = req.qtyLots;
    f64[fo + F_REMAINING] = req.qtyLots;
    f64[fo + F_TIME] = req.timeUs;
    pool.i32[io + I_ACCOUNT] = acct;
    pool.i32[io + I_FLAGS] = packFlags(side, type, tif, stp, req.triggerSource, req.reduceOnly, req.origin, req.clientOrderId !== 0);
    if (req.clientOrderId !== 0) {
      pool.useClientIds();
      pool.clientOrderId[slot] = req.clientOrderId;
    }
    if (trigger) {
      pool.useTriggers();
      pool.triggerPriceTicks[slot] = req.triggerPriceTicks;
    }
    this.out.accepted(req.accountId, req.orderId, req.clientOrderId, side, type, tif, stp as StpMode, req.triggerSource, req.reduceOnly, req.origin, limit, req.qtyLots, req.triggerPriceTicks);
    if (trigger) {
      this.linkOpen(slot);
      this.stops.add(slot);
      return this.end(Code.OK);
    }
    // Fast path: a GTC or post-only limit that does not cross rests at once (what runTaker would do;
    // a reduce-only one can still reduce, checked above).
    if (!isMarket && (tif === TimeInForce.GTC || tif === TimeInForce.POST_ONLY) && !this.wouldTake(side, limit)) {
      this.rest(slot);
      return this.end(Code.OK);
    }
    this.runTaker(slot, isMarket);
    this.settleStops();
    return this.end(Code.OK);
  }

  cancel(accountId: number, orderId: number, clientOrderId: number, reason: CancelReason, timeUs: number): number {
    this.begin(timeUs);
    const slot = this.findOwned(accountId, orderId, clientOrderId);
    if (slot < 0) {
      this.out.rejected(RecordType.CancelOrder, Code.ORDER_NOT_FOUND, accountId, orderId, clientOrderId, 0, 0, 0, false, 0, 0);
      return Code.ORDER_NOT_FOUND;
    }
    this.closeOpen(CANCELLED, slot, reason);
    return this.end(Code.OK);
  }

  cancelAll(accountId: number, reason: CancelReason, timeUs: number): number {
    this.begin(timeUs);
    const acct = this.accounts.find(accountId);
    const n = acct >= 0 ? this.cancelAccount(acct, reason) : 0;
    this.end(Code.OK);
    return n;
  }

  /** Check order as in the reference book (reference-book.ts, amend). */
  amend(accountId: number, orderId: number, clientOrderId: number, newPriceTicks: number, newQtyLots: number, timeUs: number): number {
    this.begin(timeUs);
    const slot = this.findOwned(accountId, orderId, clientOrderId);
    if (slot < 0) return this.rejectAmend(-1, accountId, orderId, clientOrderId, newPriceTicks, newQtyLots, Code.ORDER_NOT_FOUND);
    const pool = this.pool;
    const fo = slot << F_STRIDE_SHIFT;
    const lv = pool.level(slot);
    let code = lv < 0 ? Code.STOP_ORDER_NOT_AMENDABLE : validateAmendArgs(this.spec, newPriceTicks, newQtyLots);
    if (code !== Code.OK) return this.rejectAmend(slot, accountId, orderId, clientOrderId, newPriceTicks, newQtyLots, code);
    const oldPrice = pool.f64[fo + F_PRICE]!;
    const oldQty = pool.f64[fo + F_QTY]!;
    const filled = oldQty - pool.f64[fo + F_REMAINING]!;
    const price = newPriceTicks === 0 ? oldPrice : newPriceTicks;
    const qty = newQtyLots === 0 ? oldQty : newQtyLots;
    const moved = price !== oldPrice;
    const flags = pool.flags(slot);
    const side = flagSide(flags);
    const crossing = moved && this.wouldTake(side, price);
    if (qty <= filled) code = Code.AMEND_QTY_BELOW_FILLED;
    else if (!moved && qty === oldQty) code = Code.AMEND_NOTHING_TO_CHANGE;
    else if (moved && !this.spec.withinBand(price, this.mark > 0 ? this.mark : this.lastPrice)) code = Code.PRICE_OUTSIDE_BAND;
    else if (crossing && flagTif(flags) === TimeInForce.POST_ONLY) code = Code.POST_ONLY_WOULD_TAKE;
    if (code !== Code.OK) return this.rejectAmend(slot, accountId, orderId, clientOrderId, newPriceTicks, newQtyLots, code);

    const kept = !moved && qty < oldQty;
    this.out.amended(accountId, pool.f64[fo + F_ORDER_ID]!, pool.clientOrderIdOf(slot), side as Side, oldPrice, price, oldQty, qty, qty - filled, kept);
    if (kept) {
      this.priceLevels.reduce(lv, oldQty - qty);
      pool.f64[fo + F_QTY] = qty;
      pool.f64[fo + F_REMAINING] = qty - filled;
    } else {
      this.removeOpen(slot);
      pool.f64[fo + F_PRICE] = price;
      pool.f64[fo + F_QTY] = qty;
      pool.f64[fo + F_REMAINING] = qty - filled;
      if (crossing) this.runTaker(slot, false);
      else this.rest(slot);
    }
    this.settleStops();
    return this.end(Code.OK);
  }

  deleverage(liquidatedAccountId: number, counterpartyAccountId: number, side: Side, qtyLots: number, priceTicks: number, deleverageId: number, timeUs: number): number {
    this.begin(timeUs);
    const code = validateDeleverage(this.spec, liquidatedAccountId, counterpartyAccountId, side, qtyLots, priceTicks, deleverageId);
    const acc = this.accounts;
    const la = code === Code.OK ? acc.find(liquidatedAccountId) : -1;
    const ca = code === Code.OK ? acc.find(counterpartyAccountId) : -1;
    const opp = side === Side.BUY ? Side.SELL : Side.BUY;
    let qty = qtyLots;
    if (la >= 0 && ca >= 0) {
      const a = reducibleLots(acc.positionLots[la]!, side);
      const b = reducibleLots(acc.positionLots[ca]!, opp);
      qty = Math.min(qty, a, b);
    }
    if (code !== Code.OK || la < 0 || ca < 0 || qty <= 0) {
      this.out.rejected(RecordType.Deleverage, code !== Code.OK ? code : Code.DELEVERAGE_NOT_POSSIBLE, liquidatedAccountId, deleverageId, 0, side, OrderType.MARKET, OrderOrigin.ADL, true, priceTicks, qtyLots);
      return this.end(code !== Code.OK ? code : Code.DELEVERAGE_NOT_POSSIBLE);
    }
    const tradeId = this.nextTradeId++;
    this.addPosition(la, side === Side.BUY ? qty : -qty);
    this.addPosition(ca, side === Side.BUY ? -qty : qty);
    this.out.trade(tradeId, priceTicks, qty, liquidatedAccountId, deleverageId, 0, side, OrderOrigin.ADL, 0, counterpartyAccountId, deleverageId, 0, OrderOrigin.ADL, 0);
    if (acc.reduceOnlyHead[la]! >= 0) this.cleanUpReduceOnly(la);
    if (acc.reduceOnlyHead[ca]! >= 0) this.cleanUpReduceOnly(ca);
    return this.end(Code.OK);
  }

  setMarkPrice(markPriceTicks: number, timeUs: number): void {
    if (!Number.isSafeInteger(markPriceTicks) || markPriceTicks < 1) throw new RangeError(`mark price must be a positive integer of ticks, got ${markPriceTicks}`);
    this.begin(timeUs);
    this.mark = markPriceTicks;
    this.settleStops();
    this.end(Code.OK);
  }

  setAccountStp(accountId: number, stpMode: StpMode): number {
    const valid = stpMode === StpMode.EXPIRE_TAKER || stpMode === StpMode.EXPIRE_MAKER || stpMode === StpMode.EXPIRE_BOTH;
    const code = !Number.isInteger(accountId) || accountId < 0 || accountId > 0xffff_ffff ? Code.INVALID_ACCOUNT : valid ? Code.OK : Code.INVALID_STP_MODE;
    if (code !== Code.OK) {
      this.out.rejected(RecordType.SetAccountConfig, code, accountId, 0, 0, 0, 0, 0, false, 0, 0);
      return code;
    }
    this.accounts.stpDefault[this.accounts.findOrAdd(accountId)] = stpMode;
    return Code.OK;
  }

  // ---- queries --------------------------------------------------------------------------------------

  bestBid(): number {
    return this.priceLevels.bestPrice(Side.BUY);
  }
  bestAsk(): number {
    return this.priceLevels.bestPrice(Side.SELL);
  }
  lastTradePrice(): number {
    return this.lastPrice;
  }
  markPrice(): number {
    return this.mark;
  }
  positionLots(accountId: number): number {
    const acct = this.accounts.find(accountId);
    return acct >= 0 ? this.accounts.positionLots[acct]! : 0;
  }
  openOrderCount(accountId: number): number {
    const acct = this.accounts.find(accountId);
    return acct >= 0 ? this.accounts.openCount[acct]! : 0;
  }
  orderCount(): number {
    return this.pool.used;
  }
  levels(side: Side, maxLevels: number): LevelView[] {
    return depth(this, side, maxLevels);
  }
  orders(): OrderView[] {
    return orderViews(this);
  }
  stateHash(): bigint {
    return stateHash(this, this.nextTradeId, this.lastPrice, this.mark);
  }
  /** Bytes held by pools, indexes and levels (memory benchmark). */
  byteLength(): number {
    return this.pool.byteLength() + this.orderIndex.byteLength() + this.clientIndex.byteLength() + this.priceLevels.byteLength() + this.accounts.byteLength() + this.stops.byteLength();
  }

  // ---- helpers --------------------------------------------------------------------------------------

  private begin(timeUs: number): void {
    this.out.timeUs = timeUs;
    this.priceLevels.changes.begin();
  }

  private end(code: number): number {
    this.priceLevels.changes.flush(this.out, this.priceLevels);
    return code;
  }

  private findOwned(accountId: number, orderId: number, clientOrderId: number): number {
    if (orderId !== 0) {
      const slot = this.orderIndex.find(orderId);
      return slot >= 0 && this.accounts.accountId[this.pool.account(slot)] === accountId ? slot : -1;
    }
    if (clientOrderId === 0) return -1;
    const acct = this.accounts.find(accountId);
    return acct >= 0 ? this.clientIndex.find(acct, clientOrderId) : -1;
  }

  private rejectPlace(req: OrderRequest, code: number): number {
    this.out.rejected(RecordType.PlaceOrder, code, req.accountId, req.orderId, req.clientOrderId, req.side, req.orderType, req.origin, req.reduceOnly, req.priceTicks, req.qtyLots);
    return code;
  }

  private rejectAmend(slot: number, accountId: number, orderId: number, clientOrderId: number, priceTicks: number, qtyLots: number, code: number): number {
    const pool = this.pool;
    const f = slot >= 0 ? pool.flags(slot) : 0;
    const side = flagSide(f) as Side;
    this.out.rejected(RecordType.AmendOrder, code, accountId, orderId, clientOrderId, side, flagType(f) as OrderType, flagOrigin(f) as OrderOrigin, (f & FLAG_REDUCE_ONLY) !== 0, priceTicks, qtyLots);
    return code;
  }
}
