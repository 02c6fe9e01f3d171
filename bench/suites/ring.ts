// ring: how fast records cross threads through an SPSC ring, against postMessage in the same run.
//
//   throughput  producer worker ──ring, 1024 slots──▶ consumer worker, records/s from the producer's first
//               claim to the consumer's last release. Batched: up to 256 records per claim/publish and
//               per release; unbatched: 1. The producer writes 3 header words of each record and the
//               consumer checks the seq word (one 64-byte line per record moves); "full-record" writes and
//               reads all 32 words. Peer: postMessage of one small object per record (unbatched) or of
//               256 records per transferred ArrayBuffer (batched). Goal: ≥ 20M records/s batched.
//   latency     one-way hop latency: open-loop injection at a fixed rate, the scheduled time carried in
//               the record and read against the same monotonic clock by the consumer (not round trip / 2).
//               busy-spin, spin-then-park (default) and park; peer: postMessage at the same rate. At
//               20k/s the 50 µs gaps outlast spin-then-park's spin budget, so it parks between records;
//               the 200k/s cases show it staying in its spin phase under a steady stream.
//   single      one thread claims, publishes, reads and releases 64 records per call (tinybench): the
//               ring's bookkeeping cost with no cache-line transfer at all.
//
// Every cross-thread figure is the median of `runs` runs, each on fresh worker threads; runs go round
// the cases in turn, so load from elsewhere on the machine falls on all cases alike. For throughput
// cases p50Ns/p99Ns are ns per record of the median and of the slowest run (samples = runs).
// Options after `--`: case-name filters (substrings), e.g. `npm run bench -- ring -- latency`.

import { Bench } from 'tinybench';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { RingBuffer } from '../../engine/ring/ring-buffer.js';
import { RingConsumer } from '../../engine/ring/ring-consumer.js';
import { RingProducer } from '../../engine/ring/ring-producer.js';
import type { WaitStrategyName } from '../../engine/ring/wait-strategy-by-name.js';
import { fromTask, median, percentile, type CaseResult, type Suite } from '../harness.js';
import type { LatencySummary } from '../workers/latency-summary.js';
import { postMessageLatency, postMessageThroughput, ringLatency, ringThroughput } from '../workers/ring-runs.js';

const SUITE = 'ring';
const CAPACITY = 1024;
const BATCH = 256;
const GOAL_BATCHED_PER_SEC = 20_000_000;
const LATENCY_RATE_PER_SEC = 20_000;
const STREAM_RATE_PER_SEC = 200_000;
const SINGLE_BATCH = 64;

interface Sizes {
  runs: number;
  batchedRecords: number;
  unbatchedRecords: number;
  postObjects: number;
  postBufferRecords: number;
  latencyCount: number;
}

const FULL: Sizes = { runs: 5, batchedRecords: 20_000_000, unbatchedRecords: 4_000_000, postObjects: 300_000, postBufferRecords: 4_000_000, latencyCount: 20_000 };
const QUICK: Sizes = { runs: 2, batchedRecords: 2_000_000, unbatchedRecords: 400_000, postObjects: 50_000, postBufferRecords: 500_000, latencyCount: 4_000 };

type ThroughputCase = { kind: 'throughput'; name: string; measure: (s: Sizes) => Promise<number>; records: (s: Sizes) => number; peer?: string };
type LatencyCase = { kind: 'latency'; name: string; ratePerSec: number; measure: (s: Sizes) => Promise<LatencySummary>; peer?: string };
type Case = ThroughputCase | LatencyCase;

const ringCase = (strategy: WaitStrategyName, batch: number, fullRecord = false): ThroughputCase => ({
  kind: 'throughput',
  name: `throughput ${batch === 1 ? 'unbatched' : `batched ${batch}`}${fullRecord ? ' full-record' : ''} ${strategy}`,
  measure: (s) => ringThroughput(strategy, CAPACITY, batch, batch === 1 ? s.unbatchedRecords : s.batchedRecords, fullRecord),
  records: (s) => (batch === 1 ? s.unbatchedRecords : s.batchedRecords),
  ...(fullRecord ? {} : { peer: batch === 1 ? 'throughput postMessage objects' : `throughput postMessage buffers ${BATCH}` }),
});

const intervalNs = Math.round(1e9 / LATENCY_RATE_PER_SEC);
const latencyCase = (strategy: WaitStrategyName, ratePerSec = LATENCY_RATE_PER_SEC): LatencyCase => ({
  kind: 'latency',
  name: `latency ${strategy} @${ratePerSec}/s`,
  ratePerSec,
  // Samples scale with the rate so that every case injects for the same time.
  measure: (s) => ringLatency(strategy, (s.latencyCount * ratePerSec) / LATENCY_RATE_PER_SEC, Math.round(1e9 / ratePerSec), (warmupOf(s) * ratePerSec) / LATENCY_RATE_PER_SEC),
  ...(ratePerSec === LATENCY_RATE_PER_SEC ? { peer: `latency postMessage @${LATENCY_RATE_PER_SEC}/s` } : {}),
});
const warmupOf = (s: Sizes): number => Math.floor(s.latencyCount / 10);

