// Contract: stop and take-profit orders wait off the book until their trigger source (mark or last
// trade) passes the trigger, then run under the same orderId, in a fixed order when several fire.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Code } from '../../../../engine/codes.js';
import { CancelReason, OrderType, TimeInForce, TriggerSource } from '../../../../engine/enums.js';
import { BUY, Harness, SELL, T, only, type BookFactory } from './harness.js';

const { STOP_MARKET, STOP_LIMIT, TAKE_PROFIT_MARKET, TAKE_PROFIT_LIMIT } = OrderType;

/** A book with mark 1000 and liquidity both sides: bids 990/980 (account 8), asks 1010/1020 (account 9). */
function liquid(make: BookFactory): Harness {
  const h = new Harness(make);
  h.mark(1_000);
  h.limit(8, BUY, 990, 5);
  h.limit(8, BUY, 980, 5);
  h.limit(9, SELL, 1_010, 5);
  h.limit(9, SELL, 1_020, 5);
  h.take();
  return h;
}

export function stopsContract(make: BookFactory): void {
  describe('stop and take-profit orders', () => {
    test('a stop waits off the book: counted as open, cancellable, but not in L2', () => {
      const h = liquid(make);
      assert.equal(h.place({ accountId: 1, side: BUY, orderType: STOP_MARKET, triggerPriceTicks: 1_050, qtyLots: 2 }), Code.OK);
      assert.deepEqual(h.types(), [T.ORDER_ACCEPTED]);
      assert.equal(h.book.openOrderCount(1), 1);
      assert.equal(h.book.orderCount(), 5);
      assert.equal(h.book.bestBid(), 990);
    });

    test('a stop buy fires when the mark reaches its trigger and runs as a market order under its own id', () => {
      const h = liquid(make);
      const id = h.peekOrderId();
      h.place({ accountId: 1, side: BUY, orderType: STOP_MARKET, triggerPriceTicks: 1_050, qtyLots: 2 });
      h.take();
      h.mark(1_049);
      assert.deepEqual(h.types(), []);
      h.mark(1_050);
      const events = h.take();
      assert.deepEqual(events.map((e) => e.type), [T.ORDER_TRIGGERED, T.TRADE_EXECUTED, T.BOOK_LEVEL_CHANGED]);
      assert.deepEqual([events[0]!.orderId, events[0]!.orderType, events[0]!.triggerPriceTicks, events[0]!.observedPriceTicks], [id, STOP_MARKET, 1_050, 1_050]);
      assert.deepEqual([events[1]!.orderId, events[1]!.priceTicks, events[1]!.qtyLots], [id, 1_010, 2]);
      assert.equal(h.book.openOrderCount(1), 0);
    });

    test('a stop sell fires when the mark falls to its trigger', () => {
      const h = liquid(make);
      h.place({ accountId: 1, side: SELL, orderType: STOP_MARKET, triggerPriceTicks: 950, qtyLots: 1 });
      h.take();
      h.mark(951);
      assert.deepEqual(h.types(), []);
      h.mark(950);
      assert.deepEqual(h.types().slice(0, 2), [T.ORDER_TRIGGERED, T.TRADE_EXECUTED]);
    });

    test('a take-profit buy fires on a fall and a take-profit sell on a rise', () => {
      const h = liquid(make);
      const buy = h.peekOrderId();
      h.place({ accountId: 1, side: BUY, orderType: TAKE_PROFIT_MARKET, triggerPriceTicks: 960 });
      const sell = h.peekOrderId();
      h.place({ accountId: 2, side: SELL, orderType: TAKE_PROFIT_MARKET, triggerPriceTicks: 1_040 });
      h.mark(960);
      assert.deepEqual(only(h.take(), T.ORDER_TRIGGERED).map((e) => e.orderId), [buy]);
      h.mark(1_040);
      assert.deepEqual(only(h.take(), T.ORDER_TRIGGERED).map((e) => e.orderId), [sell]);
    });

    test('a triggered stop-limit trades to its limit and rests the remainder as a limit order', () => {
      const h = liquid(make);
      const id = h.peekOrderId();
      h.place({ accountId: 1, side: BUY, orderType: STOP_LIMIT, priceTicks: 1_015, triggerPriceTicks: 1_050, qtyLots: 7 });
      h.take();
      h.mark(1_050);
      const events = h.take();
      assert.deepEqual(only(events, T.TRADE_EXECUTED).map((t) => [t.orderId, t.priceTicks, t.qtyLots]), [[id, 1_010, 5]]);
      assert.equal(only(events, T.ORDER_ACCEPTED).length, 0);
      assert.deepEqual(h.book.levels(BUY, 1), [{ priceTicks: 1_015, qtyLots: 2, orderCount: 1 }]);
      assert.equal(h.book.orders()[0]!.orderId, id);
    });

    test('a triggered stop-limit whose price is outside the band expires with PRICE_BAND', () => {
      const h = liquid(make);
      h.place({ accountId: 1, side: SELL, orderType: STOP_LIMIT, priceTicks: 880, triggerPriceTicks: 990 });
      h.take();
      h.mark(989);
      const events = h.take();
      assert.deepEqual(events.map((e) => [e.type, e.reason]).slice(1), [[T.ORDER_EXPIRED, CancelReason.PRICE_BAND]]);
    });

    test('a triggered stop-market without a price expires with NO_LIQUIDITY on an empty side', () => {
      const h = new Harness(make);
      h.mark(1_000);
      h.place({ accountId: 1, side: BUY, orderType: STOP_MARKET, triggerPriceTicks: 1_050 });
      h.take();
      h.mark(1_060);
      assert.deepEqual(h.take().map((e) => [e.type, e.reason]).slice(1), [[T.ORDER_EXPIRED, CancelReason.NO_LIQUIDITY]]);
      assert.equal(h.book.orderCount(), 0);
    });

    test('a last-price stop fires after the trade that reaches its trigger', () => {
      const h = liquid(make);
      const id = h.peekOrderId();
      h.place({ accountId: 1, side: BUY, orderType: STOP_MARKET, triggerSource: TriggerSource.LAST, triggerPriceTicks: 1_010 });
      h.take();
      h.place({ accountId: 2, side: BUY, priceTicks: 1_010, qtyLots: 1, timeInForce: TimeInForce.IOC });
      const events = h.take();
      assert.deepEqual(events.map((e) => e.type).slice(0, 4), [T.ORDER_ACCEPTED, T.TRADE_EXECUTED, T.ORDER_TRIGGERED, T.TRADE_EXECUTED]);
      assert.deepEqual([events[2]!.orderId, events[2]!.observedPriceTicks], [id, 1_010]);
    });

    test('stops firing together on a rise run by ascending trigger, then by orderId', () => {
      const h = liquid(make);
      h.place({ orderId: 103, accountId: 1, side: BUY, orderType: STOP_MARKET, triggerPriceTicks: 1_030 });
      h.place({ orderId: 102, accountId: 2, side: BUY, orderType: STOP_MARKET, triggerPriceTicks: 1_020 });
      h.place({ orderId: 101, accountId: 3, side: SELL, orderType: TAKE_PROFIT_MARKET, triggerPriceTicks: 1_030 });
      h.place({ orderId: 104, accountId: 4, side: BUY, orderType: STOP_MARKET, triggerPriceTicks: 1_090 });
      h.mark(1_040);
      assert.deepEqual(only(h.take(), T.ORDER_TRIGGERED).map((e) => e.orderId), [102, 101, 103]);
    });

    test('stops firing together on a fall run by descending trigger, then by orderId', () => {
      const h = liquid(make);
      h.place({ orderId: 103, accountId: 1, side: SELL, orderType: STOP_MARKET, triggerPriceTicks: 970 });
      h.place({ orderId: 102, accountId: 2, side: SELL, orderType: STOP_MARKET, triggerPriceTicks: 980 });
      h.place({ orderId: 101, accountId: 3, side: BUY, orderType: TAKE_PROFIT_LIMIT, priceTicks: 1_000, triggerPriceTicks: 970 });
      h.mark(960);
      assert.deepEqual(only(h.take(), T.ORDER_TRIGGERED).map((e) => e.orderId), [102, 101, 103]);
    });

    test('trades of a triggered stop can fire last-price stops in turn, each stop once', () => {
      const h = liquid(make);
      h.place({ orderId: 201, accountId: 1, side: BUY, orderType: STOP_MARKET, triggerPriceTicks: 1_050, qtyLots: 6 });
      h.place({ orderId: 202, accountId: 2, side: BUY, orderType: STOP_MARKET, triggerSource: TriggerSource.LAST, triggerPriceTicks: 1_020, qtyLots: 1 });
      h.mark(1_050);
      const events = h.take();
      assert.deepEqual(only(events, T.ORDER_TRIGGERED).map((e) => e.orderId), [201, 202]);
      assert.deepEqual(only(events, T.TRADE_EXECUTED).map((t) => [t.orderId, t.priceTicks]), [[201, 1_010], [201, 1_020], [202, 1_020]]);
      h.mark(1_060);
      assert.deepEqual(h.take(), []);
    });

    test('a reduce-only stop that has nothing left to reduce when it fires is cancelled', () => {
      const h = liquid(make);
      h.position(1, BUY, 1, 1_000);
      h.mark(1_000);
      h.place({ orderId: 301, accountId: 1, side: SELL, orderType: STOP_MARKET, triggerPriceTicks: 960, reduceOnly: true });
      h.place({ orderId: 302, accountId: 1, side: SELL, orderType: STOP_MARKET, triggerPriceTicks: 950, reduceOnly: true });
      h.take();
      h.mark(940);
      const events = h.take();
      assert.deepEqual(events.filter((e) => e.type !== T.BOOK_LEVEL_CHANGED).map((e) => [e.type, e.orderId]), [
        [T.ORDER_TRIGGERED, 301],
        [T.TRADE_EXECUTED, 301],
        [T.ORDER_TRIGGERED, 302],
        [T.ORDER_CANCELLED, 302],
      ]);
      assert.equal(events.find((e) => e.type === T.ORDER_CANCELLED)!.reason, CancelReason.REDUCE_ONLY);
    });
  });
}
