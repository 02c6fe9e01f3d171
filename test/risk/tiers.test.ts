import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Code } from '../../engine/codes.js';
import { testSeed } from '../support/seed.js';
import {
  buildTierTable,
  cumAtoms,
  DEFAULT_TIER_ROWS,
  DEFAULT_TIERS,
  effectiveLeverage,
  impactNotionalAtoms,
  leverageCode,
  maintenanceMarginAtoms,
  positionLimitCode,
  tierIndexOf,
  type TierRow,
} from '../../risk/tiers.js';
import { RATE_ONE, RATE_PERCENT } from '../../risk/units.js';
import { usdt } from './markets.js';

test('the default table derives docs/RISK.md\'s maintenance amounts 0, 500, 8,000, 58,000 and 808,000 USDT', () => {
  // cum_2 = 0 + 50,000·(2% − 1%) = 500; cum_3 = 500 + 250,000·3% = 8,000; cum_4 = 8,000 + 1,000,000·5% = 58,000;
  // cum_5 = 58,000 + 5,000,000·15% = 808,000
  assert.deepEqual(DEFAULT_TIERS.map(cumAtoms), [0n, usdt(500n), usdt(8_000n), usdt(58_000n), usdt(808_000n)]);
});

test('a tier band includes its upper bound and excludes its lower one', () => {
  assert.equal(tierIndexOf(DEFAULT_TIERS, 0n), 0);
  assert.equal(tierIndexOf(DEFAULT_TIERS, usdt(50_000n)), 0);
  assert.equal(tierIndexOf(DEFAULT_TIERS, usdt(50_000n) + 1n), 1);
  assert.equal(tierIndexOf(DEFAULT_TIERS, usdt(20_000_000n)), 4);
  assert.equal(tierIndexOf(DEFAULT_TIERS, usdt(20_000_000n) + 1n), -1);
});

test('MM is N·MMR − cum in the tier N falls in', () => {
  // 120,000 in tier 2: 120,000·2% − 500 = 1,900; 3,000,000 in tier 4: 300,000 − 58,000 = 242,000
  assert.equal(maintenanceMarginAtoms(DEFAULT_TIERS, usdt(120_000n)), usdt(1_900n));
  assert.equal(maintenanceMarginAtoms(DEFAULT_TIERS, usdt(3_000_000n)), usdt(242_000n));
});

test('MM rounds up to the atom', () => {
  // 150 atoms · 1% = 1.5 atoms → 2
  assert.equal(maintenanceMarginAtoms(DEFAULT_TIERS, 150n), 2n);
});

test('MM is continuous across a tier boundary', () => {
  // at 50,000: tier 1 gives 500; one atom above, tier 2 gives 500.00000002 USDT → 500 USDT + 1 atom
  assert.equal(maintenanceMarginAtoms(DEFAULT_TIERS, usdt(50_000n)), usdt(500n));
  assert.equal(maintenanceMarginAtoms(DEFAULT_TIERS, usdt(50_000n) + 1n), usdt(500n) + 1n);
});

test('a position pushed past the top tier by the mark keeps the top tier\'s rates', () => {
  // 25,000,000·25% − 808,000 = 5,442,000
  assert.equal(maintenanceMarginAtoms(DEFAULT_TIERS, usdt(25_000_000n)), usdt(5_442_000n));
});

test('a notional above the top tier is refused with POSITION_LIMIT_EXCEEDED', () => {
  assert.equal(positionLimitCode(DEFAULT_TIERS, usdt(20_000_000n)), Code.OK);
  assert.equal(positionLimitCode(DEFAULT_TIERS, usdt(20_000_000n) + 1n), Code.POSITION_LIMIT_EXCEEDED);
});

test('the effective leverage is the account\'s choice capped by the tier\'s maximum', () => {
  // 120,000 is tier 2 (25x max)
  assert.equal(effectiveLeverage(DEFAULT_TIERS, usdt(120_000n), 20n), 20n);
  assert.equal(effectiveLeverage(DEFAULT_TIERS, usdt(120_000n), 50n), 25n);
});

