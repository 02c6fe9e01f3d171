// Session life: a dropped client resumes its user stream from the last seq it saw and misses nothing
// (replay, or a snapshot when the gap cannot be replayed); cancel-on-disconnect; the dead-man switch,
// whose server timer cancels every open order unless re-armed, whether or not the client is connected.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PerpxClient } from '../../gateway/client/client.js';
import type { UserEvent, UserSnapshot } from '../../gateway/client/types.js';
import { harnessPerFile, MID, until, type Trader } from './support/harness.js';

let maker: Trader;
let taker: Trader;
const ctx = harnessPerFile(2, (ts) => ([maker, taker] = ts as [Trader, Trader]));

async function relogin(t: Trader, o: { resume?: { epoch: number; seq: number }; cancelOnDisconnect?: boolean } = {}) {
  const c = await PerpxClient.connect(ctx.h.url);
  const events: UserEvent[] = [];
  const snaps: UserSnapshot[] = [];
  c.on('user', (e) => events.push(e));
  c.on('userSnapshot', (s) => snaps.push(s));
  const login = await c.login(t.creds, o);
  return { c, events, snaps, login };
}

test('a dropped client resumes from its last seq and gets exactly the events it missed, fills included', async () => {
  const first = await relogin(maker);
  await first.c.place({ market: 1, side: 'sell', type: 'limit', price: MID + 5, qty: 2 });
  await until(() => first.events.length >= 1, 'the order event');
  const seen = first.c.position!;
  first.c.terminate();
  // While the maker is away: its order fills.
  await taker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID + 5, qty: 2, tif: 'ioc' });
  await until(() => ctx.h.gateway.streams.seqOf(maker.accountId) >= seen.seq + 3, 'the fill reached the maker’s stream');
  const back = await relogin(maker, { resume: seen });
  assert.equal(back.login.resumed, 'replayed');
  await until(() => back.events.length >= back.login.seq - seen.seq, 'the replay');
  assert.deepEqual(back.events.map((e) => e.seq), Array.from({ length: back.login.seq - seen.seq }, (_, i) => seen.seq + 1 + i), 'every missed seq once, in order');
  assert.ok(back.events.some((e) => e.kind === 'fill'), 'the fill is among them');
  assert.ok(back.events.some((e) => e.kind === 'position'));
  assert.equal(back.snaps.length, 0);
  await back.c.close();
});

test('a resume the gateway cannot replay (another epoch, or a seq it never reached) gets a snapshot', async () => {
  const o = await maker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 50, qty: 1 });
  const stale = await relogin(maker, { resume: { epoch: 1, seq: 3 } });
  assert.equal(stale.login.resumed, 'snapshot');
  await until(() => stale.snaps.length === 1, 'the snapshot');
  const snap = stale.snaps[0]!;
  assert.equal(snap.seq, stale.login.seq);
  assert.ok(snap.orders.some((x) => x['orderId'] === o.orderId));
  assert.ok(snap.positions.length >= 1);
  assert.equal(typeof snap.balance?.['wallet'], 'bigint');
  const ahead = await relogin(maker, { resume: { epoch: ctx.h.gateway.streams.epoch, seq: 1_000_000 } });
  assert.equal(ahead.login.resumed, 'snapshot');
  await maker.client.cancelAll();
  await Promise.all([stale.c.close(), ahead.c.close()]);
});

test('cancel-on-disconnect: when that session drops, every open order of the account is cancelled', async () => {
  const s = await relogin(taker, { cancelOnDisconnect: true });
  await s.c.place({ market: 1, side: 'buy', type: 'limit', price: MID - 200, qty: 1 });
  await s.c.place({ market: 1, side: 'buy', type: 'limit', price: MID - 201, qty: 1 });
  assert.equal((await taker.client.openOrders()).orders.length, 2);
  s.c.terminate();
  await until(() => ctx.h.gateway.views.openOrderCount(taker.accountId) === 0, 'the orders are cancelled');
  const hist = (await taker.client.orderHistory(2)).orders;
  assert.deepEqual(hist.map((o) => o['endReason']), ['CANCEL_ALL', 'CANCEL_ALL']);
});

test('a session without cancel-on-disconnect leaves its orders when it drops', async () => {
  const s = await relogin(taker);
  const o = await s.c.place({ market: 1, side: 'buy', type: 'limit', price: MID - 210, qty: 1 });
  s.c.terminate();
  await until(() => ctx.h.gateway.stats.connections <= 2, 'the session is gone');
  assert.deepEqual((await taker.client.openOrders()).orders.map((x) => x['orderId']), [o.orderId]);
  await taker.client.cancelAll();
});

test('the dead-man switch cancels every open order when it runs out, though the client never left', async () => {
  await taker.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 300, qty: 1 });
  const armed = await taker.client.cancelAllAfter(1_000);
  assert.equal(armed.armed, true);
  await until(() => ctx.h.gateway.views.openOrderCount(taker.accountId) === 0, 'the switch fired');
  assert.ok(ctx.h.gateway.stats.deadManFired >= 1);
});

test('arming the switch under a second is refused naming the field', async () => {
  assert.equal((await taker.client.request('cancelAllAfter', { ms: 10 })).error?.field, 'ms');
  assert.equal((await taker.client.cancelAllAfter(0)).armed, false);
});
