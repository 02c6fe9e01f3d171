import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { ceilDiv, decimalToUnits, floorDiv, parseDecimal, positiveDecimal, Rounding, unitsToDecimal } from '../../../engine/market/decimal.js';

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
