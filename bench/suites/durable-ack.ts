// durable-ack: the latency acknowledge-after-durable adds to a response. Open loop at 10k, 50k and 100k
// commands/s (the seeded order flow of the pipeline suite), each PlaceOrder timed from offer() to the
// first response the gateway is handed for it (OrderAccepted or OrderRejected), on the threaded exchange
// with the journal (responses wait for the durable cut) and without (the peer), in the same run.
// Reported: p50/p99/p99.9 of each, in ns, and what durability adds at p99. Goal: p99 added under 1 ms at
// 100k/s. Beside them, the floor in the same run: the journal writer's own synced writes (p50/p99/p99.9,
// records per batch), and CPU per command offered (all threads; RocksDB's background threads; the
// busiest threads, Linux). Options after `--`: --seconds <n> (default 3), --rates a,b,c, --market-workers
// <n> (threads the two market shards run on; default: busy threads ≤ cores, exchange/topology.ts), --wait
// auto|busy-spin|spin-then-park|park (default auto: exchange/topology.ts defaultWait).

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { DepositLayout } from '../../engine/ring/layouts/deposit.js';
import { OrderAcceptedLayout } from '../../engine/ring/layouts/order-accepted.js';
import { OrderRejectedLayout } from '../../engine/ring/layouts/order-rejected.js';
import { PlaceOrderLayout } from '../../engine/ring/layouts/place-order.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { Durability } from '../../exchange/durability.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';
import { ATOMS_PER_USDT } from '../../risk/units.js';
import { percentile, type CaseResult, type Suite } from '../harness.js';
import { demoFlow } from '../lib/demo-flow.js';
import { busiestThreads, cpuSince, threadCpu } from '../lib/thread-cpu.js';
import type { SyncSummary } from '../../persistence/journal-writer.js';
import { DRIVER_PARK_MS, waitOption } from './pipeline.js';
import type { WaitStrategyName } from '../../engine/ring/wait-strategy-by-name.js';

const SUITE = 'durable-ack';
const RISK_MARKETS = DEFAULT_MARKETS.map((m) => riskMarket(m));
const PO = PlaceOrderLayout.offsets;
const OA = OrderAcceptedLayout.offsets;
const REJ = OrderRejectedLayout.offsets;


interface Run {
  latenciesNs: Float64Array;
  refused: number;
  /** CPU of every thread per command offered, and of RocksDB's own background threads, over the measured window. */
  cpuUsPerCmd: number;
  rocksdbUsPerCmd: number;
  /** The busiest threads' CPU per command (Linux), busiest first. */
  threadsUsPerCmd: string;
  /** Journal on: the writer's synced writes over the whole run (the floor under what durability adds), and records per batch. */
  sync?: SyncSummary;
  recordsPerBatch?: number;
}

async function run(rate: number, seconds: number, dir: string | undefined, marketWorkers: number | undefined, wait: WaitStrategyName | undefined): Promise<Run> {
  const ex = { x: undefined as ThreadedExchange | undefined };
  const r = await drive(rate, seconds, dir, marketWorkers, wait, ex);
  const st = ex.x?.journal?.stats;
  return st ? { ...r, sync: st.sync, recordsPerBatch: Math.round(st.written / Math.max(1, st.batches)) } : r;
}

