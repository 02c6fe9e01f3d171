// journal: how fast the journal takes records with sync on, and how fast a journal replays.
//
//   group commit   JournalWriter on this thread over 4 tap rings (2 market + 2 risk shards' worth), each
//                  refilled to its batch share before every cycle with recorded order-flow records; one
//                  cycle = one synced RocksDB batch holding every ring's block and the cut. Records/s with
//                  sync on at several batch sizes (the per-ring cap of one cycle), and the sync's share.
//                  Goal: 1M records/s. The peer: the same cycles with sync off, as a ratio.
//   replay         a journal of real order flow (the in-process exchange, each shard's consumed inputs
//                  captured) read back with every checksum verified (readShardLog), then fed through fresh
//                  state machines (replayShard). Records/s of each. Goal: 2M records/s; 10M after a snapshot
//                  under 10 s.
//   floor          the sync itself, without the exchange: a synced RocksDB batch of 1, 100, 1,000 records
//                  and a bare fdatasync of a small append, p50/p99/p99.9 (bench/lib/sync-floor.ts).
//   compaction     CPU per record of the journal sustained over millions of records, RocksDB's flush and
//                  compaction threads apart, with the binding's 4 MiB write buffer (the peer) and the
//                  journal's 64 MiB, in the same run (bench/lib/journal-compaction.ts).
// Options after `--`: --records <n> for the replay journal (default 1M, --quick 200k); --floor-only runs
// the floor alone; --floor-samples <n> (default 2,000, --quick 300); --compaction-only runs that case
// alone; --compaction-records <n> (default 5M, --quick 1M).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { DepositLayout } from '../../engine/ring/layouts/deposit.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import type { RecordHandler } from '../../engine/shard/event-processor.js';
import { RingProducer } from '../../engine/ring/ring-producer.js';
import { TapReader, TapRing } from '../../engine/shard/input-tap.js';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { producerTable } from '../../exchange/durability.js';
import { InProcessExchange } from '../../exchange/in-process-exchange.js';
import { replayShard } from '../../exchange/journal-replay.js';
import { Topology } from '../../exchange/topology.js';
import { encodeCut } from '../../persistence/cut-record.js';
import { CutTracker } from '../../persistence/cut.js';
import { BlockBuilder } from '../../persistence/journal-block.js';
import { readShardLog } from '../../persistence/journal-reader.js';
import { JOURNAL_WRITE_BUFFER_BYTES, JournalWriter } from '../../persistence/journal-writer.js';
import { CUT_KEY, journalKey } from '../../persistence/keys.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { OpsBatch, type StoreBatch, type StoreOp } from '../../persistence/store.js';
import { Watermark } from '../../persistence/watermark.js';
import { riskMarket } from '../../risk/shard/config.js';
import { ATOMS_PER_USDT } from '../../risk/units.js';
import { median, type CaseResult, type Suite } from '../harness.js';
import { demoFlow } from '../lib/demo-flow.js';
import { compactionCost } from '../lib/journal-compaction.js';
import { syncFloor } from '../lib/sync-floor.js';

const SUITE = 'journal';
const RISK_MARKETS = DEFAULT_MARKETS.map((m) => riskMarket(m));
const TOPOLOGY = new Topology({ marketShards: [[DEFAULT_MARKETS[0]!], [DEFAULT_MARKETS[1]!]], riskShards: 2 });


