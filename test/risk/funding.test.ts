import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { testSeed } from '../support/seed.js';
import {
  averagePremiumRate,
  defaultFundingParams,
  fundingCapRate,
  fundingPayments,
  fundingRate8h,
  fundingRateForHours,
  fundingRateForSeconds,
  impactPriceTicks,
  PremiumAverage,
  premiumSampleRate,
  PremiumWeighting,
} from '../../risk/funding.js';
import { DEFAULT_TIERS, impactNotionalAtoms } from '../../risk/tiers.js';
import { compareRational, ratio, RATE_ONE, wholeRational } from '../../risk/units.js';
import { BTC, btcTicks } from './markets.js';

const A = BTC.atomsPerTickLot;
const IMPACT = impactNotionalAtoms(DEFAULT_TIERS); // 10,000 USDT
const IP = btcTicks(60_000n);
const params = defaultFundingParams(DEFAULT_TIERS);

test('the impact price is the exact average fill of the impact notional, the last level filled in part', () => {
  // bids 60,010 × 0.1 BTC (6,001 USDT) then 60,000 × 0.1 BTC: 3,999 USDT more buys 3,999/60,000 BTC.
  // Filled 0.1 + 0.06665 = 0.16665 BTC for 10,000 USDT: 60,006.0006… USDT = 6,000,000,000/9,999 ticks.
  const bids = [
    { priceTicks: btcTicks(60_010n), qtyLots: 100n },
    { priceTicks: btcTicks(60_000n), qtyLots: 100n },
  ];
  assert.equal(compareRational(impactPriceTicks(bids, IMPACT, A)!, ratio(6_000_000_000n, 9_999n)), 0);
});

test('an impact fill within the first level is that level\'s price', () => {
  const asks = [{ priceTicks: btcTicks(60_000n), qtyLots: 1_000n }];
  assert.equal(compareRational(impactPriceTicks(asks, IMPACT, A)!, wholeRational(IP)), 0);
});

test('a book too thin for the impact notional has no impact price', () => {
  // 0.1 BTC at 60,000 is 6,000 USDT < 10,000
  assert.equal(impactPriceTicks([{ priceTicks: IP, qtyLots: 100n }], IMPACT, A), undefined);
});

test('a premium sample is the impact bid\'s excess over the index as a rate', () => {
  // impact bid 60,030, ask 60,060 over an index of 60,000: 30/60,000 = 0.05%
  assert.equal(premiumSampleRate(wholeRational(btcTicks(60_030n)), wholeRational(btcTicks(60_060n)), IP), 50_000n);
});

test('a premium sample is negative when the impact ask is below the index', () => {
  // bid 59,940, ask 59,970: −30/60,000 = −0.05%
  assert.equal(premiumSampleRate(wholeRational(btcTicks(59_940n)), wholeRational(btcTicks(59_970n)), IP), -50_000n);
});

test('a premium sample is 0 when the index lies between the impact prices', () => {
  assert.equal(premiumSampleRate(wholeRational(btcTicks(59_990n)), wholeRational(btcTicks(60_010n)), IP), 0n);
});

test('a premium sample truncates toward zero on both sides', () => {
  // one tick (0.1 USDT) over 60,000 = 0.0001666…% = 166.67 → 166; under → −166
  assert.equal(premiumSampleRate(wholeRational(IP + 1n), wholeRational(IP + 2n), IP), 166n);
  assert.equal(premiumSampleRate(wholeRational(IP - 2n), wholeRational(IP - 1n), IP), -166n);
});

test('a side without an impact price contributes nothing to the sample', () => {
  assert.equal(premiumSampleRate(undefined, wholeRational(btcTicks(59_970n)), IP), -50_000n);
  assert.equal(premiumSampleRate(wholeRational(btcTicks(60_030n)), undefined, IP), 50_000n);
});

test('the premium average weights samples 1..n by default or equally on request', () => {
  // linear: (1·10,000 + 2·20,000 + 3·60,000)/6 = 38,333.3 → 38,333; equal: 90,000/3 = 30,000
  assert.equal(averagePremiumRate([10_000n, 20_000n, 60_000n]), 38_333n);
  assert.equal(averagePremiumRate([10_000n, 20_000n, 60_000n], PremiumWeighting.EQUAL), 30_000n);
});

test('a negative premium average truncates toward zero', () => {
  // (1·−10 + 2·−1)/3 = −4
  assert.equal(averagePremiumRate([-10n, -1n]), -4n);
});

