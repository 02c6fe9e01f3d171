// The operators' restore tool on a real data directory: list and verify read it, hash at the end equals
// the hashes the exchange stopped with, restore at a point writes a directory the exchange starts from
// with exactly the hashes `hash` gives for that point, and the source is never modified.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Durability } from '../../exchange/durability.js';
import { EXIT } from '../../exchange/restore/main.js';
import { hex, tool } from './restore-cli.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { rng, testSeed } from '../support/seed.js';
import { fixtureConfig, fixtureRiskMarkets, fixtureTopology, writeDataDir } from '../persistence/data-fixture.js';


function snapshotOf(dir: string): string {
  return readdirSync(dir)
    .sort()
    .map((f) => `${f}:${statSync(join(dir, f)).size}`)
    .join(',');
}

test('list, verify, hash, inspect and restore on a data directory; the restored directory starts with the hashes of its point', async () => {
  const seed = testSeed('restore tool');
  const r = rng(seed);
  const { dir, hashes } = await writeDataDir(seed, 400);
  const out = mkdtempSync(join(tmpdir(), 'perpx-restored-'));
  rmSync(out, { recursive: true });
  try {
    const before = snapshotOf(dir);
    const list = await tool('list', '--data', dir, '--json');
    assert.equal(list.code, EXIT.OK, list.err);
    const l = JSON.parse(list.out) as { shards: { cutPosition: number; tornRecords: number }[] };
    assert.equal(l.shards.length, 4);
    assert.ok(l.shards.every((s) => s.cutPosition > 0 && s.tornRecords === 0));

    const verify = await tool('verify', '--data', dir);
    assert.equal(verify.code, EXIT.OK, verify.err);
    assert.match(verify.out, /verify: ok/);
    const verified = JSON.parse((await tool('verify', '--data', dir, '--json')).out) as { ok: boolean; shards: { stateHash: string }[] };
    assert.equal(verified.ok, true);
    assert.deepEqual(verified.shards.map((s) => s.stateHash), hashes.map(hex), 'verify --json: the replayed hashes');

    const end = JSON.parse((await tool('hash', '--data', dir, '--json')).out) as { shards: { stateHash: string }[] };
    assert.deepEqual(end.shards.map((s) => s.stateHash), hashes.map(hex), 'the journal replays to the hashes the exchange stopped with');

    const inspect = await tool('inspect', '--data', dir, '--json');
    const summary = JSON.parse(inspect.out) as { accounts: number; markets: { symbol: string }[] };
    assert.equal(summary.accounts, 8);
    assert.deepEqual(summary.markets.map((m) => m.symbol), ['BTC-PERP', 'ETH-PERP']);
    const one = JSON.parse((await tool('inspect', '--data', dir, '--account', '3', '--json')).out) as { accountId: number; walletAtoms: string };
    assert.equal(one.accountId, 3);
    assert.ok(BigInt(one.walletAtoms) > 0n);

    // A point in the middle of the run: a gateway command of risk shard 0 (global shard 2).
    const seq = 20 + (r() % 80);
    const at = JSON.parse((await tool('hash', '--data', dir, '--to-seq', String(seq), '--json')).out) as { shards: { position: number; stateHash: string }[] };
    assert.ok(at.shards[2]!.position < l.shards[2]!.cutPosition, 'the point is inside the journal');
    // --shard names a shard as list does ("risk 0", risk0), or by its global index: the same point.
    for (const name of ['risk0', 'risk 0', 'risk:0', '2']) {
      const named = await tool('hash', '--data', dir, '--to-seq', String(seq), '--shard', name, '--json');
      assert.equal(named.code, EXIT.OK, named.err);
      assert.deepEqual(JSON.parse(named.out), at, name);
    }
    // A refusal names the shard as the tables do, and a shard that does not exist is a bad argument.
    const never = await tool('hash', '--data', dir, '--to-seq', '999999999');
    assert.equal(never.code, EXIT.USAGE);
    assert.match(never.err, /^perpx-restore hash: risk 0 never took gateway command 999999999/);
    for (const bad of ['risk 2', 'market 2', '4', 'r0']) {
      const refused = await tool('hash', '--data', dir, '--to-seq', String(seq), '--shard', bad);
      assert.equal(refused.code, EXIT.USAGE, bad);
      assert.match(refused.err, /--shard .*: a shard as list names it \(market 0 to 1, risk 0 to 1/, bad);
    }
    const restored = await tool('restore', '--data', dir, '--to-seq', String(seq), '--out', out, '--json');
    assert.equal(restored.code, EXIT.OK, restored.err);
    const r2 = JSON.parse(restored.out) as { out: string; shards: { position: number }[] };
    assert.deepEqual([r2.out, r2.shards.map((s) => s.position)], [out, at.shards.map((s) => s.position)], 'restore --json: the directory and each shard\'s position');
    assert.equal(snapshotOf(dir), before, 'the source directory is unchanged');

    const d = await Durability.open({ dir: out, log: () => {} }, fixtureTopology, fixtureConfig);
    const ex = await ThreadedExchange.start({ topology: fixtureTopology, riskMarkets: fixtureRiskMarkets, durability: d });
    const h = await ex.stop();
    // Restarting lets re-delivered records be consumed, so compare with the restored directory's own hash after it.
    const after = JSON.parse((await tool('hash', '--data', out, '--json')).out) as { shards: { stateHash: string }[] };
    assert.deepEqual([...h.market, ...h.risk].map((x) => hex(x!)), after.shards.map((s) => s.stateHash));
    assert.equal((await tool('verify', '--data', out)).code, EXIT.OK);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('bad arguments exit 2, a missing or foreign directory exits 4, every command has --help', async () => {
  assert.equal((await tool('frobnicate')).code, EXIT.USAGE);
  assert.equal((await tool('restore', '--data', '/nonexistent-perpx')).code, EXIT.USAGE);
  assert.equal((await tool('list', '--data', '/nonexistent-perpx')).code, EXIT.NO_DATA);
  const empty = mkdtempSync(join(tmpdir(), 'perpx-foreign-'));
  try {
    assert.equal((await tool('verify', '--data', empty)).code, EXIT.NO_DATA);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
  for (const c of ['list', 'inspect', 'verify', 'restore', 'hash', 'alert']) {
    const h = await tool(c, '--help');
    assert.equal(h.code, EXIT.OK);
    assert.match(h.out, new RegExp(`usage: perpx-restore ${c}`));
  }
  assert.match((await tool('--help')).out, /exit codes/);
});
