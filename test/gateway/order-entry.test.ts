// Order entry over real sockets: every order type and flag the engine has, cancel by client order id,
// amend, cancel-replace, batches, cancel-all, account settings, withdrawals and deposit requests. Each
// answer is checked against what the book then holds (openOrders) or the account shows.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { GatewayError } from '../../gateway/client/types.js';
import { harnessPerFile, MID, refusal, until, USDT, type Trader } from './support/harness.js';

let maker: Trader;
let taker: Trader;
const ctx = harnessPerFile(2, (ts) => ([maker, taker] = ts as [Trader, Trader]));


test('limit gtc rests, postOnly that would take is refused, ioc remainder expires, fok unfillable is refused', async () => {
  const ask = await maker.client.place({ market: 1, side: 'sell', type: 'limit', price: MID + 50, qty: 4 });
  assert.equal(await refusal(taker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID + 50, qty: 1, tif: 'postOnly' })), Code.POST_ONLY_WOULD_TAKE);
  assert.equal(await refusal(taker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID + 50, qty: 5, tif: 'fok' })), Code.FOK_NOT_FILLABLE);
  const ioc = await taker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID + 50, qty: 6, tif: 'ioc' });
  await until(() => true, 'turn');
  const hist = await taker.client.orderHistory();
  const ended = hist.orders.find((o) => o['orderId'] === ioc.orderId)!;
  assert.equal(ended['status'], 'expired');
  assert.equal(ended['filled'], 4);
  assert.equal((await maker.client.openOrders()).orders.some((o) => o['orderId'] === ask.orderId), false, 'the ask filled completely');
  await maker.client.cancelAll();
  await taker.client.cancelAll();
});

test('market orders fill against the book; a reduce-only order that would increase is refused', async () => {
  await maker.client.place({ market: 1, side: 'sell', type: 'limit', price: MID + 20, qty: 2 });
  const m = await taker.client.place({ market: 1, side: 'buy', type: 'market', qty: 2 });
  assert.ok(m.orderId > 0);
  await until(() => true, 'turn');
  const code = await refusal(taker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 500, qty: 1, reduceOnly: true }));
  assert.ok(code === Code.REDUCE_ONLY_WOULD_INCREASE || code === Code.REDUCE_ONLY_WOULD_NOT_REDUCE, `code ${code}`);
  await maker.client.cancelAll();
});

test('stop and take-profit orders wait untriggered with their trigger source', async () => {
  const stop = await taker.client.place({ market: 1, side: 'sell', type: 'stopMarket', qty: 1, trigger: MID - 5_000, triggerBy: 'mark', reduceOnly: true });
  const tp = await taker.client.place({ market: 1, side: 'sell', type: 'takeProfitLimit', qty: 1, price: MID + 5_000, trigger: MID + 5_000, triggerBy: 'last', reduceOnly: true });
  const open = (await taker.client.openOrders(1)).orders;
  const byId = new Map(open.map((o) => [o['orderId'], o]));
  assert.equal(byId.get(stop.orderId)?.['status'], 'untriggered');
  assert.equal(byId.get(stop.orderId)?.['triggerBy'], 'mark');
  assert.equal(byId.get(tp.orderId)?.['triggerBy'], 'last');
  assert.equal(byId.get(tp.orderId)?.['type'], 'takeProfitLimit');
  assert.equal((await taker.client.cancelAll(1)).cancelled, 2);
});

