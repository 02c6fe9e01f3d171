// Contract: self-trade prevention, decided by the taker's mode when it meets an order of its own account.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Code } from '../../../../engine/codes.js';
import { CancelReason, StpMode, TimeInForce } from '../../../../engine/enums.js';
import { RecordType } from '../../../../engine/ring/types.js';
import { BUY, Harness, SELL, T, only, type BookFactory } from './harness.js';

export function selfTradeContract(make: BookFactory): void {
  describe('self-trade prevention', () => {
    test('by default the taker’s remainder expires (STP_TAKER) and the own maker stays', () => {
      const h = new Harness(make);
      h.limit(2, SELL, 1_000, 1);
      const own = h.limit(1, SELL, 1_001, 3);
      h.take();
      h.limit(1, BUY, 1_001, 4);
      const events = h.take();
      assert.equal(only(events, T.TRADE_EXECUTED).length, 1);
      const [expired] = only(events, T.ORDER_EXPIRED);
      assert.deepEqual([expired!.reason, expired!.remainingLots, expired!.filledLots], [CancelReason.STP_TAKER, 3, 1]);
      assert.deepEqual(h.book.orders().map((o) => o.orderId), [own]);
    });

    test('EXPIRE_MAKER expires the own maker (STP_MAKER) and matching continues', () => {
      const h = new Harness(make);
      const own = h.limit(1, SELL, 1_000, 3);
      const other = h.limit(2, SELL, 1_001, 3);
      h.take();
      h.limit(1, BUY, 1_001, 2, { stpMode: StpMode.EXPIRE_MAKER });
      const events = h.take();
      assert.deepEqual(events.slice(0, 3).map((e) => e.type), [T.ORDER_ACCEPTED, T.ORDER_EXPIRED, T.TRADE_EXECUTED]);
      assert.deepEqual([events[1]!.orderId, events[1]!.reason, events[1]!.remainingLots], [own, CancelReason.STP_MAKER, 3]);
      assert.equal(events[2]!.makerOrderId, other);
    });

    test('EXPIRE_BOTH expires the maker, then the taker, both with STP_BOTH', () => {
      const h = new Harness(make);
      const own = h.limit(1, SELL, 1_000, 3);
      h.limit(2, SELL, 1_001, 3);
      h.take();
      const taker = h.peekOrderId();
      h.limit(1, BUY, 1_001, 2, { stpMode: StpMode.EXPIRE_BOTH });
      const expired = only(h.take(), T.ORDER_EXPIRED);
      assert.deepEqual(expired.map((e) => [e.orderId, e.reason]), [[own, CancelReason.STP_BOTH], [taker, CancelReason.STP_BOTH]]);
      assert.equal(h.book.bestAsk(), 1_001);
      assert.equal(h.book.positionLots(1), 0);
    });

    test('a DEFAULT order takes the account’s default, and ORDER_ACCEPTED shows the resolved mode', () => {
      const h = new Harness(make);
      assert.equal(h.book.setAccountStp(1, StpMode.EXPIRE_MAKER), Code.OK);
      const own = h.limit(1, SELL, 1_000, 3);
      h.take();
      h.limit(1, BUY, 1_000, 1);
      const events = h.take();
      assert.equal(events[0]!.stpMode, StpMode.EXPIRE_MAKER);
      assert.deepEqual([events[1]!.type, events[1]!.orderId, events[1]!.reason], [T.ORDER_EXPIRED, own, CancelReason.STP_MAKER]);
    });

    test('without an account default, DEFAULT resolves to EXPIRE_TAKER', () => {
      const h = new Harness(make);
      h.limit(1, BUY, 990, 1);
      assert.equal(h.take()[0]!.stpMode, StpMode.EXPIRE_TAKER);
    });

    test('an explicit mode on the order overrides the account default', () => {
      const h = new Harness(make);
      h.book.setAccountStp(1, StpMode.EXPIRE_MAKER);
      h.limit(1, SELL, 1_000, 3);
      h.take();
      h.place({ accountId: 1, side: BUY, priceTicks: 1_000, stpMode: StpMode.EXPIRE_TAKER, timeInForce: TimeInForce.IOC });
      assert.equal(only(h.take(), T.ORDER_EXPIRED)[0]!.reason, CancelReason.STP_TAKER);
      assert.equal(h.book.bestAsk(), 1_000);
    });

    test('setAccountStp rejects DEFAULT and unknown modes with INVALID_STP_MODE', () => {
      const h = new Harness(make);
      const before = h.book.stateHash();
      for (const mode of [StpMode.DEFAULT, 4]) {
        assert.equal(h.book.setAccountStp(1, mode as StpMode), Code.INVALID_STP_MODE);
        const [ev] = h.take();
        assert.deepEqual([ev!.type, ev!.code, ev!.commandType], [T.ORDER_REJECTED, Code.INVALID_STP_MODE, RecordType.SetAccountConfig]);
      }
      assert.equal(h.book.stateHash(), before);
    });

    test('an account default is part of the state hash', () => {
      const h = new Harness(make);
      const before = h.book.stateHash();
      h.book.setAccountStp(1, StpMode.EXPIRE_BOTH);
      assert.notEqual(h.book.stateHash(), before);
      h.book.setAccountStp(1, StpMode.EXPIRE_TAKER);
      assert.equal(h.book.stateHash(), before);
    });
  });
}
