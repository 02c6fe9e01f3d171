// Contract: a Deleverage closes the liquidated account's position against a counterparty's opposite one
// at the given price, off the book, as one ADL trade clipped to both positions.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Code } from '../../../../engine/codes.js';
import { CancelReason, OrderOrigin } from '../../../../engine/enums.js';
import { RecordType } from '../../../../engine/ring/types.js';
import { BUY, Harness, SELL, T, only, type BookFactory } from './harness.js';

export function deleverageContract(make: BookFactory): void {
  describe('deleverage', () => {
    test('a deleverage closes both positions at the given price as one ADL trade, off the book', () => {
      const h = new Harness(make);
      h.position(1, BUY, 5, 1_000, 2); // account 1 long 5, account 2 short 5
      h.limit(9, BUY, 990, 3);
      h.take();
      const book = { bids: h.book.levels(BUY, 5), last: h.book.lastTradePrice() };
      assert.equal(h.book.deleverage(1, 2, SELL, 3, 950, 777, h.now()), Code.OK);
      const [trade, ...rest] = h.take();
      assert.equal(rest.length, 0, 'no level change: the book is not touched');
      assert.equal(trade!.type, T.TRADE_EXECUTED);
      assert.deepEqual(
        [trade!.accountId, trade!.orderId, trade!.side, trade!.origin, trade!.makerAccountId, trade!.makerOrderId, trade!.makerOrigin, trade!.priceTicks, trade!.qtyLots, trade!.remainingLots, trade!.makerRemainingLots],
        [1, 777, SELL, OrderOrigin.ADL, 2, 777, OrderOrigin.ADL, 950, 3, 0, 0],
      );
      assert.equal(h.book.positionLots(1), 2);
      assert.equal(h.book.positionLots(2), -2);
      assert.deepEqual(h.book.levels(BUY, 5), book.bids);
      assert.equal(h.book.lastTradePrice(), book.last, 'an ADL price is not a market price');
    });

    test('a deleverage is clipped to the smaller of the two positions', () => {
      const h = new Harness(make);
      h.position(1, BUY, 5);
      h.position(3, SELL, 2, 1_000, 4); // account 3 short 2, against account 4
      assert.equal(h.book.deleverage(1, 3, SELL, 5, 950, 778, h.now()), Code.OK);
      const [trade] = only(h.take(), T.TRADE_EXECUTED);
      assert.equal(trade!.qtyLots, 2);
      assert.equal(h.book.positionLots(3), 0);
      assert.equal(h.book.positionLots(1), 3);
    });

    test('a counterparty on the same side, or flat, is refused with DELEVERAGE_NOT_POSSIBLE and nothing changes', () => {
      const h = new Harness(make);
      h.position(1, BUY, 5);
      h.position(3, BUY, 2, 1_000, 4); // account 3 long 2: the same side as account 1
      const before = h.book.stateHash();
      assert.equal(h.book.deleverage(1, 3, SELL, 1, 950, 779, h.now()), Code.DELEVERAGE_NOT_POSSIBLE);
      assert.equal(h.book.deleverage(1, 42, SELL, 1, 950, 780, h.now()), Code.DELEVERAGE_NOT_POSSIBLE);
      const events = h.take();
      assert.deepEqual(events.map((e) => [e.type, e.code, e.commandType, e.orderId]), [
        [T.ORDER_REJECTED, Code.DELEVERAGE_NOT_POSSIBLE, RecordType.Deleverage, 779],
        [T.ORDER_REJECTED, Code.DELEVERAGE_NOT_POSSIBLE, RecordType.Deleverage, 780],
      ]);
      assert.equal(h.book.stateHash(), before);
    });

    test('malformed deleverages are refused with their shape codes', () => {
      const h = new Harness(make);
      h.position(1, BUY, 5, 1_000, 2);
      const before = h.book.stateHash();
      assert.equal(h.book.deleverage(1, 1, SELL, 1, 950, 781, h.now()), Code.INVALID_ACCOUNT);
      assert.equal(h.book.deleverage(1, 2, SELL, 0, 950, 782, h.now()), Code.QTY_BELOW_MIN);
      assert.equal(h.book.deleverage(1, 2, SELL, 1, 0, 783, h.now()), Code.PRICE_OUT_OF_RANGE);
      assert.equal(h.book.deleverage(1, 2, SELL, 1, 950, 0, h.now()), Code.INVALID_ORDER_ID);
      assert.equal(h.book.deleverage(1, 2, 7 as typeof SELL, 1, 950, 784, h.now()), Code.INVALID_SIDE);
      assert.equal(h.book.stateHash(), before);
    });

    test('a deleverage that closes a position cancels that account\'s reduce-only orders', () => {
      const h = new Harness(make);
      h.position(1, BUY, 2, 1_000, 2);
      const ro = h.limit(2, BUY, 900, 2, { reduceOnly: true }); // account 2 is short 2: a reducing buy
      h.take();
      assert.equal(h.book.deleverage(1, 2, SELL, 2, 950, 785, h.now()), Code.OK);
      const cancelled = only(h.take(), T.ORDER_CANCELLED);
      assert.deepEqual(cancelled.map((c) => [c.orderId, c.reason]), [[ro, CancelReason.REDUCE_ONLY]]);
    });
  });
}
