// The reference book: the oracle the fast book is tested against. Plain objects and arrays, linear scans,
// a deep copy for the fill-or-kill check, L2 as a diff of two full depth maps. Nothing here is clever;
// when this file and order-book.ts disagree, this file is presumed right until shown otherwise.
//
// The semantics (shared with the fast book) are documented on the contract (types.ts), in
// validate-order.ts (check order), order-rules.ts and in the comments of the methods below and of
// reference-matching.ts (matching, reduce-only clean-up, stop triggering).

import { Code } from '../codes.js';
import { CancelReason, OrderOrigin, OrderType, Side, StpMode, TimeInForce } from '../enums.js';
import type { MarketSpec } from '../market/spec.js';
import { RecordType } from '../ring/types.js';
import { isTriggerType, mayStayOpen, reducibleLots, triggerHolds } from './order-rules.js';
import { CANCELLED, ReferenceMatching } from './reference-matching.js';
import { defaultMarketLimit } from './slippage.js';
import { referenceDepth, referenceHash, referenceOrderViews, referenceTakeableDepth, type RefOrder } from './reference-state.js';
import type { Book, BookEventSink, LevelView, OrderRequest, OrderView } from './types.js';
import { bandReference, validateAmendArgs, validateDeleverage, validateOrderRequest } from './validate-order.js';

export class ReferenceBook extends ReferenceMatching implements Book {
  private depthBefore = new Map<string, LevelView & { side: Side }>();

  constructor(spec: MarketSpec, sink: BookEventSink) {
    super(spec, sink);
  }

  // ---- commands -------------------------------------------------------------------------------------

  place(req: OrderRequest): number {
    this.begin(req.timeUs);
    const s = this.state;
    const reject = (code: number): number => {
      this.out.rejected(RecordType.PlaceOrder, code, req.accountId, req.orderId, req.clientOrderId, req.side, req.orderType, req.origin, req.reduceOnly, req.priceTicks, req.qtyLots);
      return code;
    };
    const code = validateOrderRequest(req, this.spec, bandReference(s.markPrice, s.lastTradePrice));
    if (code !== Code.OK) return reject(code);
    const open = [...s.resting, ...s.stops];
    if (open.some((o) => o.orderId === req.orderId)) return reject(Code.DUPLICATE_ORDER_ID);
    if (req.clientOrderId !== 0 && open.some((o) => o.accountId === req.accountId && o.clientOrderId === req.clientOrderId)) {
      return reject(Code.DUPLICATE_CLIENT_ORDER_ID);
    }
    if (mayStayOpen(req.orderType, req.timeInForce)) {
      if (this.openOrderCount(req.accountId) >= this.spec.maxOpenOrdersPerAccount) return reject(Code.TOO_MANY_OPEN_ORDERS);
      if (this.orderCount() >= this.spec.maxOrders) return reject(Code.BOOK_FULL);
    }
    if (req.reduceOnly && reducibleLots(this.positionLots(req.accountId), req.side) === 0) return reject(Code.REDUCE_ONLY_WOULD_NOT_REDUCE);

    const o: RefOrder = {
      orderId: req.orderId,
      accountId: req.accountId,
      clientOrderId: req.clientOrderId,
      side: req.side,
      orderType: req.orderType,
      timeInForce: req.timeInForce,
      stpMode: req.stpMode === StpMode.DEFAULT ? this.accountStp(req.accountId) : req.stpMode,
      triggerSource: req.triggerSource,
      reduceOnly: req.reduceOnly,
      origin: req.origin,
      priceTicks: req.priceTicks,
      qtyLots: req.qtyLots,
      remainingLots: req.qtyLots,
      triggerPriceTicks: req.triggerPriceTicks,
      timeUs: req.timeUs,
      seq: 0,
    };

    if (isTriggerType(o.orderType)) {
      if (triggerHolds(o.orderType, o.side, o.triggerPriceTicks, this.sourcePrice(o.triggerSource))) return reject(Code.STOP_WOULD_TRIGGER_IMMEDIATELY);
      this.accept(o);
      s.stops.push(o);
      return this.end(Code.OK);
    }

    const isMarket = o.orderType === OrderType.MARKET;
    if (isMarket && o.priceTicks === 0) {
      const best = this.bestOpposite(o.side);
      if (best === 0) return reject(Code.NO_LIQUIDITY);
      o.priceTicks = defaultMarketLimit(this.spec, o.side, best);
    }
    if (o.timeInForce === TimeInForce.POST_ONLY && this.wouldTake(o.side, o.priceTicks)) return reject(Code.POST_ONLY_WOULD_TAKE);
    if (o.timeInForce === TimeInForce.FOK && !this.fillable(o, isMarket)) return reject(Code.FOK_NOT_FILLABLE);
    this.accept(o);
    this.runTaker(o, isMarket);
    this.settleStops();
    return this.end(Code.OK);
  }

