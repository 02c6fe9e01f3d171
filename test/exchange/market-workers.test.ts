// How market shards are dealt to worker threads (exchange/topology.ts): by default no more busy threads
// than cores, at least one market worker, never more workers than market shards.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultMarketWorkers, marketWorkerGroups } from '../../exchange/topology.js';

test('on two cores with a journal writer, every market shard runs on one worker thread', () => {
  assert.equal(defaultMarketWorkers(2, 2, { riskShards: 1, journalWriter: true, surveillanceWorkers: 0 }), 1);
  assert.deepEqual(marketWorkerGroups(2, 1), [[0, 1]]);
});

test('with cores to spare, each market shard gets its own worker thread, and no more', () => {
  assert.equal(defaultMarketWorkers(8, 2, { riskShards: 1, journalWriter: true, surveillanceWorkers: 0 }), 2);
  assert.equal(defaultMarketWorkers(6, 4, { riskShards: 1, journalWriter: true, surveillanceWorkers: 1 }), 2);
  assert.deepEqual(marketWorkerGroups(2, 5), [[0], [1]]);
});

test('market shards are dealt round-robin to the workers, each group in shard order', () => {
  assert.deepEqual(marketWorkerGroups(5, 2), [[0, 2, 4], [1, 3]]);
});

test('a worker count that is not a positive integer is refused', () => {
  assert.throws(() => marketWorkerGroups(2, 0), RangeError);
  assert.throws(() => marketWorkerGroups(2, 1.5), RangeError);
});
