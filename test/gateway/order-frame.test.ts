// The user stream's `order` frames written from their template (views/order-frame.ts) are the bytes the
// generic writer (FrameCodec.encodeJoined) and the library write for the same header and view: on views
// as AccountViews makes and changes them (accepted, partly and fully traded, cancelled, expired, amended,
// triggered, loaded after a restart, the engine's liquidation and ADL orders, names out of range), with
// seeded random values, and through UserStreams as a session receives them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Encoder } from '@msgpack/msgpack';
import type { DecodedRecord } from '../../engine/ring/layouts/index.js';
import { FrameCodec } from '../../gateway/protocol/codec.js';
import { ENCODER_OPTIONS } from '../../gateway/protocol/frame-writer.js';
import { AccountViews, type EventSink } from '../../gateway/views/account-views.js';
import { ORDER_VIEW_KEYS, writeOrderEvent } from '../../gateway/views/order-frame.js';
import type { OrderView } from '../../gateway/views/order-view.js';
import { UserStreams } from '../../gateway/views/user-stream.js';
import { below, rng, testSeed } from '../support/seed.js';

const plain = new Encoder(ENCODER_OPTIONS);
const EPOCH = 1_765_000_000_123_456;

const rec = (type: string, accountId: number, timeUs: number, fields: Record<string, number | bigint>): DecodedRecord => ({ type, accountId, marketId: 3, timeUs, ...fields }) as unknown as DecodedRecord;

/** Every order event the views send, checked as it is sent: template bytes against generic and library bytes. */
function checkingSink(codec: FrameCodec, seed: number, seen: OrderView[]): EventSink {
  let seq = 0;
  return {
    publish: () => {},
    publishOrder: (_accountId, o) => {
      seq++;
      const head = { t: 'user', epoch: EPOCH, seq, kind: 'order' };
      const templated = writeOrderEvent(codec.writer, EPOCH, seq, o).slice();
      assert.deepEqual(templated, codec.encodeJoined(head, o), `seed ${seed}, event ${seq}: ${JSON.stringify(o)}`);
      assert.deepEqual(templated, plain.encode({ ...head, ...o }), `seed ${seed}, event ${seq}`);
      seen.push({ ...o });
    },
  };
}

test('an order view has the template keys, in their order (endReason last, only once the order ended)', () => {
  const views = new AccountViews();
  const seen: OrderView[] = [];
  const sink = checkingSink(new FrameCodec(), 0, seen);
  views.apply(rec('OrderAccepted', 1, 10, { orderId: 5, clientOrderId: 9, priceTicks: 590_000, qtyLots: 2, triggerPriceTicks: 0, side: 0, orderType: 0, timeInForce: 1, triggerSource: 0, reduceOnly: 0, origin: 0 }), sink);
  views.apply(rec('OrderExpired', 1, 11, { orderId: 5, clientOrderId: 9, remainingLots: 2, filledLots: 0, reason: 6 }), sink);
  assert.deepEqual(Object.keys(seen[0]!), ORDER_VIEW_KEYS.filter((k) => k !== 'endReason'));
  assert.deepEqual(Object.keys(seen[1]!), ORDER_VIEW_KEYS);
});

