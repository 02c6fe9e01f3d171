// AccountViews.apply sends the user-stream events a record makes to the sink it is given, in order, each
// with the read model's view as it stands right then (the sink encodes it at once): a trade updates the
// taker's order, then the maker's; an order that ends goes to history before its event. Without a sink
// (loading state after a restart) the views change and nothing is sent.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecodedRecord } from '../../engine/ring/layouts/index.js';
import { AccountViews } from '../../gateway/views/account-views.js';
import type { OrderView } from '../../gateway/views/order-view.js';

const rec = (type: string, accountId: number, timeUs: number, fields: Record<string, number | bigint>): DecodedRecord => ({ type, accountId, marketId: 1, timeUs, ...fields }) as unknown as DecodedRecord;
const accepted = (accountId: number, orderId: number, qty: number, timeUs: number) =>
  rec('OrderAccepted', accountId, timeUs, { orderId, clientOrderId: orderId + 100, priceTicks: 590_000, qtyLots: qty, triggerPriceTicks: 0, side: 0, orderType: 0, timeInForce: 0, stpMode: 0, triggerSource: 0, reduceOnly: 0, origin: 0 });

test('events go to the sink in order, each with the view as it stood', () => {
  const views = new AccountViews();
  const seen: [number, string, string, number, number][] = [];
  const publish = (accountId: number, kind: string, body: object) => void seen.push([accountId, kind, (body as OrderView).status, (body as OrderView).remaining, views.history.orders.length(accountId)]);
  const sink = { publish, publishOrder: (accountId: number, o: OrderView) => publish(accountId, 'order', o) };
  views.apply(accepted(1, 5, 2, 10), sink);
  views.apply(accepted(2, 6, 3, 11), sink);
  views.apply(rec('TradeExecuted', 1, 12, { takerOrderId: 5, makerOrderId: 6, tradeId: 1, takerClientOrderId: 105, makerClientOrderId: 106, priceTicks: 590_000, qtyLots: 2, makerAccountId: 2, takerRemainingLots: 0, makerRemainingLots: 1, takerSide: 0, takerOrigin: 0, makerOrigin: 0, reserved: 0 }), sink);
  views.apply(rec('OrderExpired', 2, 13, { orderId: 6, clientOrderId: 106, remainingLots: 1, filledLots: 2, reason: 3 }), sink);
  assert.deepEqual(seen, [
    [1, 'order', 'open', 2, 0],
    [2, 'order', 'open', 3, 0],
    [1, 'order', 'filled', 0, 1],
    [2, 'order', 'partiallyFilled', 1, 0],
    [2, 'order', 'expired', 0, 1],
  ]);
});

test('without a sink the views change and no event is sent', () => {
  const views = new AccountViews();
  const seen: unknown[] = [];
  views.apply(accepted(1, 5, 2, 10), { publish: (...a: unknown[]) => void seen.push(a), publishOrder: (...a: unknown[]) => void seen.push(a) });
  views.apply(accepted(1, 7, 2, 10));
  views.apply(rec('OrderExpired', 1, 13, { orderId: 5, clientOrderId: 105, remainingLots: 2, filledLots: 0, reason: 3 }));
  assert.equal(seen.length, 1);
  assert.deepEqual([...views.get(1)!.open.keys()], [7]);
  assert.equal(views.history.orders.length(1), 1);
});
