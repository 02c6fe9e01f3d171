// idle: what consumer threads with nothing to do cost, as percent of one core per thread.
//
//   main (sleeps) ──2 input rings each──▶ THREADS idle consumer workers (bench/workers/idle-consumer.ts)
//
// The workers run a shard-shaped loop (poll every input ring, wait.busy() on work, wait.idle otherwise)
// with the default strategy (spin-then-park). The main thread measures process.cpuUsage() over a window
// while it only sleeps; the same window with no workers, measured first, is the baseline subtracted. Node
// 20 has no per-thread CPU clock, so the figure is (process CPU − baseline) / window / threads. Peer: one
// busy-spin idle consumer, which should cost a whole core. Afterwards every ring gets one record and the
// workers must report taking it, so a thread that died or slept through a doorbell fails the suite.
// The last case measures the real exchange (ThreadedExchange: market and risk shard workers) with no
// traffic. Goal: under 2% of a core per idle thread. Options after `--`: threads=<n> seconds=<s>.

import { setTimeout as sleep } from 'node:timers/promises';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { RingBuffer } from '../../engine/ring/ring-buffer.js';
import { RingProducer } from '../../engine/ring/ring-producer.js';
import type { WaitStrategyName } from '../../engine/ring/wait-strategy-by-name.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { riskMarket } from '../../risk/shard/config.js';
import { median, type CaseResult, type Suite } from '../harness.js';
import type { IdleJob, IdleResult } from '../workers/idle-consumer.js';
import { startWorker } from '../workers/start-worker.js';

const SUITE = 'idle';
const INPUTS_PER_THREAD = 2;
const SETTLE_MS = 500;
const GOAL_PERCENT = 2;
const script = new URL('../workers/idle-consumer.js', import.meta.url);

function option(args: string[], name: string, fallback: number): number {
  const arg = args.find((a) => a.startsWith(`${name}=`));
  const v = arg === undefined ? fallback : Number(arg.slice(name.length + 1));
  if (!(v > 0)) throw new Error(`${SUITE}: ${name} must be a positive number`);
  return v;
}

/** Process CPU time (µs) spent during a sleep of windowMs. */
async function cpuDuring(windowMs: number): Promise<number> {
  const before = process.cpuUsage();
  await sleep(windowMs);
  const d = process.cpuUsage(before);
  return d.user + d.system;
}

interface IdleRun {
  cpuUs: number[];
  parksPerSecPerThread: number;
}

async function idleThreads(strategy: WaitStrategyName, threads: number, windowMs: number, windows: number): Promise<IdleRun> {
  const rigs = Array.from({ length: threads }, () => {
    const bell = Doorbell.create();
    const rings = Array.from({ length: INPUTS_PER_THREAD }, () => RingBuffer.create(64));
    const controlSab = new SharedArrayBuffer(4);
    const job: IdleJob = { ringSabs: rings.map((r) => r.sab), bellSab: bell.sab, controlSab, strategy };
    return { bell, rings, control: new Int32Array(controlSab), started: startWorker<IdleResult>(script, job) };
  });
  await sleep(SETTLE_MS);
  const cpuUs: number[] = [];
  for (let w = 0; w < windows; w++) cpuUs.push(await cpuDuring(windowMs));

  for (const rig of rigs) {
    for (const ring of rig.rings) {
      const producer = new RingProducer(ring, rig.bell);
      producer.claim(1);
      ring.records.setSeq(producer.at(0), 1);
      producer.publish(1);
    }
  }
  await sleep(50);
  for (const rig of rigs) {
    Atomics.store(rig.control, 0, 1);
    rig.bell.ring();
  }
  const results = await Promise.all(rigs.map((r) => r.started.result));
  for (const r of results) {
    if (r.records !== INPUTS_PER_THREAD) throw new Error(`${SUITE}: an idle ${strategy} thread took ${r.records} of ${INPUTS_PER_THREAD} records`);
  }
  const totalMs = SETTLE_MS + windows * windowMs;
  const parksPerSecPerThread = Math.round((results.reduce((n, r) => n + r.parks, 0) / threads / totalMs) * 1000);
  return { cpuUs, parksPerSecPerThread };
}

