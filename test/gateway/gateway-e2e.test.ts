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
    // The client's typed answers hold what their types say (gateway/client/types.ts; a field renamed or
    // retyped on either side fails here or at compile time).
    const f = fills.fills[0]!;
    const fillTypes: [unknown, string][] = [[f.tradeId, 'number'], [f.price, 'number'], [f.qty, 'number'], [f.fee, 'bigint'], [f.realizedPnl, 'bigint'], [f.atUs, 'number']];
    assert.deepEqual(fillTypes.map(([v]) => typeof v), fillTypes.map(([, t]) => t));
    assert.equal(f.liquidity, 'taker');
    const p = positions.positions[0]!;
    assert.deepEqual([typeof p.entryCost, typeof p.unrealizedPnl, typeof p.marginRatio, typeof p.liquidationPrice, p.marginMode], ['bigint', 'bigint', 'bigint', 'number', 'cross']);
    const b = bal.balance!;
    assert.deepEqual([typeof b.equity, typeof b.available, typeof b.withdrawable, typeof b.updatedUs], ['bigint', 'bigint', 'bigint', 'number']);
    assert.deepEqual([typeof bought.trigger, typeof bought.acceptedUs, bought.trigger], ['number', 'number', 0]);
    assert.ok(bought.acceptedUs > 1_600_000_000_000_000);
    const m = (await taker.client.markets()).markets[0]!;
    assert.deepEqual([m.id, m.symbol, typeof m.tickSize, typeof m.maxPrice, typeof m.collateralDecimals], [1, 'BTC-PERP', 'string', 'number', 'number']);
    const lev = await taker.client.setLeverage(1, 5);
    assert.deepEqual([typeof lev.requestId, typeof lev.wallet, typeof lev.available, typeof lev.withdrawable], ['number', 'bigint', 'bigint', 'bigint']);
    const resting = await maker.client.place({ market: 1, side: 'sell', type: 'limit', price: MID + 500, qty: 4 });
    const amended = await maker.client.amend({ market: 1, orderId: resting.orderId, qty: 2 });
    assert.deepEqual([amended.orderId, amended.qty, amended.remaining, amended.keptPriority], [resting.orderId, 2, 2, true]);
    const open = (await maker.client.openOrders(1)).orders.find((o) => o.orderId === resting.orderId)!;
    assert.deepEqual([open.status, open.remaining, open.side, open.tif], ['open', 2, 'sell', 'gtc']);
    const replaced = await maker.client.cancelReplace({ market: 1, orderId: resting.orderId, order: { market: 1, side: 'sell', type: 'limit', price: MID + 600, qty: 1 } });
    assert.deepEqual([replaced.cancelled.orderId, replaced.cancelled.cancelledQty, replaced.placed.ok], [resting.orderId, 2, true]);
    await maker.client.cancelAll();
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
