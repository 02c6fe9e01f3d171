import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import type { DecodedRecord } from '../../engine/ring/layouts/index.js';
import { RecordType } from '../../engine/ring/types.js';
import { PendingAnswers, type Answer } from '../../gateway/orders/pending-answers.js';

const header = { seq: 1, timeUs: 2, marketId: 1, accountId: 7, flags: 0 };
const rec = (type: string, fields: Record<string, number>): DecodedRecord => ({ type, ...header, ...fields });

test('a place is answered once: accepted with its record, refused with the code and its record; records nobody waits for answer nobody', () => {
  const p = new PendingAnswers();
  const got: [number, Answer][] = [];
  p.onPlace(10, (a) => got.push([10, a]));
  p.onPlace(11, (a) => got.push([11, a]));
  p.onRequest(12, (a) => got.push([12, a]));

  const fill = rec('TradeExecuted', { takerOrderId: 10 });
  assert.equal(p.match(fill), false);
  assert.equal(p.match(rec('AccountUpdated', { requestId: 0 })), false);
  const accepted = rec('OrderAccepted', { orderId: 10 });
  assert.equal(p.match(accepted), true);
  assert.equal(p.match(accepted), false, 'answered once');
  const rejected = rec('OrderRejected', { orderId: 11, commandType: RecordType.PlaceOrder, code: Code.INSUFFICIENT_MARGIN, clientOrderId: 0 });
  assert.equal(p.match(rejected), true);
  const applied = rec('CommandApplied', { requestId: 12 });
  assert.equal(p.match(applied), true);

  assert.equal(got.length, 3);
  assert.deepEqual(got[0], [10, { ok: true, record: accepted }]);
  assert.equal(got[0]![1].record, accepted, 'the record itself, not a copy');
  assert.deepEqual(got[1], [11, { ok: false, code: Code.INSUFFICIENT_MARGIN, record: rejected }]);
  assert.deepEqual(got[2], [12, { ok: true, record: applied }]);
  assert.equal(p.size, 0);
});
