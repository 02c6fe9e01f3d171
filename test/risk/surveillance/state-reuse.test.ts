// Per-account window state is reused once an account falls idle (AccountStates' free list): a reused
// state must start from nothing, or one account's history would leak into another's alerts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SlidingCounts } from '../../../risk/surveillance/sliding-counts.js';
import { WindowAccounts } from '../../../risk/surveillance/window-states.js';
import { below } from '../../../engine/sim/rng.js';
import { rng, testSeed } from '../../support/seed.js';

test('a sliding count keeps the sum of its buckets as a running total, and its first record in the window, through retirements, gaps and clears', () => {
  const seed = testSeed('sliding totals');
  const r = rng(seed);
  const c = new SlidingCounts(2, 5, 1_000);
  const added: { t: number; metric: number; n: number; seq: number }[] = [];
  let t = 0;
  for (let i = 0; i < 2_000; i++) {
    t += below(r, 1_500);
    const metric = below(r, 2);
    const n = 1 + below(r, 4);
    c.add(metric, n, t, i + 1);
    added.push({ t, metric, n, seq: i + 1 });
    // The window holds the buckets with index in (head − buckets, head].
    const head = Math.floor(t / 1_000);
    for (const m of [0, 1]) {
      const expect = added.filter((a) => a.metric === m && Math.floor(a.t / 1_000) > head - 5).reduce((s, a) => s + a.n, 0);
      assert.equal(c.sum(m), expect, `seed ${seed}, add ${i}, metric ${m}`);
    }
    const inWindow = added.filter((a) => Math.floor(a.t / 1_000) > head - 5);
    assert.deepEqual(c.firstInWindow(), { seq: inWindow[0]?.seq ?? 0, timeUs: inWindow[0]?.t ?? 0 }, `seed ${seed}, add ${i}: first in window`);
    if (i === 1_000) {
      c.clear();
      added.length = 0;
      assert.equal(c.sum(0) + c.sum(1), 0);
      assert.deepEqual(c.firstInWindow(), { seq: 0, timeUs: 0 });
    }
  }
});

test('an account state dropped as idle and handed to another account starts from nothing', () => {
  const states = new WindowAccounts(2, 10, 1_000_000);
  const first = states.get(7);
  first.counts.add(0, 40, 5_000_000, 3);
  first.recent.note({ orderId: 1, accountId: 7, side: 0, priceTicks: 100, qtyLots: 1, filledLots: 0, acceptedUs: 5_000_000, acceptedSeq: 3, endedUs: 5_000_001, endedSeq: 4, endReason: 0, touchTicks: 100 } as never);
  first.raised = true;
  states.tick(60_000_000); // a whole window after the last sweep: idle accounts are dropped
  assert.equal(states.size, 0);
  const second = states.get(8);
  assert.equal(second, first, 'the dropped state is reused');
  assert.equal(second.counts.sum(0), 0);
  assert.equal(second.recent.count, 0);
  assert.equal(second.raised, false);
  assert.equal(second.counts.idleAt(60_000_000), true, 'a reused state has no bucket written');
});

test('a sliding count cleared in O(1) once idle counts exactly as a new one from its next add on', () => {
  const seed = testSeed('sliding clear idle');
  const r = rng(seed);
  for (let round = 0; round < 50; round++) {
    const used = new SlidingCounts(3, 10, 100);
    let t = below(r, 5_000);
    // A history that leaves every slot holding some bucket.
    for (let i = 0; i < 200; i++) {
      t += below(r, 40);
      used.add(below(r, 3), 1 + below(r, 3), t, i + 1);
    }
    // Idle for at least a whole window, then reused from the free list.
    t += 1_000 + below(r, 3_000);
    assert.equal(used.idleAt(t), true);
    used.clearIdle();
    const fresh = new SlidingCounts(3, 10, 100);
    for (let i = 0; i < 300; i++) {
      t += below(r, 60);
      const metric = below(r, 3);
      if (below(r, 4) === 0) {
        used.addBoth(metric, (metric + 1) % 3, t, 1_000 + i);
        fresh.add(metric, 1, t, 1_000 + i);
        fresh.add((metric + 1) % 3, 1, t, 1_000 + i);
      } else {
        used.add(metric, 2, t, 1_000 + i);
        fresh.add(metric, 2, t, 1_000 + i);
      }
      for (let m = 0; m < 3; m++) assert.equal(used.sum(m), fresh.sum(m), `seed ${seed}, round ${round}, add ${i}, metric ${m}`);
      assert.deepEqual(used.firstInWindow(), fresh.firstInWindow(), `seed ${seed}, round ${round}, add ${i}: first in window`);
    }
  }
});