  cancel(accountId: number, orderId: number, clientOrderId: number, reason: CancelReason, timeUs: number): number {
    this.begin(timeUs);
    const o = this.findOwned(accountId, orderId, clientOrderId);
    if (!o) {
      this.out.rejected(RecordType.CancelOrder, Code.ORDER_NOT_FOUND, accountId, orderId, clientOrderId, 0, 0, 0, false, 0, 0);
      return Code.ORDER_NOT_FOUND;
    }
    this.removeOpen(o);
    this.endOrder(CANCELLED, o, reason);
    return this.end(Code.OK);
  }

  cancelAll(accountId: number, reason: CancelReason, timeUs: number): number {
    this.begin(timeUs);
    const mine = [...this.state.resting, ...this.state.stops].filter((o) => o.accountId === accountId).sort((a, b) => a.orderId - b.orderId);
    for (const o of mine) {
      this.removeOpen(o);
      this.endOrder(CANCELLED, o, reason);
    }
    this.end(Code.OK);
    return mine.length;
  }

  /**
   * Checks, in order: ORDER_NOT_FOUND, STOP_ORDER_NOT_AMENDABLE (untriggered stop), PRICE_OUT_OF_RANGE,
   * INVALID_NUMBER / QTY_BELOW_MIN / QTY_ABOVE_MAX (new total), AMEND_QTY_BELOW_FILLED,
   * AMEND_NOTHING_TO_CHANGE, PRICE_OUTSIDE_BAND (price changed), POST_ONLY_WOULD_TAKE (price changed).
   */
  amend(accountId: number, orderId: number, clientOrderId: number, newPriceTicks: number, newQtyLots: number, timeUs: number): number {
    this.begin(timeUs);
    const o = this.findOwned(accountId, orderId, clientOrderId);
    const reject = (code: number): number => {
      this.out.rejected(RecordType.AmendOrder, code, accountId, orderId, clientOrderId, o?.side ?? 0, o?.orderType ?? 0, o?.origin ?? 0, o?.reduceOnly ?? false, newPriceTicks, newQtyLots);
      return code;
    };
    if (!o) return reject(Code.ORDER_NOT_FOUND);
    if (this.state.stops.includes(o)) return reject(Code.STOP_ORDER_NOT_AMENDABLE);
    const argCode = validateAmendArgs(this.spec, newPriceTicks, newQtyLots);
    if (argCode !== Code.OK) return reject(argCode);
    const filled = o.qtyLots - o.remainingLots;
    const price = newPriceTicks === 0 ? o.priceTicks : newPriceTicks;
    const qty = newQtyLots === 0 ? o.qtyLots : newQtyLots;
    if (qty <= filled) return reject(Code.AMEND_QTY_BELOW_FILLED);
    if (price === o.priceTicks && qty === o.qtyLots) return reject(Code.AMEND_NOTHING_TO_CHANGE);
    const moved = price !== o.priceTicks;
    if (moved && !this.spec.withinBand(price, bandReference(this.state.markPrice, this.state.lastTradePrice))) return reject(Code.PRICE_OUTSIDE_BAND);
    const crossing = moved && this.wouldTake(o.side, price);
    if (crossing && o.timeInForce === TimeInForce.POST_ONLY) return reject(Code.POST_ONLY_WOULD_TAKE);

    const kept = !moved && qty < o.qtyLots;
    this.out.amended(o.accountId, o.orderId, o.clientOrderId, o.side, o.priceTicks, price, o.qtyLots, qty, qty - filled, kept);
    o.qtyLots = qty;
    o.remainingLots = qty - filled;
    if (!kept) {
      this.removeOpen(o);
      o.priceTicks = price;
      if (crossing) this.runTaker(o, false);
      else this.rest(o);
    }
    this.settleStops();
    return this.end(Code.OK);
  }

