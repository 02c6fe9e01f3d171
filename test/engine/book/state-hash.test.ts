import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { StateHash, orderFlags } from '../../../engine/book/state-hash.js';
import { testSeed } from '../../support/seed.js';

function hashOf(words: number[]): bigint {
  const h = new StateHash();
  h.begin();
  for (const w of words) h.int(w);
  return h.digest();
}

test('the same sequence always gives the same 64-bit digest', () => {
  assert.equal(hashOf([1, 2, 3, -4, 2 ** 52]), hashOf([1, 2, 3, -4, 2 ** 52]));
  assert.ok(hashOf([1]) < 2n ** 64n);
});

test('changing any one number changes the digest', () => {
  const seed = testSeed('state-hash single change');
  const int = fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 });
  fc.assert(
    fc.property(fc.array(int, { minLength: 1, maxLength: 40 }), fc.nat(), int, (words, at, value) => {
      const i = at % words.length;
      fc.pre(words[i] !== value);
      const changed = [...words];
      changed[i] = value;
      return hashOf(words) !== hashOf(changed);
    }),
    { seed, numRuns: 500 },
  );
});

test('order matters: a permutation of the same numbers hashes differently', () => {
  assert.notEqual(hashOf([1, 2, 3]), hashOf([3, 2, 1]));
  assert.notEqual(hashOf([0, 1]), hashOf([1, 0]));
});

test('negative numbers hash as 64-bit two’s complement, distinct from their magnitude', () => {
  assert.notEqual(hashOf([-5]), hashOf([5]));
  assert.notEqual(hashOf([-1]), hashOf([2 ** 32 - 1]));
});

test('the flags word packs each enum in its own nibble', () => {
  assert.equal(orderFlags(5, 3, 2, 1, true, 2), 0x211235);
  assert.equal(orderFlags(0, 0, 0, 0, false, 0), 0);
});
