// The venue integrity statistics of Cong et al.: first digits against Benford, round-size clustering, the
// size-tail exponent; integer arithmetic throughout, so exact figures can be pinned.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benford, benfordPpm, firstDigit } from '../../../risk/surveillance/integrity/benford.js';
import { LN2_FIXED, LOG_BITS, log2Fixed } from '../../../risk/surveillance/integrity/fixed-log.js';
import { DAY_US, IntegrityStats, type IntegrityReport } from '../../../risk/surveillance/integrity/integrity-stats.js';
import { RoundSizeCounts } from '../../../risk/surveillance/integrity/round-sizes.js';
import { TopSizes } from '../../../risk/surveillance/integrity/tail-exponent.js';
import { rng, testSeed } from '../../support/seed.js';

test('the fixed-point binary logarithm is exact at powers of two and within 2^-31 elsewhere', () => {
  for (let n = 0; n < 53; n++) assert.equal(log2Fixed(1n << BigInt(n)), BigInt(n) << BigInt(LOG_BITS));
  // log2(10) = 3.321928094887362...; log2(3) = 1.584962500721156...
  const scale = 2 ** LOG_BITS;
  assert.ok(Math.abs(Number(log2Fixed(10n)) / scale - 3.321928094887362) < 2 ** -31);
  assert.ok(Math.abs(Number(log2Fixed(3n)) / scale - 1.584962500721156) < 2 ** -31);
  assert.ok(Math.abs(Number(LN2_FIXED) / scale - Math.LN2) < 2 ** -32);
});

test('Benford probabilities come out as the law says, and sizes matching them give a small χ²', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map(benfordPpm), [301029, 176091, 124938, 96910, 79181, 66946, 57991, 51152, 45757]);
  assert.equal(firstDigit(7), 7);
  assert.equal(firstDigit(1_234), 1);
  assert.equal(firstDigit(90_000_001), 9);
  const exact = [0, ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => Math.round(benfordPpm(d) / 100))];
  const r = benford(exact);
  assert.equal(r.total, exact.slice(1).reduce((a, b) => a + b, 0));
  assert.ok(r.chiSquareMilli < 50, `χ² × 1000 = ${r.chiSquareMilli}`);
  assert.ok(r.madPpm < 100);
});

test('sizes that all start with 5 are far from Benford', () => {
  const r = benford([0, 0, 0, 0, 0, 1_000, 0, 0, 0, 0]);
  assert.ok(r.chiSquareMilli > 15_507 * 100, `χ² × 1000 = ${r.chiSquareMilli}`);
  assert.ok(r.madPpm > 100_000);
});

test('round sizes cluster: multiples of 100 lots counted against their neighbours', () => {
  const c = new RoundSizeCounts();
  for (const q of [100, 200, 300, 1_000, 95, 105, 42]) c.add(q);
  const r = c.report().find((x) => x.unitLots === 100)!;
  assert.equal(r.round, 4);
  assert.equal(r.neighbours, 2); // 95 and 105 lie within 10 lots of a multiple
  assert.equal(r.clusterRatioMilli, Math.floor((4 * 2 * 10 * 1_000) / 2));
  assert.equal(r.shareBps, Math.floor((4 * 10_000) / 7));
});

test('Hill\'s estimator recovers the exponent of a Pareto sample', () => {
  const seed = testSeed('pareto tail');
  const r = rng(seed);
  const top = new TopSizes(5_000);
  // Pareto(α = 1.5, x_min = 1,000 lots) by inversion, u uniform in (0, 1].
  for (let i = 0; i < 100_000; i++) {
    const u = ((r() >>> 0) + 1) / 2 ** 32;
    top.add(Math.floor(1_000 * u ** (-1 / 1.5)));
  }
  const { alphaMilli, k } = top.hill();
  assert.equal(k, 5_000);
  assert.ok(Math.abs(alphaMilli - 1_500) < 150, `α × 1000 = ${alphaMilli}`);
});

test('a day\'s report is produced when the first trade of the next day arrives', () => {
  const reports: IntegrityReport[] = [];
  const s = new IntegrityStats(1, (x) => reports.push(x));
  const day = 19_700;
  for (let i = 0; i < 50; i++) s.trade(day * DAY_US + i * 1_000_000, 100 + i);
  assert.equal(reports.length, 0);
  s.trade((day + 1) * DAY_US, 7);
  assert.equal(reports.length, 1);
  assert.equal(reports[0]!.day, day);
  assert.equal(reports[0]!.trades, 50);
  assert.equal(reports[0]!.lots, 50 * 100 + (49 * 50) / 2);
  assert.equal(reports[0]!.benford.counts[1], 50);
  assert.deepEqual([reports[0]!.complete, reports[0]!.untilUs], [true, (day + 1) * DAY_US]);
  assert.equal(s.report().trades, 1);
});

test('the day so far is reported at the first trade of each minute, counting the trades before that minute', () => {
  const reports: IntegrityReport[] = [];
  const s = new IntegrityStats(1, (x) => reports.push(x));
  const t0 = 19_700 * DAY_US;
  // Trades every 20 s for three and a half minutes: 0, 20, 40 s, then 60 s opens the second minute...
  for (let i = 0; i * 20_000_000 < 210_000_000; i++) s.trade(t0 + i * 20_000_000, 10);
  assert.deepEqual(
    reports.map((r) => [r.complete, r.untilUs - t0, r.trades]),
    [
      [false, 60_000_000, 3],
      [false, 120_000_000, 6],
      [false, 180_000_000, 9],
    ],
  );
  s.trade(t0 + DAY_US, 10);
  assert.deepEqual([reports.at(-1)!.complete, reports.at(-1)!.trades, reports.at(-1)!.day], [true, 11, 19_700]);
});

test('a report counts small sizes (histogram) and large ones (per trade) as one list of trades would', () => {
  const seed = testSeed('integrity histogram');
  const r = rng(seed);
  const s = new IntegrityStats(1, () => {});
  const digits = new Array<number>(10).fill(0);
  const round = new RoundSizeCounts();
  const day = 19_700;
  for (let i = 0; i < 20_000; i++) {
    // Sizes on both sides of the histogram's bound (4,096 lots), round ones among them.
    const kind = r() % 4;
    const q = kind === 0 ? 1 + (r() % 200) : kind === 1 ? 10 * (1 + (r() % 1_000)) : kind === 2 ? 4_000 + (r() % 200) : 1 + (r() % 2_000_000);
    s.trade(day * DAY_US + i, q);
    digits[firstDigit(q)]!++;
    round.add(q);
  }
  const rep = s.report();
  assert.deepEqual(rep.benford, benford(digits), `seed ${seed}`);
  assert.deepEqual(rep.roundSizes, round.report(), `seed ${seed}`);
  // A report changes nothing: the next one is the same.
  assert.deepEqual(s.report(), rep, `seed ${seed}`);
});
