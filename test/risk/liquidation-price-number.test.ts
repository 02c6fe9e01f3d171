import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { bankruptcyPrice, liquidationPrice } from '../../risk/liquidation-price.js';
import { bankruptcyPriceNumber, lastTierIndex, liquidationPriceNumber, NO_PRICE } from '../../risk/liquidation-price-number.js';
import { numberTiers } from '../../risk/margin-number.js';
import type { TierTable } from '../../risk/tiers.js';
import { RATE_ONE } from '../../risk/units.js';
import { testSeed } from '../support/seed.js';
import { magnitude, positive, signedMagnitude, tierTable } from './number-arbitraries.js';

const LIMIT_46 = 1n << 46n;

function check(tiers: TierTable, q: bigint, cost: bigint, collateral: bigint, otherMm: bigint, a: bigint, mustAnswer: boolean): void {
  const got = liquidationPriceNumber(Number(q), Number(cost), Number(collateral), Number(otherMm), Number(a), numberTiers(tiers));
  const want = liquidationPrice({ qtyLots: q, entryCostAtoms: cost }, collateral, otherMm, a, tiers);
  if (Number.isNaN(got)) {
    const lots = q < 0n ? -q : q;
    assert.ok(!mustAnswer || (want !== undefined && want.priceTicks * lots * a >= 1n << 47n), `refused q=${q} cost=${cost} collateral=${collateral} otherMm=${otherMm} a=${a}`);
    return;
  }
  if (want === undefined) assert.equal(got, NO_PRICE);
  else {
    assert.equal(BigInt(got), want.priceTicks);
    assert.equal(lastTierIndex(), want.tierIndex);
  }
}

test('LP on numbers equals the bigint LP (price and tier) over wide random scopes', () => {
  const seed = testSeed('liquidation-price-number random');
  fc.assert(
    fc.property(tierTable, signedMagnitude(30).filter((q) => q !== 0n), magnitude(50), signedMagnitude(50), magnitude(50), positive(14), (tiers, q, cost, collateral, otherMm, a) => {
      const lots = q < 0n ? -q : q;
      const small = cost < LIMIT_46 && collateral < LIMIT_46 && collateral > -LIMIT_46 && otherMm < LIMIT_46 && lots * a < LIMIT_46;
      check(tiers, q, cost, collateral, otherMm, a, small);
    }),
    { seed, numRuns: 10_000 },
  );
});

test('LP on numbers picks the same tier as bigint when the root sits on a tier boundary', () => {
  const seed = testSeed('liquidation-price-number boundaries');
  fc.assert(
    fc.property(tierTable, fc.nat(), fc.boolean(), positive(24), positive(10), magnitude(44), magnitude(40), fc.integer({ min: -3, max: 3 }), fc.boolean(), (tiers, pick, long, lots, a, cost, otherMm, jitter, atHi) => {
      const t = tiers[pick % tiers.length]!;
      const x = (atHi ? t.hiNotionalAtoms : t.loNotionalAtoms) + BigInt(jitter);
      const m = t.mmrRate;
      // Equity(X) = MM(X) solved for the collateral that puts the root at X (see liquidation-price.ts).
      const collateral = long ? cost + otherMm - (x * (RATE_ONE - m) + t.cumAtomRate) / RATE_ONE + BigInt(jitter) : otherMm + (x * (RATE_ONE + m) - t.cumAtomRate) / RATE_ONE - cost + BigInt(jitter);
      check(tiers, long ? lots : -lots, cost, collateral, otherMm, a, false);
    }),
    { seed, numRuns: 10_000 },
  );
});

test('BP on numbers equals the bigint BP, rounded toward safety', () => {
  const seed = testSeed('bankruptcy-price-number');
  fc.assert(
    fc.property(signedMagnitude(30).filter((q) => q !== 0n), magnitude(50), signedMagnitude(50), positive(14), (q, cost, collateral, a) => {
      const got = bankruptcyPriceNumber(Number(q), Number(cost), Number(collateral), Number(a));
      const lots = q < 0n ? -q : q;
      if (Number.isNaN(got)) {
        assert.ok(lots * a >= 1n << 51n, 'refused inside the range');
        return;
      }
      assert.equal(BigInt(got), bankruptcyPrice({ qtyLots: q, entryCostAtoms: cost }, collateral, a)!.priceTicks);
    }),
    { seed, numRuns: 10_000 },
  );
});

test('LP and BP on numbers refuse a position or collateral kept in bigint', () => {
  const t = numberTiers(tierTableDefault());
  assert.ok(Number.isNaN(liquidationPriceNumber(NaN, 1, 1, 0, 100, t)));
  assert.ok(Number.isNaN(liquidationPriceNumber(1_000, 60_000_000_000, NaN, 0, 100, t)));
  assert.ok(Number.isNaN(liquidationPriceNumber(1_000, 60_000_000_000, 1, NaN, 100, t)));
  assert.ok(Number.isNaN(bankruptcyPriceNumber(1_000, NaN, 1, 100)));
});

function tierTableDefault(): TierTable {
  return fc.sample(tierTable, { numRuns: 1, seed: 0 })[0]!;
}
