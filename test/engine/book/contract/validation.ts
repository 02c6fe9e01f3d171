// Contract: every rejection of a PlaceOrder emits exactly one ORDER_REJECTED carrying the request, returns
// its code and leaves the book unchanged (same state hash); the checks run in a fixed order.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Code } from '../../../../engine/codes.js';
import { OrderType, StpMode, TimeInForce, TriggerSource } from '../../../../engine/enums.js';
import { RecordType } from '../../../../engine/ring/types.js';
import { MarketSpec } from '../../../../engine/market/spec.js';
import { BUY, CONTRACT_SPEC, Harness, SELL, T, type BookFactory, type PlaceArgs } from './harness.js';

/** A book with some state (resting orders both sides, a stop, a mark) to reject against. */
function seeded(make: BookFactory, spec = CONTRACT_SPEC): Harness {
  const h = new Harness(make, spec);
  h.mark(1_000);
  h.limit(1, BUY, 990, 3, { clientOrderId: 7 });
  h.limit(2, SELL, 1_010, 4);
  h.place({ accountId: 3, side: BUY, orderType: OrderType.STOP_MARKET, triggerPriceTicks: 1_050, qtyLots: 2 });
  h.take();
  return h;
}

function assertRejected(h: Harness, args: PlaceArgs, code: number): void {
  const before = h.book.stateHash();
  const req = h.request(args);
  assert.equal(h.book.place(req), code);
  const events = h.take();
  assert.equal(events.length, 1, `expected one event, got ${JSON.stringify(events)}`);
  const ev = events[0]!;
  assert.equal(ev.type, T.ORDER_REJECTED);
  assert.equal(ev.code, code);
  assert.equal(ev.commandType, RecordType.PlaceOrder);
  assert.equal(ev.orderId, req.orderId);
  assert.equal(ev.accountId, req.accountId);
  assert.equal(ev.priceTicks, req.priceTicks);
  assert.equal(ev.qtyLots, req.qtyLots);
  assert.equal(h.book.stateHash(), before, 'a rejected order must leave the book unchanged');
}

