// fast-check arbitraries for the differential tests of the number fast paths: integers spread over every
// magnitude up to a bound (log-uniform, so small and huge values are both common), values right at the
// powers of two the guards test (2^50, 2^51, 2^52, 2^53 and their neighbours), and random valid tier
// tables. Everything is a bigint: the tests convert to numbers only where the fast path takes numbers.

import fc from 'fast-check';
import { buildTierTable, DEFAULT_TIERS, type TierRow, type TierTable } from '../../risk/tiers.js';
import { RATE_ONE } from '../../risk/units.js';

/** A non-negative integer below 2^bits: log-uniform magnitude, or a power of two ± 3 near the guards. */
export function magnitude(bits: number): fc.Arbitrary<bigint> {
  const spread = fc.integer({ min: 0, max: bits }).chain((b) => fc.bigInt({ min: b === 0 ? 0n : 1n << BigInt(b - 1), max: (1n << BigInt(b)) - 1n }));
  const powers = [26, 49, 50, 51, 52, 53].filter((p) => p < bits);
  if (powers.length === 0) return spread;
  const edges = fc.tuple(fc.constantFrom(...powers), fc.integer({ min: -3, max: 3 })).map(([p, d]) => (1n << BigInt(p)) + BigInt(d));
  return fc.oneof({ weight: 4, arbitrary: spread }, { weight: 1, arbitrary: edges });
}

/** A signed integer of magnitude below 2^bits. */
export function signedMagnitude(bits: number): fc.Arbitrary<bigint> {
  return fc.tuple(magnitude(bits), fc.boolean()).map(([v, neg]) => (neg ? -v : v));
}

/** A positive integer below 2^bits. */
export function positive(bits: number): fc.Arbitrary<bigint> {
  return magnitude(bits).map((v) => (v === 0n ? 1n : v));
}

/** A valid tier table: the default one, or 1..6 random rows (rising bounds and rates, MMR < IMR ≤ 1/leverage). */
export const tierTable: fc.Arbitrary<TierTable> = fc.oneof(
  fc.constant(DEFAULT_TIERS),
  fc
    .array(fc.tuple(positive(46), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 30 })), { minLength: 1, maxLength: 6 })
    .map((parts) => {
      let hi = 0n;
      let mmr = 0n;
      let leverage = 125n;
      const rows: TierRow[] = [];
      for (const [step, mmrStep, lev] of parts) {
        hi += step;
        mmr += BigInt(mmrStep) * (RATE_ONE / 100n) + BigInt(lev);
        if (mmr >= RATE_ONE / 2n) break;
        const imr = mmr * 2n > RATE_ONE / leverage ? mmr * 2n : RATE_ONE / leverage;
        if (imr > RATE_ONE) break;
        const maxLeverage = RATE_ONE / imr;
        if (maxLeverage < 1n) break;
        leverage = maxLeverage;
        rows.push({ hiNotionalAtoms: hi, maxLeverage, imrRate: imr, mmrRate: mmr });
      }
      const built = buildTierTable(rows.length > 0 ? rows : [{ hiNotionalAtoms: 1_000_000n, maxLeverage: 10n, imrRate: RATE_ONE / 10n, mmrRate: RATE_ONE / 20n }]);
      return 'tiers' in built ? built.tiers : DEFAULT_TIERS;
    }),
);