test('a leverage below 1x or above tier 1\'s maximum is LEVERAGE_TOO_HIGH', () => {
  assert.equal(leverageCode(DEFAULT_TIERS, 50n), Code.OK);
  assert.equal(leverageCode(DEFAULT_TIERS, 51n), Code.LEVERAGE_TOO_HIGH);
  assert.equal(leverageCode(DEFAULT_TIERS, 0n), Code.LEVERAGE_TOO_HIGH);
});

test('the default impact notional is 200 USDT at 2% IMR: 10,000 USDT', () => {
  assert.equal(impactNotionalAtoms(DEFAULT_TIERS), usdt(10_000n));
});

test('an empty table is refused', () => {
  assert.equal(buildTierTable([]).code, Code.INVALID_MARKET_SPEC);
});

test('a table whose bounds do not increase is refused', () => {
  const rows = [DEFAULT_TIER_ROWS[1]!, DEFAULT_TIER_ROWS[0]!];
  assert.equal(buildTierTable(rows).code, Code.INVALID_MARKET_SPEC);
});

test('a tier whose MMR is not below its IMR is refused', () => {
  const rows = [{ ...DEFAULT_TIER_ROWS[0]!, mmrRate: 2n * RATE_PERCENT }];
  assert.equal(buildTierTable(rows).code, Code.INVALID_MARKET_SPEC);
});

test('a tier whose IMR is above 1/maxLeverage is refused', () => {
  // 50x would let IM be 2% of N while the tier asks 2.5%
  const rows = [{ ...DEFAULT_TIER_ROWS[0]!, imrRate: 2_500_000n }];
  assert.equal(buildTierTable(rows).code, Code.INVALID_MARKET_SPEC);
});

test('a table whose leverage rises or MMR falls with the tier is refused', () => {
  const leverageUp = [DEFAULT_TIER_ROWS[0]!, { ...DEFAULT_TIER_ROWS[1]!, maxLeverage: 60n }];
  const mmrDown = [DEFAULT_TIER_ROWS[0]!, { ...DEFAULT_TIER_ROWS[1]!, mmrRate: RATE_PERCENT / 2n }];
  assert.equal(buildTierTable(leverageUp).code, Code.INVALID_MARKET_SPEC);
  assert.equal(buildTierTable(mmrDown).code, Code.INVALID_MARKET_SPEC);
});

const validRows: fc.Arbitrary<TierRow[]> = fc
  .array(fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 3_000_000n }), fc.bigInt({ min: 1n, max: 3_000_000n })), {
    minLength: 1,
    maxLength: 6,
  })
  .map((steps) => {
    let hi = 0n;
    let mmr = 0n;
    let imr = 0n;
    return steps.map(([width, mmrStep, spread]) => {
      hi += width;
      mmr += mmrStep;
      if (mmr + spread > imr) imr = mmr + spread;
      return { hiNotionalAtoms: hi, maxLeverage: RATE_ONE / imr, imrRate: imr, mmrRate: mmr };
    });
  });

test('any valid table gives an MM that is continuous at every boundary and never falls as N grows', () => {
  const seed = testSeed('risk/tiers continuity');
  fc.assert(
    fc.property(validRows, fc.bigInt({ min: 0n, max: 10n ** 13n }), fc.bigInt({ min: 0n, max: 10n ** 13n }), (rows, n1, n2) => {
      const built = buildTierTable(rows);
      assert.ok('tiers' in built);
      const tiers = built.tiers;
      for (let i = 0; i + 1 < tiers.length; i++) {
        const hi = tiers[i]!.hiNotionalAtoms;
        // both tiers' exact formulas agree at the shared bound
        assert.equal(hi * tiers[i]!.mmrRate - tiers[i]!.cumAtomRate, hi * tiers[i + 1]!.mmrRate - tiers[i + 1]!.cumAtomRate);
      }
      const [lo, hi] = n1 <= n2 ? [n1, n2] : [n2, n1];
      assert.ok(maintenanceMarginAtoms(tiers, lo) <= maintenanceMarginAtoms(tiers, hi));
    }),
    { seed },
  );
});
