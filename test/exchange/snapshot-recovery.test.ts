// Snapshots of the durable threaded exchange: the snapshotter's replicas store snapshots while the shards
// run; each stored snapshot equals a clean replay of its shard's journal up to the position it records;
// a restart starts every shard from its newest snapshot and reaches the hash it stopped with; retention
// prunes old snapshots and journal blocks and recovery still works; a corrupt newest snapshot is passed
// over with a log line for the previous one.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Durability, producerTable } from '../../exchange/durability.js';
import { replayShard } from '../../exchange/journal-replay.js';
import type { SnapshotPolicy } from '../../exchange/snapshots/snapshot-policy.js';
import { readShardLog } from '../../persistence/journal-reader.js';
import { CUT_KEY, snapshotPieceKey } from '../../persistence/keys.js';
import { decodeCut } from '../../persistence/cut-record.js';
import { listSnapshots, readSnapshotBytes } from '../../persistence/snapshot-store.js';
import { refusal } from '../../exchange/snapshots/recovery-base.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { testSeed } from '../support/seed.js';
import { durableScript } from './durable-script.js';
import { config, riskMarkets, runWithSnapshots as run, topology } from './snapshot-run.js';

const SHARDS = topology.marketShards + topology.riskShards;

test('every stored snapshot equals a clean replay of its journal to the position it records; a restart from snapshots reaches the stopped hashes', async () => {
  const seed = testSeed('snapshot equals replay');
  const dir = mkdtempSync(join(tmpdir(), 'perpx-snap-'));
  try {
    const policy: SnapshotPolicy = { everyRecords: 8 + (seed % 16), everyMs: 60_000, keep: 1_000, keepJournal: true };
    const logLines: string[] = [];
    const first = await run(dir, durableScript(seed, 0, 600), policy, (l) => logLines.push(l));
    assert.ok(first.taken >= SHARDS, `snapshots were taken (${first.taken})`);
    // The operator's log says each snapshot as it is stored: shard, position and the state hash it records.
    const logged = logLines.filter((l) => /^perpx: snapshot of shard \d+ at journal position [\d,]+ stored \(state hash [0-9a-f]{16}, encoded in \d+ ms of CPU/.test(l));
    assert.equal(logged.length, first.taken, `one log line per stored snapshot:\n${logLines.join('\n')}`);

    const store = await RocksStore.open(dir, { readOnly: true });
    let checked = 0;
    try {
      const producers = producerTable(topology);
      for (let x = 0; x < SHARDS; x++) {
        const snaps = await listSnapshots(store, x);
        assert.ok(snaps.length > 0, `shard ${x} has snapshots`);
        const end = snaps.at(-1)!.position;
        // /metrics' perpx_replay_backlog_records: the durable records after the newest snapshot.
        assert.equal(first.backlog[x], decodeCut((await store.get(CUT_KEY))!).positions[x]! - end, `shard ${x}: the replay backlog`);
        const log = await readShardLog(store, x, end, { inputs: producers[x]!.length });
        for (const s of snaps) {
          const replayed = replayShard({ topology, riskMarkets }, log, s.position).stateHash();
          assert.equal(s.stateHash, replayed.toString(16).padStart(16, '0'), `shard ${x}: the snapshot at position ${s.position} equals a replay to it`);
          assert.ok(logged.some((l) => l.startsWith(`perpx: snapshot of shard ${x} at journal position ${s.position.toLocaleString('en-US')} stored (state hash ${s.stateHash},`)), `shard ${x}: the snapshot at ${s.position} was logged`);
          checked++;
        }
      }
      // A snapshot whose records to another shard that shard had not all consumed is refused for recovery
      // (its re-delivery could not be regenerated): the newest market shard 0 snapshot that wrote any.
      const wrote = (await listSnapshots(store, 0)).filter((s) => s.outputNextSeqs.some((q) => q > 1)).at(-1);
      assert.ok(wrote !== undefined, 'market shard 0 has a snapshot after writing to a risk shard');
      {
        const bytes = await readSnapshotBytes(store, wrote);
        const cut = { positions: producerTable(topology).map(() => Number.MAX_SAFE_INTEGER), lastSeq: producerTable(topology).map((p) => p.map(() => Number.MAX_SAFE_INTEGER)) };
        assert.equal(refusal(topology, 0, wrote, bytes, cut), undefined, 'settled: usable');
        const j = wrote.outputNextSeqs.findIndex((q) => q > 1);
        const consumer = topology.marketShards + j;
        cut.lastSeq[consumer]![1] = wrote.outputNextSeqs[j]! - 2;
        assert.match(refusal(topology, 0, wrote, bytes, cut) ?? '', new RegExp(`shard ${consumer} had consumed its stream only to seq ${wrote.outputNextSeqs[j]! - 2}`));
        assert.match(refusal(topology, 1, wrote, bytes) ?? '', /another shard/, 'a snapshot of market shard 0 is not market shard 1');
      }
    } finally {
      await store.close();
    }
    assert.ok(checked >= SHARDS);

    const lines: string[] = [];
    const d = await Durability.open({ dir, log: (l) => lines.push(l) }, topology, config);
    assert.ok(d.bases.every((b) => b !== undefined), 'every shard recovers from a snapshot');
    assert.match(lines.join('\n'), /4 shard\(s\) from a snapshot/);
    const second = await run(dir, [], policy);
    assert.deepEqual(second.hashes, first.hashes, 'recovered from snapshots + journal tail: the hashes it stopped with');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('retention keeps the newest snapshots, prunes the journal before them, and recovery still reaches the stopped hashes; a corrupt newest snapshot falls back to the previous one', async () => {
  const seed = testSeed('snapshot retention');
  const dir = mkdtempSync(join(tmpdir(), 'perpx-snap-'));
  try {
    const policy: SnapshotPolicy = { everyRecords: 20, everyMs: 60_000, keep: 2 };
    const first = await run(dir, durableScript(seed, 0, 800), policy);

    let store = await RocksStore.open(dir, { readOnly: true });
    const newest: { shard: number; position: number }[] = [];
    try {
      for (let x = 0; x < SHARDS; x++) {
        const snaps = await listSnapshots(store, x);
        assert.ok(snaps.length >= 1 && snaps.length <= 2, `shard ${x} keeps at most 2 snapshots (${snaps.length})`);
        // The journal before the oldest kept snapshot is gone: a replay from 0 is refused.
        await assert.rejects(readShardLog(store, x, snaps[0]!.position, { inputs: producerTable(topology)[x]!.length }), /JOURNAL_GAP/);
        newest.push({ shard: x, position: snaps.at(-1)!.position });
      }
    } finally {
      await store.close();
    }

    if (process.env.KEEPDIR) { (await import("node:fs")).cpSync(dir, "/tmp/keepdir", { recursive: true }); return; }
    const second = await run(dir, [], policy);
    assert.deepEqual(second.hashes, first.hashes, 'recovery from pruned data');

    // Flip a byte inside risk shard 0's newest snapshot: recovery names it and falls back.
    const victim = newest[topology.marketShards]!;
    store = await RocksStore.open(dir, { createIfMissing: false });
    try {
      const snaps = await listSnapshots(store, victim.shard);
      const target = snaps.at(-1)!;
      const key = snapshotPieceKey(victim.shard, target.position, 0);
      const piece = new Uint8Array((await store.get(key))!);
      piece[piece.length >> 1] = piece[piece.length >> 1]! ^ 0x10;
      await store.write([{ type: 'put', key, value: piece }], true);
      if (snaps.length < 2) return; // nothing to fall back to: covered by the first test's shape
    } finally {
      await store.close();
    }
    const lines: string[] = [];
    const third = await run(dir, [], { ...policy, everyRecords: 1_000_000 }, (l) => lines.push(l));
    assert.match(lines.join('\n'), new RegExp(`shard ${victim.shard}: snapshot at position \\d+ skipped: SNAPSHOT_CORRUPT`));
    assert.deepEqual(third.hashes, first.hashes, 'recovered from the previous snapshot');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
