// MatchingCore: the fast book's matching loop and stop triggering, between BookCore (state and primitive
// moves) and OrderBook (commands and queries). Same rounds and the same firing order as the reference
// book (reference-matching.ts); the property tests compare the two event by event.
//
// Thread contract: one market-shard thread owns the book; nothing is shared.

import { CancelReason, OrderType, StpMode, TimeInForce, type OrderOrigin, type Side, type TriggerSource } from '../enums.js';
import type { MarketSpec } from '../market/spec.js';
import { BookCore } from './book-core.js';
import { AccountRecord } from './account-table.js';
import { FillCheck } from './fill-check.js';
import { LevelRecord } from './level-record.js';
import { flagSource, flagStp, flagTif, flagType, OrderRecord } from './order-pool.js';
import { isLimitPriced, reducibleLots } from './order-rules.js';
import { defaultMarketLimit } from './slippage.js';
import { BookEventType, type BookEventSink } from './types.js';

// Module-local copies (order-pool.ts says why).
const { F_ORDER_ID, F_PRICE, F_REMAINING, F_STRIDE_SHIFT, FLAG_HAS_CLIENT_ID, FLAG_REDUCE_ONLY, I_ACCOUNT, I_FLAGS, I_STRIDE_SHIFT, NIBBLE, ORIGIN_SHIFT, SIDE_SHIFT, STP_SHIFT, TIF_SHIFT } = OrderRecord;
const { F_SHIFT: L_F_SHIFT, I_SHIFT: L_I_SHIFT, L_PRICE, L_HEAD } = LevelRecord;
const { F_SHIFT: A_F_SHIFT, I_SHIFT: A_I_SHIFT, A_ID, A_RO_HEAD } = AccountRecord;
const { ORDER_CANCELLED: CANCELLED, ORDER_EXPIRED: EXPIRED } = BookEventType;
const { EXPIRE_TAKER, EXPIRE_BOTH } = StpMode;
const { IOC, FOK } = TimeInForce;
const { REDUCE_ONLY, STP_TAKER, STP_MAKER, STP_BOTH, NO_LIQUIDITY, SLIPPAGE_LIMIT, IOC_REMAINDER } = CancelReason;
const BUY = 0;

export class MatchingCore extends BookCore {
  protected readonly fillCheck: FillCheck;
  /** Stops fired together (settleStops), with the source price each observed. */
  private batchSlots = new Int32Array(16);
  private batchObserved = new Float64Array(16);

  constructor(spec: MarketSpec, sink: BookEventSink) {
    super(spec, sink);
    this.fillCheck = new FillCheck(this.pool, this.priceLevels, this.accounts);
  }

