// Per-account window state is reused once an account falls idle (its row, the account's index, goes to the
// next account given that index): a reused state must start from nothing, or one account's history would
// leak into another's alerts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SlidingCounts } from '../../../risk/surveillance/sliding-counts.js';
import { AccountIndex } from '../../../risk/surveillance/account-index.js';
import { WindowAccounts } from '../../../risk/surveillance/window-states.js';
import { below } from '../../../engine/sim/rng.js';
import { rng, testSeed } from '../../support/seed.js';

test('a sliding count keeps the sum of its buckets as a running total, and its first record in the window, through retirements, gaps and clears; rows of one table do not mix', () => {
  const seed = testSeed('sliding totals');
  const r = rng(seed);
  // Row 1 is checked; row 0 takes the same adds on the other metric (and grows the table past its start).
  const t1 = new SlidingCounts(2, 5, 1_000, 1);
  t1.ensureRows(2);
  const c = {
    add: (metric: number, n: number, t: number, seq: number) => {
      t1.add(1, metric, n, t, seq);
      t1.add(0, 1 - metric, n, t, seq);
    },
    sum: (metric: number) => {
      assert.equal(t1.sum(0, 1 - metric), t1.sum(1, metric), 'row 0 mirrors row 1');
      return t1.sum(1, metric);
    },
    firstInWindow: () => t1.firstInWindow(1),
    clear: () => {
      t1.clear(1);
      t1.clear(0);
    },
  };
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
  const index = new AccountIndex();
  const states = new WindowAccounts(index, 2, 10, 1_000_000);
  // Account 7's open order holds its index; the detector takes the row.
  const ix7 = index.hold(7);
  const first = states.get(ix7);
  states.counts.add(first, 0, 40, 5_000_000, 3);
  states.recent.note(first, { orderId: 1, accountId: 7, side: 0, priceTicks: 100, qtyLots: 1, filledLots: 0, acceptedUs: 5_000_000, acceptedSeq: 3, endedUs: 5_000_001, endedSeq: 4, endReason: 0, touchTicks: 100 } as never);
  states.setRaised(first, true);
  index.release(ix7); // the order ended: the detector's hold keeps the index
  assert.equal(index.lookup(7), ix7);
  states.tick(60_000_000); // a whole window after the last sweep: idle accounts are dropped
  assert.equal(states.size, 0);
  assert.equal(index.lookup(7), -1, 'the last hold gone, the index is free');
  const second = states.get(index.hold(8));
  assert.equal(second, first, 'the dropped state is reused');
  assert.equal(states.counts.sum(second, 0), 0);
  assert.equal(states.recent.count(second), 0);
  assert.equal(states.raised(second), false);
  assert.equal(states.counts.idleAt(second, 60_000_000), true, 'a reused state has no bucket written');
});

test('a sliding count cleared in O(1) once idle counts exactly as a new one from its next add on', () => {
  const seed = testSeed('sliding clear idle');
  const r = rng(seed);
  for (let round = 0; round < 50; round++) {
    const used = new SlidingCounts(3, 10, 100);
    const u = 0;
    let t = below(r, 5_000);
    // A history that leaves every slot holding some bucket.
    for (let i = 0; i < 200; i++) {
      t += below(r, 40);
      used.add(u, below(r, 3), 1 + below(r, 3), t, i + 1);
    }
    // Idle for at least a whole window, then reused from the free list.
    t += 1_000 + below(r, 3_000);
    assert.equal(used.idleAt(u, t), true);
    used.clearIdle(u);
    const fresh = new SlidingCounts(3, 10, 100);
    for (let i = 0; i < 300; i++) {
      t += below(r, 60);
      const metric = below(r, 3);
      if (below(r, 4) === 0) {
        used.addBoth(u, metric, (metric + 1) % 3, t, 1_000 + i);
        fresh.add(0, metric, 1, t, 1_000 + i);
        fresh.add(0, (metric + 1) % 3, 1, t, 1_000 + i);
      } else {
        used.add(u, metric, 2, t, 1_000 + i);
        fresh.add(0, metric, 2, t, 1_000 + i);
      }
      for (let m = 0; m < 3; m++) assert.equal(used.sum(u, m), fresh.sum(0, m), `seed ${seed}, round ${round}, add ${i}, metric ${m}`);
      assert.deepEqual(used.firstInWindow(u), fresh.firstInWindow(0), `seed ${seed}, round ${round}, add ${i}: first in window`);
    }
  }
});
