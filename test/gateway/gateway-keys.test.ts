// The gateway store's key layout (gateway/auth/gateway-keys.ts): big-endian numbers after a family byte,
// so byte order is numeric order, and the readers give back what the writers put in. And nameOf, the
// engine-value-to-name lookup every response and user-stream event uses.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelReason } from '../../engine/enums.js';
import { auditKey, depositRequestKey, Family, readU32, readU64, resultKey } from '../../gateway/auth/gateway-keys.js';
import { nameOf, SIDES, TIME_IN_FORCE } from '../../gateway/protocol/order-fields.js';

const cmp = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b));

test('an idempotency key is I, the account (u32) and the client order id (u64), big-endian', () => {
  const k = resultKey(0x01020304, 2 ** 40 + 5);
  assert.deepEqual([...k], [Family.IDEMPOTENT, 1, 2, 3, 4, 0, 0, 1, 0, 0, 0, 0, 5]);
  assert.equal(readU32(k, 1), 0x01020304);
  assert.equal(readU64(k, 5), 2 ** 40 + 5);
  assert.equal(readU64(resultKey(7, Number.MAX_SAFE_INTEGER), 5), Number.MAX_SAFE_INTEGER);
  // bytes past 0x7f in every word (written by hand: pinned byte for byte)
  assert.deepEqual([...resultKey(0xfffffffe, 2 ** 52 + 2 ** 32 + 0x80ff)], [Family.IDEMPOTENT, 0xff, 0xff, 0xff, 0xfe, 0, 0x10, 0, 1, 0, 0, 0x80, 0xff]);
  // Numeric order is byte order, within an account and across accounts.
  const ids = [0, 1, 255, 256, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1];
  for (let i = 1; i < ids.length; i++) assert.ok(cmp(resultKey(9, ids[i - 1]!), resultKey(9, ids[i]!)) < 0, `${ids[i - 1]} < ${ids[i]}`);
  assert.ok(cmp(resultKey(9, 2 ** 53 - 1), resultKey(10, 0)) < 0);
});

test('audit and deposit-request keys carry their u64 after the family byte', () => {
  assert.deepEqual([...auditKey(258)], [Family.AUDIT, 0, 0, 0, 0, 0, 0, 1, 2]);
  assert.equal(readU64(depositRequestKey(2 ** 45 + 3), 1), 2 ** 45 + 3);
});

test('nameOf gives the name of an engine value, the first one when two share it, and unknown otherwise', () => {
  assert.equal(nameOf(SIDES, SIDES.sell), 'sell');
  assert.equal(nameOf(TIME_IN_FORCE, TIME_IN_FORCE.postOnly), 'postOnly');
  assert.equal(nameOf({ a: 1, b: 1, c: 2 }, 1), 'a');
  assert.equal(nameOf(SIDES, 99), 'unknown');
  assert.equal(nameOf(CancelReason, CancelReason.CANCEL_ALL), 'CANCEL_ALL');
});
