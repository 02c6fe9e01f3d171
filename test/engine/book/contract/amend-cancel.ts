// Contract: cancel (by orderId or clientOrderId, owner only), cancel-all, and amend with its queue
// priority rules.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Code } from '../../../../engine/codes.js';
import { CancelReason, OrderType, TimeInForce } from '../../../../engine/enums.js';
import { RecordType } from '../../../../engine/ring/types.js';
import { BUY, Harness, SELL, T, only, type BookFactory } from './harness.js';

function rejectedUnchanged(h: Harness, run: () => number, code: number, commandType: number): void {
  const before = h.book.stateHash();
  h.take();
  assert.equal(run(), code);
  const events = h.take();
  assert.deepEqual(events.map((e) => [e.type, e.code, e.commandType]), [[T.ORDER_REJECTED, code, commandType]]);
  assert.equal(h.book.stateHash(), before);
}

export function amendCancelContract(make: BookFactory): void {
  describe('cancel', () => {
    test('cancels by orderId with the given reason, reporting what was left and what had filled', () => {
      const h = new Harness(make);
      const id = h.limit(1, SELL, 1_000, 5);
      h.limit(2, BUY, 1_000, 2);
      h.take();
      assert.equal(h.cancel(1, id, 0, CancelReason.ADMIN), Code.OK);
      const [ev, level] = h.take();
      assert.deepEqual([ev!.type, ev!.orderId, ev!.reason, ev!.remainingLots, ev!.filledLots, ev!.priceTicks], [T.ORDER_CANCELLED, id, CancelReason.ADMIN, 3, 2, 1_000]);
      assert.deepEqual([level!.type, level!.levelQtyLots, level!.orderCount], [T.BOOK_LEVEL_CHANGED, 0, 0]);
      assert.equal(h.book.orderCount(), 0);
    });

    test('cancels by clientOrderId when orderId is 0', () => {
      const h = new Harness(make);
      const id = h.limit(1, SELL, 1_000, 5, { clientOrderId: 77 });
      h.take();
      assert.equal(h.cancel(1, 0, 77), Code.OK);
      assert.equal(h.take()[0]!.orderId, id);
    });

    test('another account’s order is not found, and stays', () => {
      const h = new Harness(make);
      const id = h.limit(1, SELL, 1_000, 5, { clientOrderId: 77 });
      rejectedUnchanged(h, () => h.cancel(2, id), Code.ORDER_NOT_FOUND, RecordType.CancelOrder);
      rejectedUnchanged(h, () => h.cancel(2, 0, 77), Code.ORDER_NOT_FOUND, RecordType.CancelOrder);
    });

    test('an unknown order, or neither id, is not found', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 1_000, 5);
      rejectedUnchanged(h, () => h.cancel(1, 12_345), Code.ORDER_NOT_FOUND, RecordType.CancelOrder);
      rejectedUnchanged(h, () => h.cancel(1, 0, 0), Code.ORDER_NOT_FOUND, RecordType.CancelOrder);
    });

    test('an untriggered stop can be cancelled and leaves no level change', () => {
      const h = new Harness(make);
      h.mark(1_000);
      h.place({ orderId: 9, side: BUY, orderType: OrderType.STOP_MARKET, triggerPriceTicks: 1_050, qtyLots: 2 });
      h.take();
      assert.equal(h.cancel(1, 9), Code.OK);
      const events = h.take();
      assert.deepEqual(events.map((e) => [e.type, e.orderType, e.remainingLots]), [[T.ORDER_CANCELLED, OrderType.STOP_MARKET, 2]]);
      assert.equal(h.book.openOrderCount(1), 0);
    });

    test('cancelAll cancels every open order of the account in orderId order and returns the count', () => {
      const h = new Harness(make);
      h.mark(1_000);
      h.limit(1, SELL, 1_010, 1, { orderId: 30 });
      h.limit(1, BUY, 990, 1, { orderId: 10 });
      h.place({ orderId: 20, accountId: 1, side: BUY, orderType: OrderType.STOP_MARKET, triggerPriceTicks: 1_050 });
      const other = h.limit(2, BUY, 991, 1);
      h.take();
      assert.equal(h.book.cancelAll(1, CancelReason.CANCEL_ALL, h.now()), 3);
      const cancelled = only(h.take(), T.ORDER_CANCELLED);
      assert.deepEqual(cancelled.map((e) => [e.orderId, e.reason]), [[10, CancelReason.CANCEL_ALL], [20, CancelReason.CANCEL_ALL], [30, CancelReason.CANCEL_ALL]]);
      assert.deepEqual(h.book.orders().map((o) => o.orderId), [other]);
    });

    test('cancelAll of an account without orders returns 0 and emits nothing', () => {
      const h = new Harness(make);
      h.limit(2, BUY, 990, 1);
      h.take();
      assert.equal(h.book.cancelAll(1, CancelReason.CANCEL_ALL, h.now()), 0);
      assert.deepEqual(h.take(), []);
    });
  });

  describe('amend', () => {
    test('a quantity cut at the same price keeps queue priority', () => {
      const h = new Harness(make);
      const first = h.limit(1, SELL, 1_000, 5);
      h.limit(2, SELL, 1_000, 5);
      h.take();
      assert.equal(h.amend(1, first, 0, 3), Code.OK);
      const [ev] = h.take();
      assert.deepEqual([ev!.type, ev!.oldQtyLots, ev!.qtyLots, ev!.remainingLots, ev!.keptPriority], [T.ORDER_AMENDED, 5, 3, 3, true]);
      h.limit(3, BUY, 1_000, 1);
      assert.equal(only(h.take(), T.TRADE_EXECUTED)[0]!.makerOrderId, first);
    });

    test('a quantity increase sends the order to the back of its level', () => {
      const h = new Harness(make);
      const first = h.limit(1, SELL, 1_000, 5);
      const second = h.limit(2, SELL, 1_000, 5);
      h.amend(1, first, 0, 6);
      assert.equal(only(h.take(), T.ORDER_AMENDED)[0]!.keptPriority, false);
      h.limit(3, BUY, 1_000, 1);
      assert.equal(only(h.take(), T.TRADE_EXECUTED)[0]!.makerOrderId, second);
    });

    test('a price change sends the order to the back of its new level', () => {
      const h = new Harness(make);
      const moved = h.limit(1, SELL, 1_001, 5);
      const waiting = h.limit(2, SELL, 1_000, 5);
      h.amend(1, moved, 1_000, 0);
      const [ev] = h.take().slice(-3);
      assert.deepEqual([ev!.type, ev!.oldPriceTicks, ev!.priceTicks, ev!.keptPriority], [T.ORDER_AMENDED, 1_001, 1_000, false]);
      h.limit(3, BUY, 1_000, 6);
      assert.deepEqual(only(h.take(), T.TRADE_EXECUTED).map((t) => t.makerOrderId), [waiting, moved]);
    });

    test('the new quantity is the total including what already filled', () => {
      const h = new Harness(make);
      const id = h.limit(1, SELL, 1_000, 5);
      h.limit(2, BUY, 1_000, 2);
      h.take();
      h.amend(1, id, 0, 4);
      const [ev] = h.take();
      assert.deepEqual([ev!.qtyLots, ev!.remainingLots, ev!.keptPriority], [4, 2, true]);
      assert.deepEqual(h.book.levels(SELL, 1), [{ priceTicks: 1_000, qtyLots: 2, orderCount: 1 }]);
    });

    test('a total at or below the filled quantity is rejected', () => {
      const h = new Harness(make);
      const id = h.limit(1, SELL, 1_000, 5);
      h.limit(2, BUY, 1_000, 2);
      rejectedUnchanged(h, () => h.amend(1, id, 0, 2), Code.AMEND_QTY_BELOW_FILLED, RecordType.AmendOrder);
    });

    test('an amend that changes nothing is rejected', () => {
      const h = new Harness(make);
      const id = h.limit(1, SELL, 1_000, 5);
      rejectedUnchanged(h, () => h.amend(1, id, 1_000, 5), Code.AMEND_NOTHING_TO_CHANGE, RecordType.AmendOrder);
      rejectedUnchanged(h, () => h.amend(1, id, 0, 0), Code.AMEND_NOTHING_TO_CHANGE, RecordType.AmendOrder);
    });

    test('an untriggered stop cannot be amended', () => {
      const h = new Harness(make);
      h.mark(1_000);
      h.place({ orderId: 9, side: BUY, orderType: OrderType.STOP_LIMIT, priceTicks: 1_060, triggerPriceTicks: 1_050 });
      rejectedUnchanged(h, () => h.amend(1, 9, 1_070, 0), Code.STOP_ORDER_NOT_AMENDABLE, RecordType.AmendOrder);
    });

    test('an unknown order or another account’s order is not found', () => {
      const h = new Harness(make);
      const id = h.limit(1, SELL, 1_000, 5);
      rejectedUnchanged(h, () => h.amend(1, 999, 0, 3), Code.ORDER_NOT_FOUND, RecordType.AmendOrder);
      rejectedUnchanged(h, () => h.amend(2, id, 0, 3), Code.ORDER_NOT_FOUND, RecordType.AmendOrder);
    });

    test('a new price is validated like a new order’s: range and band', () => {
      const h = new Harness(make);
      h.mark(1_000);
      const id = h.limit(1, SELL, 1_000, 5);
      rejectedUnchanged(h, () => h.amend(1, id, 1_000_001, 0), Code.PRICE_OUT_OF_RANGE, RecordType.AmendOrder);
      rejectedUnchanged(h, () => h.amend(1, id, 1_101, 0), Code.PRICE_OUTSIDE_BAND, RecordType.AmendOrder);
      rejectedUnchanged(h, () => h.amend(1, id, 0, 1_001), Code.QTY_ABOVE_MAX, RecordType.AmendOrder);
    });

    test('a new price that crosses trades as a taker after ORDER_AMENDED, and the rest rests', () => {
      const h = new Harness(make);
      h.limit(2, BUY, 999, 2);
      const id = h.limit(1, SELL, 1_005, 5);
      h.take();
      assert.equal(h.amend(1, id, 999, 0), Code.OK);
      assert.deepEqual(h.types(), [T.ORDER_AMENDED, T.TRADE_EXECUTED, T.BOOK_LEVEL_CHANGED, T.BOOK_LEVEL_CHANGED, T.BOOK_LEVEL_CHANGED]);
      assert.deepEqual(h.book.levels(SELL, 2), [{ priceTicks: 999, qtyLots: 3, orderCount: 1 }]);
      assert.equal(h.book.bestBid(), 0);
    });

    test('a post-only order whose new price would take is rejected and stays as it was', () => {
      const h = new Harness(make);
      h.limit(2, BUY, 999, 2);
      const id = h.limit(1, SELL, 1_005, 5, { timeInForce: TimeInForce.POST_ONLY });
      rejectedUnchanged(h, () => h.amend(1, id, 999, 0), Code.POST_ONLY_WOULD_TAKE, RecordType.AmendOrder);
    });

    test('an order can be amended by its clientOrderId', () => {
      const h = new Harness(make);
      const id = h.limit(1, SELL, 1_000, 5, { clientOrderId: 5 });
      h.take();
      assert.equal(h.book.amend(1, 0, 5, 0, 4, h.now()), Code.OK);
      assert.equal(h.take()[0]!.orderId, id);
    });
  });
}