  /**
   * Matches an in-flight order against the opposite side (same rounds as ReferenceMatching.runTaker),
   * then ends it: filled, cancelled (reduce-only), expired (STP, market, IOC/FOK) or rested (GTC,
   * post-only).
   */
  protected runTaker(t: number, isMarket: boolean): void {
    const pool = this.pool;
    const levels = this.priceLevels;
    const acc = this.accounts;
    const out = this.out;
    const tf = t << F_STRIDE_SHIFT;
    const ti = t << I_STRIDE_SHIFT;
    const tFlags = pool.i32[ti + I_FLAGS]!;
    const side = (tFlags >>> SIDE_SHIFT) & 1;
    const opp = side ^ 1;
    const oppLevels = levels.sides[opp]!;
    const tAcct = pool.i32[ti + I_ACCOUNT]!;
    const tAccountId = acc.f64[(tAcct << A_F_SHIFT) + A_ID]!;
    const tOrderId = pool.f64[tf + F_ORDER_ID]!;
    const tClientId = (tFlags & FLAG_HAS_CLIENT_ID) !== 0 ? pool.clientOrderId[t]! : 0;
    const tOrigin = (tFlags >>> ORIGIN_SHIFT) & NIBBLE;
    const limit = pool.f64[tf + F_PRICE]!;
    const tReduceOnly = (tFlags & FLAG_REDUCE_ONLY) !== 0;
    const stp = (tFlags >>> STP_SHIFT) & NIBBLE;
    // The taker's signed fill and the maker's, per lot.
    const tSign = side === BUY ? 1 : -1;
    let tRem = pool.f64[tf + F_REMAINING]!;
    for (;;) {
      if (tRem === 0) return pool.free(t);
      if (tReduceOnly && reducibleLots(acc.positionOf(tAcct), side) === 0) return this.endInFlight(CANCELLED, t, REDUCE_ONLY);
      if (oppLevels.len === 0) return this.endTaker(t, isMarket, true);
      // The best level (the last listed one is never dormant) and its first order.
      const lv = oppLevels.slots[oppLevels.len - 1]!;
      const price = levels.f64[(lv << L_F_SHIFT) + L_PRICE]!;
      if (side === BUY ? price > limit : price < limit) return this.endTaker(t, isMarket, false);
      const m = levels.i32[(lv << L_I_SHIFT) + L_HEAD]!;
      // Views are read each round: the rare calls below (STP, reduce-only clean-up) may grow nothing,
      // but no view is kept across a call on principle.
      const f64 = pool.f64;
      const i32 = pool.i32;
      const mf = m << F_STRIDE_SHIFT;
      const mi = m << I_STRIDE_SHIFT;
      const mAcct = i32[mi + I_ACCOUNT]!;
      if (mAcct === tAcct) {
        if (stp === EXPIRE_TAKER) return this.endInFlight(EXPIRED, t, STP_TAKER);
        const both = stp === EXPIRE_BOTH;
        this.closeOpen(EXPIRED, m, both ? STP_BOTH : STP_MAKER);
        if (both) return this.endInFlight(EXPIRED, t, STP_BOTH);
        continue;
      }
      const mRem = f64[mf + F_REMAINING]!;
      const mFlags = i32[mi + I_FLAGS]!;
      let qty = tRem < mRem ? tRem : mRem;
      if (tReduceOnly) {
        const room = reducibleLots(acc.positionOf(tAcct), side);
        if (room < qty) qty = room;
      }
      if ((mFlags & FLAG_REDUCE_ONLY) !== 0) {
        const room = reducibleLots(acc.positionOf(mAcct), opp);
        if (room < qty) qty = room;
        if (qty <= 0) throw new Error(`invariant: reduce-only maker ${f64[mf + F_ORDER_ID]} rests with nothing to reduce`);
      }
      const tradeId = this.nextTradeId++;
      this.lastPrice = price;
      tRem -= qty;
      f64[tf + F_REMAINING] = tRem;
      this.addPosition(tAcct, tSign * qty);
      this.addPosition(mAcct, -tSign * qty);
      const filled = mRem === qty;
      // A filled maker leaves its level whole (levels.fillHead); a partly filled one stays at the head.
      if (filled) levels.fillHead(lv, qty);
      else levels.reduce(lv, qty);
      f64[mf + F_REMAINING] = mRem - qty;
      out.trade(
        tradeId,
        price,
        qty,
        tAccountId,
        tOrderId,
        tClientId,
        side as Side,
        tOrigin as OrderOrigin,
        tRem,
        acc.f64[(mAcct << A_F_SHIFT) + A_ID]!,
        f64[mf + F_ORDER_ID]!,
        (mFlags & FLAG_HAS_CLIENT_ID) !== 0 ? pool.clientOrderId[m]! : 0,
        ((mFlags >>> ORIGIN_SHIFT) & NIBBLE) as OrderOrigin,
        mRem - qty,
      );
      if (filled) {
        this.unlinkOpen(m);
        pool.free(m);
      }
      const ai = acc.i32;
      if (ai[(tAcct << A_I_SHIFT) + A_RO_HEAD]! >= 0) this.cleanUpReduceOnly(tAcct);
      if (ai[(mAcct << A_I_SHIFT) + A_RO_HEAD]! >= 0) this.cleanUpReduceOnly(mAcct);
    }
  }

