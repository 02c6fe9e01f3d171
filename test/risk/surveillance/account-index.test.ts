// The market's shared account index (risk/surveillance/account-index.ts): an account keeps one index
// while anything holds it (its open orders, detectors' state), no two live accounts share one, an index is
// freed with its last hold and reused, so the indices handed out stay within the most accounts live at
// once (memory bounded by the accounts active now, not by every account seen).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccountHolds, AccountIndex } from '../../../risk/surveillance/account-index.js';
import { below, rng, testSeed } from '../../support/seed.js';

test('account index: one index per live account, freed with its last hold, reused; holds of a detector keep it', () => {
  const seed = testSeed('account index');
  const r = rng(seed);
  const index = new AccountIndex();
  const detector = new AccountHolds(index);
  /** Model: account → open orders holding it; accounts the detector holds. */
  const orders = new Map<number, number>();
  const taken = new Set<number>();
  let mostLive = 0;
  for (let step = 0; step < 50_000; step++) {
    // Accounts drift: ids from a window that moves, so old accounts leave for good.
    const account = Math.floor(step / 50) + below(r, 300);
    const op = below(r, 4);
    if (op < 2) {
      const ix = index.hold(account);
      orders.set(account, (orders.get(account) ?? 0) + 1);
      if (op === 1 && detector.take(ix)) taken.add(account);
    } else if (op === 2) {
      const n = orders.get(account);
      if (n === undefined) continue;
      index.release(index.lookup(account));
      if (n === 1) orders.delete(account);
      else orders.set(account, n - 1);
    } else {
      // The detector drops a random half of its accounts (its sweep).
      const drop = new Set([...taken].filter(() => below(r, 2) === 0));
      const byIx = new Map([...taken].map((a) => [index.lookup(a), a]));
      detector.sweep((ix) => drop.has(byIx.get(ix)!));
      for (const a of drop) taken.delete(a);
    }
    const live = new Set([...orders.keys(), ...taken]);
    mostLive = Math.max(mostLive, live.size);
    assert.equal(index.size, live.size, `seed ${seed}, step ${step}`);
    assert.equal(detector.size, taken.size);
    if (step % 1_000 === 0 || step === 49_999) {
      const seen = new Set<number>();
      for (const a of live) {
        const ix = index.lookup(a);
        assert.ok(ix >= 0 && ix < index.extent, `seed ${seed}: account ${a} has an index`);
        assert.ok(!seen.has(ix), `seed ${seed}: index ${ix} shared`);
        seen.add(ix);
        assert.equal(detector.has(ix), taken.has(a));
      }
      // Accounts let go are gone from the table (its deletions close up the probe runs they were in).
      for (let a = Math.max(0, Math.floor(step / 50) - 100); a < Math.floor(step / 50) + 300; a++) {
        if (!live.has(a)) assert.equal(index.lookup(a), -1, `seed ${seed}: account ${a} let go`);
      }
    }
  }
  assert.ok(index.extent <= mostLive, `seed ${seed}: ${index.extent} indices for at most ${mostLive} live accounts`);
  assert.equal(index.lookup(10 ** 9), -1);
  assert.equal(detector.has(-1), false);
});
