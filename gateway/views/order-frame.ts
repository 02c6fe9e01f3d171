// The user stream's `order` event (two an order: accepted, then filled, cancelled or expired) written from
// a template: the frame's header entries and the OrderView's keys as bytes made once, each field read by
// name. The generic walk (FrameWriter.encodeJoinedSharedRef) reads every key of every view through one
// megamorphic for-in and writes every key character by character; in the gateway-order profile it was
// the frame writer's largest line. The bytes are the same: keys in the order a for-in walk of a view made
// by account-views.ts sees them (its literal's order, then endReason, added when the order ends), an
// undefined field left out (test/gateway/order-frame.test.ts compares the two on every way a view changes).

import { constantBytes, type FrameWriter } from '../protocol/frame-writer.js';
import type { OrderView } from './order-view.js';

/** An OrderView's keys in the order the views' literal makes them; endReason comes last (added on ending). */
const ORDER_KEYS = ['orderId', 'clientOrderId', 'market', 'side', 'type', 'tif', 'price', 'qty', 'filled', 'remaining', 'trigger', 'triggerBy', 'reduceOnly', 'status', 'createdUs', 'updatedUs', 'endReason'] as const;

// A field added to OrderView without its key here would be left out of the frame: fails to compile.
type Missing = Exclude<keyof OrderView, (typeof ORDER_KEYS)[number]>;
const everyKey: [Missing] extends [never] ? true : Missing = true;
void everyKey;

export const ORDER_VIEW_KEYS: readonly string[] = ORDER_KEYS;

const T_USER = constantBytes('t', 'user');
const EPOCH = constantBytes('epoch');
const SEQ = constantBytes('seq');
const KIND_ORDER = constantBytes('kind', 'order');
/** Each key's bytes. */
const K = Object.fromEntries(ORDER_KEYS.map((k) => [k, constantBytes(k)])) as Readonly<Record<(typeof ORDER_KEYS)[number], Uint8Array>>;

/**
 * `{ t: 'user', epoch, seq, kind: 'order', ...o }` encoded: a shared view of the writer's buffer, valid
 * until its next frame.
 */
export function writeOrderEvent(w: FrameWriter, epoch: number, seq: number, o: Readonly<OrderView>): Uint8Array {
  const at = w.beginMap();
  w.fixed(T_USER);
  let n = 2 + w.field(EPOCH, epoch) + w.field(SEQ, seq);
  w.fixed(KIND_ORDER);
  n += w.field(K.orderId, o.orderId) + w.field(K.clientOrderId, o.clientOrderId) + w.field(K.market, o.market) + w.field(K.side, o.side) + w.field(K.type, o.type) + w.field(K.tif, o.tif);
  n += w.field(K.price, o.price) + w.field(K.qty, o.qty) + w.field(K.filled, o.filled) + w.field(K.remaining, o.remaining) + w.field(K.trigger, o.trigger) + w.field(K.triggerBy, o.triggerBy);
  n += w.field(K.reduceOnly, o.reduceOnly) + w.field(K.status, o.status) + w.field(K.createdUs, o.createdUs) + w.field(K.updatedUs, o.updatedUs) + w.field(K.endReason, o.endReason);
  return w.endMap(at, n);
}