async function drive(rate: number, seconds: number, dir: string | undefined, marketWorkers: number | undefined, wait: WaitStrategyName | undefined, out: { x: ThreadedExchange | undefined }): Promise<Run> {
  const topology = Topology.spread(DEFAULT_MARKETS, 2, 1);
  const durability = dir ? await Durability.open({ dir, log: () => {} }, topology, { topology: topology.config, riskMarkets: RISK_MARKETS }) : undefined;
  const ex = await ThreadedExchange.start({ topology, riskMarkets: RISK_MARKETS, durability, marketWorkers, wait });
  out.x = ex;
  const f = demoFlow();
  const buf = RecordBuffer.allocate(1);
  const sentAt = new Map<number, number>();
  const lat: number[] = [];
  let marks = 0;
  let measuring = false;
  const listener = (b: RecordBuffer, at: number) => {
    const t = b.type(at);
    if (t === RecordType.MarkPriceUpdated) marks++;
    const id = t === RecordType.OrderAccepted ? b.u53At(at, OA.orderId) : t === RecordType.OrderRejected && b.u16At(at, REJ.commandType) === RecordType.PlaceOrder ? b.u53At(at, REJ.orderId) : 0;
    if (id === 0) return;
    const s = sentAt.get(id);
    if (s === undefined) return;
    sentAt.delete(id);
    if (measuring) lat.push((performance.now() - s) * 1e6);
  };
  try {
    let request = 1;
    for (const id of [...f.makerIds, ...f.takerIds]) {
      encodeRecord(buf, 0, DepositLayout, { accountId: id, timeUs: 1 }, { requestId: request++, amountAtoms: 10_000_000n * ATOMS_PER_USDT, assetId: 0 });
      while (!ex.offer(buf, 0)) await ex.waitForOutput(1);
    }
    for (const m of f.o.markets) {
      f.indexTick(m.market.marketId, buf, 0);
      buf.setTimeUs(0, 1);
      ex.offer(buf, 0);
    }
    ex.flush();
    while (marks < 2) {
      await ex.waitForOutput(5);
      ex.poll(listener);
    }
    let refused = 0;
    let time = 2;
    const load = async (ms: number) => {
      const start = performance.now();
      let due = 0;
      for (let now = start; now - start < ms; now = performance.now()) {
        const owed = Math.floor(((now - start) / 1_000) * rate) - due;
        for (let i = 0; i < owed; i++) {
          f.next(buf, 0);
          buf.setTimeUs(0, ++time);
          const place = buf.type(0) === RecordType.PlaceOrder;
          if (!ex.offer(buf, 0)) refused++;
          else if (place) sentAt.set(buf.u53At(0, PO.orderId), now);
        }
        if (owed > 0) due += owed;
        ex.flush();
        ex.poll(listener);
        if (ex.failure) throw ex.failure;
        // Parks until a response rings (a timeout under 0.5 ms would be a hot poll: pipeline.ts, DRIVER_PARK_MS).
        if (owed <= 0) await ex.waitForOutput(DRIVER_PARK_MS);
      }
    };
    await load(500);
    measuring = true;
    refused = 0;
    const cpu0 = process.cpuUsage();
    const threads0 = threadCpu();
    const time0 = time;
    await load(seconds * 1_000);
    measuring = false;
    const cpu = process.cpuUsage(cpu0);
    const cmds = Math.max(1, time - time0);
    const per = (us: number) => Math.round((us / cmds) * 100) / 100;
    const threads1 = threadCpu();
    return { latenciesNs: Float64Array.from(lat).sort(), refused, cpuUsPerCmd: per(cpu.user + cpu.system), rocksdbUsPerCmd: per(cpuSince(threads0, threads1, 'rocksdb')), threadsUsPerCmd: busiestThreads(threads0, threads1, cmds) };
  } finally {
    await ex.stop();
  }
}

const suite: Suite = {
  description: 'durable-ack: PlaceOrder → first response latency with the journal (ack after durable) vs without, open loop at 10k/50k/100k per second',
  async run(ctx) {
    const s = ctx.args.indexOf('--seconds');
    const seconds = s >= 0 ? Number(ctx.args[s + 1]) : ctx.quick ? 1 : 3;
    const r = ctx.args.indexOf('--rates');
    const rates = r >= 0 ? ctx.args[r + 1]!.split(',').map(Number) : [10_000, 50_000, 100_000];
    const w = ctx.args.indexOf('--market-workers');
    const marketWorkers = w >= 0 ? Number(ctx.args[w + 1]) : undefined;
    const wait = waitOption(ctx.args);
    const root = mkdtempSync(join(tmpdir(), 'perpx-bench-ack-'));
    const results: CaseResult[] = [];
    try {
      for (const rate of rates) {
        const off = await run(rate, seconds, undefined, marketWorkers, wait);
        const on = await run(rate, seconds, join(root, `ack-${rate}`), marketWorkers, wait);
        const row = (name: string, x: Run, extra: Record<string, number | string>): CaseResult => ({
          suite: SUITE,
          case: `${name}, ${rate.toLocaleString('en-US')} commands/s`,
          opsPerSec: Math.round(x.latenciesNs.length / seconds),
          p50Ns: Math.round(percentile(x.latenciesNs, 50)),
          p99Ns: Math.round(percentile(x.latenciesNs, 99)),
          samples: x.latenciesNs.length,
          p999Ns: Math.round(percentile(x.latenciesNs, 99.9)),
          refused: x.refused,
          cpuUsPerCmd: x.cpuUsPerCmd,
          rocksdbUsPerCmd: x.rocksdbUsPerCmd,
          threadsUsPerCmd: x.threadsUsPerCmd,
          marketWorkers: marketWorkers ?? 'default',
          wait: wait ?? 'auto',
          load1: Math.round(loadavg()[0] * 10) / 10,
          ...extra,
        });
        results.push(row('journal off (peer)', off, {}));
        const sync = on.sync ?? { count: 0, p50: 0, p99: 0, p999: 0, max: 0 };
        results.push(row('journal on, ack after durable', on, { syncP50Ns: sync.p50 * 1_000, syncP99Ns: sync.p99 * 1_000, syncP999Ns: sync.p999 * 1_000, recordsPerBatch: on.recordsPerBatch ?? 0, addedP50Ns: Math.round(percentile(on.latenciesNs, 50) - percentile(off.latenciesNs, 50)), addedP99Ns: Math.round(percentile(on.latenciesNs, 99) - percentile(off.latenciesNs, 99)), goal: 'added p99 < 1 ms at 100k/s' }));
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    return results;
  },
};

export default suite;
