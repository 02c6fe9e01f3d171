// The risk state hash reads number slots without making bigints (risk-state-hash.ts Hasher.exact): that
// must hash every value exactly as the bigint path did, or hashes recorded before (snapshots, replays)
// would stop matching. Both definitions (version 1's mixer and version 2's four lanes).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { newHasher } from '../../../risk/shard/risk-hasher.js';
import { testSeed } from '../../support/seed.js';

for (const version of [1, 2]) {
  test(`definition ${version}: a number slot hashes to the words of its bigint, −0 and the range ends included`, () => {
    const seed = testSeed(`risk hash number slots v${version}`);
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.constantFrom(0, -0, 1, -1, 2 ** 32, -(2 ** 32), 2 ** 32 - 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER)), (n) => {
        const a = newHasher(version);
        const b = newHasher(version);
        a.begin();
        b.begin();
        a.exact(n, undefined);
        b.big(BigInt(n));
        assert.equal(a.digest(), b.digest(), String(n));
      }),
      { seed, numRuns: 2_000 },
    );
    const a = newHasher(version);
    const b = newHasher(version);
    a.begin();
    b.begin();
    a.exact(NaN, 2n ** 70n);
    b.big(2n ** 70n);
    assert.equal(a.digest(), b.digest(), 'a value kept in bigint');
  });
}