/** The real exchange with no traffic: every shard worker (market and risk) parked on its doorbell. */
async function idleExchange(windowMs: number, windows: number): Promise<{ cpuUs: number[]; threads: number }> {
  const topology = Topology.spread(DEFAULT_MARKETS, 2, 1);
  const exchange = await ThreadedExchange.start({ topology, riskMarkets: DEFAULT_MARKETS.map((m) => riskMarket(m)) });
  try {
    await sleep(SETTLE_MS);
    const cpuUs: number[] = [];
    for (let w = 0; w < windows; w++) cpuUs.push(await cpuDuring(windowMs));
    return { cpuUs, threads: topology.marketShards + topology.riskShards };
  } finally {
    await exchange.stop();
  }
}

function percentOfCore(cpuUs: number, baselineUs: number, windowMs: number, threads: number): number {
  const pct = ((cpuUs - baselineUs) / (windowMs * 1000) / threads) * 100;
  return Math.round(pct * 100) / 100;
}

const suite: Suite = {
  description: 'CPU share of idle consumer threads (default strategy) while the main thread sleeps, vs busy-spin',
  async run(ctx) {
    const threads = option(ctx.args, 'threads', 4);
    const windowMs = option(ctx.args, 'seconds', ctx.quick ? 1 : 3) * 1000;
    const windows = ctx.quick ? 1 : 3;

    const baseline: number[] = [];
    for (let w = 0; w < windows; w++) baseline.push(await cpuDuring(windowMs));
    const baselineUs = median(baseline);

    const cases: Array<[string, WaitStrategyName, number, number]> = [
      [`${threads} idle threads spin-then-park (the default where busy threads ≤ cores)`, 'spin-then-park', threads, windowMs],
      ['1 idle thread busy-spin', 'busy-spin', 1, Math.min(windowMs, 1000)],
    ];
    const results: CaseResult[] = [];
    for (const [name, strategy, n, ms] of cases) {
      const run = await idleThreads(strategy, n, ms, windows);
      const perWindow = run.cpuUs.map((us) => percentOfCore(us, baselineUs * (ms / windowMs), ms, n));
      const pct = median(perWindow);
      const result: CaseResult = {
        suite: SUITE,
        case: name,
        opsPerSec: 0,
        p50Ns: 0,
        p99Ns: 0,
        samples: perWindow.length,
        cpuPctPerThread: pct,
        windows: perWindow.join('/'),
        windowMs: ms,
        parksPerSecPerThread: run.parksPerSecPerThread,
        baselineCpuPct: Math.round((baselineUs / (windowMs * 1000)) * 10_000) / 100,
      };
      if (strategy === 'spin-then-park') result.meetsGoal2Pct = pct < GOAL_PERCENT;
      results.push(result);
    }
    const ex = await idleExchange(windowMs, windows);
    const perWindow = ex.cpuUs.map((us) => percentOfCore(us, baselineUs, windowMs, ex.threads));
    const exPct = median(perWindow);
    results.push({
      suite: SUITE,
      case: `idle exchange: ${ex.threads} shard workers (market + risk)`,
      opsPerSec: 0,
      p50Ns: 0,
      p99Ns: 0,
      samples: perWindow.length,
      cpuPctPerThread: exPct,
      windows: perWindow.join('/'),
      windowMs,
      meetsGoal2Pct: exPct < GOAL_PERCENT,
    });
    const idle = results[0]!.cpuPctPerThread as number;
    const spin = results[1]!.cpuPctPerThread as number;
    if (spin > 0) results[0]!.xLessThanBusySpin = Math.round(spin / Math.max(idle, 0.01));
    return results;
  },
};

export default suite;
