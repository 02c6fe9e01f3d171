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
import { decodeCut, encodeCut } from '../../persistence/cut-record.js';
import { BlockBuilder, JournalBlock } from '../../persistence/journal-block.js';
import { CUT_KEY, journalKey, journalRange, keyText } from '../../persistence/keys.js';
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

/** Edits the store of `dir` directly (a block deleted, the cut rewritten), as a damaged disk or an operator could. */
async function edit(dir: string, f: (store: RocksStore) => Promise<void>): Promise<void> {
  const store = await RocksStore.open(dir);
  try {
    await f(store);
  } finally {
    await store.close();
  }
}

async function journalKeys(store: RocksStore, shard: number): Promise<Uint8Array[]> {
  const keys: Uint8Array[] = [];
  for await (const e of store.scan(journalRange(shard))) keys.push(Buffer.from(e.key));
  return keys;
}

test('a gap, a journal ending before the cut and a cut the journal disagrees with each stop a streamed start with their error, nothing written', async () => {
  const last = fixtureTopology.marketShards - 1;
  const cases: { name: string; damage: (store: RocksStore) => Promise<void>; error: RegExp }[] = [
    {
      name: 'a record missing from the middle of the last journal read (its block split around it)',
      damage: async (store) => {
        const [key] = await journalKeys(store, last);
        const block = JournalBlock.decode((await store.get(key!))!)!;
        assert.ok(block.count >= 3, 'a block of three records or more');
        const half = Math.floor(block.count / 2);
        const part = (from: number, to: number): Uint8Array => {
          const b = new BlockBuilder();
          b.begin(block.firstPosition + from, to - from);
          for (let i = from; i < to; i++) b.add(block.records.u8, block.records.at(i), block.input(i));
          return b.finish();
        };
        await store.write(
          [
            { type: 'put', key: journalKey(last, block.firstPosition), value: part(0, half) },
            { type: 'put', key: journalKey(last, block.firstPosition + half + 1), value: part(half + 1, block.count) },
          ],
          true,
        );
      },
      error: new RegExp(`^JOURNAL_GAP: shard ${last}: journal jumps from position \\d+ to \\d+`),
    },
    {
      name: 'the last journal read ending before the cut',
      damage: async (store) => {
        const keys = await journalKeys(store, last);
        await store.write([{ type: 'del', key: keys[keys.length - 1]! }], true);
      },
      error: new RegExp(`^JOURNAL_GAP: shard ${last}: the cut says position \\d+ is durable but the journal ends at \\d+`),
    },
    {
      name: 'the cut claiming one more gateway command of the last shard read than its journal holds',
      damage: async (store) => {
        const cut = decodeCut((await store.get(CUT_KEY))!);
        const lastSeq = cut.lastSeq.map((l, x) => l.map((seq, i) => (x === last && i === 0 ? seq + 1 : seq)));
        await store.write([{ type: 'put', key: CUT_KEY, value: encodeCut({ ...cut, lastSeq }) }], true);
      },
      error: new RegExp(`^JOURNAL_CORRUPT: shard ${last}: the cut says input 0 was consumed to seq \\d+, the journal to \\d+`),
    },
  ];
  for (const c of cases) {
    const { dir } = await writeDataDir(testSeed(`streamed recovery: ${c.name}`), 200);
    try {
      await edit(dir, c.damage);
      const before = await contents(dir);
      const d = await Durability.begin({ dir, log: () => {} }, fixtureTopology, fixtureConfig);
      await assert.rejects(ThreadedExchange.start({ topology: fixtureTopology, riskMarkets: fixtureRiskMarkets, durability: d }), (e) => {
        assert.ok(e instanceof PersistenceError, `${c.name}: ${String(e)}`);
        assert.match(e.message, c.error, c.name);
        return true;
      });
      assert.deepEqual(await contents(dir), before, `${c.name}: nothing written`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('a torn tail found by a streamed start is dropped with its log line, and the shards recover the state they had', async () => {
  const { dir, hashes } = await writeDataDir(testSeed('streamed torn tail'), 200);
  try {
    const last = fixtureTopology.marketShards - 1;
    // The next batch of the last shard read, as a crash could leave it: a block past the cut.
    await edit(dir, async (store) => {
      const keys = await journalKeys(store, last);
      const block = JournalBlock.decode((await store.get(keys[keys.length - 1]!))!)!;
      const b = new BlockBuilder();
      b.begin(block.firstPosition + block.count, 1);
      b.add(block.records.u8, block.records.at(0), block.input(0));
      await store.write([{ type: 'put', key: journalKey(last, block.firstPosition + block.count), value: b.finish() }], true);
    });
    const lines: string[] = [];
    const d = await Durability.begin({ dir, log: (l) => lines.push(l) }, fixtureTopology, fixtureConfig);
    const ex = await ThreadedExchange.start({ topology: fixtureTopology, riskMarkets: fixtureRiskMarkets, durability: d });
    const h = await ex.stop();
    assert.ok(lines.some((l) => new RegExp(`shard ${last}: dropped a torn tail of 1 record`).test(l)), lines.join('\n'));
    assert.deepEqual([...h.market, ...h.risk], hashes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
