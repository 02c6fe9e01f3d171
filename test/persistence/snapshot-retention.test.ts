// The retention rule: the newest `keep` snapshots, and with a window every snapshot inside it plus the
// newest one at or before its start, so that any point inside the window has a snapshot at or before it;
// while no snapshot lies at or before the start, the journal is kept whole (the points before the oldest
// snapshot replay from its beginning). The same rule applied to a data directory, with restores at the
// window's edge compared with a clean replay: test/exchange/retention-window.test.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retentionPlan, type RetentionPolicy, type SnapshotInfo } from '../../persistence/snapshot-store.js';

const snap = (position: number, clockUs: number): SnapshotInfo => ({ version: 1, shard: 0, position, lastSeq: [position], outputNextSeqs: [1], clockUs, takenAtMs: 0, stateHash: '0'.repeat(16), bytes: 64, pieces: 1 });
const positions = (s: readonly SnapshotInfo[]) => s.map((x) => x.position);
const retained = (all: readonly SnapshotInfo[], p: RetentionPolicy) => retentionPlan(all, p).kept;

test('keep N: the newest N, all of them when there are fewer', () => {
  const all = [snap(10, 100), snap(20, 200), snap(30, 300), snap(40, 400)];
  assert.deepEqual(positions(retained(all, { keep: 2 })), [30, 40]);
  assert.deepEqual(positions(retained(all, { keep: 10 })), [10, 20, 30, 40]);
  assert.deepEqual(positions(retained([], { keep: 2 })), []);
  assert.deepEqual(positions(retained(all, { keep: 0 })), [40], 'never fewer than one');
});

test('a window keeps the newest snapshot at or before its start and everything after it', () => {
  const all = [snap(10, 100), snap(20, 200), snap(30, 300), snap(40, 400), snap(50, 500)];
  // Window of 250 µs from the newest (500): start 250; the newest at or before it is the one at 200.
  assert.deepEqual(positions(retained(all, { keep: 1, windowUs: 250 })), [20, 30, 40, 50]);
  // A start exactly on a snapshot keeps that snapshot and nothing older.
  assert.deepEqual(positions(retained(all, { keep: 1, windowUs: 200 })), [30, 40, 50]);
  // keep wins when it asks for more.
  assert.deepEqual(positions(retained(all, { keep: 5, windowUs: 0 })), [10, 20, 30, 40, 50]);
  // A window longer than the history keeps it all.
  assert.deepEqual(positions(retained(all, { keep: 1, windowUs: 10_000 })), [10, 20, 30, 40, 50]);
});

test('a window reaching before every snapshot keeps them all and the whole journal; without a window the journal before the oldest kept goes', () => {
  const all = [snap(10, 100), snap(20, 200), snap(30, 300)];
  // Start 300 - 250 = 50: before the oldest snapshot (100); the points in [50, 100) need the journal from 0.
  const wide = retentionPlan(all, { keep: 1, windowUs: 250 });
  assert.deepEqual(positions(wide.kept), [10, 20, 30]);
  assert.equal(wide.pruneJournal, false);
  // Once a snapshot lies at or before the start, the journal before it may go.
  assert.equal(retentionPlan(all, { keep: 1, windowUs: 200 }).pruneJournal, true);
  assert.deepEqual(retentionPlan(all, { keep: 2 }), { kept: all.slice(1), pruneJournal: true });
  assert.equal(retentionPlan(all, { keep: 2, keepJournal: true }).pruneJournal, false);
  assert.deepEqual(retentionPlan([], { keep: 2, windowUs: 10 }), { kept: [], pruneJournal: false });
});
