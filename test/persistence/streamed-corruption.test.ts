// Corruption found after the shards began replaying: the journals are read while the shards replay them
// (exchange/durability.ts begin()), so a flipped bit in the last journal read is found after every other
// shard's log was handed to its replay, and part of that journal's too. The start must fail exactly as a
// read before any replay does: the PersistenceError naming shard, key, position, seq and expected
// checksum; every shard stopped; nothing written to the directory; never ready (`npm start` exits 3 with
// that one line, no stack trace).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { availableParallelism } from 'node:os';
import { Code } from '../../engine/codes.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { ReplayFeed } from '../../engine/shard/replay-feed.js';
import { Durability } from '../../exchange/durability.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { PersistenceError } from '../../persistence/errors.js';
import { keyText } from '../../persistence/keys.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { rng, testSeed } from '../support/seed.js';
import { corruptRecord, type CorruptedRecord } from './corrupt-record.js';
import { fixtureConfig, fixtureRiskMarkets, fixtureTopology, writeDataDir } from './data-fixture.js';

const MAIN = fileURLToPath(new URL('../../gateway/main.js', import.meta.url));

/** Every key and value in the store, as hex: what must not change. */
async function contents(dir: string): Promise<string[]> {
  const store = await RocksStore.open(dir, { readOnly: true });
  try {
    const all: string[] = [];
    for await (const e of store.scan({ gte: new Uint8Array(0), lt: new Uint8Array(64).fill(255) })) all.push(`${Buffer.from(e.key).toString('hex')}=${Buffer.from(e.value).toString('hex')}`);
    return all;
  } finally {
    await store.close();
  }
}

function assertNames(e: unknown, shard: number, v: CorruptedRecord): true {
  assert.ok(e instanceof PersistenceError, String(e));
  assert.equal(e.code, Code.JOURNAL_CORRUPT);
  assert.equal(e.details.shard, shard);
  assert.equal(e.details.key, keyText(v.key));
  assert.equal(e.details.position, v.position);
  assert.equal(e.details.seq, v.seq);
  assert.equal(e.details.expectedChecksum, v.expected);
  return true;
}

test('a flipped bit in the last journal read, found while the shards replay, stops the start with the same error and writes nothing', async () => {
  const seed = testSeed('streamed corruption');
  const r = rng(seed);
  const { dir } = await writeDataDir(seed, 300);
  try {
    // The risk shards are read first, then the market shards: market shard 1's last block is read last.
    const last = fixtureTopology.marketShards - 1;
    const victim = await corruptRecord(dir, last, (n) => n - 1, (n) => r() % n, r());
    const before = await contents(dir);

    const d = await Durability.begin({ dir, log: () => {} }, fixtureTopology, fixtureConfig);
    await assert.rejects(ThreadedExchange.start({ topology: fixtureTopology, riskMarkets: fixtureRiskMarkets, durability: d }), (e) => assertNames(e, last, victim));
    // What the read had handed to the replays when it failed: every other shard's whole log, and the
    // failing shard's records before the bad block (the streamed path, not a read that finished first).
    for (let x = 0; x < fixtureTopology.marketShards + fixtureTopology.riskShards; x++) {
      const replay = d.replay(x);
      const published = ReplayFeed.attach(replay.feed!).published();
      if (x === last) assert.equal(published, victim.blockStart, `shard ${x}: the records before the bad block`);
      else assert.equal(published, replay.count, `shard ${x}: its whole log was handed to its replay`);
    }
    await assert.rejects(d.recovered(), (e) => assertNames(e, last, victim));
    assert.deepEqual(await contents(dir), before, 'the journal writer never started: nothing written');

  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('npm start on a journal whose last-read record is corrupt exits 3 with one line naming the record, no stack trace', async () => {
  const seed = testSeed('streamed corruption, npm start');
  const r = rng(seed);
  // npm start's topology on this machine (its data directory's meta must match).
  const topology = Topology.spread(DEFAULT_MARKETS, availableParallelism(), 1);
  const { dir } = await writeDataDir(seed, 300, undefined, topology);
  try {
    const last = topology.marketShards - 1;
    const victim = await corruptRecord(dir, last, (n) => n - 1, (n) => r() % n, r());
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((res) =>
      execFile(process.execPath, [MAIN, '--data', dir, '--port', '0', '--operator-port', '0', '--mqtt', 'none', '--json-logs'], (err, _out, stderr) => res({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr })),
    );
    assert.equal(code, 3, stderr);
    assert.match(stderr, new RegExp(`^perpx: cannot use data directory .*: shard ${last}: record at position ${victim.position} \\(seq ${victim.seq}\\) in key ${keyText(victim.key)} fails its checksum: expected crc32c ${victim.expected}`, 'm'));
    assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