test('stopLimit and takeProfitMarket wait too; a stop on the last price triggers when a trade prints through it, then fills', async () => {
  const sl = await taker.client.place({ market: 1, side: 'buy', type: 'stopLimit', qty: 1, price: MID + 6_000, trigger: MID + 6_000, triggerBy: 'mark' });
  const tpm = await taker.client.place({ market: 1, side: 'buy', type: 'takeProfitMarket', qty: 1, trigger: MID - 6_000, triggerBy: 'last' });
  const waiting = new Map((await taker.client.openOrders(1)).orders.map((o) => [o['orderId'], o]));
  assert.deepEqual([waiting.get(sl.orderId)?.['type'], waiting.get(sl.orderId)?.['status'], waiting.get(sl.orderId)?.['triggerBy']], ['stopLimit', 'untriggered', 'mark']);
  assert.deepEqual([waiting.get(tpm.orderId)?.['type'], waiting.get(tpm.orderId)?.['status'], waiting.get(tpm.orderId)?.['triggerBy']], ['takeProfitMarket', 'untriggered', 'last']);
  await taker.client.cancelAll(1);

  // A buy stop at MID + 100 on the last price; a trade at MID + 100 triggers it, and it buys the ask above.
  const stop = await taker.client.place({ market: 1, side: 'buy', type: 'stopMarket', qty: 1, trigger: MID + 100, triggerBy: 'last', clientOrderId: 8101 });
  const statuses: unknown[] = [];
  let filled = 0;
  const onUser = (e: { kind: string; [f: string]: unknown }) => {
    if (e.kind === 'order' && e['orderId'] === stop.orderId) statuses.push(e['status']);
    // The fill comes from the risk shard's settlement, after the market shard's order update.
    if (e.kind === 'fill' && e['orderId'] === stop.orderId) filled++;
  };
  taker.client.on('user', onUser);
  await maker.client.place({ market: 1, side: 'sell', type: 'limit', price: MID + 100, qty: 1 });
  await maker.client.place({ market: 1, side: 'sell', type: 'limit', price: MID + 110, qty: 1 });
  await taker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID + 100, qty: 1, tif: 'ioc' });
  await until(() => statuses.includes('filled') && filled === 1, 'the stop triggered and filled');
  taker.client.off('user', onUser);
  const ended = (await taker.client.orderHistory()).orders.find((o) => o['orderId'] === stop.orderId);
  assert.deepEqual([ended?.['status'], ended?.['filled'], ended?.['clientOrderId']], ['filled', 1, 8101]);
  const fills = (await taker.client.fills()).fills.filter((f) => f['orderId'] === stop.orderId);
  assert.deepEqual(fills.map((f) => [f['price'], f['qty'], f['liquidity']]), [[MID + 110, 1, 'taker']]);
  await maker.client.cancelAll();
  await taker.client.place({ market: 1, side: 'sell', type: 'market', qty: 2, reduceOnly: true }).catch(() => undefined);
});

test('self-trade prevention expireMaker and expireBoth: the resting order, or both, end instead of trading', async () => {
  // The taker's answer comes before the maker's end (the engine answers a place before its matching):
  // wait for the order events of the ends before reading the views.
  const expired = new Set<unknown>();
  const onUser = (e: { kind: string; [f: string]: unknown }) => {
    if (e.kind === 'order' && e['status'] === 'expired') expired.add(e['orderId']);
  };
  maker.client.on('user', onUser);
  const resting = await maker.client.place({ market: 1, side: 'sell', type: 'limit', price: MID + 40, qty: 1 });
  const taking = await maker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID + 40, qty: 1, stp: 'expireMaker' });
  await until(() => expired.has(resting.orderId), 'the maker expired');
  const open = (await maker.client.openOrders(1)).orders.map((o) => o['orderId']);
  assert.ok(open.includes(taking.orderId) && !open.includes(resting.orderId), 'the taker rests, the maker ended');
  const endedMaker = (await maker.client.orderHistory()).orders.find((o) => o['orderId'] === resting.orderId);
  assert.deepEqual([endedMaker?.['status'], endedMaker?.['endReason'], endedMaker?.['filled']], ['expired', 'STP_MAKER', 0]);
  await maker.client.cancelAll();

  const rest2 = await maker.client.place({ market: 1, side: 'sell', type: 'limit', price: MID + 40, qty: 1 });
  const take2 = await maker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID + 40, qty: 1, stp: 'expireBoth' });
  await until(() => expired.has(rest2.orderId) && expired.has(take2.orderId), 'both expired');
  maker.client.off('user', onUser);
  const history = new Map((await maker.client.orderHistory()).orders.map((o) => [o['orderId'], o]));
  for (const id of [rest2.orderId, take2.orderId]) assert.deepEqual([history.get(id)?.['status'], history.get(id)?.['endReason'], history.get(id)?.['filled']], ['expired', 'STP_BOTH', 0], `order ${id}`);
  assert.deepEqual((await maker.client.openOrders(1)).orders, []);
});

