// The retention window on a real data directory: pruning with a window keeps every snapshot and journal
// block a restore to a point inside the window needs, so `hash --to-time` at points at and just after the
// window's edge (and `--to-seq` at the oldest seq list promises for a pruned shard) gives exactly the state hashes of a clean
// replay of the whole journal to the same point, while older snapshots and journal go and points before
// what list promises are refused. If pruning ignored the window (keep 1 alone), the edge points would be
// refused and this test would fail. A second test runs the live snapshotter with a window (the policy's
// path from the options to the journal writer's pruning). A third prunes by a window of journal records
// and restores at the gateway command where each shard's window starts.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RestorableFrom } from '../../exchange/restore/commands.js';
import { EXIT } from '../../exchange/restore/main.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { producerTable } from '../../exchange/durability.js';
import { decodeCut } from '../../persistence/cut-record.js';
import { readShardLog } from '../../persistence/journal-reader.js';
import { CUT_KEY, snapshotPieceRange, snapshotRange } from '../../persistence/keys.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { listSnapshots, pruneShard, type RetentionPolicy } from '../../persistence/snapshot-store.js';
import { testSeed } from '../support/seed.js';
import { durableScript } from './durable-script.js';
import { tool } from './restore-cli.js';
import { runWithSnapshots, topology } from './snapshot-run.js';

/** The script's commands are 10 ms of shard time apart (durable-script.ts): 800 of them span 8 s. */
const WINDOW_US = 2_000_000;
const SHARDS = topology.marketShards + topology.riskShards;

interface Listed {
  restorable: { everyShard: boolean; fromTimeUs: number | null };
  shards: { shard: string; firstPosition: number; restorableFrom: RestorableFrom | null }[];
  snapshots: { shard: string; position: number; timeUs: number }[];
}

async function listed(dir: string): Promise<Listed> {
  const r = await tool('list', '--data', dir, '--json');
  assert.equal(r.code, EXIT.OK, r.err);
  return JSON.parse(r.out) as Listed;
}

async function hashes(dir: string, ...point: string[]): Promise<string[]> {
  const r = await tool('hash', '--data', dir, ...point, '--json');
  assert.equal(r.code, EXIT.OK, `hash ${point.join(' ')} on ${dir}: ${r.err}`);
  return (JSON.parse(r.out) as { shards: { stateHash: string }[] }).shards.map((s) => s.stateHash);
}

/** Each shard's newest snapshot: its time and position are the "now" the windows are measured back from. */
async function newest(dir: string): Promise<{ clockUs: number; position: number }[]> {
  const store = await RocksStore.open(dir, { readOnly: true });
  try {
    return await Promise.all(Array.from({ length: SHARDS }, async (_, x) => (await listSnapshots(store, x)).at(-1)!));
  } finally {
    await store.close();
  }
}

async function newestTimes(dir: string): Promise<number[]> {
  return (await newest(dir)).map((s) => s.clockUs);
}

/** Snapshots every 25 records, nothing pruned, and the clean copy (no snapshots: every point replays from position 0). */
async function runAndCleanCopy(dir: string, clean: string, seed: number): Promise<void> {
  await runWithSnapshots(dir, durableScript(seed, 0, 800), { everyRecords: 25, everyMs: 60_000, keep: 1_000, keepJournal: true });
  cpSync(dir, clean, { recursive: true });
  await withStore(clean, async (store) => {
    for (let x = 0; x < SHARDS; x++) {
      await store.deleteRange(snapshotRange(x), true);
      await store.deleteRange(snapshotPieceRange(x), true);
    }
  });
  assert.equal((await listed(clean)).snapshots.length, 0);
}

async function withStore(dir: string, f: (store: RocksStore) => Promise<void>): Promise<void> {
  const store = await RocksStore.open(dir, { createIfMissing: false });
  try {
    await f(store);
  } finally {
    await store.close();
  }
}

/**
 * Prunes every shard of `dir` as the writer does after a snapshot, with this policy; checks that snapshots
 * and some journal went; returns list's view before and after.
 */
async function pruneAndList(dir: string, policy: RetentionPolicy): Promise<{ before: Listed; after: Listed }> {
  const before = await listed(dir);
  await withStore(dir, async (store) => {
    for (let x = 0; x < SHARDS; x++) await pruneShard(store, x, policy);
  });
  const after = await listed(dir);
  assert.ok(after.snapshots.length < before.snapshots.length, `snapshots pruned (${before.snapshots.length} → ${after.snapshots.length})`);
  assert.ok(after.shards.some((s) => s.firstPosition > 0), `some journal pruned before its window: ${after.shards.map((s) => s.firstPosition).join(', ')}`);
  return { before, after };
}

