// The restore tool on a data directory with snapshots and a pruned journal: list shows the snapshots,
// verify replays through every one and finds them equal to the journal before them, hash at the end is
// what the exchange stopped with, restore --to-seq starts from the nearest snapshot before the point and
// the restored directory starts with the hashes `hash` gives for it; a point before the oldest kept
// snapshot is refused; a corrupt snapshot is reported by verify (exit 3) and passed over by recovery.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Durability } from '../../exchange/durability.js';
import { EXIT } from '../../exchange/restore/main.js';
import { hex, tool } from './restore-cli.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { snapshotPieceKey } from '../../persistence/keys.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { testSeed } from '../support/seed.js';
import { durableScript } from './durable-script.js';
import { config, riskMarkets, runWithSnapshots, topology } from './snapshot-run.js';


interface Listed {
  shards: { firstPosition: number; cutPosition: number }[];
  snapshots: { shard: string; position: number; stateHash: string; lastSeq: number[] }[];
}

test('list, verify, hash and restore read snapshots and a pruned journal; verify reports a corrupt snapshot', async () => {
  const seed = testSeed('restore with snapshots');
  const dir = mkdtempSync(join(tmpdir(), 'perpx-snapdata-'));
  const out = join(tmpdir(), `perpx-snaprestored-${process.pid}-${seed}`);
  rmSync(out, { recursive: true, force: true });
  try {
    const { hashes } = await runWithSnapshots(dir, durableScript(seed, 0, 800), { everyRecords: 25, everyMs: 60_000, keep: 3 });

    const list = await tool('list', '--data', dir, '--json');
    assert.equal(list.code, EXIT.OK, list.err);
    const l = JSON.parse(list.out) as Listed;
    assert.ok(l.snapshots.length >= 4, `snapshots listed (${l.snapshots.length})`);
    assert.ok(l.shards.some((s) => s.firstPosition > 0), 'some journal was pruned before its oldest kept snapshot');
    assert.match((await tool('list', '--data', dir)).out, /snapshot of +position/);

    const verify = await tool('verify', '--data', dir, '--json');
    assert.equal(verify.code, EXIT.OK, verify.err + verify.out);
    const v = JSON.parse(verify.out) as { shards: { snapshots: string; stateHash: string }[] };
    assert.deepEqual(v.shards.map((s) => s.stateHash), hashes.map(hex), 'verify replays to the hashes the exchange stopped with');
    assert.ok(v.shards.some((s) => /^[2-9]\d* ok$|^\d{2,} ok$/.test(s.snapshots)), 'some shard had snapshots compared with a replay');

    const end = JSON.parse((await tool('hash', '--data', dir, '--json')).out) as { shards: { stateHash: string }[] };
    assert.deepEqual(end.shards.map((s) => s.stateHash), hashes.map(hex));

    // A point inside the kept history of risk shard 0 (global shard 2): its newest gateway seq minus a few.
    const risk0 = l.shards[2]!;
    const lastSeq = JSON.parse((await tool('list', '--data', dir, '--json')).out).shards[2].lastSeq[0] as number;
    const seq = lastSeq - 5;
    assert.ok(risk0.cutPosition > 0);
    const restored = await tool('restore', '--data', dir, '--to-seq', String(seq), '--out', out, '--json');
    assert.equal(restored.code, EXIT.OK, restored.err);
    const r = JSON.parse(restored.out) as { shards: { fromSnapshot: number | null }[] };
    assert.ok(r.shards.some((s) => s.fromSnapshot !== null), 'the restore starts from snapshots');
    const atRun = await tool('hash', '--data', out, '--json');
    assert.equal(atRun.code, EXIT.OK, atRun.err);
    const at = JSON.parse(atRun.out) as { shards: { stateHash: string }[] };
    const d = await Durability.open({ dir: out, log: () => {} }, topology, config);
    assert.ok(d.bases.some((b) => b !== undefined), 'the restored directory recovers from a snapshot');
    const ex = await ThreadedExchange.start({ topology, riskMarkets, durability: d });
    const h = await ex.stop();
    const afterRun = await tool('hash', '--data', out, '--json');
    assert.equal(afterRun.code, EXIT.OK, afterRun.err);
    const after = JSON.parse(afterRun.out) as { shards: { stateHash: string }[] };
    assert.deepEqual([...h.market, ...h.risk].map((x) => hex(x!)), after.shards.map((s) => s.stateHash));
    assert.equal(at.shards.length, after.shards.length);

    // Before the oldest kept snapshot: refused, not silently restored to a later state.
    const early = await tool('hash', '--data', dir, '--to-seq', '1');
    assert.equal(early.code, EXIT.USAGE, early.out + early.err);
    assert.match(early.err, /no longer restorable/);

    // A flipped bit in a snapshot: verify names it and exits 3.
    const victim = l.snapshots.at(-1)!;
    const x = victim.shard.startsWith('market') ? Number(victim.shard.split(' ')[1]) : topology.marketShards + Number(victim.shard.split(' ')[1]);
    const store = await RocksStore.open(dir, { createIfMissing: false });
    try {
      const key = snapshotPieceKey(x, victim.position, 0);
      const piece = new Uint8Array((await store.get(key))!);
      piece[piece.length >> 1] = piece[piece.length >> 1]! ^ 0x04;
      await store.write([{ type: 'put', key, value: piece }], true);
    } finally {
      await store.close();
    }
    const bad = await tool('verify', '--data', dir);
    assert.equal(bad.code, EXIT.CORRUPT, bad.out + bad.err);
    assert.match(bad.out, new RegExp(`${victim.shard}: snapshot at position ${victim.position}: SNAPSHOT_CORRUPT`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});