test('self-trade prevention: a taker meeting its own resting order expires instead of trading', async () => {
  await maker.client.place({ market: 1, side: 'sell', type: 'limit', price: MID + 30, qty: 1 });
  const own = await maker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID + 30, qty: 1, stp: 'expireTaker' });
  await until(() => true, 'turn');
  const ended = (await maker.client.orderHistory()).orders.find((o) => o['orderId'] === own.orderId);
  assert.equal(ended?.['status'], 'expired');
  assert.equal(ended?.['endReason'], 'STP_TAKER');
  await maker.client.cancelAll();
});

test('cancel and amend by client order id; amend down keeps priority', async () => {
  const o = await maker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 300, qty: 10, clientOrderId: 7001 });
  const amended = await maker.client.amend({ market: 1, clientOrderId: 7001, qty: 6 });
  assert.equal(amended['orderId'], o.orderId);
  assert.equal(amended['qty'], 6);
  assert.equal(amended['keptPriority'], true);
  const moved = await maker.client.amend({ market: 1, orderId: o.orderId, price: MID - 301 });
  assert.equal(moved['price'], MID - 301);
  assert.equal(moved['keptPriority'], false);
  const c = await maker.client.cancel({ market: 1, clientOrderId: 7001 });
  assert.equal(c.orderId, o.orderId);
  assert.equal(c.cancelledQty, 6);
  assert.equal(await refusal(maker.client.cancel({ market: 1, clientOrderId: 7001 })), Code.ORDER_NOT_FOUND);
});

test('cancel-replace places the new order only when the cancel succeeded', async () => {
  const o = await maker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 400, qty: 2 });
  const r = await maker.client.cancelReplace({ market: 1, orderId: o.orderId, order: { market: 1, side: 'buy', type: 'limit', price: MID - 399, qty: 3 } });
  assert.equal((r['cancelled'] as { orderId: number }).orderId, o.orderId);
  const placed = r['placed'] as { ok: boolean; orderId: number };
  assert.equal(placed.ok, true);
  assert.equal(await refusal(maker.client.cancelReplace({ market: 1, orderId: o.orderId, order: { market: 1, side: 'buy', type: 'limit', price: MID - 398, qty: 3 } })), Code.ORDER_NOT_FOUND);
  const open = (await maker.client.openOrders()).orders.map((x) => x['orderId']);
  assert.deepEqual(open, [placed.orderId], 'the failed cancel-replace placed nothing');
  await maker.client.cancelAll();
});

test('a batch of 20 gets 20 results in order, one refused among them; 21 is refused whole', async () => {
  const orders = Array.from({ length: 20 }, (_, i) => ({ market: 1, side: 'buy' as const, type: 'limit' as const, price: MID - 1_000 - i, qty: i === 7 ? 0 : 1 }));
  const r = await maker.client.batchPlace(orders);
  assert.equal(r.results.length, 20);
  assert.equal(r.results.filter((x) => x.ok).length, 19);
  assert.equal(r.results[7]!.ok, false);
  const ids = r.results.filter((x) => x.ok).map((x) => (x as { orderId: number }).orderId);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'offered in order');
  const big = await maker.client.request('batchPlace', { orders: [...orders, orders[0]!] });
  assert.equal(big.error?.code, Code.INVALID_FIELD);
  assert.equal(big.error?.field, 'orders');
  assert.equal((await maker.client.cancelAll(1)).cancelled, 19);
});

test('a batch mixing client order ids and none reaches the book in its own order (time priority)', async () => {
  const r = await maker.client.batchPlace([
    { market: 1, side: 'sell', type: 'limit', price: MID + 70, qty: 1, clientOrderId: 8101 },
    { market: 1, side: 'sell', type: 'limit', price: MID + 70, qty: 1 },
    { market: 1, side: 'sell', type: 'limit', price: MID + 70, qty: 1, clientOrderId: 8103 },
  ]);
  const ids = r.results.map((x) => (x as { orderId: number }).orderId);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
  const filled: number[] = [];
  for (let i = 0; i < 3; i++) {
    await taker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID + 70, qty: 1, tif: 'ioc' });
    const open = new Set((await maker.client.openOrders()).orders.map((o) => o['orderId'] as number));
    filled.push(...ids.filter((id) => !open.has(id) && !filled.includes(id)));
  }
  assert.deepEqual(filled, ids, 'filled first to last in the batch’s order');
});

