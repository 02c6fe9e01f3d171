// Contract: after each command's other events, one BOOK_LEVEL_CHANGED per level whose (qty, count)
// differs from before the command: bids best first, then asks best first; (0, 0) means gone.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OrderType, TimeInForce, TriggerSource } from '../../../../engine/enums.js';
import { BUY, Harness, SELL, T, type BookFactory } from './harness.js';

export function levelChangesContract(make: BookFactory): void {
  describe('L2 level changes', () => {
    test('a resting order reports its level’s new total and count', () => {
      const h = new Harness(make);
      h.limit(1, BUY, 990, 2);
      h.take();
      h.limit(2, BUY, 990, 3);
      const [, level] = h.take();
      assert.deepEqual([level!.type, level!.side, level!.priceTicks, level!.levelQtyLots, level!.orderCount], [T.BOOK_LEVEL_CHANGED, BUY, 990, 5, 2]);
    });

    test('a sweep reports bids best first, then asks best first, after all other events', () => {
      const h = new Harness(make);
      h.limit(1, BUY, 990, 1);
      h.limit(1, BUY, 995, 1);
      h.limit(2, SELL, 1_005, 1);
      h.limit(2, SELL, 1_006, 1);
      h.take();
      h.place({ accountId: 3, side: SELL, priceTicks: 990, qtyLots: 3 });
      const events = h.take();
      const levels = events.filter((e) => e.type === T.BOOK_LEVEL_CHANGED);
      assert.deepEqual(events.slice(-levels.length), levels);
      assert.deepEqual(levels.map((e) => [e.side, e.priceTicks, e.levelQtyLots, e.orderCount]), [
        [BUY, 995, 0, 0],
        [BUY, 990, 0, 0],
        [SELL, 990, 1, 1],
      ]);
    });

    test('a level emptied and refilled to the same total within one command is not reported', () => {
      const h = new Harness(make);
      h.limit(9, SELL, 1_010, 2);
      // A take-profit sell on the last price refills the ask level the taker empties, with the same total.
      h.place({ accountId: 5, side: SELL, orderType: OrderType.TAKE_PROFIT_LIMIT, triggerSource: TriggerSource.LAST, priceTicks: 1_010, triggerPriceTicks: 1_010, qtyLots: 2 });
      h.take();
      h.place({ accountId: 2, side: BUY, priceTicks: 1_010, qtyLots: 2, timeInForce: TimeInForce.IOC });
      assert.deepEqual(h.types(), [T.ORDER_ACCEPTED, T.TRADE_EXECUTED, T.ORDER_TRIGGERED]);
      assert.deepEqual(h.book.levels(SELL, 2), [{ priceTicks: 1_010, qtyLots: 2, orderCount: 1 }]);
    });

    test('an untriggered stop changes no level', () => {
      const h = new Harness(make);
      h.mark(1_000);
      h.place({ side: BUY, orderType: OrderType.STOP_LIMIT, priceTicks: 1_060, triggerPriceTicks: 1_050 });
      assert.deepEqual(h.types(), [T.ORDER_ACCEPTED]);
    });

    test('levels() gives each side best first with totals and counts', () => {
      const h = new Harness(make);
      h.limit(1, BUY, 990, 1);
      h.limit(2, BUY, 995, 2);
      h.limit(3, BUY, 990, 4);
      h.limit(1, SELL, 1_010, 3);
      assert.deepEqual(h.book.levels(BUY, 10), [
        { priceTicks: 995, qtyLots: 2, orderCount: 1 },
        { priceTicks: 990, qtyLots: 5, orderCount: 2 },
      ]);
      assert.deepEqual(h.book.levels(BUY, 1), [{ priceTicks: 995, qtyLots: 2, orderCount: 1 }]);
      assert.deepEqual(h.book.levels(SELL, 10), [{ priceTicks: 1_010, qtyLots: 3, orderCount: 1 }]);
    });
  });
}
