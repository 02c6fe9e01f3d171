// End to end over real WebSocket connections: a trader logs in with a signed Ed25519 login, places and
// cancels, two traders trade, and each sees its own fills on its user stream and in its queries.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import type { UserEvent } from '../../gateway/client/types.js';
import { MID, startHarness, until } from './support/harness.js';

test('a logged-in trader places a resting order, sees it open, cancels it, and sees it in history', async () => {
  const h = await startHarness();
  try {
    await h.mark(MID);
    const t = await h.trader();
    const events: UserEvent[] = [];
    t.client.on('user', (e) => events.push(e));
    const placed = await t.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 100, qty: 5, clientOrderId: 11 });
    assert.ok(placed.orderId > 0);
    assert.equal(placed.clientOrderId, 11);
    assert.equal(placed.price, MID - 100);
    const open = await t.client.openOrders();
    assert.deepEqual(open.orders.map((o) => o['orderId']), [placed.orderId]);
    assert.equal(open.orders[0]!['status'], 'open');
    const cancelled = await t.client.cancel({ market: 1, orderId: placed.orderId });
    assert.equal(cancelled.orderId, placed.orderId);
    assert.equal(cancelled.cancelledQty, 5);
    assert.deepEqual((await t.client.openOrders()).orders, []);
    const history = await t.client.orderHistory();
    assert.equal(history.orders[0]!['orderId'], placed.orderId);
    assert.equal(history.orders[0]!['status'], 'cancelled');
    await until(() => events.filter((e) => e.kind === 'order').length >= 2, 'two order events');
    const statuses = events.filter((e) => e.kind === 'order').map((e) => e['status']);
    assert.deepEqual(statuses, ['open', 'cancelled']);
    assert.equal(t.login.seq, 1, 'the deposit before login was event 1 (its balance)');
    assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => t.login.seq + 1 + i), 'user-stream seqs continue contiguously after login');
  } finally {
    await h.stop();
  }
});

test('two traders trade: each sees its own fill on its user stream, its position and its fills', async () => {
  const h = await startHarness();
  try {
    await h.mark(MID);
    const maker = await h.trader();
    const taker = await h.trader();
    const makerFills: UserEvent[] = [];
    const takerFills: UserEvent[] = [];
    maker.client.on('user', (e) => e.kind === 'fill' && makerFills.push(e));
    taker.client.on('user', (e) => e.kind === 'fill' && takerFills.push(e));
    const ask = await maker.client.place({ market: 1, side: 'sell', type: 'limit', price: MID + 10, qty: 3, tif: 'postOnly' });
    const bought = await taker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID + 10, qty: 3, tif: 'ioc' });
    assert.ok(bought.orderId > ask.orderId);
    await until(() => makerFills.length === 1 && takerFills.length === 1, 'a fill on each stream');
    assert.equal(makerFills[0]!['orderId'], ask.orderId);
    assert.equal(makerFills[0]!['liquidity'], 'maker');
    assert.equal(takerFills[0]!['orderId'], bought.orderId);
    assert.equal(takerFills[0]!['qty'], 3);
    assert.equal(takerFills[0]!['price'], MID + 10);
    await until(() => true, 'tick');
    const fills = await taker.client.fills();
    assert.equal(fills.fills.length, 1);
    assert.equal(fills.fills[0]!['tradeId'], takerFills[0]!['tradeId']);
    const positions = await taker.client.positions();
    assert.equal(positions.positions.length, 1);
    assert.equal(positions.positions[0]!['qty'], 3n, 'lots, exact (i64 travels as bigint)');
    assert.equal((await maker.client.positions()).positions[0]!['qty'], -3n);
    const bal = await taker.client.balances();
    assert.equal(typeof bal.balance!['wallet'], 'bigint');
  } finally {
    await h.stop();
  }
});

test('the gateway sends the shards a timer tick on its own schedule, with nobody connected', async () => {
  const h = await startHarness({ gateway: { timerTickMs: 20 } });
  try {
    const handled = () => h.exchange.marketHosts[0]!.stats().handled + h.exchange.riskHosts[0]!.stats().handled;
    const before = handled();
    await until(() => handled() >= before + 10, 'ten ticks handled');
  } finally {
    await h.stop();
  }
});

test('when a shard dies the gateway answers what was pending and refuses what comes next EXCHANGE_HALTED, and keeps serving', async () => {
  const h = await startHarness();
  try {
    await h.mark(MID);
    const t = await h.trader();
    await t.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 100, qty: 1 });
    await h.exchange.riskHosts[0]!.worker.terminate();
    await until(() => h.exchange.halted, 'the exchange halted');
    const r = await t.client.request('place', { market: 1, side: 'buy', type: 'limit', price: MID - 101, qty: 1 });
    assert.equal(r.error?.code, Code.EXCHANGE_HALTED);
    assert.equal(r.error?.retryable, false);
    assert.equal((await t.client.openOrders()).orders.length, 1, 'queries still answer from the read models');
    assert.ok((await t.client.ping()).serverUs > 0);
  } finally {
    await h.stop();
  }
});
