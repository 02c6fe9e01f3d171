// The loadgen's ring tracer (bench/loadgen/ring-trace.ts): an order pushed hop by hop through rings laid
// out as a threaded exchange's (gateway → risk → market → gateway, and with a journal the market shard's
// tap and the watermark) comes out of dump() stamped at every hop, in path order; records that are not
// place orders and their answers are not traced, and an order whose answer the gateway has not taken yet
// stays for a later dump. No timing is asserted: only which stamps exist and their order.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { CancelOrderLayout } from '../../engine/ring/layouts/cancel-order.js';
import { OrderAcceptedLayout } from '../../engine/ring/layouts/order-accepted.js';
import { PlaceOrderLayout } from '../../engine/ring/layouts/place-order.js';
import { RingBuffer } from '../../engine/ring/ring-buffer.js';
import { RingConsumer } from '../../engine/ring/ring-consumer.js';
import { RingProducer } from '../../engine/ring/ring-producer.js';
import type { Layout } from '../../engine/ring/layouts/layout.js';
import type { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { RingTrace } from '../../bench/loadgen/ring-trace.js';
import { Watermark } from '../../persistence/watermark.js';
import { TapRing } from '../../engine/shard/input-tap.js';

const ORDER = { orderId: 7, clientOrderId: 0, priceTicks: 590_000, qtyLots: 1, triggerPriceTicks: 0, side: 0, orderType: 0, timeInForce: 1, stpMode: 0, triggerSource: 0, reduceOnly: 0, origin: 0 };

/** One hop: publishes a record on `ring` and, when asked, takes it off as its consumer would. */
function hop(ring: RingBuffer) {
  const producer = new RingProducer(ring, Doorbell.create());
  const consumer = new RingConsumer(ring);
  return {
    publish(layout: Layout, body: Record<string, number>, timeUs = 1_000) {
      assert.equal(producer.claim(1), 1);
      encodeRecord(ring.records, producer.at(0), layout, { accountId: 3, marketId: 1, timeUs }, body);
      producer.publish(1);
    },
    release() {
      assert.equal(consumer.available(), 1);
      consumer.release(1);
    },
  };
}

function rings(durable: boolean, capacity = 16) {
  const [g2r, r2m, m2g] = [RingBuffer.create(capacity), RingBuffer.create(capacity), RingBuffer.create(capacity)];
  const taps = durable ? [TapRing.create(16), TapRing.create(16)] : [];
  const watermark = durable ? Watermark.create(2) : undefined;
  const exchange = {
    riskHosts: [{ inputs: [g2r], marketOut: [r2m] }],
    marketHosts: [{ gatewayOut: m2g }],
    journal: durable ? { taps, watermark } : undefined,
  } as unknown as ThreadedExchange;
  return { g2r: hop(g2r), r2m: hop(r2m), m2g: hop(m2g), mktTap: durable ? hop(taps[0]!.ring) : undefined, watermark, exchange };
}

test('an order is stamped at every ring hop, in path order; other records are not traced', async () => {
  const r = rings(false);
  const trace = await RingTrace.start(r.exchange, () => 5_000);
  try {
    r.g2r.publish(CancelOrderLayout, { orderId: 99, clientOrderId: 0 });
    r.g2r.release();
    r.g2r.publish(PlaceOrderLayout, ORDER);
    r.g2r.release();
    r.r2m.publish(PlaceOrderLayout, ORDER);
    r.r2m.release();
    r.m2g.publish(OrderAcceptedLayout, ORDER);
    // Published, not yet taken by the gateway: not in a dump.
    assert.deepEqual((await trace.dump()).orders, []);
    r.m2g.release();
    const d = await trace.dump();
    assert.equal(d.orders.length, 1);
    const o = d.orders[0]!;
    assert.equal(o.orderId, 7);
    assert.equal(o.offer, 1_000);
    const path = [o.g2rPub, o.g2rCon, o.r2mPub, o.r2mCon, o.m2gPub, o.m2gCon];
    assert.ok(path.every((t) => t > 0), `every hop stamped: ${path}`);
    for (let i = 1; i < path.length; i++) assert.ok(path[i]! >= path[i - 1]!, `hop ${i} after hop ${i - 1}: ${path}`);
    assert.equal(o.cut, 0);
    assert.equal((await trace.dump()).orders.length, 0, 'handed out once');
  } finally {
    await trace.stop();
  }
});

test('orders moved along the path while the tracer polls are never stamped at a hop before the hop ahead of them', async () => {
  // Rings that hold every order: the tracer reads records after the fact and must not find them overwritten.
  const r = rings(false, 4_096);
  const trace = await RingTrace.start(r.exchange, () => 5_000);
  try {
    // The tracer polls every ~20 µs on its own thread; moving 3,000 orders through the three rings as fast
    // as this thread can lands many hops between two of its reads (reading the rings in path order, the
    // first test's race failed here within a few hundred orders).
    const orders = 3_000;
    for (let id = 1; id <= orders; id++) {
      const order = { ...ORDER, orderId: id };
      r.g2r.publish(PlaceOrderLayout, order);
      r.g2r.release();
      r.r2m.publish(PlaceOrderLayout, order);
      r.r2m.release();
      r.m2g.publish(OrderAcceptedLayout, order);
      r.m2g.release();
    }
    const seen: unknown[] = [];
    for (let i = 0; i < 200 && seen.length < orders; i++) seen.push(...(await trace.dump()).orders);
    assert.equal(seen.length, orders);
    for (const o of seen as Awaited<ReturnType<typeof trace.dump>>['orders']) {
      const path = [o.g2rPub, o.g2rCon, o.r2mPub, o.r2mCon, o.m2gPub, o.m2gCon];
      for (let i = 1; i < path.length; i++) assert.ok(path[i]! >= path[i - 1]!, `order ${o.orderId}, hop ${i} after hop ${i - 1}: ${path}`);
    }
  } finally {
    await trace.stop();
  }
});

test('with a journal: the market shard copy is stamped when the writer takes it and when the cut covers it', async () => {
  const r = rings(true);
  const trace = await RingTrace.start(r.exchange, () => 5_000);
  try {
    r.g2r.publish(PlaceOrderLayout, ORDER);
    r.g2r.release();
    r.r2m.publish(PlaceOrderLayout, ORDER);
    r.mktTap!.publish(PlaceOrderLayout, ORDER);
    r.r2m.release();
    r.m2g.publish(OrderAcceptedLayout, ORDER);
    r.mktTap!.release();
    // Taken into a batch, not yet synced: the cut has not passed position 0 of market shard 0.
    await trace.dump();
    r.watermark!.publish([1, 0]);
    r.m2g.release();
    const [o] = (await trace.dump()).orders;
    assert.ok(o !== undefined);
    assert.ok(o.mktTapPub > 0 && o.mktTapCon >= o.mktTapPub, 'copy published, then taken');
    assert.ok(o.cut >= o.mktTapCon, 'covered after it was taken');
    assert.ok(o.m2gCon >= o.cut, 'released after the cut');
  } finally {
    await trace.stop();
  }
});
