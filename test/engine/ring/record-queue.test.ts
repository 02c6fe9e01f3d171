import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { RecordQueue } from '../../../engine/ring/record-queue.js';

test('records leave in the order they came, with the seq given at push, across wrap-around and growth', () => {
  const q = new RecordQueue(4);
  const src = RecordBuffer.allocate(1);
  const out: [number, number][] = [];
  let next = 1;
  const push = (n: number): void => {
    for (let i = 0; i < n; i++, next++) {
      src.clear(0);
      src.setAccountId(0, next);
      q.push(src, 0, 1000 + next);
    }
  };
  const take = (n: number): void => {
    for (let i = 0; i < n; i++) {
      out.push([q.records.accountId(q.frontAt()), q.records.seq(q.frontAt())]);
      q.shift();
    }
  };
  push(3);
  take(2);
  push(3); // wraps around the end of the first buffer
  push(6); // grows while wrapped
  assert.equal(q.length, 10);
  take(10);
  assert.deepEqual(out, Array.from({ length: 12 }, (_, i) => [i + 1, 1001 + i]));
  assert.equal(q.length, 0);
  assert.throws(() => q.shift(), RangeError);
});
