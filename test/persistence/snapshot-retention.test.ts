// The retention rule: the newest `keep` snapshots, and with a window every snapshot inside it plus the
// newest one at or before its start, so that any point inside the window has a snapshot at or before it;
// while no snapshot lies at or before the start, the journal is kept whole (the points before the oldest
// snapshot replay from its beginning). A window of journal records works the same way on positions, and
// with both windows (and the count) what any of them asks for is kept. The same rule applied to a data directory, with restores at the
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

test('a record window keeps the newest snapshot at least N records before the newest one and everything after it', () => {
  const all = [snap(10, 100), snap(20, 200), snap(30, 300), snap(40, 400), snap(50, 500)];
  // The last 25 records before the newest snapshot (50): positions from 25 on; the newest at or before 25 is 20.
  assert.deepEqual(positions(retained(all, { keep: 1, windowRecords: 25 })), [20, 30, 40, 50]);
  // A start exactly on a snapshot keeps that snapshot and nothing older.
  assert.deepEqual(positions(retained(all, { keep: 1, windowRecords: 20 })), [30, 40, 50]);
  assert.deepEqual(positions(retained(all, { keep: 1, windowRecords: 0 })), [50]);
  // keep wins when it asks for more.
  assert.deepEqual(positions(retained(all, { keep: 4, windowRecords: 5 })), [20, 30, 40, 50]);
  // Reaching before every snapshot: all of them and the whole journal (positions before 10 replay from 0).
  assert.deepEqual(retentionPlan(all, { keep: 1, windowRecords: 45 }), { kept: all, pruneJournal: false });
  assert.equal(retentionPlan(all, { keep: 1, windowRecords: 40 }).pruneJournal, true);
});

test('with a time window and a record window, the one reaching further back decides', () => {
  // Positions and times disagree: a burst of records in little time, then few records in much time.
  const all = [snap(100, 100), snap(900, 200), snap(1_000, 1_000), snap(1_050, 2_000)];
  // Time alone (start 2000 - 1500 = 500): from the one at 200. Records alone (start 1050 - 100 = 950): from 900.
  assert.deepEqual(positions(retained(all, { keep: 1, windowUs: 1_500 })), [900, 1_000, 1_050]);
  assert.deepEqual(positions(retained(all, { keep: 1, windowRecords: 100 })), [900, 1_000, 1_050]);
  // Records reaching further (start 1050 - 500 = 550): from 100, whatever the time window says.
  assert.deepEqual(positions(retained(all, { keep: 1, windowUs: 500, windowRecords: 500 })), [100, 900, 1_000, 1_050]);
  // Time reaching further (start 2000 - 1850 = 150): from 100, whatever the record window says.
  assert.deepEqual(positions(retained(all, { keep: 1, windowUs: 1_850, windowRecords: 10 })), [100, 900, 1_000, 1_050]);
  // Either reaching before every snapshot keeps the whole journal.
  assert.equal(retentionPlan(all, { keep: 1, windowUs: 10, windowRecords: 1_000 }).pruneJournal, false);
  assert.equal(retentionPlan(all, { keep: 1, windowUs: 5_000, windowRecords: 10 }).pruneJournal, false);
});
