// A PlaceOrder retried with an order id the account placed recently is refused (DUPLICATE_ORDER_ID) even
// after the first order ended: a client that retries a command whose acknowledgement a crash swallowed
// never gets a second order. The window is bounded: an id older than PLACED_ORDER_WINDOW acceptances is
// forgotten.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { Side } from '../../../engine/enums.js';
import { PLACED_ORDER_WINDOW } from '../../../risk/shard/state.js';
import { place } from '../../support/commands.js';
import { orderAccepted, orderCancelled, orderRejected } from '../../support/risk-commands.js';
import { RecordType } from '../../../engine/ring/types.js';
import { BTC_60K, BTC_ID, ShardFixture, usdt } from './shard-fixture.js';

function fixture(): ShardFixture {
  const fx = new ShardFixture();
  fx.fund(2, usdt(1_000_000));
  fx.mark(BTC_ID, BTC_60K);
  fx.take();
  fx.takeMarket();
  return fx;
}

/** Places order `orderId`, has the market accept and then cancel it: the order has ended. */
function placeAndEnd(fx: ShardFixture, orderId: number): void {
  fx.gw(place({ orderId, accountId: 2, side: Side.BUY, priceTicks: BTC_60K - 100, qtyLots: 1 }));
  assert.equal(fx.takeMarket().length, 1, `order ${orderId} went to the market`);
  fx.mk(orderAccepted(2, orderId, Side.BUY, BTC_60K - 100, 1));
  fx.mk(orderCancelled(2, orderId, 1));
  fx.take();
}

test('a retried PlaceOrder whose first order already ended is refused, not placed again', () => {
  const fx = fixture();
  placeAndEnd(fx, 10);
  assert.equal(fx.state.accounts.get(2)!.positions.get(BTC_ID)!.orders.size, 0, 'the first order ended');
  fx.gw(place({ orderId: 10, accountId: 2, side: Side.BUY, priceTicks: BTC_60K - 100, qtyLots: 1 }));
  assert.equal(fx.takeMarket().length, 0, 'nothing reached the market');
  const [rejected] = fx.take();
  assert.equal(rejected!.type, 'OrderRejected');
  assert.equal(rejected!.code, Code.DUPLICATE_ORDER_ID);
});

test('the window forgets the oldest id once PLACED_ORDER_WINDOW later orders were accepted', () => {
  const fx = fixture();
  for (let id = 1; id <= PLACED_ORDER_WINDOW + 1; id++) placeAndEnd(fx, id);
  const window = fx.state.accounts.get(2)!.placedOrderIds;
  assert.equal(window.size, PLACED_ORDER_WINDOW);
  assert.equal(window.has(1), false);
  assert.equal(window.has(2), true);
  assert.deepEqual([...window.inOrder()].slice(0, 2), [2, 3]);
});

test('an order the market refused leaves the window: a retry of it is evaluated afresh and reaches the market', () => {
  const fx = fixture();
  fx.gw(place({ orderId: 7, accountId: 2, side: Side.BUY, priceTicks: BTC_60K - 100, qtyLots: 1 }));
  assert.equal(fx.takeMarket().length, 1);
  fx.mk(orderRejected(2, 7, Code.POST_ONLY_WOULD_TAKE, RecordType.PlaceOrder));
  fx.take();
  assert.equal(fx.state.accounts.get(2)!.placedOrderIds.has(7), false, 'a refused order was never an order');
  fx.gw(place({ orderId: 7, accountId: 2, side: Side.BUY, priceTicks: BTC_60K - 100, qtyLots: 1 }));
  assert.equal(fx.takeMarket().length, 1, 'the retry went to the market');
});
