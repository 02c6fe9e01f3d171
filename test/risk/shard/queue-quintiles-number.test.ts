import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { adlQuintile, adlScore, compareAdl, rankAdl, type AdlCandidate } from '../../../risk/adl.js';
import { approximateScore, approximateScoreNumber, keyOrder, quintileAgainst, rankedCandidate, rankSide, selectAscending, selectNth } from '../../../risk/shard/queue-quintiles.js';
import { testSeed } from '../../support/seed.js';
import { positive, signedMagnitude } from '../number-arbitraries.js';

const A = 100n;

const candidate = fc.record({
  accountId: fc.integer({ min: 1, max: 1_000 }),
  qtyLots: signedMagnitude(24).filter((q) => q !== 0n),
  entryCostAtoms: positive(44),
  scopeEquityAtoms: signedMagnitude(46),
  system: fc.constant(false),
});

test('the number key of a position is bit for bit the key computed from its bigints', () => {
  const seed = testSeed('approximateScoreNumber');
  fc.assert(
    fc.property(candidate, positive(22), (c, mark) => {
      const fromNumbers = approximateScoreNumber(Number(c.qtyLots), Number(c.entryCostAtoms), Number(c.scopeEquityAtoms), Number(mark), Number(A));
      if (Number.isNaN(fromNumbers)) return;
      assert.equal(fromNumbers, approximateScore(c.qtyLots, c.entryCostAtoms, c.scopeEquityAtoms, mark, A));
    }),
    { seed, numRuns: 10_000 },
  );
});

test('keys that keyOrder tells apart order the exact ADL scores the same way', () => {
  const seed = testSeed('keyOrder');
  // Pairs with nearly equal scores are the interesting ones: the second is the first scaled and nudged.
  const near = fc.tuple(candidate, fc.integer({ min: 1, max: 4 }), fc.integer({ min: -2, max: 2 }), fc.integer({ min: -2, max: 2 })).map(([c, k, dq, de]): [AdlCandidate, AdlCandidate] => {
    const scaled = { ...c, accountId: c.accountId + 1, qtyLots: c.qtyLots * BigInt(k) + BigInt(dq), entryCostAtoms: c.entryCostAtoms * BigInt(k), scopeEquityAtoms: c.scopeEquityAtoms * BigInt(k) + BigInt(de) };
    return [c, scaled.qtyLots === 0n ? c : scaled];
  });
  fc.assert(
    fc.property(fc.oneof(fc.tuple(candidate, candidate), near), positive(22), ([a, b], mark) => {
      const ka = approximateScore(a.qtyLots, a.entryCostAtoms, a.scopeEquityAtoms, mark, A);
      const kb = approximateScore(b.qtyLots, b.entryCostAtoms, b.scopeEquityAtoms, mark, A);
      const order = keyOrder(ka, kb);
      if (order === 0) return;
      const sa = adlScore(a, mark, A);
      const sb = adlScore(b, mark, A);
      // compareAdl on scores alone: equal notional and account id would only break a tie keyOrder never claims.
      const ra = { ...rankedCandidate(a, mark, A), notionalAtoms: 0n, accountId: 0 };
      const rb = { ...rankedCandidate(b, mark, A), notionalAtoms: 0n, accountId: 0 };
      assert.equal(Math.sign(compareAdl(ra, rb)), order, `scores ${sa?.num}/${sa?.den} vs ${sb?.num}/${sb?.den}`);
    }),
    { seed, numRuns: 20_000 },
  );
});

test('selectAscending finds the values a full sort puts at the asked positions', () => {
  const seed = testSeed('selectAscending');
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constant(-Infinity), fc.integer({ min: -3, max: 3 })), { minLength: 1, maxLength: 400 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (values, picks) => {
      const keys = Float64Array.from(values);
      const sorted = keys.slice().sort();
      const positions = picks.map((p) => p % keys.length).sort((x, y) => x - y);
      // −0 and 0 are one key (a score of zero): compared as numbers, not as objects.
      const zeroOnce = (v: number): number => v + 0;
      assert.deepEqual(selectAscending(keys, keys.length, positions).map(zeroOnce), positions.map((p) => zeroOnce(sorted[p]!)));
    }),
    { seed, numRuns: 2_000 },
  );
});

test('selectAscending stays correct on adversarial inputs that defeat median-of-three pivots', () => {
  const n = 5_000;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = i % 2 === 0 ? i : n - i;
  const sorted = keys.slice().sort();
  const positions = [1_000, 2_000, 3_000, 4_000];
  assert.deepEqual(selectAscending(keys, n, positions), positions.map((p) => sorted[p]!));
});

test('selectNth finds the item a full sort by the same comparator puts at position k', () => {
  const seed = testSeed('selectNth');
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 300 }), fc.nat(), (values, pick) => {
      const items = values.map((_, i) => i);
      // Ties broken by index, as compareAdl breaks them by account id: a total order.
      const compare = (a: number, b: number): number => values[a]! - values[b]! || a - b;
      const k = pick % items.length;
      const sorted = [...items].sort(compare);
      assert.equal(selectNth(items, k, compare), sorted[k]);
    }),
    { seed, numRuns: 3_000 },
  );
});

test('ranking with exact notionals and account ids puts every position in the quintile of its exact rank, ties included', () => {
  const seed = testSeed('rankSide ties');
  const mark = 1_000n;
  // Longs entered at the mark (UPnL 0: score exactly 0) or with equity ≤ 0 (no score), some with profit:
  // most of the side ties on score and is ordered by notional, then account id.
  const long = fc.record({
    accountId: fc.integer({ min: 1, max: 10_000 }),
    qtyLots: fc.bigInt({ min: 1n, max: 6n }),
    kind: fc.integer({ min: 0, max: 5 }),
    equity: fc.bigInt({ min: 1n, max: 5_000_000n }),
  });
  fc.assert(
    fc.property(fc.uniqueArray(long, { selector: (c) => c.accountId, minLength: 1, maxLength: 80 }), (specs) => {
      const members: AdlCandidate[] = specs.map((s) => ({
        accountId: s.accountId,
        qtyLots: s.qtyLots,
        entryCostAtoms: s.qtyLots * mark * A - (s.kind === 5 ? 1_000n : 0n),
        scopeEquityAtoms: s.kind === 4 ? -s.equity : s.equity,
        system: false,
      }));
      const n = members.length;
      const side = {
        n,
        keys: Float64Array.from(members, (c) => approximateScore(c.qtyLots, c.entryCostAtoms, c.scopeEquityAtoms, mark, A)),
        notionals: Float64Array.from(members, (c) => Number(c.qtyLots * mark * A)),
        accountIds: Float64Array.from(members, (c) => c.accountId),
        candidateAt: (i: number) => members[i]!,
      };
      const q = rankSide(side, mark, A);
      rankAdl(members, -1n, -1, mark, A).forEach((r, rank) => {
        assert.equal(quintileAgainst(q, rankedCandidate(members[r.index]!, mark, A)), adlQuintile(rank, n));
      });
    }),
    { seed, numRuns: 500 },
  );
});
