// An exchange upgraded past risk snapshot format version 1 (risksnap8: version 2 changed the risk state
// hash's definition to the four-lane mixer) keeps working from its own data directory: its older risk
// snapshots are version 1, recording the old mixer's hash, and the journal before the oldest of them is
// pruned. verify compares a replay with each snapshot in that snapshot's definition, hash and restore
// start from a version-1 snapshot (its hash checked with the old mixer), and the exchange recovers from
// one.
//
// The directory is made by a run of this build, whose risk snapshots are then rewritten as an older build
// wrote them: the same sections, header version 1, the state hash in definition 1 (descriptor too).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MemoryOutput } from '../../engine/shard/event-output.js';
import { readSnapshotStreams } from '../../engine/snapshot/shard-streams.js';
import { readHeader } from '../../engine/snapshot/snapshot-envelope.js';
import { Durability } from '../../exchange/durability.js';
import { EXIT } from '../../exchange/restore/main.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { listSnapshots, piecesFor, readSnapshotBytes, snapshotOps, type SnapshotInfo } from '../../persistence/snapshot-store.js';
import type { Store } from '../../persistence/store.js';
import { RiskShard } from '../../risk/shard/risk-shard.js';
import { putTogether, takeApart } from '../engine/snapshot/reseal.js';
import { testSeed } from '../support/seed.js';
import { durableScript } from './durable-script.js';
import { hex, tool } from './restore-cli.js';
import { config, riskMarkets, runWithSnapshots, topology } from './snapshot-run.js';

/** Rewrites a stored version-2 risk snapshot as version 1: same sections, the old mixer's hash. */
async function downgrade(store: Store, info: SnapshotInfo): Promise<void> {
  const bytes = await readSnapshotBytes(store, info);
  assert.equal(readHeader(bytes).version, 2);
  const { streams } = readSnapshotStreams(bytes);
  const shard = RiskShard.decode(bytes, new MemoryOutput(1, streams.gatewayNextSeq), streams.outputNextSeqs.map((s) => new MemoryOutput(1, s)));
  const hash = shard.stateHashAs(1);
  const v1 = putTogether({ ...takeApart(bytes), stateHash: hash }, 1);
  await store.write(snapshotOps({ ...info, stateHash: hex(hash), bytes: v1.length, pieces: piecesFor(v1.length) }, v1), true);
}

/** Downgrades each risk shard's snapshots but its newest `spare`; returns how many. */
async function downgradeRisk(dir: string, spare: number): Promise<number> {
  const store = await RocksStore.open(dir, { createIfMissing: false });
  let n = 0;
  try {
    for (let r = 0; r < topology.riskShards; r++) {
      const all = await listSnapshots(store, topology.marketShards + r);
      for (const info of all.slice(0, all.length - spare)) {
        const bytes = await readSnapshotBytes(store, info);
        if (readHeader(bytes).version === 1) continue;
        await downgrade(store, info);
        n++;
      }
    }
  } finally {
    await store.close();
  }
  return n;
}

test('a data directory holding version-1 and version-2 risk snapshots: verify, hash and restore read both, and the exchange recovers from a version-1 one', async () => {
  const seed = testSeed('restore with version-1 risk snapshots');
  const dir = mkdtempSync(join(tmpdir(), 'perpx-v1data-'));
  const out = join(tmpdir(), `perpx-v1restored-${process.pid}-${seed}`);
  rmSync(out, { recursive: true, force: true });
  try {
    const { hashes } = await runWithSnapshots(dir, durableScript(seed, 0, 800), { everyRecords: 25, everyMs: 60_000, keep: 3 });
    // Both versions side by side: each risk shard's newest snapshot stays version 2.
    assert.ok((await downgradeRisk(dir, 1)) >= topology.riskShards, 'some risk snapshots rewritten as version 1');

    const list = JSON.parse((await tool('list', '--data', dir, '--json')).out) as { shards: { firstPosition: number; lastSeq: number[] }[] };
    assert.ok(list.shards.slice(topology.marketShards).some((s) => s.firstPosition > 0), 'the journal before an oldest (version-1) risk snapshot is pruned');

    const verify = await tool('verify', '--data', dir, '--json');
    assert.equal(verify.code, EXIT.OK, verify.err + verify.out);
    const v = JSON.parse(verify.out) as { shards: { snapshots: string; stateHash: string }[] };
    assert.deepEqual(v.shards.map((s) => s.stateHash), hashes.map(hex), 'verify replays to the hashes the exchange stopped with');
    for (const s of v.shards.slice(topology.marketShards)) assert.match(s.snapshots, /^([2-9]|\d{2,}) ok$/, 'each risk shard compared snapshots of both versions with its replay');

    const end = JSON.parse((await tool('hash', '--data', dir, '--json')).out) as { shards: { stateHash: string }[] };
    assert.deepEqual(end.shards.map((s) => s.stateHash), hashes.map(hex));

    // Every risk snapshot version 1 now: restore and recovery can only start from one.
    await downgradeRisk(dir, 0);
    assert.equal((await tool('verify', '--data', dir)).code, EXIT.OK);
    const seq = list.shards[topology.marketShards]!.lastSeq[0]! - 5;
    const restored = await tool('restore', '--data', dir, '--to-seq', String(seq), '--out', out, '--json');
    assert.equal(restored.code, EXIT.OK, restored.err);
    const r = JSON.parse(restored.out) as { shards: { fromSnapshot: number | null }[] };
    assert.ok(r.shards.slice(topology.marketShards).some((s) => s.fromSnapshot !== null), 'the restore starts a risk shard from a version-1 snapshot');

    const d = await Durability.open({ dir, log: () => {} }, topology, config);
    for (let x = topology.marketShards; x < topology.marketShards + topology.riskShards; x++) {
      const base = d.bases[x];
      assert.ok(base !== undefined, `risk shard ${x - topology.marketShards} recovers from a snapshot`);
      assert.equal(readHeader(base.bytes).version, 1);
    }
    const ex = await ThreadedExchange.start({ topology, riskMarkets, durability: d });
    const h = await ex.stop();
    assert.equal(ex.failure, undefined);
    const after = JSON.parse((await tool('hash', '--data', dir, '--json')).out) as { shards: { stateHash: string }[] };
    assert.deepEqual([...h.market, ...h.risk].map((x) => hex(x!)), after.shards.map((s) => s.stateHash), 'the recovered exchange stops with the hashes a replay gives');
    assert.deepEqual(after.shards.map((s) => s.stateHash), hashes.map(hex), 'and they are the ones the first run stopped with');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});