const CASES: Case[] = [
  ringCase('busy-spin', BATCH),
  ringCase('spin-then-park', BATCH),
  ringCase('spin-then-park', BATCH, true),
  ringCase('busy-spin', 1),
  ringCase('spin-then-park', 1),
  { kind: 'throughput', name: `throughput postMessage buffers ${BATCH}`, measure: (s) => postMessageThroughput('buffers', BATCH, s.postBufferRecords), records: (s) => s.postBufferRecords },
  { kind: 'throughput', name: 'throughput postMessage objects', measure: (s) => postMessageThroughput('objects', 1, s.postObjects), records: (s) => s.postObjects },
  latencyCase('busy-spin'),
  latencyCase('spin-then-park'),
  latencyCase('park'),
  latencyCase('busy-spin', STREAM_RATE_PER_SEC),
  latencyCase('spin-then-park', STREAM_RATE_PER_SEC),
  { kind: 'latency', name: `latency postMessage @${LATENCY_RATE_PER_SEC}/s`, ratePerSec: LATENCY_RATE_PER_SEC, measure: (s) => postMessageLatency(s.latencyCount, intervalNs, warmupOf(s)) },
];

async function singleThread(quick: boolean): Promise<CaseResult> {
  const ring = RingBuffer.create(CAPACITY);
  const producer = new RingProducer(ring, Doorbell.create());
  const consumer = new RingConsumer(ring);
  const i32 = ring.records.i32;
  let seq = 0;
  let errors = 0;
  const bench = new Bench({ time: quick ? 150 : 1_000, warmupTime: quick ? 50 : 250 });
  bench.add(`single thread ${SINGLE_BATCH} per call`, () => {
    const n = producer.claim(SINGLE_BATCH);
    for (let i = 0; i < n; i++) i32[producer.at(i) >> 2] = seq + i;
    producer.publish(n);
    const m = consumer.available();
    for (let i = 0; i < m; i++) if (i32[consumer.at(i) >> 2] !== seq + i) errors++;
    consumer.release(m);
    seq += m;
  });
  await bench.run();
  if (errors !== 0) throw new Error(`${SUITE}: single-thread records out of sequence`);
  const r = fromTask(SUITE, bench.tasks[0]!, SINGLE_BATCH, { batch: SINGLE_BATCH });
  return { ...r, p50Ns: Math.round(r.p50Ns / SINGLE_BATCH), p99Ns: Math.round(r.p99Ns / SINGLE_BATCH) };
}

function throughputResult(c: ThroughputCase, perSec: number[], s: Sizes): CaseResult {
  const sorted = [...perSec].sort((a, b) => a - b);
  const mid = median(perSec);
  const result: CaseResult = {
    suite: SUITE,
    case: c.name,
    opsPerSec: mid,
    p50Ns: Math.round(1e9 / mid),
    p99Ns: Math.round(1e9 / sorted[0]!),
    samples: perSec.length,
    records: c.records(s),
    runs: sorted.map((v) => Math.round(v / 1e5) / 10).join('/') + 'M',
  };
  if (c.name.includes('batched') && !c.name.includes('unbatched')) result.meetsGoal20M = mid >= GOAL_BATCHED_PER_SEC;
  return result;
}

function latencyResult(c: LatencyCase, runs: LatencySummary[]): CaseResult {
  return {
    suite: SUITE,
    case: c.name,
    opsPerSec: c.ratePerSec,
    p50Ns: Math.round(median(runs.map((r) => r.p50Ns))),
    p99Ns: Math.round(median(runs.map((r) => r.p99Ns))),
    samples: runs.reduce((n, r) => n + r.samples, 0),
    worstMaxNs: Math.round(percentile(runs.map((r) => r.maxNs).sort((a, b) => a - b), 100)),
    oneWay: 'carried timestamp',
  };
}

/** Adds `vs<peer>` ratios: ring ops/s over the peer's for throughput, the peer's p50 over the ring's for latency. */
function withRatios(results: Map<string, CaseResult>): CaseResult[] {
  for (const c of CASES) {
    const r = results.get(c.name);
    const peer = c.peer === undefined ? undefined : results.get(c.peer);
    if (!r || !peer) continue;
    if (c.kind === 'throughput') r.xPostMessage = Math.round((r.opsPerSec / peer.opsPerSec) * 10) / 10;
    else r.xPostMessageP50 = Math.round((peer.p50Ns / r.p50Ns) * 10) / 10;
  }
  return [...results.values()];
}

const suite: Suite = {
  description: 'SPSC ring across threads: records/s batched and unbatched, one-way hop latency, vs postMessage',
  async run(ctx) {
    const sizes = ctx.quick ? QUICK : FULL;
    const filters = ctx.args.filter((a) => !a.startsWith('--'));
    const chosen = CASES.filter((c) => filters.length === 0 || filters.some((f) => c.name.includes(f)));
    const throughput = new Map<string, number[]>();
    const latency = new Map<string, LatencySummary[]>();
    for (let run = 0; run < sizes.runs; run++) {
      for (const c of chosen) {
        if (c.kind === 'throughput') throughput.set(c.name, [...(throughput.get(c.name) ?? []), await c.measure(sizes)]);
        else latency.set(c.name, [...(latency.get(c.name) ?? []), await c.measure(sizes)]);
      }
    }
    const results = new Map<string, CaseResult>();
    for (const c of chosen) {
      if (c.kind === 'throughput') results.set(c.name, throughputResult(c, throughput.get(c.name)!, sizes));
      else results.set(c.name, latencyResult(c, latency.get(c.name)!));
    }
    if (filters.length === 0 || filters.some((f) => 'single thread'.includes(f))) {
      const single = await singleThread(ctx.quick);
      results.set(single.case, single);
    }
    return withRatios(results);
  },
};

export default suite;
