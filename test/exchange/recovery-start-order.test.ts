// A restart starts each shard as soon as its own snapshot is checked (exchange/durability.ts replayOf,
// exchange/threaded-start.ts): a shard whose check is held back (here by the test's hook, as a
// slow read of its snapshot would) keeps no other shard from starting and recovering its state. The
// snapshots are checked risk shards first, market shards last, so market shard 1's check is the last one:
// held, the risk shards must still report their replay done. And a corrupt newest snapshot found by that
// last check, after the other shards already started, still falls back to the previous one and the
// restart reaches the hashes the exchange stopped with.
// No timed assertions: the waits are for conditions, and a hang is a failure by the test's own timeout.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Durability } from '../../exchange/durability.js';
import type { SnapshotPolicy } from '../../exchange/snapshots/snapshot-policy.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { snapshotPieceKey } from '../../persistence/keys.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { listSnapshots } from '../../persistence/snapshot-store.js';
import { testSeed } from '../support/seed.js';
import { durableScript } from './durable-script.js';
import { config, riskMarkets, runWithSnapshots, topology } from './snapshot-run.js';

const TIMEOUT = { timeout: 100_000 };
/** The shard whose snapshots are checked last: the last market shard (the risk shards go first). */
const LAST = topology.marketShards - 1;
const RISK = Array.from({ length: topology.riskShards }, (_, r) => topology.marketShards + r);
const POLICY: SnapshotPolicy = { everyRecords: 20, everyMs: 60_000, keep: 2 };

/**
 * Runs the seeded script in parts until every shard holds at least `min` snapshots (a loaded machine can
 * leave a market shard's replica unsettled for a whole part: docs/ARCHITECTURE.md, "Snapshots"); returns
 * the hashes the exchange stopped with last.
 */
async function runUntilSnapshots(dir: string, seed: number, min: number): Promise<bigint[]> {
  const PART = 400;
  for (let part = 0; ; part++) {
    const { hashes } = await runWithSnapshots(dir, durableScript(seed, part * PART, PART), POLICY);
    const store = await RocksStore.open(dir, { readOnly: true });
    let counts: number[];
    try {
      counts = await Promise.all(Array.from({ length: topology.marketShards + topology.riskShards }, async (_, x) => (await listSnapshots(store, x)).length));
    } finally {
      await store.close();
    }
    if (counts.every((c) => c >= min)) return hashes;
    assert.ok(part < 5, `after ${part + 1} parts of ${PART} commands some shard still holds fewer than ${min} snapshots: ${counts.join(', ')}`);
  }
}

const replayedLine = (lines: readonly string[], x: number) => lines.find((l) => l.startsWith(`perpx: shard ${x} (`) && l.includes(' replayed '));

/** Resolves once `f()` holds, looking every 10 ms; rejects once the test is aborted (its timeout), so nothing is left waiting. */
async function until(f: () => boolean, signal: AbortSignal): Promise<void> {
  while (!f()) {
    if (signal.aborted) throw new Error('gave up waiting: the test was aborted');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Restarts the exchange on `dir` with shard LAST's snapshot check held until every risk shard has
 * replayed; returns the log and the hashes it stops with, and what was true while the check was held.
 */
async function restartHoldingLast(dir: string, signal: AbortSignal): Promise<{ lines: string[]; hashes: bigint[]; whileHeld: { lastReplayed: boolean; lastBaseKnown: boolean } }> {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const lines: string[] = [];
  const d = await Durability.begin({ dir, log: (l) => lines.push(l), beforeSnapshotCheck: (x) => (x === LAST ? held : undefined) }, topology, config);
  const starting = ThreadedExchange.start({ topology, riskMarkets, durability: d, ringCapacity: 1024 });
  starting.catch(() => {});
  let whileHeld;
  try {
    await until(() => RISK.every((x) => replayedLine(lines, x) !== undefined), signal);
    let lastBaseKnown = true;
    try {
      d.replay(LAST);
    } catch {
      lastBaseKnown = false;
    }
    whileHeld = { lastReplayed: replayedLine(lines, LAST) !== undefined, lastBaseKnown };
  } finally {
    release();
  }
  const ex = await starting;
  const h = await ex.stop();
  return { lines, hashes: [...h.market, ...h.risk].map((x) => x!), whileHeld };
}

test('the risk shards start and replay while the last market shard\'s snapshot check is held, and the restart reaches the stopped hashes', TIMEOUT, async (t) => {
  const seed = testSeed('recovery start order');
  const dir = mkdtempSync(join(tmpdir(), 'perpx-start-order-'));
  try {
    const first = { hashes: await runUntilSnapshots(dir, seed, 1) };
    const again = await restartHoldingLast(dir, t.signal);
    assert.deepEqual(again.whileHeld, { lastReplayed: false, lastBaseKnown: false }, 'market shard 1 was still being checked when the risk shards had replayed');
    for (const x of [...RISK, LAST]) assert.match(replayedLine(again.lines, x) ?? '', /replayed [\d,]+ journal records after its snapshot at position [\d,]+/, `shard ${x} started from a snapshot`);
    assert.deepEqual(again.hashes, first.hashes, 'recovered from snapshots + journal tails: the hashes it stopped with');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a corrupt newest snapshot of the shard checked last falls back to the previous one after the other shards started', TIMEOUT, async (t) => {
  const seed = testSeed('recovery start order, corrupt last');
  const dir = mkdtempSync(join(tmpdir(), 'perpx-start-order-'));
  try {
    const first = { hashes: await runUntilSnapshots(dir, seed, 2) };
    // Flip a byte inside market shard 1's newest snapshot.
    let newest: number;
    let previous: number;
    const store = await RocksStore.open(dir, { createIfMissing: false });
    try {
      const snaps = await listSnapshots(store, LAST);
      assert.equal(snaps.length, 2, `market shard ${LAST} keeps two snapshots to fall back between`);
      newest = snaps[1]!.position;
      previous = snaps[0]!.position;
      const key = snapshotPieceKey(LAST, newest, 0);
      const piece = new Uint8Array((await store.get(key))!);
      piece[piece.length >> 1] = piece[piece.length >> 1]! ^ 0x10;
      await store.write([{ type: 'put', key, value: piece }], true);
    } finally {
      await store.close();
    }

    const again = await restartHoldingLast(dir, t.signal);
    assert.deepEqual(again.whileHeld, { lastReplayed: false, lastBaseKnown: false }, 'the risk shards had replayed before market shard 1 was checked');
    const log = again.lines.join('\n');
    assert.match(log, new RegExp(`shard ${LAST}: snapshot at position ${newest} skipped: SNAPSHOT_CORRUPT.*falling back to an older one`));
    assert.match(replayedLine(again.lines, LAST) ?? '', new RegExp(`after its snapshot at position ${previous.toLocaleString('en-US')},`), 'market shard 1 recovered from the previous snapshot');
    assert.deepEqual(again.hashes, first.hashes, 'recovered from the previous snapshot: the hashes it stopped with');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
