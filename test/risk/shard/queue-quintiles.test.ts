import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { adlQuintile, rankAdl, type AdlCandidate } from '../../../risk/adl.js';
import { approximateScore, quintileAgainst, rankedCandidate, sideQuintiles } from '../../../risk/shard/queue-quintiles.js';
import { testSeed } from '../../support/seed.js';

const A = 100n;

/** Longs only (the side under test); narrow ranges so scores, notionals and equities often tie exactly. */
const long = fc.record({
  accountId: fc.integer({ min: 1, max: 60 }),
  qtyLots: fc.bigInt({ min: 1n, max: 40n }),
  entryCostAtoms: fc.bigInt({ min: 1n, max: 4_000_000n }),
  scopeEquityAtoms: fc.bigInt({ min: -2_000n, max: 3_000_000n }),
  system: fc.constant(false),
});

test('every position gets the quintile of its exact rank in the rankAdl queue', () => {
  const seed = testSeed('queue-quintiles');
  fc.assert(
    fc.property(fc.uniqueArray(long, { selector: (c) => c.accountId, maxLength: 60 }), fc.bigInt({ min: 1n, max: 1_500n }), (members: AdlCandidate[], mark) => {
      const queue = rankAdl(members, -1n, -1, mark, A);
      const keys = Float64Array.from(members, (c) => approximateScore(c.qtyLots, c.entryCostAtoms, c.scopeEquityAtoms, mark, A));
      const q = sideQuintiles(keys, (i) => members[i]!, mark, A);
      queue.forEach((r, rank) => {
        assert.equal(quintileAgainst(q, rankedCandidate(members[r.index]!, mark, A)), adlQuintile(rank, queue.length));
      });
    }),
    { seed, numRuns: 300 },
  );
});

test('a side without positions puts a newcomer first in line', () => {
  const q = sideQuintiles(new Float64Array(0), () => assert.fail('no candidate to ask for'), 100n, A);
  const me = rankedCandidate({ accountId: 1, qtyLots: 1n, entryCostAtoms: 1n, scopeEquityAtoms: 1n, system: false }, 100n, A);
  assert.equal(quintileAgainst(q, me), 5);
});
