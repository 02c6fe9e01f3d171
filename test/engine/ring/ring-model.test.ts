// Property: any interleaving of claims, partial publishes and partial releases on one thread behaves like
// a bounded FIFO queue of the same capacity (the model), from any starting cursor, including across the
// Int32 wrap.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { testSeed } from '../../support/seed.js';
import { ringSetup } from './ring-setup.js';

type Op = { kind: 'produce'; claim: number; publish: number } | { kind: 'consume'; release: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('produce' as const), claim: fc.integer({ min: 0, max: 20 }), publish: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ kind: fc.constant('consume' as const), release: fc.integer({ min: 0, max: 20 }) }),
);

test('the ring behaves as a bounded FIFO queue under any sequence of claims, publishes and releases', () => {
  const seed = testSeed('ring-model');
  fc.assert(
    fc.property(
      fc.constantFrom(1, 2, 8, 16),
      fc.oneof(fc.constant(0), fc.constant(0x7fff_fff8), fc.constant(-8), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
      fc.array(op, { maxLength: 120 }),
      (capacity, start, ops) => {
        const s = ringSetup(capacity, start);
        const model: number[] = [];
        let nextValue = 1;
        for (const o of ops) {
          if (o.kind === 'produce') {
            const granted = s.producer.claim(o.claim);
            assert.equal(granted, Math.max(0, Math.min(o.claim, capacity - model.length)));
            const n = Math.min(o.publish, granted);
            for (let i = 0; i < n; i++) s.ring.records.setI32(s.producer.at(i), 0, nextValue + i);
            s.producer.publish(n);
            for (let i = 0; i < n; i++) model.push(nextValue++);
          } else {
            assert.equal(s.consumer.available(), model.length);
            const n = Math.min(o.release, model.length);
            for (let i = 0; i < n; i++) assert.equal(s.ring.records.i32At(s.consumer.at(i), 0), model[i]);
            s.consumer.release(n);
            model.splice(0, n);
          }
        }
        assert.equal(s.consumer.available(), model.length);
      },
    ),
    { seed, numRuns: 300 },
  );
});
