// MatchingCore: the fast book's matching loop and stop triggering, between BookCore (state and primitive
// moves) and OrderBook (commands and queries). Same rounds and the same firing order as the reference
// book (reference-matching.ts); the property tests compare the two event by event.
//
// Thread contract: one market-shard thread owns the book; nothing is shared.

import { CancelReason, OrderType, Side, StpMode, TimeInForce, TriggerSource, type OrderOrigin } from '../enums.js';
import type { MarketSpec } from '../market/spec.js';
import { BookCore, CANCELLED, EXPIRED } from './book-core.js';
import { FillCheck } from './fill-check.js';
import { F_ORDER_ID, F_PRICE, F_REMAINING, F_STRIDE_SHIFT, FLAG_HAS_CLIENT_ID, FLAG_REDUCE_ONLY, flagOrigin, flagSide, flagSource, flagStp, flagTif, flagType, I_ACCOUNT, I_FLAGS, I_STRIDE_SHIFT } from './order-pool.js';
import { crosses, isLimitPriced, reducibleLots } from './order-rules.js';
import { defaultMarketLimit } from './slippage.js';
import type { BookEventSink } from './types.js';

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
    const tf = t << F_STRIDE_SHIFT;
    const ti = t << I_STRIDE_SHIFT;
    const tFlags = pool.i32[ti + I_FLAGS]!;
    const side = flagSide(tFlags);
    const opp = side ^ 1;
    const tAcct = pool.i32[ti + I_ACCOUNT]!;
    const limit = pool.f64[tf + F_PRICE]!;
    const tReduceOnly = (tFlags & FLAG_REDUCE_ONLY) !== 0;
    const stp = flagStp(tFlags);
    for (;;) {
      // Re-read the arrays each round: nothing here allocates slots, but keep no view across calls.
      const f64 = pool.f64;
      const i32 = pool.i32;
      const tRem = f64[tf + F_REMAINING]!;
      if (tRem === 0) return pool.free(t);
      if (tReduceOnly && reducibleLots(acc.positionLots[tAcct]!, side) === 0) return this.endInFlight(CANCELLED, t, CancelReason.REDUCE_ONLY);
      const lv = levels.best(opp);
      if (lv < 0) return this.endTaker(t, isMarket, true);
      const price = levels.priceTicks[lv]!;
      if (!crosses(side, limit, price)) return this.endTaker(t, isMarket, false);
      const m = levels.head[lv]!;
      const mf = m << F_STRIDE_SHIFT;
      const mi = m << I_STRIDE_SHIFT;
      const mAcct = i32[mi + I_ACCOUNT]!;
      if (mAcct === tAcct) {
        if (stp === StpMode.EXPIRE_TAKER) return this.endInFlight(EXPIRED, t, CancelReason.STP_TAKER);
        const both = stp === StpMode.EXPIRE_BOTH;
        this.closeOpen(EXPIRED, m, both ? CancelReason.STP_BOTH : CancelReason.STP_MAKER);
        if (both) return this.endInFlight(EXPIRED, t, CancelReason.STP_BOTH);
        continue;
      }
      const mRem = f64[mf + F_REMAINING]!;
      const mFlags = i32[mi + I_FLAGS]!;
      let qty = tRem < mRem ? tRem : mRem;
      if (tReduceOnly) {
        const room = reducibleLots(acc.positionLots[tAcct]!, side);
        if (room < qty) qty = room;
      }
      if ((mFlags & FLAG_REDUCE_ONLY) !== 0) {
        const room = reducibleLots(acc.positionLots[mAcct]!, opp);
        if (room < qty) qty = room;
        if (qty <= 0) throw new Error(`invariant: reduce-only maker ${f64[mf + F_ORDER_ID]} rests with nothing to reduce`);
      }
      const tradeId = this.nextTradeId++;
      this.lastPrice = price;
      f64[tf + F_REMAINING] = tRem - qty;
      f64[mf + F_REMAINING] = mRem - qty;
      levels.reduce(lv, qty);
      this.addPosition(tAcct, side === Side.BUY ? qty : -qty);
      this.addPosition(mAcct, side === Side.BUY ? -qty : qty);
      this.out.trade(
        tradeId,
        price,
        qty,
        acc.accountId[tAcct]!,
        f64[tf + F_ORDER_ID]!,
        (tFlags & FLAG_HAS_CLIENT_ID) !== 0 ? pool.clientOrderId[t]! : 0,
        side as Side,
        flagOrigin(tFlags) as OrderOrigin,
        tRem - qty,
        acc.accountId[mAcct]!,
        f64[mf + F_ORDER_ID]!,
        (mFlags & FLAG_HAS_CLIENT_ID) !== 0 ? pool.clientOrderId[m]! : 0,
        flagOrigin(mFlags) as OrderOrigin,
        mRem - qty,
      );
      if (mRem === qty) {
        levels.remove(m);
        this.unlinkOpen(m);
        pool.free(m);
      }
      if (acc.reduceOnlyHead[tAcct]! >= 0) this.cleanUpReduceOnly(tAcct);
      if (acc.reduceOnlyHead[mAcct]! >= 0) this.cleanUpReduceOnly(mAcct);
    }
  }

  private endTaker(t: number, isMarket: boolean, sideEmpty: boolean): void {
    if (isMarket) return this.endInFlight(EXPIRED, t, sideEmpty ? CancelReason.NO_LIQUIDITY : CancelReason.SLIPPAGE_LIMIT);
    const tif = flagTif(this.pool.flags(t));
    if (tif === TimeInForce.IOC || tif === TimeInForce.FOK) return this.endInFlight(EXPIRED, t, CancelReason.IOC_REMAINDER);
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
    const side = flagSide(f);
    const acct = pool.account(slot);
    const reduceOnly = (f & FLAG_REDUCE_ONLY) !== 0;
    this.out.triggered(this.accounts.accountId[acct]!, pool.f64[fo + F_ORDER_ID]!, pool.clientOrderIdOf(slot), side as Side, type as OrderType, flagSource(f) as TriggerSource, pool.triggerPriceTicks[slot]!, observed);
    if (reduceOnly && reducibleLots(this.accounts.positionLots[acct]!, side) === 0) return this.endInFlight(CANCELLED, slot, CancelReason.REDUCE_ONLY);
    const isMarket = !isLimitPriced(type);
    if (!isMarket && !this.spec.withinBand(pool.f64[fo + F_PRICE]!, this.mark > 0 ? this.mark : this.lastPrice)) {
      return this.endInFlight(EXPIRED, slot, CancelReason.PRICE_BAND);
    }
    if (isMarket && pool.f64[fo + F_PRICE] === 0) {
      const best = this.priceLevels.bestPrice(side ^ 1);
      if (best === 0) return this.endInFlight(EXPIRED, slot, CancelReason.NO_LIQUIDITY);
      pool.f64[fo + F_PRICE] = defaultMarketLimit(this.spec, side, best);
    }
    if (flagTif(f) === TimeInForce.FOK && !this.fillCheck.canFill(side, acct, flagStp(f), reduceOnly, pool.f64[fo + F_REMAINING]!, pool.f64[fo + F_PRICE]!)) {
      return this.endInFlight(EXPIRED, slot, CancelReason.IOC_REMAINDER);
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
    return best !== 0 && crosses(side, limitTicks, best);
  }
}
