import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { testSeed } from '../support/seed.js';
import { BasisAverage, markPrice, type MarkInputs } from '../../risk/mark.js';
import { ceilRational, compareRational, floorRational, ratio, RATE_ONE, RATE_PERCENT } from '../../risk/units.js';
import { btcTicks } from './markets.js';

const HOUR_US = 3_600_000_000;
const IP = btcTicks(60_000n); // 600,000 ticks

// Index 60,000; last funding rate 0.01%, 4 h of an 8 h interval left: c1 = 60,000·(1 + 0.0001·½) = 60,003.
// Basis average +15 (mid 60,015): c2 = 60,015. Book 60,010 / 60,020, last trade a wick at 65,000: c3 = 60,020.
const base: MarkInputs = {
  indexTicks: IP,
  indexStale: false,
  lastFundingRate: 10_000n,
  timeToFundingUs: 4 * HOUR_US,
  fundingIntervalUs: 8 * HOUR_US,
  basisAverageTicks: ratio(150n, 1n),
  bestBidTicks: btcTicks(60_010n),
  bestAskTicks: btcTicks(60_020n),
  lastTradeTicks: btcTicks(65_000n),
  bandRate: 5n * RATE_PERCENT,
  previousMarkTicks: btcTicks(59_000n),
};

test('the mark is the median of the three estimates and ignores a last-trade wick', () => {
  // median(60,003, 60,015, 60,020) = 60,015
  assert.deepEqual(markPrice(base), { markTicks: btcTicks(60_015n), stale: false });
});

test('with one estimate missing the mark is the mean of the other two', () => {
  // no last trade: mean(60,003, 60,015) = 60,009
  assert.equal(markPrice({ ...base, lastTradeTicks: 0n }).markTicks, btcTicks(60_009n));
});

test('a mean half a tick above the index rounds down toward it', () => {
  // c1 600,030, c2 600,151 (basis +151 ticks): mean 600,090.5 → 600,090
  assert.equal(markPrice({ ...base, lastTradeTicks: 0n, basisAverageTicks: ratio(151n, 1n) }).markTicks, 600_090n);
});

test('a mean half a tick below the index rounds up toward it', () => {
  // F −0.01%: c1 599,970; basis −151 ticks: c2 599,849; mean 599,909.5 → 599,910
  const m = markPrice({ ...base, lastTradeTicks: 0n, lastFundingRate: -10_000n, basisAverageTicks: ratio(-151n, 1n) });
  assert.equal(m.markTicks, 599_910n);
});

test('the mark is clamped to the band around the index', () => {
  // band 0.5% = 300 USDT; every estimate 500+ above: mark 60,300
  const m = markPrice({
    ...base,
    bandRate: RATE_PERCENT / 2n,
    lastFundingRate: 2n * RATE_PERCENT,
    basisAverageTicks: ratio(btcTicks(500n), 1n),
    bestBidTicks: btcTicks(60_600n),
    bestAskTicks: btcTicks(60_700n),
    lastTradeTicks: btcTicks(60_650n),
  });
  assert.equal(m.markTicks, btcTicks(60_300n));
});

test('with only the funding estimate the mark is IP·(1 + F·τ/T)', () => {
  // full interval ahead: 60,000·1.0001 = 60,006
  const m = markPrice({ ...base, timeToFundingUs: 8 * HOUR_US, basisAverageTicks: undefined, bestBidTicks: 0n });
  assert.equal(m.markTicks, btcTicks(60_006n));
});

test('a stale index freezes the mark and says so', () => {
  assert.deepEqual(markPrice({ ...base, indexStale: true }), { markTicks: btcTicks(59_000n), stale: true });
  assert.deepEqual(markPrice({ ...base, indexTicks: 0n }), { markTicks: btcTicks(59_000n), stale: true });
});

test('the basis average covers the last 30 seconds only', () => {
  // basis +10, +20, +30 ticks at 0 s, 10 s, 20 s: at 25 s the mean is 20; at 31 s the 0 s sample is out: 25;
  // at 50 s all are out
  const ma = new BasisAverage();
  const s = 1_000_000;
  ma.add(0, IP + 5n, IP + 15n, IP);
  ma.add(10 * s, IP + 15n, IP + 25n, IP);
  ma.add(20 * s, IP + 25n, IP + 35n, IP);
  assert.equal(compareRational(ma.averageTicks(25 * s)!, ratio(20n, 1n)), 0);
  assert.equal(compareRational(ma.averageTicks(31 * s)!, ratio(25n, 1n)), 0);
  assert.equal(ma.averageTicks(50 * s), undefined);
});

test('the basis average keeps half-tick mids exact', () => {
  // bid IP, ask IP + 1: mid IP + ½
  const ma = new BasisAverage();
  ma.add(0, IP, IP + 1n, IP);
  assert.equal(compareRational(ma.averageTicks(0)!, ratio(1n, 2n)), 0);
});

test('a full basis average drops its oldest sample', () => {
  // capacity 2: +10 then +20 then +30 → mean of +20 and +30 = 25
  const ma = new BasisAverage(30_000_000, 2);
  ma.add(0, IP + 5n, IP + 15n, IP);
  ma.add(1, IP + 15n, IP + 25n, IP);
  ma.add(2, IP + 25n, IP + 35n, IP);
  assert.equal(ma.sampleCount, 2);
  assert.equal(compareRational(ma.averageTicks(2)!, ratio(25n, 1n)), 0);
});

test('the mark stays within the band and between the estimates and the index', () => {
  const seed = testSeed('risk/mark band');
  const ticks = fc.bigInt({ min: 0n, max: btcTicks(120_000n) });
  fc.assert(
    fc.property(
      fc.bigInt({ min: 1n, max: btcTicks(100_000n) }),
      fc.bigInt({ min: -750_000n, max: 750_000n }),
      fc.integer({ min: 0, max: 8 * HOUR_US }),
      fc.option(fc.bigInt({ min: -btcTicks(10_000n), max: btcTicks(10_000n) })),
      ticks,
      ticks,
      ticks,
      fc.bigInt({ min: 0n, max: 10n * RATE_PERCENT }),
      (ip, f, tau, basis, bid, ask, last, band) => {
        const m: MarkInputs = {
          ...base,
          indexTicks: ip,
          lastFundingRate: f,
          timeToFundingUs: tau,
          basisAverageTicks: basis === null ? undefined : ratio(basis, 2n),
          bestBidTicks: bid,
          bestAskTicks: ask,
          lastTradeTicks: last,
          bandRate: band,
        };
        const mark = markPrice(m).markTicks;
        const d = mark > ip ? mark - ip : ip - mark;
        assert.ok(d * RATE_ONE <= band * ip);
        const estimates = [ratio(ip * (RATE_ONE * BigInt(8 * HOUR_US) + f * BigInt(tau)), RATE_ONE * BigInt(8 * HOUR_US))];
        if (basis !== null) estimates.push(ratio(2n * ip + basis, 2n));
        if (bid > 0n && ask > 0n && last > 0n) estimates.push(ratio([bid, ask, last].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))[1]!, 1n));
        const lo = estimates.map(floorRational).reduce((x, y) => (x < y ? x : y), ip);
        const hi = estimates.map(ceilRational).reduce((x, y) => (x > y ? x : y), ip);
        assert.ok(mark >= lo && mark <= hi);
      },
    ),
    { seed },
  );
});
