// Contract: reduce-only orders only ever shrink the account's position in this book: fills are clipped,
// and orders that can no longer reduce are cancelled (REDUCE_ONLY) after the trade that made them so.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Code } from '../../../../engine/codes.js';
import { CancelReason, OrderType, TimeInForce } from '../../../../engine/enums.js';
import { BUY, Harness, SELL, T, only, type BookFactory } from './harness.js';

export function reduceOnlyContract(make: BookFactory): void {
  describe('reduce-only', () => {
    test('a reduce-only taker fills at most the position and the rest is cancelled', () => {
      const h = new Harness(make);
      h.position(1, BUY, 2);
      h.limit(2, BUY, 1_000, 5);
      h.take();
      const id = h.peekOrderId();
      assert.equal(h.place({ accountId: 1, side: SELL, priceTicks: 1_000, qtyLots: 5, reduceOnly: true }), Code.OK);
      const events = h.take();
      assert.deepEqual(only(events, T.TRADE_EXECUTED).map((t) => t.qtyLots), [2]);
      const [cancelled] = only(events, T.ORDER_CANCELLED);
      assert.deepEqual([cancelled!.orderId, cancelled!.reason, cancelled!.remainingLots, cancelled!.filledLots], [id, CancelReason.REDUCE_ONLY, 3, 2]);
      assert.equal(h.book.positionLots(1), 0);
    });

    test('takeable depth counts a reduce-only maker only up to what its account can still reduce', () => {
      const h = new Harness(make);
      h.position(1, BUY, 3);
      h.limit(1, SELL, 1_010, 2, { reduceOnly: true });
      h.limit(4, SELL, 1_010, 1);
      h.limit(1, SELL, 1_020, 5, { reduceOnly: true });
      h.limit(4, SELL, 1_030, 1);
      h.take();
      assert.deepEqual(h.book.levels(SELL, 5).map((l) => [l.priceTicks, l.qtyLots]), [[1_010, 3], [1_020, 5], [1_030, 1]]);
      // account 1 can still sell 3: 2 at 1,010, then 1 of the 5 at 1,020
      assert.deepEqual(h.book.takeableLevels(SELL, 5).map((l) => [l.priceTicks, l.qtyLots]), [[1_010, 3], [1_020, 1], [1_030, 1]]);
      assert.deepEqual(h.book.takeableLevels(SELL, 1).map((l) => [l.priceTicks, l.qtyLots]), [[1_010, 3]]);
    });

    test('a reduce-only maker fills at most the position and is then cleaned up', () => {
      const h = new Harness(make);
      h.position(1, BUY, 2);
      const id = h.limit(1, SELL, 1_010, 5, { reduceOnly: true });
      h.take();
      h.limit(2, BUY, 1_010, 4);
      const events = h.take();
      const [trade] = only(events, T.TRADE_EXECUTED);
      assert.deepEqual([trade!.qtyLots, trade!.makerOrderId, trade!.makerRemainingLots], [2, id, 3]);
      const [cancelled] = only(events, T.ORDER_CANCELLED);
      assert.deepEqual([cancelled!.orderId, cancelled!.reason, cancelled!.remainingLots], [id, CancelReason.REDUCE_ONLY, 3]);
      assert.deepEqual(h.book.levels(BUY, 1), [{ priceTicks: 1_010, qtyLots: 2, orderCount: 1 }]);
      assert.equal(h.book.positionLots(1), 0);
    });

    test('when the position closes, all the account’s reduce-only orders go, stops included, by orderId', () => {
      const h = new Harness(make);
      h.position(1, BUY, 2);
      h.mark(1_000);
      const ro1 = h.limit(1, SELL, 1_020, 1, { reduceOnly: true });
      const plain = h.limit(1, SELL, 1_030, 1);
      h.place({ orderId: 500, accountId: 1, side: SELL, orderType: OrderType.STOP_MARKET, triggerPriceTicks: 950, reduceOnly: true });
      const ro2 = h.limit(1, SELL, 1_025, 1, { reduceOnly: true });
      h.limit(3, BUY, 1_000, 2);
      h.take();
      h.place({ accountId: 1, side: SELL, priceTicks: 1_000, qtyLots: 2, timeInForce: TimeInForce.IOC });
      const cancelled = only(h.take(), T.ORDER_CANCELLED);
      assert.deepEqual(cancelled.map((e) => [e.orderId, e.reason]), [[ro1, CancelReason.REDUCE_ONLY], [ro2, CancelReason.REDUCE_ONLY], [500, CancelReason.REDUCE_ONLY]]);
      assert.deepEqual(h.book.orders().map((o) => o.orderId), [plain]);
    });

    test('when the position flips, reduce-only orders on the side that would now grow it go', () => {
      const h = new Harness(make);
      h.position(1, SELL, 2);
      const ro = h.limit(1, BUY, 980, 2, { reduceOnly: true });
      h.limit(3, SELL, 1_000, 5);
      h.take();
      h.place({ accountId: 1, side: BUY, priceTicks: 1_000, qtyLots: 5, timeInForce: TimeInForce.IOC });
      assert.equal(h.book.positionLots(1), 3);
      const cancelled = only(h.take(), T.ORDER_CANCELLED);
      assert.deepEqual(cancelled.map((e) => [e.orderId, e.reason]), [[ro, CancelReason.REDUCE_ONLY]]);
    });

    test('reduce-only orders on the reducing side survive a trade that grows the position', () => {
      const h = new Harness(make);
      h.position(1, BUY, 2);
      const ro = h.limit(1, SELL, 1_020, 2, { reduceOnly: true });
      h.limit(3, SELL, 1_000, 1);
      h.take();
      h.place({ accountId: 1, side: BUY, priceTicks: 1_000, qtyLots: 1, timeInForce: TimeInForce.IOC });
      assert.deepEqual(only(h.take(), T.ORDER_CANCELLED), []);
      assert.ok(h.book.orders().some((o) => o.orderId === ro));
    });

    test('two reduce-only makers together never take more than the position', () => {
      const h = new Harness(make);
      h.position(1, BUY, 3);
      const a = h.limit(1, SELL, 1_010, 2, { reduceOnly: true });
      const b = h.limit(1, SELL, 1_011, 2, { reduceOnly: true });
      h.take();
      h.limit(2, BUY, 1_011, 4);
      const events = h.take();
      assert.deepEqual(only(events, T.TRADE_EXECUTED).map((t) => [t.makerOrderId, t.qtyLots]), [[a, 2], [b, 1]]);
      assert.deepEqual(only(events, T.ORDER_CANCELLED).map((e) => [e.orderId, e.remainingLots]), [[b, 1]]);
      assert.equal(h.book.positionLots(1), 0);
    });
  });
}
