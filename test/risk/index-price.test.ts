import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { testSeed } from '../support/seed.js';
import { DEFAULT_INDEX_PARAMS, explainIndexPrice, indexPrice, type VenuePrice } from '../../risk/index-price.js';
import { IndexSourceVerdict } from '../../engine/enums.js';
import { btcTicks } from './markets.js';

const NOW = 100_000_000; // 100 s
const venue = (priceTicks: bigint, weight = 1n, updatedUs = NOW): VenuePrice => ({ priceTicks, weight, updatedUs });

test('the index is the median of equally weighted fresh venues', () => {
  // 60,000 / 60,010 / 60,020 / 60,030 / 61,000 (1.6% off the median: kept) → 60,020
  const venues = [60_030n, 60_000n, 61_000n, 60_020n, 60_010n].map((p) => venue(btcTicks(p)));
  assert.deepEqual(indexPrice(venues, NOW), { indexTicks: btcTicks(60_020n), stale: false, sourcesUsed: 5 });
});

test('a heavy venue pulls the weighted median to itself', () => {
  // 99,900 / 100,000 / 100,100 ticks weighted 1, 1, 5: cumulative 1, 2, 7 of 7 → the first past 3.5 is 100,100
  const venues = [venue(99_900n, 1n), venue(100_000n, 1n), venue(100_100n, 5n)];
  assert.equal(indexPrice(venues, NOW).indexTicks, 100_100n);
});

test('a median falling exactly between two venues is their mean', () => {
  // 4 equal weights: cumulative 2 of 4 at the second → mean(100,000, 100,020) = 100,010
  const venues = [99_990n, 100_000n, 100_020n, 100_030n].map((p) => venue(p));
  assert.equal(indexPrice(venues, NOW).indexTicks, 100_010n);
});

test('a half-tick median rounds half to even', () => {
  // mean(100,001, 100,002) = 100,001.5 → 100,002; mean(100,000, 100,001) = 100,000.5 → 100,000
  assert.equal(indexPrice([99_990n, 100_001n, 100_002n, 100_030n].map((p) => venue(p)), NOW).indexTicks, 100_002n);
  assert.equal(indexPrice([99_990n, 100_000n, 100_001n, 100_030n].map((p) => venue(p)), NOW).indexTicks, 100_000n);
});

test('a venue silent for more than the staleness is left out, one at exactly the staleness is kept', () => {
  // the 10 s limit: updated 10,000,001 µs ago is out, 10,000,000 µs ago is in
  const fresh = [venue(100_000n), venue(100_010n), venue(100_020n)];
  const old = venue(100_030n, 1n, NOW - 10_000_001);
  const edge = venue(100_030n, 1n, NOW - 10_000_000);
  assert.equal(indexPrice([...fresh, old], NOW, DEFAULT_INDEX_PARAMS).sourcesUsed, 3);
  assert.equal(indexPrice([...fresh, edge], NOW, DEFAULT_INDEX_PARAMS).sourcesUsed, 4);
});

test('a venue deviating more than the set percentage from the median is left out', () => {
  // 60,000 / 60,010 / 60,020 / 70,000: reference mean(60,010, 60,020) = 60,015; 70,000 is 16.6% off → out;
  // the index is the median of the other three: 60,010
  const venues = [60_000n, 60_010n, 60_020n, 70_000n].map((p) => venue(btcTicks(p)));
  assert.deepEqual(indexPrice(venues, NOW), { indexTicks: btcTicks(60_010n), stale: false, sourcesUsed: 3 });
});

test('fewer than three fresh venues make the index stale', () => {
  const venues = [venue(100_000n), venue(100_010n), venue(100_020n, 1n, 0)];
  assert.deepEqual(indexPrice(venues, NOW), { indexTicks: 0n, stale: true, sourcesUsed: 2 });
});

test('fewer than three venues left after the deviation filter make the index stale', () => {
  // 3 venues, one 20% off
  const venues = [venue(100_000n), venue(100_010n), venue(120_000n)];
  assert.deepEqual(indexPrice(venues, NOW), { indexTicks: 0n, stale: true, sourcesUsed: 2 });
});

test('the index does not depend on the order of venues and lies within their prices', () => {
  const seed = testSeed('risk/index-price order');
  const v = fc.record({
    priceTicks: fc.bigInt({ min: 95_000n, max: 105_000n }),
    weight: fc.bigInt({ min: 1n, max: 5n }),
    updatedUs: fc.integer({ min: NOW - 12_000_000, max: NOW }),
  });
  fc.assert(
    fc.property(fc.array(v, { minLength: 3, maxLength: 9 }), fc.nat(), (venues, rot) => {
      const r = indexPrice(venues, NOW);
      const k = rot % venues.length;
      const shuffled = venues.slice(k).concat(venues.slice(0, k)).reverse();
      assert.deepEqual(indexPrice(shuffled, NOW), r);
      if (!r.stale) {
        const prices = venues.map((x) => x.priceTicks);
        assert.ok(r.indexTicks >= prices.reduce((a, b) => (a < b ? a : b)) && r.indexTicks <= prices.reduce((a, b) => (a > b ? a : b)));
      }
    }),
    { seed },
  );
});

test('each venue left out of the index says why: no price, stale or deviated', () => {
  const { USED, NO_PRICE, STALE, DEVIATED } = IndexSourceVerdict;
  const venues = [venue(60_000n), venue(0n), venue(60_010n), venue(60_020n, 1n, NOW - 10_000_001), venue(70_000n), venue(60_030n, 0n), venue(60_020n)];
  const r = explainIndexPrice(venues, NOW);
  assert.deepEqual(r.verdicts, [USED, NO_PRICE, USED, STALE, DEVIATED, NO_PRICE, USED]);
  assert.deepEqual({ indexTicks: r.indexTicks, stale: r.stale, sourcesUsed: r.sourcesUsed }, indexPrice(venues, NOW));
  assert.equal(r.indexTicks, 60_010n);
});

test('a stale index still says which venues passed and which did not', () => {
  const { USED, STALE } = IndexSourceVerdict;
  const r = explainIndexPrice([venue(100_000n), venue(100_010n), venue(100_020n, 1n, 0)], NOW);
  assert.equal(r.stale, true);
  assert.deepEqual(r.verdicts, [USED, USED, STALE]);
});