  private endTaker(t: number, isMarket: boolean, sideEmpty: boolean): void {
    if (isMarket) return this.endInFlight(EXPIRED, t, sideEmpty ? NO_LIQUIDITY : SLIPPAGE_LIMIT);
    const tif = (this.pool.i32[(t << I_STRIDE_SHIFT) + I_FLAGS]! >>> TIF_SHIFT) & NIBBLE;
    if (tif === IOC || tif === FOK) return this.endInFlight(EXPIRED, t, IOC_REMAINDER);
    this.rest(t);
  }

  // ---- stops ----------------------------------------------------------------------------------------

  /**
   * Fires due stops in batches (same order as ReferenceMatching.settleStops): MARK rising, MARK falling,
   * LAST rising, LAST falling; each list yields its due orders nearest trigger first, ties by orderId.
   * The whole batch leaves the stop book before any of it runs.
   */
  protected settleStops(): void {
    const stops = this.stops;
    while (stops.count > 0) {
      let n = 0;
      for (let li = 0; li < 4; li++) {
        const price = li < 2 ? this.mark : this.lastPrice;
        for (let s = stops.due(li, price); s >= 0; s = stops.due(li, price)) {
          stops.popDue(li);
          this.unlinkOpen(s);
          n = this.pushBatch(n, s, price);
        }
      }
      if (n === 0) return;
      for (let i = 0; i < n; i++) this.runTriggered(this.batchSlots[i]!, this.batchObserved[i]!);
    }
  }

  /** A fired stop, in flight: the same sequence as ReferenceMatching.runTriggered. */
  private runTriggered(slot: number, observed: number): void {
    const pool = this.pool;
    const fo = slot << F_STRIDE_SHIFT;
    const f = pool.flags(slot);
    const type = flagType(f);
    const side = (f >>> SIDE_SHIFT) & 1;
    const acct = pool.account(slot);
    const reduceOnly = (f & FLAG_REDUCE_ONLY) !== 0;
    this.out.triggered(this.accounts.idOf(acct), pool.f64[fo + F_ORDER_ID]!, pool.clientOrderIdOf(slot), side as Side, type as OrderType, flagSource(f) as TriggerSource, pool.triggerPriceTicks[slot]!, observed);
    if (reduceOnly && reducibleLots(this.accounts.positionOf(acct), side) === 0) return this.endInFlight(CANCELLED, slot, REDUCE_ONLY);
    const isMarket = !isLimitPriced(type);
    if (!isMarket && !this.spec.withinBand(pool.f64[fo + F_PRICE]!, this.mark > 0 ? this.mark : this.lastPrice)) {
      return this.endInFlight(EXPIRED, slot, CancelReason.PRICE_BAND);
    }
    if (isMarket && pool.f64[fo + F_PRICE] === 0) {
      const best = this.priceLevels.bestPrice(side ^ 1);
      if (best === 0) return this.endInFlight(EXPIRED, slot, NO_LIQUIDITY);
      pool.f64[fo + F_PRICE] = defaultMarketLimit(this.spec, side, best);
    }
    if (flagTif(f) === FOK && !this.fillCheck.canFill(side, acct, flagStp(f), reduceOnly, pool.f64[fo + F_REMAINING]!, pool.f64[fo + F_PRICE]!)) {
      return this.endInFlight(EXPIRED, slot, IOC_REMAINDER);
    }
    this.runTaker(slot, isMarket);
  }

  private pushBatch(n: number, slot: number, observed: number): number {
    if (n === this.batchSlots.length) {
      const s = new Int32Array(n * 2);
      s.set(this.batchSlots);
      this.batchSlots = s;
      const o = new Float64Array(n * 2);
      o.set(this.batchObserved);
      this.batchObserved = o;
    }
    this.batchSlots[n] = slot;
    this.batchObserved[n] = observed;
    return n + 1;
  }

  /** Whether an order on `side` limited to limitTicks would meet the opposite best price. */
  protected wouldTake(side: number, limitTicks: number): boolean {
    const best = this.priceLevels.bestPrice(side ^ 1);
    return best !== 0 && (side === BUY ? best <= limitTicks : best >= limitTicks);
  }
}