test('a batch answers replayed client order ids from their first result, beside new orders, and a batch of replays only', async () => {
  const first = await maker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 2_000, qty: 1, clientOrderId: 8201 });
  const r = await maker.client.batchPlace([
    { market: 1, side: 'buy', type: 'limit', price: MID - 2_001, qty: 1, clientOrderId: 8202 },
    { market: 1, side: 'buy', type: 'limit', price: MID - 2_000, qty: 1, clientOrderId: 8201 },
    { market: 1, side: 'buy', type: 'limit', price: MID - 2_002, qty: 1 },
  ]);
  assert.equal(r.results.length, 3);
  const [fresh, replay, plain] = r.results as { ok: boolean; orderId: number; replayed?: boolean }[];
  assert.equal(replay!.ok, true);
  assert.equal(replay!.orderId, first.orderId, 'the retry gets its first result, not a second order');
  assert.equal(replay!.replayed, true);
  assert.equal(fresh!.replayed, false);
  assert.ok(plain!.ok && plain!.orderId > fresh!.orderId, 'offered in the batch’s order');
  // Every item known already: the batch is answered in the turn it came, from the results alone.
  const again = await maker.client.batchPlace([
    { market: 1, side: 'buy', type: 'limit', price: MID - 2_001, qty: 1, clientOrderId: 8202 },
    { market: 1, side: 'buy', type: 'limit', price: MID - 2_000, qty: 1, clientOrderId: 8201 },
  ]);
  assert.deepEqual(again.results.map((x) => (x as { orderId: number }).orderId), [fresh!.orderId, first.orderId]);
  assert.equal((await maker.client.openOrders()).orders.filter((o) => [8201, 8202].includes(o['clientOrderId'] as number)).length, 2, 'no order placed twice');
  await maker.client.cancelAll(1);
});

test('leverage, margin mode and isolated margin are the engine’s answers', async () => {
  const fresh = await ctx.h.trader();
  const lev = await fresh.client.setLeverage(1, 10);
  assert.equal(typeof lev['wallet'], 'bigint');
  assert.ok(await refusal(fresh.client.setLeverage(1, 10_000)) > 0);
  await fresh.client.setMarginMode(1, 'isolated');
  await fresh.client.adjustIsolatedMargin(1, 5n * USDT).catch((e: GatewayError) => assert.equal(e.code, Code.NOT_ISOLATED));
  assert.equal(await refusal(fresh.client.setMarginMode(7, 'cross')), Code.UNKNOWN_MARKET);
});

test('withdrawals need the withdraw scope; a deposit request waits for the operator, who credits it once', async () => {
  assert.equal(await refusal(taker.client.withdraw(1n * USDT)), Code.SCOPE_REQUIRED);
  const w = await ctx.h.trader({ scopes: ['read', 'trade', 'withdraw'], usdt: 100n });
  const after = await w.client.withdraw(40n * USDT);
  assert.equal(after['wallet'], 60n * USDT);
  assert.equal(await refusal(w.client.withdraw(1_000n * USDT)), Code.WITHDRAWAL_EXCEEDS_WITHDRAWABLE);
  const req = await w.client.depositRequest(25n * USDT, 'tx-1');
  assert.equal(req.status, 'pending');
  assert.deepEqual(ctx.h.gateway.deposits.list('pending').map((d) => d.requestId), [req.requestId]);
  assert.equal((await w.client.balances()).balance!['wallet'], 60n * USDT, 'a request moves no money');
  const credited = await ctx.h.gateway.creditDeposit('operator-ann', req.requestId);
  assert.equal(credited.status, 'credited');
  assert.equal((await w.client.balances()).balance!['wallet'], 85n * USDT);
  await ctx.h.gateway.creditDeposit('operator-ann', req.requestId);
  assert.equal((await w.client.balances()).balance!['wallet'], 85n * USDT, 'credited once');
  const audit = await ctx.h.gateway.keys.auditEntries();
  assert.ok(audit.some((e) => e.action === 'creditDeposit' && e.by === 'operator-ann'));
});