/** Runs the flow through the in-process exchange, capturing every shard's consumed inputs as a journal. */
function recordJournal(commands: number): { logs: { records: RecordBuffer; inputs: Uint16Array; count: number }[] } {
  const x = new InProcessExchange({ topology: TOPOLOGY, riskMarkets: RISK_MARKETS });
  const shards: RecordHandler[] = [...x.marketShards, ...x.riskShards];
  const logs = shards.map(() => ({ records: RecordBuffer.allocate(1024), inputs: new Uint16Array(1024), count: 0 }));
  shards.forEach((s, i) => {
    const handle = s.handle.bind(s);
    const log = logs[i]!;
    s.handle = (buf, at, input) => {
      if (log.count === log.records.capacity) {
        const grown = RecordBuffer.allocate(log.count * 2);
        grown.u8.set(log.records.u8);
        log.records = grown;
        const ins = new Uint16Array(log.count * 2);
        ins.set(log.inputs);
        log.inputs = ins;
      }
      log.records.copyFrom(buf, at, log.records.at(log.count));
      log.inputs[log.count++] = input;
      handle(buf, at, input);
    };
  });
  const f = demoFlow();
  let request = 1;
  for (const id of [...f.makerIds, ...f.takerIds]) x.send(DepositLayout, { accountId: id, timeUs: 1 }, { requestId: request++, amountAtoms: 10_000_000n * ATOMS_PER_USDT, assetId: 0 });
  const buf = RecordBuffer.allocate(1);
  for (const m of f.o.markets) {
    f.indexTick(m.market.marketId, buf, 0);
    buf.setTimeUs(0, 1);
    x.submitRecord(buf, 0);
  }
  x.pump();
  for (let i = 0; i < commands; i++) {
    f.next(buf, 0);
    buf.setTimeUs(0, 2 + i);
    x.submitRecord(buf, 0);
    if (i % 64 === 63) x.pump();
  }
  x.pump();
  return { logs };
}

async function writeJournal(dir: string, logs: { records: RecordBuffer; inputs: Uint16Array; count: number }[]): Promise<void> {
  const store = await RocksStore.open(dir, { createIfMissing: true });
  const b = new BlockBuilder();
  for (let x = 0; x < logs.length; x++) {
    const l = logs[x]!;
    for (let first = 0; first < l.count; first += 4_096) {
      const n = Math.min(4_096, l.count - first);
      b.begin(first, n);
      for (let i = 0; i < n; i++) b.add(l.records.u8, l.records.at(first + i), l.inputs[first + i]!);
      await store.write([{ type: 'put', key: journalKey(x, first), value: b.finish() }], false);
    }
  }
  await store.write([{ type: 'put', key: CUT_KEY, value: encodeCut({ version: 1, batch: 1, positions: logs.map((l) => l.count), lastSeq: [] }) }], true);
  await store.close();
}

/** Group commit on this thread: refill the taps, one cycle, repeat; records/s over `seconds`. */
async function groupCommit(dir: string, sample: RecordBuffer, perShard: number, sync: boolean, seconds: number): Promise<{ perSec: number; batches: number; syncShare: number }> {
  const store = await RocksStore.open(dir, { createIfMissing: true });
  const producers = producerTable(TOPOLOGY);
  const taps = producers.map(() => TapRing.create(65_536));
  const bell = Doorbell.create();
  const writers = taps.map((t) => new RingProducer(t.ring, bell));
  // Stamps 0: every record depends on the producer's first position, so the cut follows the writes.
  const timedStore = {
    readOnly: false,
    syncMs: 0,
    async write(ops: readonly StoreOp[], s: boolean) {
      const t = performance.now();
      await store.write(ops, s && sync);
      this.syncMs += performance.now() - t;
    },
    get: store.get.bind(store),
    scan: store.scan.bind(store),
    deleteRange: store.deleteRange.bind(store),
    close: store.close.bind(store),
    batch(): StoreBatch {
      return new OpsBatch(this);
    },
  };
  const writer = new JournalWriter(timedStore, taps.map((t) => new TapReader(t)), new CutTracker(producers), Watermark.create(taps.length), { maxRecordsPerShard: perShard });
  let k = 0;
  const t0 = performance.now();
  let written = 0;
  while (performance.now() - t0 < seconds * 1_000) {
    for (let x = 0; x < taps.length; x++) {
      const n = writers[x]!.claim(perShard);
      for (let i = 0; i < n; i++) {
        const to = writers[x]!.at(i);
        taps[x]!.ring.records.copyFrom(sample, sample.at(k++ % sample.capacity), to);
        taps[x]!.ring.records.setU32(to, 28, 0);
      }
      writers[x]!.publish(n);
    }
    written += await writer.cycle();
  }
  const ms = performance.now() - t0;
  await store.close();
  return { perSec: Math.round((written / ms) * 1_000), batches: writer.batches, syncShare: Math.round((timedStore.syncMs / ms) * 100) / 100 };
}

