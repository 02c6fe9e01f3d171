import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ceilDiv, floorDiv } from '../../engine/market/decimal.js';
import { ceilDivExact, floorDivExact, mulDivCeil, mulDivFloor, remainder } from '../../risk/exact-number.js';
import { productBelow51 } from '../../risk/margin-number.js';
import { testSeed } from '../support/seed.js';
import { magnitude, positive, signedMagnitude } from './number-arbitraries.js';

const TWO_49 = 1n << 49n;
const TWO_51 = 1n << 51n;

test('mulDivFloor gives the exact floor and remainder of a·b/c whenever it answers, and answers below 2^49', () => {
  const seed = testSeed('mulDivFloor');
  fc.assert(
    fc.property(magnitude(52), magnitude(52), positive(51), (a, b, c) => {
      const q = mulDivFloor(Number(a), Number(b), Number(c));
      const exact = (a * b) / c;
      if (Number.isNaN(q)) {
        assert.ok(exact >= TWO_49, `refused a quotient of ${exact}`);
        return;
      }
      assert.equal(BigInt(q), exact);
      assert.equal(BigInt(remainder()), (a * b) % c);
    }),
    { seed, numRuns: 20_000 },
  );
});

test('mulDivFloor is exact for wide products whose quotient lies anywhere below 2^49', () => {
  const seed = testSeed('mulDivFloor wide');
  let answered = 0;
  fc.assert(
    fc.property(positive(52), positive(52), positive(49), fc.integer({ min: -2, max: 2 }), (a, b, q, jitter) => {
      // c chosen so that a·b/c lands near q: the limb path with every size of quotient.
      let c = (a * b) / q + BigInt(jitter);
      if (c < 1n) c = 1n;
      if (c >= TWO_51) c = TWO_51 - 1n;
      const got = mulDivFloor(Number(a), Number(b), Number(c));
      if (Number.isNaN(got)) {
        assert.ok((a * b) / c >= TWO_49);
        return;
      }
      answered++;
      assert.equal(BigInt(got), (a * b) / c);
      assert.equal(BigInt(remainder()), (a * b) % c);
    }),
    { seed, numRuns: 20_000 },
  );
  assert.ok(answered > 10_000, `only ${answered} answered`);
});

test('mulDivCeil rounds up exactly when a·b/c is not whole', () => {
  const seed = testSeed('mulDivCeil');
  fc.assert(
    fc.property(magnitude(40), magnitude(40), positive(40), (a, b, c) => {
      const q = mulDivCeil(Number(a), Number(b), Number(c));
      if (!Number.isNaN(q)) assert.equal(BigInt(q), ceilDiv(a * b, c));
    }),
    { seed, numRuns: 5_000 },
  );
});

test('mulDivFloor refuses arguments outside its range, negative ones and NaN', () => {
  assert.ok(Number.isNaN(mulDivFloor(2 ** 52, 1, 1)));
  assert.ok(Number.isNaN(mulDivFloor(1, 2 ** 52, 1)));
  assert.ok(Number.isNaN(mulDivFloor(1, 1, 2 ** 51)));
  assert.ok(Number.isNaN(mulDivFloor(-1, 1, 1)));
  assert.ok(Number.isNaN(mulDivFloor(1, 1, 0)));
  assert.ok(Number.isNaN(mulDivFloor(NaN, 1, 1)));
  assert.ok(Number.isNaN(mulDivFloor(1, 1, NaN)));
  assert.ok(Number.isNaN(mulDivFloor(2 ** 51, 2 ** 10, 1)), 'quotient past 2^50');
});

test('floorDivExact and ceilDivExact match bigint floor and ceiling division for any sign', () => {
  const seed = testSeed('floorDivExact');
  fc.assert(
    fc.property(signedMagnitude(52), positive(52), (x, d) => {
      const f = floorDivExact(Number(x), Number(d));
      assert.equal(BigInt(f), floorDiv(x, d));
      assert.equal(BigInt(remainder()), x - floorDiv(x, d) * d);
      assert.equal(BigInt(ceilDivExact(Number(x), Number(d))), ceilDiv(x, d));
    }),
    { seed, numRuns: 20_000 },
  );
});

test('floorDivExact refuses a numerator at 2^52 and NaN', () => {
  assert.ok(Number.isNaN(floorDivExact(2 ** 52, 3)));
  assert.ok(Number.isNaN(floorDivExact(-(2 ** 52), 3)));
  assert.ok(Number.isNaN(floorDivExact(NaN, 3)));
  assert.ok(Number.isNaN(floorDivExact(5, 0)));
});

test('productBelow51 is the exact product below 2^51 and NaN from 2^51 on', () => {
  const seed = testSeed('productBelow51');
  fc.assert(
    fc.property(magnitude(53), magnitude(40), positive(30), (x, y, z) => {
      const p = productBelow51(Number(x), Number(y), Number(z));
      const exact = x * y * z;
      if (exact < TWO_51) assert.equal(BigInt(p), exact);
      else assert.ok(Number.isNaN(p));
    }),
    { seed, numRuns: 20_000 },
  );
  assert.ok(Number.isNaN(productBelow51(2 ** 25, 2 ** 25, 2)), '2^51 itself');
  assert.equal(productBelow51(2 ** 25, 2 ** 25, 1), 2 ** 50);
  assert.ok(Number.isNaN(productBelow51(2 ** 40, 2 ** 14, 1)), 'the first product passes 2^53');
  assert.ok(Number.isNaN(productBelow51(NaN, 1, 1)));
});
