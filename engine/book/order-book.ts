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
//   BookCore (state, primitive moves) ◀── MatchingCore (taker loop, stops)
//     ◀── OrderEntry (place, cancel: short paths for the commonest two) ◀── OrderBook (other commands, queries)
//
// No allocation per order on the hot path: a command reuses the one event struct, the pools and the
// scratch arrays. Rare paths (cancel-all, reduce-only clean-up, views) may allocate.
//
// Thread contract: one market-shard thread owns the book. Determinism: time comes in as arguments;
// every ordering that reaches an event is explicit (price, then queue order, then orderId).

import { Code } from '../codes.js';
import { CancelReason, OrderOrigin, OrderType, Side, StpMode, TimeInForce } from '../enums.js';
import type { MarketSpec } from '../market/spec.js';
import { RecordType } from '../ring/types.js';
import { SlicedBookCopy, type BookCopy } from './book-copy.js';
import { depth, orderViews, stateHash, takeableDepth } from './book-views.js';
import { flagOrigin, flagSide, flagTif, flagType, OrderRecord } from './order-pool.js';
import { OrderEntry } from './order-entry.js';
import { reducibleLots } from './order-rules.js';
import type { Book, BookEventSink, LevelView, OrderView } from './types.js';
import { validateAmendArgs, validateDeleverage } from './validate-order.js';

const { F_ORDER_ID, F_PRICE, F_QTY, F_REMAINING, F_STRIDE_SHIFT, FLAG_REDUCE_ONLY } = OrderRecord;

export class OrderBook extends OrderEntry implements Book {
  constructor(spec: MarketSpec, sink: BookEventSink) {
    super(spec, sink);
  }

  // ---- commands -------------------------------------------------------------------------------------

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
      const a = reducibleLots(acc.positionOf(la), side);
      const b = reducibleLots(acc.positionOf(ca), opp);
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
    if (acc.reduceOnlyHeadOf(la) >= 0) this.cleanUpReduceOnly(la);
    if (acc.reduceOnlyHeadOf(ca) >= 0) this.cleanUpReduceOnly(ca);
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
    this.accounts.setStp(this.accounts.findOrAdd(accountId), stpMode);
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
    return acct >= 0 ? this.accounts.positionOf(acct) : 0;
  }
  openOrderCount(accountId: number): number {
    const acct = this.accounts.find(accountId);
    return acct >= 0 ? this.accounts.openCountOf(acct) : 0;
  }
  orderCount(): number {
    return this.pool.used;
  }
  levels(side: Side, maxLevels: number): LevelView[] {
    return depth(this, side, maxLevels);
  }
  takeableLevels(side: Side, maxLevels: number): LevelView[] {
    return takeableDepth(this, side, maxLevels);
  }
  orders(): OrderView[] {
    return orderViews(this);
  }
  copy(): BookCopy {
    return new SlicedBookCopy(this);
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

  private rejectAmend(slot: number, accountId: number, orderId: number, clientOrderId: number, priceTicks: number, qtyLots: number, code: number): number {
    const pool = this.pool;
    const f = slot >= 0 ? pool.flags(slot) : 0;
    const side = flagSide(f) as Side;
    this.out.rejected(RecordType.AmendOrder, code, accountId, orderId, clientOrderId, side, flagType(f) as OrderType, flagOrigin(f) as OrderOrigin, (f & FLAG_REDUCE_ONLY) !== 0, priceTicks, qtyLots);
    return code;
  }
}