test('the running premium average matches the batch one and starts over after reset', () => {
  const acc = new PremiumAverage();
  for (const s of [10_000n, 20_000n, 60_000n]) acc.add(s);
  assert.equal(acc.rate(), 38_333n);
  acc.reset();
  assert.equal(acc.rate(), 0n);
});

test('the default funding cap is 0.75·(IMR_1 − MMR_1) = 0.75%', () => {
  assert.equal(fundingCapRate(DEFAULT_TIERS), 750_000n);
});

test('a premium within 0.05% of the interest rate gives the interest rate', () => {
  // P̄ 0.03%: 0.03% + clamp(0.01% − 0.03%) = 0.03% − 0.02% = 0.01%
  assert.equal(fundingRate8h(30_000n, params), 10_000n);
});

test('a premium further from the interest rate is pulled back by at most 0.05%', () => {
  // P̄ 0.1%: 0.1% − 0.05% = 0.05%; P̄ −0.5%: −0.5% + 0.05% = −0.45%
  assert.equal(fundingRate8h(100_000n, params), 50_000n);
  assert.equal(fundingRate8h(-500_000n, params), -450_000n);
});

test('the funding rate is capped at ±0.75% by the tiers', () => {
  // P̄ 2%: 1.95% → 0.75%; P̄ −2%: −1.95% → −0.75%
  assert.equal(fundingRate8h(2_000_000n, params), 750_000n);
  assert.equal(fundingRate8h(-2_000_000n, params), -750_000n);
});

test('the hard cap applies when it is tighter than the tier cap', () => {
  // hard cap 0.5%, P̄ 0.9%: 0.85% → 0.5%
  assert.equal(fundingRate8h(900_000n, { ...params, hardCapRate: 500_000n }), 500_000n);
});

test('a shorter interval pays its share of the 8-hour rate', () => {
  // 0.01% per 8 h: 4 h → 0.005%, 1 h → 0.00125%, 3,600 s → 0.00125%, 7 s → 2.43 → 2 (toward zero)
  assert.equal(fundingRateForHours(10_000n, 4), 5_000n);
  assert.equal(fundingRateForHours(10_000n, 1), 1_250n);
  assert.equal(fundingRateForSeconds(10_000n, 3_600), 1_250n);
  assert.equal(fundingRateForSeconds(10_000n, 7), 2n);
  assert.equal(fundingRateForSeconds(-10_000n, 7), -2n);
});

test('longs pay shorts: payers round up, receivers down, and the residue goes to the insurance fund', () => {
  // mark 60,000.1 (600,001 ticks), F = 0.01%. Long 3 lots: 180,000,300 atoms·0.01% = 18,000.03 → pays 18,001;
  // short 1: 6,000.01 → receives 6,000; short 2: 12,000.02 → receives 12,000; residue 1 atom
  const r = fundingPayments([3n, -1n, -2n], 600_001n, A, 10_000n);
  assert.deepEqual(r, { paymentsAtoms: [18_001n, -6_000n, -12_000n], residueAtoms: 1n });
});

test('a negative rate makes shorts pay longs', () => {
  // long receives floor(18,000.03) = 18,000; shorts pay 6,001 and 12,001; residue 2
  const r = fundingPayments([3n, -1n, -2n], 600_001n, A, -10_000n);
  assert.deepEqual(r, { paymentsAtoms: [-18_000n, 6_001n, 12_001n], residueAtoms: 2n });
});

test('payments over balanced open interest sum to a residue in [0, positions) and each is within an atom of its due', () => {
  const seed = testSeed('risk/funding zero-sum');
  fc.assert(
    fc.property(
      fc.array(fc.bigInt({ min: -1_000_000n, max: 1_000_000n }), { minLength: 1, maxLength: 30 }),
      fc.bigInt({ min: 1n, max: 10n ** 9n }),
      fc.bigInt({ min: -750_000n, max: 750_000n }),
      (qtys, mark, rate) => {
        const all = [...qtys, -qtys.reduce((s, q) => s + q, 0n)]; // open interest sums to 0 (I1)
        const r = fundingPayments(all, mark, A, rate);
        const sum = r.paymentsAtoms.reduce((s, p) => s + p, 0n);
        assert.equal(sum, r.residueAtoms);
        assert.ok(r.residueAtoms >= 0n && r.residueAtoms < BigInt(all.length));
        all.forEach((q, i) => {
          const dueScaled = q * mark * A * rate; // due · RATE_ONE
          const paid = r.paymentsAtoms[i]!;
          assert.ok(paid * RATE_ONE >= dueScaled && (paid - 1n) * RATE_ONE < dueScaled);
        });
      },
    ),
    { seed },
  );
});
