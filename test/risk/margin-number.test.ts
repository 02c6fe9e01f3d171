import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { initialMarginAtoms } from '../../risk/margin.js';
import { initialNumber, maintenanceNumber, marginTierNumber, numberTiers, PositionNumbers, valuePositionNumber } from '../../risk/margin-number.js';
import { DEFAULT_TIERS, maintenanceMarginAtoms, marginTierIndexOf } from '../../risk/tiers.js';
import { testSeed } from '../support/seed.js';
import { magnitude, positive, signedMagnitude, tierTable } from './number-arbitraries.js';

const TWO_49 = 1n << 49n;

test('MM, IM and the margin tier on numbers equal the bigint formulas for every notional below 2^49', () => {
  const seed = testSeed('margin-number MM IM');
  fc.assert(
    fc.property(tierTable, magnitude(49), fc.integer({ min: 1, max: 200 }), (tiers, n, leverage) => {
      const t = numberTiers(tiers);
      const tier = marginTierNumber(t, Number(n));
      assert.equal(tier, marginTierIndexOf(tiers, n));
      assert.equal(BigInt(maintenanceNumber(t, tier, Number(n))), maintenanceMarginAtoms(tiers, n));
      assert.equal(BigInt(initialNumber(t, tier, Number(n), leverage)), initialMarginAtoms(tiers, n, BigInt(leverage)));
    }),
    { seed, numRuns: 10_000 },
  );
});

test('a position valued on numbers has valuePosition\'s notional, UPnL, MM and IM, and is refused only past its range', () => {
  const seed = testSeed('margin-number valuePosition');
  const out = new PositionNumbers();
  fc.assert(
    fc.property(tierTable, signedMagnitude(40), magnitude(52), magnitude(34), positive(16), fc.integer({ min: 1, max: 125 }), (tiers, q, cost, mark, a, leverage) => {
      const ok = valuePositionNumber(Number(q), Number(cost), Number(mark), Number(a), leverage, numberTiers(tiers), out);
      if (q === 0n) {
        assert.ok(ok);
        assert.equal(out.notionalAtoms + out.unrealizedPnlAtoms + out.maintenanceAtoms + out.initialAtoms, 0);
        return;
      }
      const lots = q < 0n ? -q : q;
      const n = mark > 0n ? lots * mark * a : cost;
      if (!ok) {
        assert.ok(n >= TWO_49 || cost >= 1n << 51n, `refused n=${n} cost=${cost}`);
        return;
      }
      assert.equal(BigInt(out.notionalAtoms), n);
      assert.equal(BigInt(out.unrealizedPnlAtoms), q > 0n ? n - cost : cost - n);
      assert.equal(BigInt(out.maintenanceAtoms), maintenanceMarginAtoms(tiers, n));
      assert.equal(BigInt(out.initialAtoms), initialMarginAtoms(tiers, n, BigInt(leverage)));
      assert.equal(out.tierIndex, marginTierIndexOf(tiers, n));
    }),
    { seed, numRuns: 10_000 },
  );
});

test('a NaN field (a value kept in bigint) refuses the number valuation', () => {
  const out = new PositionNumbers();
  const t = numberTiers(DEFAULT_TIERS);
  assert.equal(valuePositionNumber(NaN, 1, 600_000, 100, 20, t, out), false);
  assert.equal(valuePositionNumber(1_000, NaN, 600_000, 100, 20, t, out), false);
  assert.equal(valuePositionNumber(1_000, 1, NaN, 100, 20, t, out), false);
  assert.equal(valuePositionNumber(1_000, 1, 600_000, NaN, 20, t, out), false);
  assert.equal(valuePositionNumber(1_000, 1, 600_000, 100, NaN, t, out), false);
});
