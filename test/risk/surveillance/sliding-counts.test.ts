// SlidingCounts must give what a plain list of every add gives: per metric the sum over the buckets still
// in the window (the newest and the buckets − 1 before it), and the first seq and time of the oldest
// bucket in it, whatever the gaps between adds (within a bucket, a few buckets, a whole window and more),
// across rows sharing the table, with more buckets than the header's bit set of counted slots holds, and
// for rows cleared for reuse when idle.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SlidingCounts } from '../../../risk/surveillance/sliding-counts.js';
import { below, rng, testSeed } from '../../support/seed.js';

interface Add {
  bucket: number;
  metric: number;
  n: number;
  seq: number;
  timeUs: number;
}

for (const buckets of [1, 6, 30, 31, 40]) {
  test(`sliding counts over ${buckets} buckets answer as a list of every add`, () => {
    const seed = testSeed(`sliding counts ${buckets}`);
    const r = rng(seed);
    const bucketUs = 100;
    const metrics = 3;
    const rows = 5;
    const table = new SlidingCounts(metrics, buckets, bucketUs, 2);
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
