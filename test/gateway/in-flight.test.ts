// Orders waiting for the exchange are bounded per connection, per account and in total (in-flight.ts):
// past a bound a new order is refused BACK_PRESSURE at once, retryable, and nothing is placed; once the
// waiting ones are answered the same client places again. Over real WebSocket connections to a real
// exchange; each burst is sent in one turn, so the orders past the bound reach the gateway long before
// the first answer can come back from the shards.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { PerpxClient } from '../../gateway/client/client.js';
import type { Response } from '../../gateway/client/types.js';
import { gatewaySamples } from '../../gateway/operator/gateway-metrics.js';
import { MID, startHarness, type Harness } from './support/harness.js';

let h: Harness;

before(async () => {
  h = await startHarness({ gateway: { limits: { maxInFlightPerConnection: 4, maxInFlightPerAccount: 6, maxInFlight: 10 } } });
  await h.mark(MID);
});
after(() => h.stop());

let nextCid = 1;
/** A resting bid far under the mark, with a fresh client order id. */
const bid = (cid = nextCid++) => ({ market: 1, side: 'buy', type: 'limit', price: MID - 5_000 - (cid % 100), qty: 1, clientOrderId: cid });

/** Sends every request in one turn and waits for all the answers. */
const burst = (client: PerpxClient, orders: Record<string, unknown>[]): Promise<Response[]> => Promise.all(orders.map((o) => client.request('place', o)));

function split(rs: Response[]): { ok: number; refused: Response[] } {
  const refused = rs.filter((r) => !r.ok);
  for (const r of refused) {
    assert.equal(r.error?.code, Code.BACK_PRESSURE, JSON.stringify(r.error));
    assert.equal(r.error?.retryable, true);
  }
  return { ok: rs.length - refused.length, refused };
}

const openOrders = async (client: PerpxClient) => (await client.openOrders()).orders.length;

test('a batch past the per-connection bound is refused BACK_PRESSURE, retryable, and places nothing', async () => {
  const t = await h.trader();
  const r = await t.client.request('batchPlace', { orders: [bid(), bid(), bid(), bid(), bid()] });
  assert.equal(r.error?.code, Code.BACK_PRESSURE);
  assert.equal(r.error?.retryable, true);
  assert.equal(await openOrders(t.client), 0);
  const four = await t.client.batchPlace([bid(), bid(), bid(), bid()] as never);
  assert.deepEqual(four.results.map((x) => x.ok), [true, true, true, true], 'a batch within the bound is placed');
  assert.equal(await openOrders(t.client), 4);
});

test('a burst on one connection: the orders past its bound are refused, the rest placed; their retries are placed once the first are answered', async () => {
  const t = await h.trader();
  const orders = Array.from({ length: 12 }, () => bid());
  const answers = await burst(t.client, orders);
  const { ok, refused } = split(answers);
  assert.ok(ok >= 1 && ok <= 4, `${ok} placed at once (bound 4)`);
  assert.equal(refused.length, 12 - ok);
  assert.equal(await openOrders(t.client), ok, 'a refused order placed nothing');
  // recovery: nothing is left in flight, so the refused ones, retried (same client order ids) four at a
  // time, are all placed
  const again = orders.filter((_, i) => !answers[i]!.ok);
  for (let i = 0; i < again.length; i += 4) assert.equal(split(await burst(t.client, again.slice(i, i + 4))).refused.length, 0);
  assert.equal(await openOrders(t.client), 12);
  assert.equal(h.gateway.stats.ordersInFlight, 0, 'every order answered: nothing counted in flight');
});

test('two connections of one account share the per-account bound', async () => {
  const t = await h.trader();
  const second = await PerpxClient.connect(h.url);
  try {
    await second.login(t.creds);
    const refusedBefore = h.gateway.stats.refusedInFlight;
    const [a, b] = await Promise.all([burst(t.client, [bid(), bid(), bid(), bid()]), burst(second, [bid(), bid(), bid(), bid()])]);
    const { ok, refused } = split([...a, ...b]);
    assert.ok(ok <= 6, `${ok} placed (account bound 6)`);
    assert.ok(refused.length >= 2);
    assert.equal(h.gateway.stats.refusedInFlight - refusedBefore, refused.length);
    assert.equal(await openOrders(t.client), ok);
    // what an operator scrapes: the refusals counted, nothing left in flight
    const metric = (name: string) => gatewaySamples(h.gateway.stats).find((m) => m.name === name)?.samples[0]?.value;
    assert.equal(metric('perpx_gateway_orders_refused_in_flight_total'), h.gateway.stats.refusedInFlight);
    assert.ok(metric('perpx_gateway_orders_refused_in_flight_total')! >= refused.length);
    assert.equal(metric('perpx_gateway_orders_in_flight'), 0);
  } finally {
    await second.close();
  }
});

test('accounts share the gateway’s total bound', async () => {
  const traders = await Promise.all([h.trader(), h.trader(), h.trader()]);
  const answers = await Promise.all(traders.map((t) => burst(t.client, [bid(), bid(), bid(), bid()])));
  const { ok, refused } = split(answers.flat());
  assert.ok(ok <= 10, `${ok} placed (gateway bound 10)`);
  assert.ok(refused.length >= 2);
  let open = 0;
  for (const t of traders) open += await openOrders(t.client);
  assert.equal(open, ok);
});
