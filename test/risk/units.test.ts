import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { testSeed } from '../support/seed.js';
import {
  ceilRational,
  compareRational,
  floorRational,
  mulRateDown,
  mulRateUp,
  notionalAtoms,
  RATE_PERCENT,
  ratio,
  roundRationalToward,
} from '../../risk/units.js';
import { BTC, btc, btcTicks, usdt } from './markets.js';

test('ratio moves a negative denominator\'s sign to the numerator', () => {
  assert.deepEqual(ratio(3n, -4n), { num: -3n, den: 4n });
});

test('compareRational orders by value, not by representation', () => {
  // 1/3 = 0.333… < 34/100; 2/4 = 1/2
  assert.equal(compareRational(ratio(1n, 3n), ratio(34n, 100n)), -1);
  assert.equal(compareRational(ratio(2n, 4n), ratio(1n, 2n)), 0);
  assert.equal(compareRational(ratio(-1n, 2n), ratio(-2n, 3n)), 1);
});

test('floor and ceil of a negative rational round toward −∞ and +∞', () => {
  // −7/2 = −3.5
  assert.equal(floorRational(ratio(-7n, 2n)), -4n);
  assert.equal(ceilRational(ratio(-7n, 2n)), -3n);
});

test('roundRationalToward rounds toward the target from either side', () => {
  // 7/2 = 3.5: toward 0 → 3, toward 10 → 4
  assert.equal(roundRationalToward(ratio(7n, 2n), 0n), 3n);
  assert.equal(roundRationalToward(ratio(7n, 2n), 10n), 4n);
});

test('a rate charged rounds up and a rate paid rounds down', () => {
  // 150 atoms · 1% = 1.5 atoms
  assert.equal(mulRateUp(150n, RATE_PERCENT), 2n);
  assert.equal(mulRateDown(150n, RATE_PERCENT), 1n);
});

test('notional of 2 BTC at 60,000 is 120,000 USDT whatever the side', () => {
  assert.equal(BTC.atomsPerTickLot, 100n);
  assert.equal(notionalAtoms(-btc(2n), btcTicks(60_000n), BTC.atomsPerTickLot), usdt(120_000n));
});

test('floor ≤ r < floor + 1 and ceil − 1 < r ≤ ceil for any rational', () => {
  const seed = testSeed('risk/units floor-ceil');
  const nz = fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).filter((d) => d !== 0n);
  fc.assert(
    fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), nz, (num, den) => {
      const r = ratio(num, den);
      const f = floorRational(r);
      const c = ceilRational(r);
      assert.ok(compareRational({ num: f, den: 1n }, r) <= 0 && compareRational(r, { num: f + 1n, den: 1n }) < 0);
      assert.ok(compareRational({ num: c - 1n, den: 1n }, r) < 0 && compareRational(r, { num: c, den: 1n }) <= 0);
    }),
    { seed },
  );
});

test('compareRational is antisymmetric and blind to scaling', () => {
  const seed = testSeed('risk/units compare');
  const big = fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n });
  const pos = fc.bigInt({ min: 1n, max: 10n ** 25n });
  fc.assert(
    fc.property(big, pos, big, pos, pos, (an, ad, bn, bd, k) => {
      const a = { num: an, den: ad };
      const b = { num: bn, den: bd };
      // A sum, not a negation: -0 and 0 differ under strict equality.
      assert.equal(compareRational(a, b) + compareRational(b, a), 0);
      assert.equal(compareRational(a, { num: an * k, den: ad * k }), 0);
    }),
    { seed },
  );
});