test('order frames from the template match the generic writer and the library on random order lives', () => {
  const seed = testSeed('order-frame');
  const r = rng(seed);
  const big = () => below(r, 2 ** 21) * 2 ** 32 + r(); // up to 2^53: past 32 bits, as µs timestamps are
  const small = () => [0, 1, 127, 128, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32][below(r, 10)]!;
  const num = () => (below(r, 3) === 0 ? small() : below(r, 2) === 0 ? r() : big());
  const codec = new FrameCodec();
  const views = new AccountViews();
  const seen: OrderView[] = [];
  const sink = checkingSink(codec, seed, seen);
  const open: { accountId: number; orderId: number; qty: number; remaining: number }[] = [];
  let t = big();
  for (let i = 0; i < 3_000; i++) {
    t += below(r, 1_000);
    const pick = open.length === 0 ? 0 : below(r, 7);
    if (pick === 0) {
      const accountId = 1 + below(r, 4);
      const orderId = num();
      const qty = 1 + below(r, 2) * num();
      // names out of range ('unknown') as well as in range; origins 1 and 2 suffix the type
      views.apply(rec('OrderAccepted', accountId, t, { orderId, clientOrderId: num(), priceTicks: num(), qtyLots: qty, triggerPriceTicks: below(r, 3) === 0 ? num() : 0, side: below(r, 3), orderType: below(r, 7), timeInForce: below(r, 5), triggerSource: below(r, 3), reduceOnly: below(r, 2), origin: below(r, 4) === 0 ? 1 + below(r, 2) : 0 }), sink);
      open.push({ accountId, orderId, qty, remaining: qty });
      continue;
    }
    const k = below(r, open.length);
    const o = open[k]!;
    const gone = () => open.splice(k, 1);
    if (pick === 1 || pick === 2) {
      const remaining = pick === 1 ? 0 : below(r, o.remaining + 1);
      views.apply(rec('TradeExecuted', o.accountId, t, { takerOrderId: o.orderId, takerRemainingLots: remaining, makerAccountId: 99, makerOrderId: 0, makerRemainingLots: 0 }), sink);
      o.remaining = remaining;
      if (remaining === 0) gone();
    } else if (pick === 3) {
      views.apply(rec(below(r, 2) === 0 ? 'OrderCancelled' : 'OrderExpired', o.accountId, t, { orderId: o.orderId, reason: below(r, 14) }), sink);
      gone();
    } else if (pick === 4) {
      const qty = 1 + below(r, 1_000);
      views.apply(rec('OrderAmended', o.accountId, t, { orderId: o.orderId, newPriceTicks: num(), newQtyLots: qty, remainingLots: Math.min(qty, o.remaining) }), sink);
    } else if (pick === 5) views.apply(rec('OrderTriggered', o.accountId, t, { orderId: o.orderId }), sink);
    else {
      // a restarted gateway's copy of the order (no event), then an event on it
      views.loadOrder({ accountId: o.accountId, orderId: o.orderId, clientOrderId: num(), side: below(r, 2), orderType: below(r, 6), timeInForce: below(r, 4), priceTicks: num(), qtyLots: o.qty, remainingLots: o.remaining, triggerPriceTicks: 0, triggerSource: 0, reduceOnly: below(r, 2) === 1, origin: 0, timeUs: t } as never, below(r, 2) === 0, 3);
      views.apply(rec('OrderTriggered', o.accountId, t, { orderId: o.orderId }), sink);
    }
  }
  // every path was taken: the statuses and the engine's suffixed types
  const statuses = new Set(seen.map((o) => o.status));
  for (const s of ['open', 'partiallyFilled', 'untriggered', 'filled', 'cancelled', 'expired']) assert.ok(statuses.has(s as never), `seed ${seed}: no ${s} event`);
  assert.ok(seen.some((o) => o.type.includes(':')), `seed ${seed}: no liquidation or ADL order`);
  assert.ok(seen.some((o) => o.side === 'unknown'), `seed ${seed}: no name out of range`);
});

test('a session receives the templated order frames, and a resume replays the same bytes', () => {
  const codec = new FrameCodec();
  const views = new AccountViews();
  const streams = new UserStreams(EPOCH, codec, views);
  const live: Uint8Array[] = [];
  streams.attach(1, { send: (f) => (live.push(f.slice()), true) });
  views.apply(rec('OrderAccepted', 1, 10, { orderId: 5, clientOrderId: 9, priceTicks: 590_000, qtyLots: 2, triggerPriceTicks: 0, side: 0, orderType: 0, timeInForce: 1, triggerSource: 0, reduceOnly: 0, origin: 0 }), streams);
  views.apply(rec('OrderExpired', 1, 11, { orderId: 5, clientOrderId: 9, remainingLots: 2, filledLots: 0, reason: 6 }), streams);
  assert.deepEqual(
    live.map((f) => codec.decode(f)),
    [
      { t: 'user', epoch: EPOCH, seq: 1, kind: 'order', orderId: 5, clientOrderId: 9, market: 3, side: 'buy', type: 'limit', tif: 'ioc', price: 590_000, qty: 2, filled: 0, remaining: 2, trigger: 0, triggerBy: 'mark', reduceOnly: false, status: 'open', createdUs: 10, updatedUs: 10 },
      { t: 'user', epoch: EPOCH, seq: 2, kind: 'order', orderId: 5, clientOrderId: 9, market: 3, side: 'buy', type: 'limit', tif: 'ioc', price: 590_000, qty: 2, filled: 0, remaining: 0, trigger: 0, triggerBy: 'mark', reduceOnly: false, status: 'expired', createdUs: 10, updatedUs: 11, endReason: 'IOC_REMAINDER' },
    ],
  );
  const replayed: Uint8Array[] = [];
  assert.equal(streams.attach(1, { send: (f) => (replayed.push(f.slice()), true) }, { epoch: EPOCH, seq: 0 }), 'replayed');
  assert.deepEqual(replayed, live);
});
