import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_MARKETS, MarketSpec } from '../../engine/market/spec.js';
import { testSeed } from '../support/seed.js';
import { dayScale, priceUnits, readDailyCandle, readMinuteBars, scaleToDay, steepestWindow, timestampUs, DAY_MINUTES, type MinuteBar } from './price-path.js';

const BTC = new MarketSpec(DEFAULT_MARKETS[0]!);
const bars = readMinuteBars();
const window = steepestWindow(bars, DAY_MINUTES);

test('the minute file holds 45,031 consecutive one-minute bars, each with low ≤ open, close ≤ high', () => {
  assert.equal(bars.length, 45_031);
  bars.forEach((b, i) => {
    assert.ok(b.lowUnits <= b.openUnits && b.lowUnits <= b.closeUnits && b.openUnits <= b.highUnits && b.closeUnits <= b.highUnits, `bar ${i}`);
    if (i > 0) assert.equal(b.timeUs - bars[i - 1]!.timeUs, 60_000_000, `bar ${i}`);
  });
});

test('prices are read exactly, as 10^-8 USD, and timestamps as UTC microseconds', () => {
  assert.equal(priceUnits('46821.75'), 4_682_175_000_000n);
  assert.equal(priceUnits('7938.05'), 793_805_000_000n);
  assert.throws(() => priceUnits('0.000000001'));
  assert.equal(timestampUs('2021-12-31 23:01:00.000000'), 1_640_991_660_000_000);
});

test('the steepest day of the minute path runs from 41,248 on 2022-01-20 22:54 to 35,399 a day later (−14.2%)', () => {
  assert.equal(bars[window.start]!.openUnits, priceUnits('41248'));
  assert.equal(bars[window.lowAt]!.lowUnits, priceUnits('35399'));
  assert.equal(bars[window.start]!.timeUs, timestampUs('2022-01-20 22:54:00'));
  assert.equal(bars[window.lowAt]!.timeUs, timestampUs('2022-01-21 22:53:00'));
});

test('the daily file gives the crash days as the data README records them', () => {
  const march = readDailyCandle('2020-03-12');
  assert.deepEqual([march.openUnits, march.highUnits, march.lowUnits, march.closeUnits], ['7938.05', '7969.45', '4644', '4857.1'].map(priceUnits));
  const may = readDailyCandle('2021-05-19');
  assert.deepEqual([may.openUnits, may.lowUnits, may.closeUnits], ['42865.05', '30000', '36731.75'].map(priceUnits));
});

test('scaled to 2020-03-12 the day opens at 7,938.0 and bottoms exactly at 4,644.0 (the open rounded down to the 0.1 tick)', () => {
  const day = scaleToDay(bars, window, readDailyCandle('2020-03-12'), BTC);
  assert.equal(day.points.length, 4 * DAY_MINUTES);
  assert.equal(day.openTicks, 79_380n);
  assert.equal(day.lowTicks, 46_440n);
  assert.equal(day.points[0]!.indexTicks, 79_380n);
  assert.equal(day.points.reduce((m, p) => (p.indexTicks < m ? p.indexTicks : m), day.openTicks), 46_440n);
});

test('scaled to 2021-05-19 the day opens at 42,865.0 and bottoms exactly at 30,000.0', () => {
  const day = scaleToDay(bars, window, readDailyCandle('2021-05-19'), BTC);
  assert.equal(day.openTicks, 428_650n);
  assert.equal(day.lowTicks, 300_000n);
});

test('the scaling keeps the order of prices: a higher real price never gives a lower index', () => {
  const scale = dayScale(bars, window, readDailyCandle('2020-03-12'), BTC);
  const seed = testSeed('price-path scaling order');
  const real = fc.bigInt({ min: priceUnits('30000'), max: priceUnits('50000') });
  fc.assert(
    fc.property(real, real, (a, b) => (a <= b ? scale(a) <= scale(b) : scale(a) >= scale(b))),
    { seed, numRuns: 500 },
  );
});

test('the sliding search finds the same steepest window as a direct search over every window', () => {
  const seed = testSeed('price-path steepest window');
  const bar = fc.record({ open: fc.integer({ min: 50, max: 150 }), dip: fc.integer({ min: 0, max: 60 }) });
  fc.assert(
    fc.property(fc.array(bar, { minLength: 5, maxLength: 60 }), fc.integer({ min: 1, max: 5 }), (raw, minutes) => {
      const series: MinuteBar[] = raw.map((b, i) => {
        const open = BigInt(b.open);
        const low = BigInt(b.open - b.dip);
        return { timeUs: i * 60_000_000, openUnits: open, highUnits: open, lowUnits: low, closeUnits: open };
      });
      const found = steepestWindow(series, minutes);
      // Direct: the first window with the least low/open, compared by cross-multiplying.
      let best = { start: 0, lowAt: 0 };
      for (let start = 0; start + minutes <= series.length; start++) {
        let lowAt = start;
        for (let j = start; j < start + minutes; j++) if (series[j]!.lowUnits < series[lowAt]!.lowUnits) lowAt = j;
        const better = start === 0 || series[lowAt]!.lowUnits * series[best.start]!.openUnits < series[best.lowAt]!.lowUnits * series[start]!.openUnits;
        if (better) best = { start, lowAt };
      }
      assert.deepEqual(found, best);
    }),
    { seed, numRuns: 300 },
  );
});
