// OrderEntry publishes offers once per event-loop turn: requests handled in separate callbacks of the
// same phase (one per socket, each followed by its microtasks) share one flush, so one release store and
// at most one wake-up of a parked shard per ring, not one per request.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrderEntry } from '../../gateway/orders/order-entry.js';
import { IdAllocator } from '../../gateway/orders/id-allocator.js';
import { PendingAnswers } from '../../gateway/orders/pending-answers.js';
import type { GatewayExchange } from '../../gateway/orders/gateway-exchange.js';

function counting(): { exchange: GatewayExchange; offers: number; flushes: number[] } {
  const seen = { offers: 0, flushes: [] as number[] };
  const exchange = {
    offer: () => {
      seen.offers++;
      return true;
    },
    flush: () => {
      seen.flushes.push(seen.offers);
    },
    halted: false,
  } as unknown as GatewayExchange;
  return Object.assign(seen, { exchange });
}

const ORDER = { market: 1, side: 'buy', type: 'limit', price: 100, qty: 1 } as const;

test('offers from separate callbacks of one event-loop phase are published by one flush', async () => {
  const c = counting();
  const entry = new OrderEntry(c.exchange, new IdAllocator(), new PendingAnswers(), () => 1, new Set([1]));
  // Three requests as three sockets' callbacks in one phase (Node drains microtasks between them).
  await new Promise<void>((done) => {
    setImmediate(() => entry.placeThen(1, ORDER, entry.newOrderId(), () => {}));
    setImmediate(() => entry.placeThen(2, ORDER, entry.newOrderId(), () => {}));
    setImmediate(() => {
      entry.placeThen(3, ORDER, entry.newOrderId(), () => {});
      setImmediate(() => setImmediate(done));
    });
  });
  assert.equal(c.offers, 3);
  assert.deepEqual(c.flushes, [3], 'one flush, after all three offers');
});

test('an offer is still published without any further request (no offer waits for the next one)', async () => {
  const c = counting();
  const entry = new OrderEntry(c.exchange, new IdAllocator(), new PendingAnswers(), () => 1, new Set([1]));
  entry.placeThen(1, ORDER, entry.newOrderId(), () => {});
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(c.flushes, [1]);
});
