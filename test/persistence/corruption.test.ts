// Corruption and torn tails: a flipped bit inside the durable cut stops the start with an error naming the
// shard, key, sequence and expected checksum (never a silent truncation); a truncated batch past the cut
// is a torn tail, dropped with a log line; perpx-restore verify finds both.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { RECORD_BYTES } from '../../engine/ring/record.js';
import { Durability } from '../../exchange/durability.js';
import { replayShard } from '../../exchange/journal-replay.js';
import { main, EXIT } from '../../exchange/restore/main.js';
import { PersistenceError } from '../../persistence/errors.js';
import { BlockBuilder, JournalBlock } from '../../persistence/journal-block.js';
import { journalKey, journalRange, keyText } from '../../persistence/keys.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { rng, testSeed } from '../support/seed.js';
import { corruptRecord } from './corrupt-record.js';
import { fixtureConfig, fixtureRiskMarkets, fixtureTopology, writeDataDir } from './data-fixture.js';

async function restoreTool(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, (s) => (out += `${s}\n`), (s) => (err += `${s}\n`));
  return { code, out, err };
}

test('a flipped bit in a record inside the cut stops recovery with the shard, key, sequence and expected checksum', async () => {
  const seed = testSeed('journal corruption');
  const r = rng(seed);
  const { dir } = await writeDataDir(seed, 300);
  try {
    const shard = r() % 4;
    const victim = await corruptRecord(dir, shard, (n) => r() % n, (n) => r() % n, r());
    const { seq, expected } = victim;

    await assert.rejects(Durability.open({ dir, log: () => {} }, fixtureTopology, fixtureConfig), (e: PersistenceError) => {
      assert.ok(e instanceof PersistenceError);
      assert.equal(e.code, Code.JOURNAL_CORRUPT);
      assert.equal(e.details.shard, shard);
      assert.equal(e.details.key, keyText(victim.key));
      assert.equal(e.details.seq, seq);
      assert.equal(e.details.expectedChecksum, expected);
      assert.match(e.message, new RegExp(`shard ${shard}: .*seq ${seq}.*${keyText(victim.key)}.*expected crc32c ${expected}`));
      return true;
    });
    const v = await restoreTool('verify', '--data', dir);
    assert.equal(v.code, EXIT.CORRUPT);
    assert.match(v.err, /JOURNAL_CORRUPT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a truncated batch past the cut is a torn tail: verify reports it, the start drops it and recovers the same state', async () => {
  const seed = testSeed('torn tail');
  const { dir, hashes } = await writeDataDir(seed, 200);
  try {
    const store = await RocksStore.open(dir);
    // The next batch of shard 2 (risk 0) as a crash could leave it: cut short in the middle of its records.
    let end = 0;
    for await (const e of store.scan(journalRange(2))) {
      const block = JournalBlock.decode(e.value)!;
      end = block.firstPosition + block.count;
    }
    const b = new BlockBuilder();
    b.begin(end, 3);
    const filler = new Uint8Array(RECORD_BYTES);
    for (let i = 0; i < 3; i++) b.add(filler, 0, 0);
    const whole = b.finish();
    await store.write([{ type: 'put', key: journalKey(2, end), value: whole.subarray(0, whole.length - 50) }], true);
    await store.close();

    const v = await restoreTool('verify', '--data', dir, '--json');
    assert.equal(v.code, EXIT.OK, v.err);
    const report = JSON.parse(v.out) as { shards: { tornRecords: number }[] };
    assert.ok(report.shards[2]!.tornRecords > 0, 'verify sees the torn tail');

    const lines: string[] = [];
    const d = await Durability.open({ dir, log: (l) => lines.push(l) }, fixtureTopology, fixtureConfig);
    assert.ok(lines.some((l) => /shard 2: dropped a torn tail/.test(l)), lines.join('\n'));
    assert.deepEqual(d.logs.map((l) => replayShard({ topology: fixtureTopology, riskMarkets: fixtureRiskMarkets }, l).stateHash()), hashes);
    const again = await restoreTool('verify', '--data', dir, '--json');
    assert.equal((JSON.parse(again.out) as { shards: { tornRecords: number }[] }).shards[2]!.tornRecords, 0, 'the tail is gone after the start');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