export function validationContract(make: BookFactory): void {
  describe('place validation', () => {
    const cases: [string, PlaceArgs, number][] = [
      ['an orderId of 0', { orderId: 0, priceTicks: 1_000 }, Code.INVALID_ORDER_ID],
      ['an orderId of 2^53', { orderId: 2 ** 53, priceTicks: 1_000 }, Code.INVALID_ORDER_ID],
      ['a fractional orderId', { orderId: 1.5, priceTicks: 1_000 }, Code.INVALID_ORDER_ID],
      ['a negative clientOrderId', { clientOrderId: -1, priceTicks: 1_000 }, Code.INVALID_CLIENT_ORDER_ID],
      ['an accountId of 2^32', { accountId: 2 ** 32, priceTicks: 1_000 }, Code.INVALID_ACCOUNT],
      ['an unknown side', { side: 2, priceTicks: 1_000 }, Code.INVALID_SIDE],
      ['an unknown order type', { orderType: 6, priceTicks: 1_000 }, Code.INVALID_ORDER_TYPE],
      ['an unknown time in force', { timeInForce: 4, priceTicks: 1_000 }, Code.INVALID_TIME_IN_FORCE],
      ['an unknown STP mode', { stpMode: 4, priceTicks: 1_000 }, Code.INVALID_STP_MODE],
      ['an unknown trigger source', { triggerSource: 2, priceTicks: 1_000 }, Code.INVALID_TRIGGER_SOURCE],
      ['an unknown origin', { origin: 3, priceTicks: 1_000 }, Code.INVALID_FLAGS],
      ['a fractional quantity', { qtyLots: 1.5, priceTicks: 1_000 }, Code.INVALID_NUMBER],
      ['a quantity below the minimum', { qtyLots: 0, priceTicks: 1_000 }, Code.QTY_BELOW_MIN],
      ['a quantity above the maximum', { qtyLots: 1_001, priceTicks: 1_000 }, Code.QTY_ABOVE_MAX],
      ['a limit order without a price', { priceTicks: 0 }, Code.PRICE_REQUIRED],
      ['a stop-limit order without a price', { orderType: OrderType.STOP_LIMIT, triggerPriceTicks: 1_050 }, Code.PRICE_REQUIRED],
      ['a take-profit-limit order without a price', { orderType: OrderType.TAKE_PROFIT_LIMIT, triggerPriceTicks: 950 }, Code.PRICE_REQUIRED],
      ['a price above maxPriceTicks', { priceTicks: 1_000_001 }, Code.PRICE_OUT_OF_RANGE],
      ['a negative market price', { orderType: OrderType.MARKET, priceTicks: -1 }, Code.PRICE_OUT_OF_RANGE],
      ['a stop without a trigger price', { orderType: OrderType.STOP_MARKET }, Code.TRIGGER_PRICE_REQUIRED],
      ['a trigger price above maxPriceTicks', { orderType: OrderType.STOP_MARKET, triggerPriceTicks: 1_000_001 }, Code.TRIGGER_PRICE_OUT_OF_RANGE],
      ['a trigger price on a limit order', { priceTicks: 1_000, triggerPriceTicks: 1_050 }, Code.TRIGGER_PRICE_OUT_OF_RANGE],
      ['post-only on a market order', { orderType: OrderType.MARKET, timeInForce: TimeInForce.POST_ONLY }, Code.POST_ONLY_REQUIRES_LIMIT],
      ['post-only on a stop-limit order', { orderType: OrderType.STOP_LIMIT, timeInForce: TimeInForce.POST_ONLY, priceTicks: 1_050, triggerPriceTicks: 1_050 }, Code.POST_ONLY_REQUIRES_LIMIT],
      ['a limit price above the band', { priceTicks: 1_101 }, Code.PRICE_OUTSIDE_BAND],
      ['a limit price below the band', { side: SELL, priceTicks: 899 }, Code.PRICE_OUTSIDE_BAND],
      ['an orderId already open', { orderId: 1, priceTicks: 1_000 }, Code.DUPLICATE_ORDER_ID],
      ['a clientOrderId already open in the account', { accountId: 1, clientOrderId: 7, priceTicks: 980 }, Code.DUPLICATE_CLIENT_ORDER_ID],
      ['a reduce-only order without a position', { reduceOnly: true, priceTicks: 980 }, Code.REDUCE_ONLY_WOULD_NOT_REDUCE],
      ['a mark stop whose condition already holds', { side: SELL, orderType: OrderType.STOP_MARKET, triggerPriceTicks: 1_000 }, Code.STOP_WOULD_TRIGGER_IMMEDIATELY],
      ['a take-profit whose condition already holds', { side: BUY, orderType: OrderType.TAKE_PROFIT_MARKET, triggerPriceTicks: 1_001 }, Code.STOP_WOULD_TRIGGER_IMMEDIATELY],
      ['a post-only order that would take', { side: BUY, timeInForce: TimeInForce.POST_ONLY, priceTicks: 1_010 }, Code.POST_ONLY_WOULD_TAKE],
      ['a fill-or-kill order larger than the liquidity', { side: BUY, timeInForce: TimeInForce.FOK, priceTicks: 1_010, qtyLots: 5 }, Code.FOK_NOT_FILLABLE],
      ['a fill-or-kill order whose price reaches too little', { side: SELL, timeInForce: TimeInForce.FOK, priceTicks: 991, qtyLots: 1 }, Code.FOK_NOT_FILLABLE],
    ];
    for (const [what, args, code] of cases) {
      test(`rejects ${what} with ${code} and leaves the book unchanged`, () => assertRejected(seeded(make), args, code));
    }

    test('accepts a limit price exactly at the band edge', () => {
      const h = seeded(make);
      assert.equal(h.place({ priceTicks: 900 }), Code.OK);
      assert.equal(h.place({ side: SELL, priceTicks: 1_100 }), Code.OK);
    });

    test('takes the band reference from the last trade when no mark was set', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 2_000, 1);
      h.place({ accountId: 2, side: BUY, priceTicks: 2_000, timeInForce: TimeInForce.IOC });
      h.take();
      assertRejected(h, { side: BUY, priceTicks: 1_799 }, Code.PRICE_OUTSIDE_BAND);
    });

    test('admits any limit price while neither mark nor last trade exists', () => {
      const h = new Harness(make);
      assert.equal(h.place({ priceTicks: 1 }), Code.OK);
      assert.equal(h.place({ side: SELL, priceTicks: 1_000_000 }), Code.OK);
    });

    test('lets another account use a clientOrderId that is open elsewhere', () => {
      const h = seeded(make);
      assert.equal(h.place({ accountId: 2, clientOrderId: 7, priceTicks: 980 }), Code.OK);
    });

    test('rejects the account beyond maxOpenOrdersPerAccount, counting untriggered stops', () => {
      const h = new Harness(make);
      h.mark(1_000);
      for (let i = 0; i < 4; i++) h.limit(1, BUY, 990 - i, 1);
      assert.equal(h.place({ accountId: 1, orderType: OrderType.STOP_MARKET, triggerPriceTicks: 1_050 }), Code.OK);
      h.take();
      assertRejected(h, { accountId: 1, priceTicks: 980 }, Code.TOO_MANY_OPEN_ORDERS);
    });

    test('lets an account at its open-order limit still send IOC orders', () => {
      const h = new Harness(make);
      for (let i = 0; i < 5; i++) h.limit(1, BUY, 990 - i, 1);
      h.limit(2, SELL, 1_000, 1);
      assert.equal(h.place({ accountId: 1, side: BUY, priceTicks: 1_000, timeInForce: TimeInForce.IOC }), Code.OK);
      assert.equal(h.book.positionLots(1), 1);
    });

    test('rejects an order that could rest when the book holds maxOrders orders', () => {
      const spec = new MarketSpec({ ...CONTRACT_SPEC, maxOrders: 3 });
      const h = new Harness(make, spec);
      h.limit(1, BUY, 990, 1);
      h.limit(2, BUY, 989, 1);
      h.limit(3, SELL, 1_010, 1);
      h.take();
      assertRejected(h, { accountId: 4, priceTicks: 980 }, Code.BOOK_FULL);
    });

    test('lets a market order run when the book is full', () => {
      const spec = new MarketSpec({ ...CONTRACT_SPEC, maxOrders: 2 });
      const h = new Harness(make, spec);
      h.limit(1, BUY, 990, 1);
      h.limit(3, SELL, 1_010, 1);
      assert.equal(h.market(4, BUY, 1), Code.OK);
      assert.equal(h.book.positionLots(4), 1);
    });

    test('checks the account limit before the book limit, and both before reduce-only', () => {
      const spec = new MarketSpec({ ...CONTRACT_SPEC, maxOrders: 5 });
      const h = new Harness(make, spec);
      for (let i = 0; i < 5; i++) h.limit(1, BUY, 990 - i, 1);
      assert.equal(h.place({ accountId: 1, priceTicks: 980, reduceOnly: true }), Code.TOO_MANY_OPEN_ORDERS);
      assert.equal(h.place({ accountId: 2, priceTicks: 980, reduceOnly: true }), Code.BOOK_FULL);
    });

    test('rejects a reduce-only order on the side of the position', () => {
      const h = new Harness(make);
      h.position(1, BUY, 2);
      assertRejected(h, { accountId: 1, side: BUY, reduceOnly: true, priceTicks: 990 }, Code.REDUCE_ONLY_WOULD_NOT_REDUCE);
    });

    test('rejects a market order without a price when the opposite side is empty', () => {
      const h = new Harness(make);
      h.limit(1, BUY, 990, 1);
      h.take();
      assertRejected(h, { accountId: 2, side: BUY, orderType: OrderType.MARKET, timeInForce: TimeInForce.IOC }, Code.NO_LIQUIDITY);
    });

    test('rejects a post-only order that would only meet the account’s own order', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 1_000, 1);
      h.take();
      assertRejected(h, { accountId: 1, side: BUY, timeInForce: TimeInForce.POST_ONLY, priceTicks: 1_000 }, Code.POST_ONLY_WOULD_TAKE);
    });

    test('rejects fill-or-kill when self-trade prevention would stop it short', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 1_000, 1);
      h.limit(2, SELL, 1_001, 5);
      h.take();
      assertRejected(h, { accountId: 1, side: BUY, timeInForce: TimeInForce.FOK, priceTicks: 1_001, qtyLots: 3, stpMode: StpMode.EXPIRE_TAKER }, Code.FOK_NOT_FILLABLE);
    });

    test('fills fill-or-kill past an own order that EXPIRE_MAKER removes', () => {
      const h = new Harness(make);
      h.limit(1, SELL, 1_000, 1);
      h.limit(2, SELL, 1_001, 5);
      h.take();
      assert.equal(h.place({ accountId: 1, side: BUY, timeInForce: TimeInForce.FOK, priceTicks: 1_001, qtyLots: 3, stpMode: StpMode.EXPIRE_MAKER }), Code.OK);
      assert.equal(h.book.positionLots(1), 3);
    });

    test('rejects a reduce-only fill-or-kill larger than the position', () => {
      const h = new Harness(make);
      h.position(1, BUY, 2);
      h.limit(2, BUY, 1_000, 5);
      h.take();
      assertRejected(h, { accountId: 1, side: SELL, reduceOnly: true, timeInForce: TimeInForce.FOK, priceTicks: 1_000, qtyLots: 3 }, Code.FOK_NOT_FILLABLE);
    });

    test('accepts a stop while its trigger source has no price yet', () => {
      const h = new Harness(make);
      assert.equal(h.place({ side: SELL, orderType: OrderType.STOP_MARKET, triggerSource: TriggerSource.LAST, triggerPriceTicks: 1_000 }), Code.OK);
      assert.equal(h.book.orderCount(), 1);
    });

    test('runs the checks in the documented order: the first failing check wins', () => {
      const h = seeded(make);
      const order: [PlaceArgs, number][] = [
        [{ orderId: 0, clientOrderId: -1, side: 2 }, Code.INVALID_ORDER_ID],
        [{ clientOrderId: -1, accountId: -1, side: 2 }, Code.INVALID_CLIENT_ORDER_ID],
        [{ accountId: -1, side: 2 }, Code.INVALID_ACCOUNT],
        [{ side: 2, orderType: 9, timeInForce: 9 }, Code.INVALID_SIDE],
        [{ orderType: 9, timeInForce: 9 }, Code.INVALID_ORDER_TYPE],
        [{ timeInForce: 9, stpMode: 9 }, Code.INVALID_TIME_IN_FORCE],
        [{ stpMode: 9, triggerSource: 9 }, Code.INVALID_STP_MODE],
        [{ triggerSource: 9, origin: 9 }, Code.INVALID_TRIGGER_SOURCE],
        [{ origin: 9, qtyLots: 0 }, Code.INVALID_FLAGS],
        [{ qtyLots: 0, priceTicks: 0 }, Code.QTY_BELOW_MIN],
        [{ priceTicks: 0, triggerPriceTicks: 5 }, Code.PRICE_REQUIRED],
        [{ priceTicks: 2_000_000, triggerPriceTicks: 5 }, Code.PRICE_OUT_OF_RANGE],
        [{ orderType: OrderType.STOP_MARKET, timeInForce: TimeInForce.POST_ONLY }, Code.TRIGGER_PRICE_REQUIRED],
        [{ priceTicks: 1_000, triggerPriceTicks: 5, timeInForce: TimeInForce.POST_ONLY }, Code.TRIGGER_PRICE_OUT_OF_RANGE],
        [{ orderType: OrderType.MARKET, timeInForce: TimeInForce.POST_ONLY, orderId: 1 }, Code.POST_ONLY_REQUIRES_LIMIT],
        [{ priceTicks: 5_000, orderId: 1 }, Code.PRICE_OUTSIDE_BAND],
        [{ priceTicks: 980, orderId: 1, accountId: 1, clientOrderId: 7 }, Code.DUPLICATE_ORDER_ID],
        [{ priceTicks: 980, accountId: 1, clientOrderId: 7, reduceOnly: true }, Code.DUPLICATE_CLIENT_ORDER_ID],
        [{ priceTicks: 1_010, accountId: 1, reduceOnly: true, timeInForce: TimeInForce.POST_ONLY }, Code.REDUCE_ONLY_WOULD_NOT_REDUCE],
        [{ orderType: OrderType.STOP_MARKET, side: SELL, triggerPriceTicks: 1_000, reduceOnly: true }, Code.REDUCE_ONLY_WOULD_NOT_REDUCE],
        [{ priceTicks: 1_010, timeInForce: TimeInForce.POST_ONLY }, Code.POST_ONLY_WOULD_TAKE],
      ];
      for (const [args, code] of order) assert.equal(h.place({ priceTicks: 1_000, ...args }), code, JSON.stringify(args));
    });
  });
}
