import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { NO_PRICE } from '../../../risk/liquidation-price-number.js';
import { numberTiers } from '../../../risk/margin-number.js';
import { marginCallPriceTicks } from '../../../risk/shard/margin-call-price.js';
import { marginCallPriceNumber } from '../../../risk/shard/margin-call-price-number.js';
import { DEFAULT_TIERS, type TierTable } from '../../../risk/tiers.js';
import { RATE_ONE } from '../../../risk/units.js';
import { testSeed } from '../../support/seed.js';
import { magnitude, positive, signedMagnitude, tierTable } from '../number-arbitraries.js';

const LIMIT_46 = 1n << 46n;
const ratio = fc.oneof(fc.constant(80_000_000n), fc.bigInt({ min: 1n, max: RATE_ONE }));

function check(tiers: TierTable, q: bigint, cost: bigint, collateral: bigint, otherMm: bigint, a: bigint, r: bigint, mustAnswer: boolean): void {
  const got = marginCallPriceNumber(Number(q), Number(cost), Number(collateral), Number(otherMm), Number(a), numberTiers(tiers), Number(r));
  const want = marginCallPriceTicks({ qtyLots: q, entryCostAtoms: cost }, collateral, otherMm, a, tiers, r);
  if (Number.isNaN(got)) {
    // Small inputs may still solve to a notional past the range (a tier whose MMR is just under r).
    const lots = q < 0n ? -q : q;
    assert.ok(!mustAnswer || (want !== undefined && want * lots * a >= 1n << 47n), `refused q=${q} cost=${cost} collateral=${collateral} otherMm=${otherMm} a=${a} r=${r}`);
    return;
  }
  assert.equal(got === NO_PRICE ? undefined : BigInt(got), want);
}

test('the margin-call price on numbers equals the bigint one over wide random scopes and ratios', () => {
  const seed = testSeed('margin-call-price-number random');
  fc.assert(
    fc.property(tierTable, signedMagnitude(30).filter((q) => q !== 0n), magnitude(50), signedMagnitude(50), magnitude(50), positive(14), ratio, (tiers, q, cost, collateral, otherMm, a, r) => {
      const lots = q < 0n ? -q : q;
      const small = cost < LIMIT_46 && collateral < LIMIT_46 && collateral > -LIMIT_46 && otherMm < LIMIT_46 && lots * a < LIMIT_46;
      check(tiers, q, cost, collateral, otherMm, a, r, small);
    }),
    { seed, numRuns: 10_000 },
  );
});

test('the margin-call price on numbers picks the same tier as bigint when the crossing sits on a tier boundary', () => {
  const seed = testSeed('margin-call-price-number boundaries');
  fc.assert(
    fc.property(tierTable, fc.nat(), fc.boolean(), positive(24), positive(10), magnitude(44), magnitude(40), fc.integer({ min: -3, max: 3 }), fc.boolean(), ratio, (tiers, pick, long, lots, a, cost, otherMm, jitter, atHi, r) => {
      const t = tiers[pick % tiers.length]!;
      const x = (atHi ? t.hiNotionalAtoms : t.loNotionalAtoms) + BigInt(jitter);
      // r·Equity(X) = R·MM(X) solved for the collateral that puts the crossing at X.
      const e0 = (RATE_ONE * otherMm + x * t.mmrRate - t.cumAtomRate) / r - (long ? x : -x);
      const collateral = (long ? e0 + cost : e0 - cost) + BigInt(jitter);
      check(tiers, long ? lots : -lots, cost, collateral, otherMm, a, r, false);
    }),
    { seed, numRuns: 10_000 },
  );
});

test('a short past the threshold at every price gets 0 on numbers as in bigint', () => {
  const got = marginCallPriceNumber(-1_000, 60_000_000_000, -60_000_000_000, 0, 100, numberTiers(DEFAULT_TIERS), 80_000_000);
  assert.equal(got, 0);
  assert.equal(marginCallPriceTicks({ qtyLots: -1_000n, entryCostAtoms: 60_000_000_000n }, -60_000_000_000n, 0n, 100n, DEFAULT_TIERS, 80_000_000n), 0n);
});
