// Contract: price-time priority, trades at the maker's price, the taker's event sequence, and how each
// order type and time-in-force ends its remainder.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Code } from '../../../../engine/codes.js';
import { CancelReason, OrderType, TimeInForce } from '../../../../engine/enums.js';
import { BUY, Harness, SELL, T, only, type BookFactory } from './harness.js';

export function matchingContract(make: BookFactory): void {
  describe('matching', () => {
    test('a limit order that does not cross rests and is accepted with its own fields', () => {
      const h = new Harness(make);
      const id = h.limit(1, BUY, 990, 3, { clientOrderId: 44 });
      const [acc, level] = h.take();
      assert.deepEqual([acc!.type, acc!.orderId, acc!.accountId, acc!.clientOrderId, acc!.priceTicks, acc!.qtyLots], [T.ORDER_ACCEPTED, id, 1, 44, 990, 3]);
      assert.equal(level!.type, T.BOOK_LEVEL_CHANGED);
      assert.equal(h.book.bestBid(), 990);
      assert.equal(h.book.openOrderCount(1), 1);
    });

    test('a crossing order trades at the maker’s price, not its own', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 1_000, 2);
      h.take();
      h.limit(2, BUY, 1_050, 2);
      const [trade] = only(h.take(), T.TRADE_EXECUTED);
      assert.equal(trade!.priceTicks, 1_000);
      assert.equal(h.book.lastTradePrice(), 1_000);
    });

    test('the better price fills first', () => {
      const h = new Harness(make);
      const worse = h.limit(1, SELL, 1_002, 1);
      const better = h.limit(2, SELL, 1_001, 1);
      h.take();
      h.limit(3, BUY, 1_002, 1);
      assert.equal(only(h.take(), T.TRADE_EXECUTED)[0]!.makerOrderId, better);
      h.limit(3, BUY, 1_002, 1);
      assert.equal(only(h.take(), T.TRADE_EXECUTED)[0]!.makerOrderId, worse);
    });

    test('within a price the earlier order fills first', () => {
      const h = new Harness(make);
      const first = h.limit(1, SELL, 1_000, 1);
      const second = h.limit(2, SELL, 1_000, 1);
      h.take();
      h.limit(3, BUY, 1_000, 2);
      assert.deepEqual(only(h.take(), T.TRADE_EXECUTED).map((t) => t.makerOrderId), [first, second]);
    });

    test('trade ids are contiguous from 1 across commands', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 1_000, 3);
      h.limit(2, BUY, 1_000, 1);
      h.limit(2, BUY, 1_000, 2);
      assert.deepEqual(only(h.take(), T.TRADE_EXECUTED).map((t) => t.tradeId), [1, 2]);
      h.limit(1, SELL, 1_001, 1);
      h.limit(1, SELL, 1_002, 1);
      h.market(3, BUY, 2);
      assert.deepEqual(only(h.take(), T.TRADE_EXECUTED).map((t) => t.tradeId), [3, 4]);
    });

    test('the taker is accepted before its trades, then its remainder ends, then level changes follow', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 1_000, 1);
      h.limit(2, SELL, 1_001, 1);
      h.take();
      h.place({ accountId: 3, side: BUY, priceTicks: 1_001, qtyLots: 5, timeInForce: TimeInForce.IOC });
      assert.deepEqual(h.types(), [T.ORDER_ACCEPTED, T.TRADE_EXECUTED, T.TRADE_EXECUTED, T.ORDER_EXPIRED, T.BOOK_LEVEL_CHANGED, T.BOOK_LEVEL_CHANGED]);
    });

    test('a trade reports what each side has left, and a filled maker simply leaves', () => {
      const h = new Harness(make);
      const maker = h.limit(1, SELL, 1_000, 2);
      h.take();
      const taker = h.peekOrderId();
      h.limit(2, BUY, 1_000, 5, { clientOrderId: 9 });
      const events = h.take();
      const trade = only(events, T.TRADE_EXECUTED)[0]!;
      assert.deepEqual(
        [trade.orderId, trade.clientOrderId, trade.accountId, trade.side, trade.qtyLots, trade.remainingLots, trade.makerOrderId, trade.makerAccountId, trade.makerRemainingLots],
        [taker, 9, 2, BUY, 2, 3, maker, 1, 0],
      );
      assert.equal(only(events, T.ORDER_CANCELLED).length + only(events, T.ORDER_EXPIRED).length, 0);
      assert.equal(h.book.openOrderCount(1), 0);
    });

    test('a GTC remainder rests at its limit after sweeping', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 1_000, 2);
      h.limit(2, BUY, 1_001, 5);
      assert.equal(h.book.bestBid(), 1_001);
      assert.deepEqual(h.book.levels(BUY, 5), [{ priceTicks: 1_001, qtyLots: 3, orderCount: 1 }]);
      assert.equal(h.book.bestAsk(), 0);
    });

    test('an IOC remainder expires with IOC_REMAINDER', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 1_000, 2);
      h.take();
      h.place({ accountId: 2, side: BUY, priceTicks: 1_000, qtyLots: 5, timeInForce: TimeInForce.IOC });
      const [expired] = only(h.take(), T.ORDER_EXPIRED);
      assert.deepEqual([expired!.reason, expired!.remainingLots, expired!.filledLots], [CancelReason.IOC_REMAINDER, 3, 2]);
      assert.equal(h.book.bestBid(), 0);
    });

    test('an IOC order that cannot trade at all expires whole', () => {
      const h = new Harness(make);
      h.place({ accountId: 2, side: BUY, priceTicks: 1_000, qtyLots: 5, timeInForce: TimeInForce.IOC });
      assert.deepEqual(h.types(), [T.ORDER_ACCEPTED, T.ORDER_EXPIRED]);
      assert.equal(h.book.orderCount(), 0);
    });

    test('a fill-or-kill order that can fill fills completely', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 1_000, 2);
      h.limit(2, SELL, 1_001, 2);
      h.take();
      assert.equal(h.place({ accountId: 3, side: BUY, priceTicks: 1_001, qtyLots: 4, timeInForce: TimeInForce.FOK }), Code.OK);
      assert.deepEqual(h.types(), [T.ORDER_ACCEPTED, T.TRADE_EXECUTED, T.TRADE_EXECUTED, T.BOOK_LEVEL_CHANGED, T.BOOK_LEVEL_CHANGED]);
      assert.equal(h.book.positionLots(3), 4);
    });

    test('a post-only order that does not cross rests', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 1_000, 1);
      assert.equal(h.place({ accountId: 2, side: BUY, priceTicks: 999, timeInForce: TimeInForce.POST_ONLY }), Code.OK);
      assert.equal(h.book.bestBid(), 999);
    });

    test('a market order without a price is limited to the default slippage band and expires beyond it', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 1_000, 1);
      h.limit(1, SELL, 1_050, 1);
      h.limit(1, SELL, 1_051, 1);
      h.take();
      assert.equal(h.market(2, BUY, 5), Code.OK);
      const events = h.take();
      // 1000 + ceil(1000 · 500 / 10^4) = 1050
      assert.equal(events[0]!.priceTicks, 1_050);
      assert.deepEqual(only(events, T.TRADE_EXECUTED).map((t) => t.priceTicks), [1_000, 1_050]);
      const [expired] = only(events, T.ORDER_EXPIRED);
      assert.deepEqual([expired!.reason, expired!.remainingLots, expired!.priceTicks], [CancelReason.SLIPPAGE_LIMIT, 3, 1_050]);
      assert.equal(h.book.bestAsk(), 1_051);
    });

    test('the default band of a market sell rounds its distance up and never goes below one tick', () => {
      const h = new Harness(make);
      h.limit(1, BUY, 999, 1);
      h.take();
      h.market(2, SELL, 1);
      // 999 − ceil(999 · 500 / 10^4) = 999 − 50
      assert.equal(h.take()[0]!.priceTicks, 949);
      const low = new Harness(make);
      low.limit(1, BUY, 1, 1);
      low.take();
      low.market(2, SELL, 1);
      assert.equal(low.take()[0]!.priceTicks, 1);
    });

    test('a market order with a price uses it as its worst price', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 1_000, 1);
      h.limit(1, SELL, 1_002, 1);
      h.take();
      h.market(2, BUY, 2, { priceTicks: 1_001 });
      const events = h.take();
      assert.equal(only(events, T.TRADE_EXECUTED).length, 1);
      assert.equal(only(events, T.ORDER_EXPIRED)[0]!.reason, CancelReason.SLIPPAGE_LIMIT);
    });

    test('a market order that empties the opposite side expires with NO_LIQUIDITY', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 1_000, 1);
      h.take();
      h.market(2, BUY, 3);
      const [expired] = only(h.take(), T.ORDER_EXPIRED);
      assert.deepEqual([expired!.reason, expired!.remainingLots, expired!.filledLots], [CancelReason.NO_LIQUIDITY, 2, 1]);
    });

    test('a market order with a price and an empty opposite side is accepted and expires', () => {
      const h = new Harness(make);
      assert.equal(h.market(2, BUY, 3, { priceTicks: 1_000 }), Code.OK);
      const events = h.take();
      assert.deepEqual(events.map((e) => e.type), [T.ORDER_ACCEPTED, T.ORDER_EXPIRED]);
      assert.equal(events[1]!.reason, CancelReason.NO_LIQUIDITY);
    });

    test('a GTC market order never rests', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 1_000, 1);
      h.market(2, BUY, 3, { timeInForce: TimeInForce.GTC });
      assert.equal(h.book.bestBid(), 0);
      assert.equal(h.book.orderCount(), 0);
    });

    test('a fill-or-kill market order that cannot fill within its band is rejected', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 1_000, 1);
      h.limit(1, SELL, 1_051, 5);
      h.take();
      const before = h.book.stateHash();
      assert.equal(h.market(2, BUY, 3, { timeInForce: TimeInForce.FOK }), Code.FOK_NOT_FILLABLE);
      assert.equal(h.book.stateHash(), before);
    });

    test('trades move both accounts’ positions by the traded lots', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 1_000, 2);
      h.limit(2, BUY, 1_000, 5);
      h.market(3, SELL, 4);
      assert.equal(h.book.positionLots(1), -2);
      assert.equal(h.book.positionLots(2), 5);
      assert.equal(h.book.positionLots(3), -3);
    });

    test('orders() lists bids best first in FIFO, then asks best first, then stops by orderId', () => {
      const h = new Harness(make);
      h.mark(1_000);
      const s2 = h.place({ orderId: 50, accountId: 5, side: SELL, orderType: OrderType.STOP_MARKET, triggerPriceTicks: 900 });
      const s1 = h.place({ orderId: 40, accountId: 5, side: BUY, orderType: OrderType.STOP_MARKET, triggerPriceTicks: 1_100 });
      assert.deepEqual([s1, s2], [Code.OK, Code.OK]);
      const b1 = h.limit(1, BUY, 990, 1);
      const b2 = h.limit(2, BUY, 995, 1);
      const b3 = h.limit(3, BUY, 990, 1);
      const a1 = h.limit(1, SELL, 1_010, 1);
      const a2 = h.limit(2, SELL, 1_005, 1);
      assert.deepEqual(h.book.orders().map((o) => o.orderId), [b2, b1, b3, a2, a1, 40, 50]);
    });
  });
}
