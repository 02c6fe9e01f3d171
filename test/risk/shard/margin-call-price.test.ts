import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { liquidationPrice } from '../../../risk/liquidation-price.js';
import { DEFAULT_TIERS, marginTierIndexOf } from '../../../risk/tiers.js';
import { RATE_ONE } from '../../../risk/units.js';
import { CALLED_AT_ANY_PRICE, marginCallPriceTicks } from '../../../risk/shard/margin-call-price.js';
import { testSeed } from '../../support/seed.js';

const A = 100n;
const R80 = 80_000_000n;

/**
 * r·Equity − R·MM at a price, MM exact (before its rounding up): ≤ 0 exactly where the scope's ratio
 * Σ MM / Equity is at or past r. The solver's root is where this crosses 0.
 */
function excess(qtyLots: bigint, entryCost: bigint, collateral: bigint, priceTicks: bigint, r: bigint): bigint {
  const n = (qtyLots < 0n ? -qtyLots : qtyLots) * priceTicks * A;
  const equity = collateral + (qtyLots > 0n ? n - entryCost : entryCost - n);
  const t = DEFAULT_TIERS[marginTierIndexOf(DEFAULT_TIERS, n)]!;
  return r * equity - (n * t.mmrRate - t.cumAtomRate);
}

test('at ratio 100% the margin-call price is the liquidation price', () => {
  const pos = { qtyLots: 1_000n, entryCostAtoms: 60_000_000_000n };
  const lp = liquidationPrice(pos, 2_970_000_000n, 0n, A, DEFAULT_TIERS)!;
  assert.equal(marginCallPriceTicks(pos, 2_970_000_000n, 0n, A, DEFAULT_TIERS, RATE_ONE), lp.priceTicks);
});

test('a long is past the threshold one tick below its margin-call price and not at it', () => {
  const seed = testSeed('margin-call price long');
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: 400_000n }), fc.bigInt({ min: 100_000n, max: 1_000_000n }), fc.bigInt({ min: 1n, max: 50_000_000_000n }), (lots, entry, collateral) => {
      const cost = lots * entry * A;
      const p = marginCallPriceTicks({ qtyLots: lots, entryCostAtoms: cost }, collateral, 0n, A, DEFAULT_TIERS, R80);
      if (p === undefined || p < 2n) return;
      // Rounded up: at the price the scope is at or short of the threshold, one tick below it is past.
      assert.ok(excess(lots, cost, collateral, p - 1n, R80) < 0n);
      assert.ok(excess(lots, cost, collateral, p, R80) >= 0n);
    }),
    { seed, numRuns: 300 },
  );
});

test('a short is past the threshold one tick above its margin-call price and not at it', () => {
  const seed = testSeed('margin-call price short');
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: 400_000n }), fc.bigInt({ min: 100_000n, max: 1_000_000n }), fc.bigInt({ min: 1n, max: 50_000_000_000n }), (lots, entry, collateral) => {
      const cost = lots * entry * A;
      const p = marginCallPriceTicks({ qtyLots: -lots, entryCostAtoms: cost }, collateral, 0n, A, DEFAULT_TIERS, R80);
      if (p === undefined || p === CALLED_AT_ANY_PRICE) return;
      assert.ok(excess(-lots, cost, collateral, p + 1n, R80) < 0n);
      assert.ok(excess(-lots, cost, collateral, p, R80) >= 0n);
    }),
    { seed, numRuns: 300 },
  );
});

test('a short whose margin cannot carry it at any price is called at any price', () => {
  assert.equal(marginCallPriceTicks({ qtyLots: -1_000n, entryCostAtoms: 60_000_000_000n }, -60_000_000_000n, 0n, A, DEFAULT_TIERS, R80), CALLED_AT_ANY_PRICE);
});

test('a flat position has no margin-call price', () => {
  assert.equal(marginCallPriceTicks({ qtyLots: 0n, entryCostAtoms: 0n }, 1n, 0n, A, DEFAULT_TIERS, R80), undefined);
});