test('pruning with a window keeps every point of it restorable to the clean replay\'s state, and prunes what is older', async () => {
  const seed = testSeed('retention window');
  const dir = mkdtempSync(join(tmpdir(), 'perpx-window-'));
  const clean = `${dir}-clean`;
  try {
    await runAndCleanCopy(dir, clean, seed);
    // The retention the writer applies after a snapshot, with keep 1 and the window.
    const newest = await newestTimes(dir);
    const { before, after } = await pruneAndList(dir, { keep: 1, windowUs: WINDOW_US });

    // Older ones went: snapshots and journal blocks, and per shard exactly one snapshot at or before its
    // window's start remains. A journal block is pruned whole, so a shard whose first block (a group
    // commit of many records) holds that snapshot's position keeps its journal from 0.
    after.shards.forEach((s, x) => {
      const start = newest[x]! - WINDOW_US;
      const mine = after.snapshots.filter((p) => p.shard === s.shard);
      const atOrBefore = mine.filter((p) => p.timeUs <= start).length;
      // None when every snapshot is inside the window: then the journal stays whole.
      assert.ok(atOrBefore === 1 || (atOrBefore === 0 && s.firstPosition === 0 && mine.length === before.snapshots.filter((p) => p.shard === s.shard).length), `${s.shard}: ${atOrBefore} snapshot(s) at or before the window's start, journal from ${s.firstPosition}`);
      // What list promises: that snapshot (at or before the window's start), or the start where the journal is whole.
      if (s.firstPosition === 0) assert.deepEqual(s.restorableFrom, { position: 0, timeUs: null, gatewaySeq: 1 }, s.shard);
      else {
        assert.ok(s.restorableFrom !== null && s.restorableFrom.timeUs !== null && s.restorableFrom.timeUs <= start, `${s.shard}: restorable from ${JSON.stringify(s.restorableFrom)}, window from ${start}`);
        assert.equal(s.restorableFrom.position, mine[0]!.position);
      }
    });
    assert.equal(after.restorable.everyShard, true);
    assert.ok(after.restorable.fromTimeUs !== null);

    // Points at and just after the window's edge (every shard's window covers them), the oldest time list
    // promises, and the end: the same state hashes as the clean replay.
    const edge = Math.max(...newest) - WINDOW_US;
    for (const t of [after.restorable.fromTimeUs, edge, edge + 1, edge + 5_000, edge + 10_000, edge + 10_001, Math.max(...newest)]) {
      assert.deepEqual(await hashes(dir, '--to-time', String(t)), await hashes(clean, '--to-time', String(t)), `--to-time ${t} (edge ${edge})`);
    }
    // The oldest gateway seq list promises for the shard whose oldest restorable time is the directory's
    // (--to-seq cuts every other shard at that command's time, which is then inside every shard's reach),
    // and the one after it.
    const pruned = after.shards.find((s) => s.restorableFrom?.timeUs === after.restorable.fromTimeUs)!;
    const first = pruned.restorableFrom!.gatewaySeq;
    assert.ok(first > 1, `${pruned.shard}: restorable from seq ${first}`);
    for (const seq of [first, first + 1]) {
      const point = ['--to-seq', String(seq), '--shard', pruned.shard];
      assert.deepEqual(await hashes(dir, ...point), await hashes(clean, ...point), point.join(' '));
    }

    // Before what list promises: refused, never a later state.
    for (const point of [['--to-time', String(after.restorable.fromTimeUs - 10_000)], ['--to-seq', String(first - 1), '--shard', pruned.shard]]) {
      const early = await tool('hash', '--data', dir, ...point);
      assert.equal(early.code, EXIT.USAGE, `${point.join(' ')}: ${early.out}${early.err}`);
      assert.match(early.err, /no longer restorable/);
    }
    const text = (await tool('list', '--data', dir)).out;
    assert.match(text, /restorable from \(--to-seq · --to-time\)/);
    assert.match(text, /^restorable: --to-time from \d{4}-\d\d-\d\dT[\d:.]+Z to the durable end/m);
    assert.match((await tool('list', '--data', clean)).out, /^restorable: --to-time from the start/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(clean, { recursive: true, force: true });
  }
});

test('the live snapshotter prunes by the window: the journal goes, every point of the window stays restorable and verifies', async () => {
  const seed = testSeed('retention window, live');
  const dir = mkdtempSync(join(tmpdir(), 'perpx-window-live-'));
  try {
    await runWithSnapshots(dir, durableScript(seed, 0, 800), { everyRecords: 25, everyMs: 60_000, keep: 1, windowUs: WINDOW_US });
    const l = await listed(dir);
    assert.ok(l.shards.some((s) => s.firstPosition > 0), 'some journal was pruned');
    const edge = Math.max(...(await newestTimes(dir))) - WINDOW_US;
    assert.ok(l.restorable.fromTimeUs !== null && l.restorable.fromTimeUs <= edge, `restorable from ${l.restorable.fromTimeUs}, window from ${edge}`);
    assert.ok(l.snapshots.length > SHARDS, 'more than keep 1 per shard kept for the window');
    assert.equal((await hashes(dir, '--to-time', String(edge))).length, SHARDS);
    const v = await tool('verify', '--data', dir);
    assert.equal(v.code, EXIT.OK, v.out + v.err);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The first gateway command shard x took at or after journal position `from` and before `to`, from a whole journal. */
async function gatewaySeqBetween(dir: string, x: number, from: number, to: number): Promise<number | undefined> {
  const store = await RocksStore.open(dir, { readOnly: true });
  try {
    const cut = decodeCut((await store.get(CUT_KEY))!);
    const l = await readShardLog(store, x, cut.positions[x]!, { inputs: producerTable(topology)[x]!.length });
    const recs = new RecordBuffer(l.records);
    const inputs = new Uint16Array(l.inputs);
    for (let i = from; i < Math.min(to, l.count); i++) if (inputs[i] === 0) return recs.seq(recs.at(i));
    return undefined;
  } finally {
    await store.close();
  }
}

test('pruning with a record window keeps every position of each shard\'s last N records restorable to the clean replay\'s state, and prunes what is older', async () => {
  const seed = testSeed('retention record window');
  const dir = mkdtempSync(join(tmpdir(), 'perpx-window-records-'));
  const clean = `${dir}-clean`;
  const N = 150;
  try {
    await runAndCleanCopy(dir, clean, seed);
    const tops = await newest(dir);
    const { after } = await pruneAndList(dir, { keep: 1, windowRecords: N });
    for (let x = 0; x < SHARDS; x++) {
      const s = after.shards[x]!;
      const start = tops[x]!.position - N;
      // What list promises reaches the window's start: the snapshot at or before it, or the journal's beginning.
      assert.ok(s.restorableFrom !== null && s.restorableFrom.position <= Math.max(0, start), `${s.shard}: restorable from ${JSON.stringify(s.restorableFrom)}, window from position ${start}`);
      if (s.restorableFrom.position > 0) {
        // Exactly one snapshot at or before the start is left: the newest one there.
        const mine = after.snapshots.filter((p) => p.shard === s.shard);
        assert.equal(mine.filter((p) => p.position <= start).length, 1, s.shard);
        assert.equal(s.restorableFrom.position, mine[0]!.position);
      }
    }
    // A restore is directory-wide (--to-seq cuts every other shard at that command's time): the shard whose
    // oldest restorable time is the directory's, at the first gateway command inside its window and before
    // its newest snapshot (keep 1 alone would have pruned it), and the one after it.
    const b = after.shards.findIndex((s) => s.restorableFrom?.timeUs === after.restorable.fromTimeUs);
    assert.ok(b >= 0 && after.shards[b]!.restorableFrom!.position > 0, `a pruned shard sets the directory's oldest time: ${JSON.stringify(after.restorable)}`);
    const seq = await gatewaySeqBetween(clean, b, tops[b]!.position - N, tops[b]!.position);
    assert.ok(seq !== undefined, `${after.shards[b]!.shard} took a gateway command inside its window`);
    for (const q of [seq, seq + 1]) {
      const point = ['--to-seq', String(q), '--shard', after.shards[b]!.shard];
      assert.deepEqual(await hashes(dir, ...point), await hashes(clean, ...point), point.join(' '));
    }
    // Before what list promises: refused, never a later state.
    const early = await tool('hash', '--data', dir, '--to-seq', String(after.shards[b]!.restorableFrom!.gatewaySeq - 1), '--shard', after.shards[b]!.shard);
    assert.equal(early.code, EXIT.USAGE, early.out + early.err);
    assert.match(early.err, /no longer restorable/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(clean, { recursive: true, force: true });
  }
});