const suite: Suite = {
  description: 'journal: records/s through group commit with sync on (vs off), and replay speed (read + verify, state machines)',
  async run(ctx) {
    const recIdx = ctx.args.indexOf('--records');
    const commands = recIdx >= 0 ? Number(ctx.args[recIdx + 1]) : ctx.quick ? 100_000 : 500_000;
    const root = mkdtempSync(join(tmpdir(), 'perpx-bench-journal-'));
    const results: CaseResult[] = [];
    try {
      const compactionOnly = ctx.args.includes('--compaction-only');
      if (!compactionOnly) {
        const fs = ctx.args.indexOf('--floor-samples');
        results.push(...(await syncFloor({ suite: SUITE, dir: root, samples: fs >= 0 ? Number(ctx.args[fs + 1]) : ctx.quick ? 300 : 2_000 })));
        if (ctx.args.includes('--floor-only')) return results;
      }
      const { logs } = recordJournal(compactionOnly ? 20_000 : commands);
      const cr = ctx.args.indexOf('--compaction-records');
      const compactionRecords = cr >= 0 ? Number(ctx.args[cr + 1]) : ctx.quick ? 1_000_000 : 5_000_000;
      for (const bytes of [4 << 20, JOURNAL_WRITE_BUFFER_BYTES]) results.push(await compactionCost(SUITE, root, producerTable(TOPOLOGY), logs[0]!.records, compactionRecords, bytes, 3_000));
      if (compactionOnly) return results;
      const sample = logs[0]!.records;
      const seconds = ctx.quick ? 1 : 3;
      for (const perShard of [256, 2_048, 16_384]) {
        const on: number[] = [];
        const off: number[] = [];
        let last = { perSec: 0, batches: 0, syncShare: 0 };
        for (let run = 0; run < (ctx.quick ? 1 : 3); run++) {
          last = await groupCommit(join(root, `gc-on-${perShard}-${run}`), sample, perShard, true, seconds);
          on.push(last.perSec);
          off.push((await groupCommit(join(root, `gc-off-${perShard}-${run}`), sample, perShard, false, seconds)).perSec);
        }
        results.push({
          suite: SUITE,
          case: `group commit, sync on, ≤${perShard.toLocaleString('en-US')} records/shard/batch, 4 shards`,
          opsPerSec: median(on),
          p50Ns: 0,
          p99Ns: 0,
          samples: on.length,
          recordsPerBatch: Math.round((median(on) * seconds) / Math.max(1, last.batches)),
          writeShare: last.syncShare,
          vsSyncOff: Math.round((median(on) / median(off)) * 100) / 100,
          goal: '1M records/s',
        });
      }
      const dir = join(root, 'replay');
      await writeJournal(dir, logs);
      const total = logs.reduce((a, l) => a + l.count, 0);
      const store = await RocksStore.open(dir, { readOnly: true });
      const reads: number[] = [];
      const replays: number[] = [];
      for (let run = 0; run < (ctx.quick ? 1 : 3); run++) {
        let t = performance.now();
        const read = [];
        for (let x = 0; x < logs.length; x++) read.push(await readShardLog(store, x, logs[x]!.count, { inputs: producerTable(TOPOLOGY)[x]!.length }));
        reads.push(Math.round((total / (performance.now() - t)) * 1_000));
        t = performance.now();
        for (const l of read) replayShard({ topology: TOPOLOGY, riskMarkets: RISK_MARKETS }, l);
        replays.push(Math.round((total / (performance.now() - t)) * 1_000));
      }
      await store.close();
      results.push({ suite: SUITE, case: `read + verify ${total.toLocaleString('en-US')} journal records (4 shards)`, opsPerSec: median(reads), p50Ns: 0, p99Ns: 0, samples: reads.length, goal: '2M records/s' });
      results.push({ suite: SUITE, case: `replay ${total.toLocaleString('en-US')} records through fresh state machines`, opsPerSec: median(replays), p50Ns: 0, p99Ns: 0, samples: replays.length, tenMillionSeconds: Math.round((1e7 / median(replays) + 1e7 / median(reads)) * 10) / 10, goal: '2M records/s; 10M under 10 s' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    return results;
  },
};

export default suite;
