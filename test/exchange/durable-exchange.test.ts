// The durable threaded exchange: every shard journals its inputs, responses reach the gateway only once
// durable, and a restart from the data directory rebuilds every shard to the hash it stopped with, which
// is also the hash a clean replay of each shard's journal gives.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { Durability } from '../../exchange/durability.js';
import { replayShard } from '../../exchange/journal-replay.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';
import { testSeed } from '../support/seed.js';
import { durableScript } from './durable-script.js';
import { offerWaiting } from '../support/offer.js';
import { rocksOption } from '../support/rocksdb-options.js';
import { JOURNAL_WRITE_BUFFER_BYTES } from '../../persistence/journal-writer.js';

const riskMarkets = DEFAULT_MARKETS.map((m) => riskMarket(m));
const topology = new Topology({ marketShards: [[DEFAULT_MARKETS[0]!], [DEFAULT_MARKETS[1]!]], riskShards: 2 });
const config = { topology: topology.config, riskMarkets };
const quiet = (line: string) => void line;

async function run(dir: string, cmds: ReturnType<typeof durableScript>, log = quiet): Promise<{ hashes: bigint[]; events: number }> {
  const durability = await Durability.open({ dir, log }, topology, config);
  const ex = await ThreadedExchange.start({ topology, riskMarkets, durability, ringCapacity: 1024 });
  let events = 0;
  try {
    const buf = RecordBuffer.allocate(1);
    for (const c of cmds) {
      encodeRecord(buf, 0, c.layout, c.header, c.body);
      events += await offerWaiting(ex, buf);
    }
    ex.flush();
    for (let idle = 0; idle < 20; ) {
      await ex.waitForOutput(5);
      const n = ex.poll(() => {});
      events += n;
      idle = n === 0 ? idle + 1 : 0;
    }
  } finally {
    const h = await ex.stop();
    events += ex.poll(() => {});
    assert.equal(ex.failure, undefined);
    // The writer timed every synced batch it wrote (the floor bench/suites/durable-ack.ts reports).
    const st = ex.journal!.stats!;
    assert.equal(st.sync?.count, st.batches, 'one sync timing per synced batch');
    // The journal writer opened the store with its large write buffer (less compaction per record).
    assert.equal(rocksOption(dir, 'write_buffer_size'), String(JOURNAL_WRITE_BUFFER_BYTES));
    if (st.batches > 0) assert.ok(st.sync!.p50 >= 1 && st.sync!.p50 <= st.sync!.p99 && st.sync!.p99 <= st.sync!.max, JSON.stringify(st.sync));
    return { hashes: [...h.market, ...h.risk].map((x) => x!), events };
  }
}

test('a durable exchange restarts every shard at the state it stopped in, equal to a clean replay of its journal', async () => {
  const seed = testSeed('durable restart');
  const dir = mkdtempSync(join(tmpdir(), 'perpx-durable-'));
  try {
    const first = await run(dir, durableScript(seed, 0, 400));
    assert.ok(first.events > 0, 'responses were released to the gateway');

    const d = await Durability.open({ dir, log: quiet }, topology, config);
    const replayed = d.logs.map((log) => replayShard({ topology, riskMarkets }, log).stateHash());
    assert.deepEqual(replayed, first.hashes, 'a clean replay of each journal gives the hash each shard stopped with');

    // Restart with no further input: recovery alone must rebuild the same states.
    const lines: string[] = [];
    const second = await run(dir, [], (l) => void lines.push(l));
    assert.deepEqual(second.hashes, first.hashes);
    // The shards counted their replay out loud: every journal record, as the recovery said it would replay.
    const total = d.logs.reduce((sum, l) => sum + l.count, 0);
    assert.ok(total > 0);
    assert.ok(lines.some((l) => l.startsWith(`perpx: replayed ${total.toLocaleString('en-US')} journal records in `)), lines.join('\n'));

    // And carry on: more commands after the restart, then a clean replay of the longer journal agrees.
    const third = await run(dir, durableScript(seed, 400, 200));
    const d2 = await Durability.open({ dir, log: quiet }, topology, config);
    assert.deepEqual(d2.logs.map((log) => replayShard({ topology, riskMarkets }, log).stateHash()), third.hashes);
    assert.ok(d2.logs.every((l) => l.count > 0), 'every shard journaled something');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
