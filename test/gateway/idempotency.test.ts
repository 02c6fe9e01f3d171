// Idempotent retries by client order id: a repeat returns the original result (accepted or refused) and
// places nothing, concurrent repeats share one attempt, and all of it holds across a gateway restart,
// including a restart that came between offering an order and recording its answer.

import assert from 'node:assert/strict';
import { decode, encode } from '@msgpack/msgpack';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { PerpxClient } from '../../gateway/client/client.js';
import { resultKey } from '../../gateway/auth/gateway-keys.js';
import { harnessPerFile, MID, startHarness, until, type Trader } from './support/harness.js';
import { MemoryStore } from '../../persistence/memory-store.js';
import type { StoreOp } from '../../persistence/store.js';

let t: Trader;
const ctx = harnessPerFile(1, (ts) => (t = ts[0]!));

const order = (clientOrderId: number, price = MID - 1_000) => ({ market: 1, side: 'buy' as const, type: 'limit' as const, price, qty: 1, clientOrderId });

test('a repeated client order id returns the original result and places nothing more', async () => {
  const first = await t.client.place(order(1));
  const again = await t.client.place({ ...order(1), price: MID - 999, qty: 3 });
  assert.equal(again.orderId, first.orderId);
  assert.equal(again.replayed, true);
  assert.equal(first.replayed, false);
  assert.deepEqual((await t.client.openOrders()).orders.map((o) => o['orderId']), [first.orderId]);
});

test('a refused order’s retry gets the same refusal', async () => {
  const r1 = await t.client.request('place', { ...order(2), tif: 'postOnly', price: MID + 100_000 });
  const r2 = await t.client.request('place', { ...order(2), tif: 'postOnly', price: MID + 100_000 });
  assert.equal(r1.ok, false);
  assert.equal(r2.error?.code, r1.error?.code);
});

test('retries sent together share one attempt', async () => {
  const rs = await Promise.all([1, 2, 3, 4].map(() => t.client.place(order(3, MID - 1_003))));
  assert.equal(new Set(rs.map((r) => r.orderId)).size, 1);
  assert.equal(rs.filter((r) => !r.replayed).length, 1);
  assert.equal((await t.client.openOrders()).orders.filter((o) => o['clientOrderId'] === 3).length, 1);
});

test('after a gateway restart a retry still returns the original result', async () => {
  const before = await t.client.place(order(4, MID - 1_004));
  const g = await ctx.h.restartGateway();
  const c = await PerpxClient.connect(ctx.h.url);
  await c.login(t.creds);
  const again = await c.place(order(4, MID - 1_004));
  assert.equal(again.orderId, before.orderId);
  assert.equal(again.replayed, true);
  const fresh = await c.place(order(5, MID - 1_005));
  assert.ok(fresh.orderId > before.orderId, 'new ids continue past the old ones');
  assert.ok(g.nextId > fresh.orderId);
  await c.close();
});

test('a restart between offering an order and recording its answer: the retry finds the accepted order, not a second one', async () => {
  const c = await PerpxClient.connect(ctx.h.url);
  await c.login(t.creds);
  const placed = await c.place(order(6, MID - 1_006));
  // What a crash right after the offer leaves: the reservation, without the result.
  await ctx.h.store.write([{ type: 'put', key: resultKey(t.accountId, 6), value: encode({ orderId: placed.orderId, seq: 1_000_000 }) }], true);
  await c.close();
  await ctx.h.restartGateway();
  const d = await PerpxClient.connect(ctx.h.url);
  await d.login(t.creds);
  const retried = await d.place(order(6, MID - 1_006));
  assert.equal(retried.orderId, placed.orderId);
  // The engine refused a second order under that id (DUPLICATE_ORDER_ID): exactly one is open.
  const cancel1 = await d.request('cancel', { market: 1, orderId: placed.orderId });
  assert.equal(cancel1.ok, true);
  const cancel2 = await d.request('cancel', { market: 1, clientOrderId: 6 });
  assert.equal(cancel2.error?.code, Code.ORDER_NOT_FOUND, 'no second order with that client id');
  await d.close();
});

/** A store that holds back writes of recorded results while `hold` is set. */
class GatedStore extends MemoryStore {
  hold = false;
  readonly held: (() => void)[] = [];
  override async write(ops: readonly StoreOp[], sync: boolean): Promise<void> {
    // a result record: [orderId, seq, ok, code, ...] (a reservation is [orderId, seq])
    const result = ops.some((op) => op.type === 'put' && op.key[0] === 0x49 && (decode(op.value) as unknown[]).length > 2);
    if (this.hold && result) await new Promise<void>((resolve) => this.held.push(resolve));
    return super.write(ops, sync);
  }
}

test('the client hears an order’s result only once the result is in the store', async () => {
  const store = new GatedStore();
  const g = await startHarness({ store });
  try {
    await g.mark(MID);
    const u = await g.trader();
    store.hold = true;
    let answered = false;
    const placed = u.client.place(order(9)).then((p) => ((answered = true), p));
    await until(() => store.held.length === 1, 'the result write is held');
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    assert.equal(answered, false, 'no answer while the result is not stored');
    store.hold = false;
    store.held.splice(0).forEach((release) => release());
    assert.ok((await placed).orderId > 0);
  } finally {
    await g.stop();
  }
});
