// The trigger index's slots are columns by heap id with their creation order kept as a linked list
// (trigger-index.ts). They stand in for a Map by account id of slot objects, whose iteration order the
// MONI section writes and a ranking job sweeps; these check the columns against such a Map on random
// sequences of keying, removal, mark updates and sweeps.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AccountState, PositionState } from '../../../risk/shard/state.js';
import { NO_SLOT } from '../../../risk/shard/market-slots.js';
import { MarketTriggers, NO_KEY } from '../../../risk/shard/trigger-index.js';
import { testSeed } from '../../support/seed.js';

const MARKET = 1;

interface Ref {
  serial: number;
  down: number;
  up: number;
}

// An op: [kind, account (1..12), key]. kind 0-4 set keys, 5-6 remove, 7 mark update, 8 start a sweep, 9 step it.
const opsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: -1, max: 60 })), { maxLength: 200 });

test('slots iterate, sweep and re-use heap ids as a Map by account id of slot objects would', () => {
  const seed = testSeed('trigger-index columns');
  fc.assert(
    fc.property(opsArb, (ops) => {
      const t = new MarketTriggers(MARKET);
      const accounts = new Map<number, AccountState>();
      const positions = new Map<number, PositionState>();
      const ref = new Map<number, Ref>();
      let nextSerial = 1;
      let sweep: Iterator<number> | undefined;
      let sweepOver = false;
      const positionOf = (id: number): PositionState => {
        let pos = positions.get(id);
        if (pos === undefined) {
          const a = new AccountState(id);
          accounts.set(id, a);
          pos = new PositionState(id, MARKET, 10n);
          a.positions.set(MARKET, pos);
          positions.set(id, pos);
        }
        return pos;
      };
      for (const [kind, id, key] of ops) {
        const pos = positionOf(id);
        if (kind <= 4) {
          const down = key;
          const up = key === NO_KEY ? NO_KEY : key + 5;
          t.setKeys(pos, accounts.get(id)!, down, up);
          const r = ref.get(id);
          if (r === undefined) ref.set(id, { serial: nextSerial++, down, up });
          else Object.assign(r, { down, up });
        } else if (kind <= 6) {
          if (t.has(pos)) t.remove(pos);
          ref.delete(id);
          assert.equal(pos.triggerId, NO_SLOT);
        } else if (kind === 7) {
          t.onMark(30 + key);
        } else if (kind === 8) {
          t.startSweep();
          sweep = ref.keys();
          sweepOver = false;
        } else if (sweep !== undefined && !sweepOver) {
          // The cursor stops at the end where a Map's iterator would still see slots made later (never
          // members of the job that swept: ranking-job.ts), so the two are compared up to there.
          const got = t.nextInSweep();
          const want = sweep.next();
          if (got === NO_SLOT) sweepOver = true;
          else assert.equal(t.accountIdAt(got), want.value);
        }
        // Same slots in the same order, with their serials and keys; the position knows its slot.
        const order: number[] = [];
        t.forEachSlot((slot) => {
          const account = t.accountIdAt(slot);
          order.push(account);
          const r = ref.get(account)!;
          assert.equal(t.posAt(slot), positions.get(account));
          assert.equal(t.posAt(slot).triggerId, slot);
          assert.deepEqual([t.serialAt(slot), t.downKeyAt(slot), t.upKeyAt(slot)], [r.serial, r.down, r.up]);
        });
        assert.deepEqual(order, [...ref.keys()]);
        assert.equal(t.size, ref.size);
        const byAccount: number[] = [];
        t.forEachByAccount((slot) => byAccount.push(t.accountIdAt(slot)));
        assert.deepEqual(byAccount, [...ref.keys()].sort((a, b) => a - b));
        assert.deepEqual(t.sortedPositions(), byAccount.map((a) => positions.get(a)));
      }
      // Every keyed slot reaches the heaps at the next mark, once, whatever was re-keyed or removed before.
      t.onMark(1);
      let down = 0;
      let up = 0;
      for (const r of ref.values()) {
        if (r.down !== NO_KEY) down++;
        if (r.up !== NO_KEY) up++;
      }
      assert.equal(t.down.size, down);
      assert.equal(t.up.size, up);
    }),
    { seed, numRuns: 300 },
  );
});

test('a sweep skips a slot that leaves before it gets there and goes on with the next', () => {
  const t = new MarketTriggers(MARKET);
  const pos = [1, 2, 3, 4].map((id) => {
    const a = new AccountState(id);
    const p = new PositionState(id, MARKET, 10n);
    a.positions.set(MARKET, p);
    t.setKeys(p, a, 10, 20);
    return p;
  });
  const ids = pos.map((p) => p.triggerId);
  assert.deepEqual(ids, [0, 1, 2, 3]);
  t.startSweep();
  assert.equal(t.accountIdAt(t.nextInSweep()), 1);
  t.remove(pos[1]!);
  assert.equal(t.accountIdAt(t.nextInSweep()), 3);
  t.remove(pos[3]!);
  assert.equal(t.nextInSweep(), NO_SLOT);
  // The freed ids go to the next slots, newest first (the order the snapshot carries them in).
  const a = new AccountState(9);
  const p = new PositionState(9, MARKET, 10n);
  t.setKeys(p, a, 10, 20);
  assert.equal(p.triggerId, ids[3]);
  assert.equal(pos[3]!.triggerId, NO_SLOT);
});
