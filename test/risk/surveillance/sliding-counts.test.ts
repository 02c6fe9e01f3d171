// SlidingCounts must give what a plain list of every add gives: per metric the sum over the buckets still
// in the window (the newest and the buckets − 1 before it), and the first seq and time of the oldest
// bucket in it, whatever the gaps between adds (within a bucket, a few buckets, a whole window and more),
// across rows sharing the table, with more buckets than the header's bit set of counted slots holds, for
// rows cleared for reuse when idle, and with the rows' headers kept beside two other tables' (HeadRows,
// as the window indicators keep them), which count on their own between the table's adds.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeadRows, SlidingCounts } from '../../../risk/surveillance/sliding-counts.js';
import { below, rng, testSeed } from '../../support/seed.js';

interface Add {
  bucket: number;
  metric: number;
  n: number;
  seq: number;
  timeUs: number;
}

// shared: the table's headers in rows shared with two neighbours; 'split': and its headers' cold fields in
// other rows, shared with the first neighbour's cold fields (the second keeps its own with its hot ones).
for (const [buckets, shared] of [[1, false], [6, false], [30, false], [31, false], [40, false], [6, true], [31, true], [6, 'split'], [31, 'split']] as const) {
  test(`sliding counts over ${buckets} buckets${shared === 'split' ? ', headers shared, cold fields apart,' : shared ? ', headers shared,' : ''} answer as a list of every add`, () => {
    const seed = testSeed(`sliding counts ${buckets}${shared === 'split' ? ' split' : shared ? ' shared' : ''}`);
    const r = rng(seed);
    const bucketUs = 100;
    const metrics = 3;
    const rows = 5;
    const heads = shared ? new HeadRows() : undefined;
    const colds = shared === 'split' ? new HeadRows() : undefined;
    // Neighbours in the shared rows, made before and after the table, adding between its adds.
    const before = heads && new SlidingCounts(2, 7, 30, 1, heads, colds);
    const table = new SlidingCounts(metrics, buckets, bucketUs, 2, heads, colds);
    const after = heads && new SlidingCounts(1, 3, 1_000, 1, heads);
    const beforeSums = new Array<number>(rows).fill(0);
    const afterSums = new Array<number>(rows).fill(0);
    const adds: Add[][] = Array.from({ length: rows }, () => []);
    const times = new Array<number>(rows).fill(0);
    let seq = 0;
    for (let step = 0; step < 20_000; step++) {
      const row = below(r, rows);
      table.ensureRows(row + 1);
      // Gaps from none to over a window, so every way the window moves is taken.
      const gap = [0, below(r, bucketUs), below(r, 4 * bucketUs), below(r, (buckets + 2) * bucketUs)][below(r, 4)]!;
      const timeUs = (times[row]! += gap);
      seq++;
      // A row idle at its next add may be cleared in O(1) for reuse (window-states.ts): as new after it.
      if (below(r, 4) === 0 && table.idleAt(row, timeUs)) {
        table.clearIdle(row);
        adds[row] = [];
      }
      const metric = below(r, metrics);
      const other = (metric + 1) % metrics;
      const both = below(r, 3) === 0;
      const n = 1 + below(r, 3);
      if (both) table.addBoth(row, metric, other, timeUs, seq);
      else table.add(row, metric, n, timeUs, seq);
      if (before && after) {
        // Within one bucket of each neighbour's (its own time, far from the table's): sums only grow.
        before.ensureRows(row + 1);
        after.ensureRows(row + 1);
        before.add(row, 1, 1, 5, seq);
        after.add(row, 0, 2, 5, seq);
        assert.equal(before.sum(row, 1), (beforeSums[row]! += 1), `seed ${seed}, step ${step}: neighbour before`);
        assert.equal(after.sum(row, 0), (afterSums[row]! += 2), `seed ${seed}, step ${step}: neighbour after`);
        assert.equal(before.sum(row, 0), 0);
      }
      const bucket = Math.floor(timeUs / bucketUs);
      const list = adds[row]!;
      if (both) list.push({ bucket, metric, n: 1, seq, timeUs }, { bucket, metric: other, n: 1, seq, timeUs });
      else list.push({ bucket, metric, n, seq, timeUs });
      const live = list.filter((a) => a.bucket > bucket - buckets);
      for (let k = 0; k < metrics; k++) {
        const want = live.filter((a) => a.metric === k).reduce((s, a) => s + a.n, 0);
        assert.equal(table.sum(row, k), want, `seed ${seed}, step ${step}: row ${row} metric ${k}`);
      }
      const first = live[0];
      assert.deepEqual(table.firstInWindow(row), { seq: first?.seq ?? 0, timeUs: first?.timeUs ?? 0 }, `seed ${seed}, step ${step}: first in window`);
      if (list.length > 200) adds[row] = live;
    }
  });
}