  deleverage(liquidatedAccountId: number, counterpartyAccountId: number, side: Side, qtyLots: number, priceTicks: number, deleverageId: number, timeUs: number): number {
    this.begin(timeUs);
    let code = validateDeleverage(this.spec, liquidatedAccountId, counterpartyAccountId, side, qtyLots, priceTicks, deleverageId);
    const opp = side === Side.BUY ? Side.SELL : Side.BUY;
    const qty = Math.min(qtyLots, reducibleLots(this.positionLots(liquidatedAccountId), side), reducibleLots(this.positionLots(counterpartyAccountId), opp));
    if (code === Code.OK && qty <= 0) code = Code.DELEVERAGE_NOT_POSSIBLE;
    if (code !== Code.OK) {
      this.out.rejected(RecordType.Deleverage, code, liquidatedAccountId, deleverageId, 0, side, OrderType.MARKET, OrderOrigin.ADL, true, priceTicks, qtyLots);
      return this.end(code);
    }
    const tradeId = this.state.nextTradeId++;
    this.addPosition(liquidatedAccountId, side === Side.BUY ? qty : -qty);
    this.addPosition(counterpartyAccountId, side === Side.BUY ? -qty : qty);
    this.out.trade(tradeId, priceTicks, qty, liquidatedAccountId, deleverageId, 0, side, OrderOrigin.ADL, 0, counterpartyAccountId, deleverageId, 0, OrderOrigin.ADL, 0);
    this.cleanUpReduceOnly(liquidatedAccountId);
    this.cleanUpReduceOnly(counterpartyAccountId);
    return this.end(Code.OK);
  }

  setMarkPrice(markPriceTicks: number, timeUs: number): void {
    if (!Number.isSafeInteger(markPriceTicks) || markPriceTicks < 1) throw new RangeError(`mark price must be a positive integer of ticks, got ${markPriceTicks}`);
    this.begin(timeUs);
    this.state.markPrice = markPriceTicks;
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
    if (stpMode === StpMode.EXPIRE_TAKER) this.state.stpDefaults.delete(accountId);
    else this.state.stpDefaults.set(accountId, stpMode);
    return Code.OK;
  }

  // ---- queries --------------------------------------------------------------------------------------

  bestBid(): number {
    return this.bestPrice(Side.BUY);
  }
  bestAsk(): number {
    return this.bestPrice(Side.SELL);
  }
  lastTradePrice(): number {
    return this.state.lastTradePrice;
  }
  markPrice(): number {
    return this.state.markPrice;
  }
  openOrderCount(accountId: number): number {
    return [...this.state.resting, ...this.state.stops].filter((o) => o.accountId === accountId).length;
  }
  orderCount(): number {
    return this.state.resting.length + this.state.stops.length;
  }
  levels(side: Side, maxLevels: number): LevelView[] {
    return referenceDepth(this.state, side).slice(0, maxLevels);
  }
  takeableLevels(side: Side, maxLevels: number): LevelView[] {
    return referenceTakeableDepth(this.state, side).slice(0, maxLevels);
  }
  orders(): OrderView[] {
    return referenceOrderViews(this.state);
  }
  stateHash(): bigint {
    return referenceHash(this.state);
  }







  // ---- helpers --------------------------------------------------------------------------------------

  private begin(timeUs: number): void {
    this.out.timeUs = timeUs;
    this.depthBefore = this.depthMap();
  }

  /** Emits BOOK_LEVEL_CHANGED for every level whose (qty, count) differs from the command's start. */
  private end(code: number): number {
    const after = this.depthMap();
    const keys = new Set([...this.depthBefore.keys(), ...after.keys()]);
    const changed: (LevelView & { side: Side })[] = [];
    for (const k of keys) {
      const b = this.depthBefore.get(k);
      const a = after.get(k);
      if (b && a && b.qtyLots === a.qtyLots && b.orderCount === a.orderCount) continue;
      const ref = (a ?? b)!;
      changed.push({ side: ref.side, priceTicks: ref.priceTicks, qtyLots: a?.qtyLots ?? 0, orderCount: a?.orderCount ?? 0 });
    }
    changed.sort((x, y) => x.side - y.side || (x.side === Side.BUY ? y.priceTicks - x.priceTicks : x.priceTicks - y.priceTicks));
    for (const l of changed) this.out.level(l.side, l.priceTicks, l.qtyLots, l.orderCount);
    return code;
  }

  private depthMap(): Map<string, LevelView & { side: Side }> {
    const m = new Map<string, LevelView & { side: Side }>();
    for (const side of [Side.BUY, Side.SELL]) {
      for (const l of referenceDepth(this.state, side)) m.set(`${side}:${l.priceTicks}`, { side, ...l });
    }
    return m;
  }

  private accept(o: RefOrder): void {
    this.out.accepted(o.accountId, o.orderId, o.clientOrderId, o.side, o.orderType, o.timeInForce, o.stpMode, o.triggerSource, o.reduceOnly, o.origin, o.priceTicks, o.qtyLots, o.triggerPriceTicks);
  }




  private findOwned(accountId: number, orderId: number, clientOrderId: number): RefOrder | undefined {
    const open = [...this.state.resting, ...this.state.stops];
    if (orderId !== 0) return open.find((o) => o.orderId === orderId && o.accountId === accountId);
    if (clientOrderId === 0) return undefined;
    return open.find((o) => o.clientOrderId === clientOrderId && o.accountId === accountId);
  }







}
