import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { ceilDiv, decimalToUnits, floorDiv, halfEvenDiv, midpointToUnits, parseDecimal, positiveDecimal, Rounding, unitsToDecimal } from '../../../engine/market/decimal.js';

const tick = positiveDecimal('0.1', 'tick');

test('a decimal parses to mantissa and scale without float arithmetic', () => {
  assert.deepEqual(parseDecimal('60940.35136398'), { mantissa: 6094035136398n, scale: 8 });
  assert.deepEqual(parseDecimal('-0.001'), { mantissa: -1n, scale: 3 });
  assert.deepEqual(parseDecimal('7'), { mantissa: 7n, scale: 0 });
});

test('text that is not a plain decimal is refused', () => {
  for (const bad of ['', '1e5', '+1', ' 1', '1.', '.5', '0x10', '1,5', 'NaN', 'Infinity', '--1', '1'.repeat(41)]) {
    assert.equal(parseDecimal(bad), undefined, bad);
  }
  assert.equal(parseDecimal(5 as unknown as string), undefined);
});

test('a value on the grid converts exactly', () => {
  assert.deepEqual(decimalToUnits('60900.5', tick, Rounding.EXACT, Code.PRICE_NOT_ON_TICK), { ok: true, units: 609005n });
  assert.deepEqual(decimalToUnits('60900.50000', tick, Rounding.EXACT, Code.PRICE_NOT_ON_TICK), { ok: true, units: 609005n });
});

test('a value off the grid is rejected under EXACT with the caller\'s code', () => {
  assert.deepEqual(decimalToUnits('60900.55', tick, Rounding.EXACT, Code.PRICE_NOT_ON_TICK), { ok: false, code: Code.PRICE_NOT_ON_TICK });
});

test('FLOOR rounds toward minus infinity and CEIL toward plus infinity, negatives included', () => {
  assert.deepEqual(decimalToUnits('60900.55', tick, Rounding.FLOOR, 0), { ok: true, units: 609005n });
  assert.deepEqual(decimalToUnits('60900.55', tick, Rounding.CEIL, 0), { ok: true, units: 609006n });
  assert.deepEqual(decimalToUnits('-0.15', tick, Rounding.FLOOR, 0), { ok: true, units: -2n });
  assert.deepEqual(decimalToUnits('-0.15', tick, Rounding.CEIL, 0), { ok: true, units: -1n });
});

test('a malformed number gives INVALID_NUMBER', () => {
  assert.deepEqual(decimalToUnits('abc', tick, Rounding.EXACT, 0), { ok: false, code: Code.INVALID_NUMBER });
});

test('units format back to canonical decimal text', () => {
  assert.equal(unitsToDecimal(609005n, tick), '60900.5');
  assert.equal(unitsToDecimal(5, positiveDecimal('0.001', 'lot')), '0.005');
  assert.equal(unitsToDecimal(-15n, tick), '-1.5');
  assert.equal(unitsToDecimal(3n, positiveDecimal('5', 'unit')), '15');
});

test('floorDiv and ceilDiv round in their direction for every sign', () => {
  assert.equal(floorDiv(7n, 2n), 3n);
  assert.equal(floorDiv(-7n, 2n), -4n);
  assert.equal(floorDiv(7n, -2n), -4n);
  assert.equal(floorDiv(-7n, -2n), 3n);
  assert.equal(ceilDiv(7n, 2n), 4n);
  assert.equal(ceilDiv(-7n, 2n), -3n);
  assert.equal(ceilDiv(6n, 2n), 3n);
});

test('a non-positive unit is a configuration error', () => {
  assert.throws(() => positiveDecimal('0', 'tick'), RangeError);
  assert.throws(() => positiveDecimal('-0.1', 'tick'), RangeError);
});

test('HALF_EVEN rounds to the nearest unit and a tie to the even one, negatives included', () => {
  assert.deepEqual(decimalToUnits('60900.54', tick, Rounding.HALF_EVEN, 0), { ok: true, units: 609005n });
  assert.deepEqual(decimalToUnits('60900.56', tick, Rounding.HALF_EVEN, 0), { ok: true, units: 609006n });
  assert.deepEqual(decimalToUnits('60900.55', tick, Rounding.HALF_EVEN, 0), { ok: true, units: 609006n });
  assert.deepEqual(decimalToUnits('60900.45', tick, Rounding.HALF_EVEN, 0), { ok: true, units: 609004n });
  assert.equal(halfEvenDiv(-5n, 2n), -2n);
  assert.equal(halfEvenDiv(-7n, 2n), -4n);
  assert.equal(halfEvenDiv(-7n, 3n), -2n);
});

test('a midpoint is exact until its one rounding', () => {
  // (333.98 + 333.99) / 2 = 333.985 → 3,339.85 ticks of 0.1: HALF_EVEN 3,340, FLOOR 3,339.
  assert.deepEqual(midpointToUnits('333.98', '333.99', tick, Rounding.HALF_EVEN, 0), { ok: true, units: 3_340n });
  assert.deepEqual(midpointToUnits('333.98', '333.99', tick, Rounding.FLOOR, 0), { ok: true, units: 3_339n });
  // Scales differ: (30300 + 30300.1) / 2 = 30300.05 → 303,000.5 → a tie, to the even 303,000.
  assert.deepEqual(midpointToUnits('30300.00000', '30300.1', tick, Rounding.HALF_EVEN, 0), { ok: true, units: 303_000n });
  assert.deepEqual(midpointToUnits('7.6110', '7.6120', positiveDecimal('0.001', 't'), Rounding.EXACT, 9), { ok: false, code: 9 });
  assert.deepEqual(midpointToUnits('7.6110', '7.6130', positiveDecimal('0.001', 't'), Rounding.EXACT, 9), { ok: true, units: 7_612n });
  assert.deepEqual(midpointToUnits('x', '1', tick, Rounding.EXACT, 0), { ok: false, code: Code.INVALID_NUMBER });
});
