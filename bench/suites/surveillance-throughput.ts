// surveillance-throughput: what the surveillance worker costs matching and whether it keeps up.
//
//   matching cost      the book-stream suite's seeded 1M-op stream through OrderBook + EventWriter, with
//                      the gateway output only (as without surveillance) and with the surveillance output
//                      too (one more 128-byte copy per event, what the market shard pays), interleaved
//                      runs, median ops/s, ratio.
//   engine rate        the surveillance engine alone on the events of that stream (op i at i ms, so the
//                      time windows see a busy but plausible market), events/s, against the events/s the
//                      matching produced in the same run (≥ 1: it keeps up with one book at full rate).
//   pipeline           the threaded exchange of the pipeline suite at fixed rates with the surveillance
//                      worker off and on (interleaved): orders/s sustained, back-pressure, alerts.
//   memory, 24 h       a child process (--expose-gc) runs 24 simulated hours of flow with an episode every
//                      30 s; heap after GC every simulated hour (lib/surveillance/memory-child.ts).
//
// The matching and engine cases are timed twice: wall time (ops/s as the other suites) and the process's
// CPU time (user + system, `cpu*` fields). Only the main thread works in them, so on a machine shared
// with other work the CPU figures say what the code costs, the wall figures also how busy the machine was.
//
// Options after `--`: --ops <n> (default 1,000,000), --rates <a,b,..> (default 50000,100000), --seconds <n>
// (pipeline window, default 2), --hours <n> (default 24), --rate <n> (memory flow, commands/s, default 100).

import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { OrderBook } from '../../engine/book/order-book.js';
import { EventWriter } from '../../engine/shard/event-writer.js';
import { SurveillanceEngine } from '../../risk/surveillance/surveillance-engine.js';
import { median, type CaseResult, type Suite } from '../harness.js';
import { newRequest, runBookRange } from '../lib/book-runner.js';
import { benchSpec } from '../lib/book-factory.js';
import { generateOrderStream, type OrderStream } from '../lib/order-stream.js';
import { newTally } from '../lib/peer-book.js';
import { CopyingOutput } from '../lib/surveillance/copying-output.js';
import { step } from './pipeline.js';

const SUITE = 'surveillance-throughput';
const US_PER_OP = 1_000;

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`${name} needs a positive integer`);
  return v;
}

/** One pass of the stream through a book writing to the gateway output and, if asked, a surveillance one. */
/** CPU time of this process since `from` (process.cpuUsage), ns. */
function cpuNsSince(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) * 1_000;
}

function matchOnce(stream: OrderStream, withSurveillance: boolean, keep = 0): { ns: number; cpuNs: number; events: number; kept?: CopyingOutput } {
  const gateway = new CopyingOutput();
  const surveillance = withSurveillance ? new CopyingOutput(keep) : undefined;
  const writer = new EventWriter(gateway, [], surveillance);
  const book = new OrderBook(benchSpec, writer);
  const req = newRequest();
  const tally = newTally();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  runBookRange(book, req, stream, 0, stream.length, tally, US_PER_OP);
  const ns = Number(process.hrtime.bigint() - t0);
  return { ns, cpuNs: cpuNsSince(c0), events: gateway.nextSeq - 1, kept: surveillance };
}

function engineOnce(out: CopyingOutput): { ns: number; cpuNs: number; alerts: number } {
  let alerts = 0;
  const engine = new SurveillanceEngine(() => alerts++);
  const buf = out.kept!;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < out.keptCount; i++) engine.handle(buf, buf.at(i), 1);
  return { ns: Number(process.hrtime.bigint() - t0), cpuNs: cpuNsSince(c0), alerts };
}

const memoryChild = fileURLToPath(new URL('../lib/surveillance/memory-child.js', import.meta.url));

const suite: Suite = {
  description: 'surveillance: matching with and without the surveillance stream, engine events/s vs matching, pipeline with the worker on/off, memory over 24 simulated hours',
  async run(ctx) {
    const ops = option(ctx.args, '--ops', ctx.quick ? 200_000 : 1_000_000);
    const seconds = option(ctx.args, '--seconds', ctx.quick ? 1 : 2);
    const hours = option(ctx.args, '--hours', ctx.quick ? 2 : 24);
    const memRate = option(ctx.args, '--rate', 100);
    const ri = ctx.args.indexOf('--rates');
    const rates = ri >= 0 ? ctx.args[ri + 1]!.split(',').map(Number) : ctx.quick ? [50_000] : [50_000, 100_000];
    const runs = ctx.quick ? 3 : 5;
    const results: CaseResult[] = [];

    // Matching with and without the surveillance copy, interleaved.
    const stream = generateOrderStream({ seed: 1, ops });
    for (let w = 0; w < 2; w++) {
      matchOnce(stream, false);
      matchOnce(stream, true);
    }
    const off: number[] = [];
    const on: number[] = [];
    const offCpu: number[] = [];
    const onCpu: number[] = [];
    let events = 0;
    for (let r = 0; r < runs; r++) {
      const a = matchOnce(stream, false);
      off.push(a.ns);
      offCpu.push(a.cpuNs);
      events = a.events;
      const b = matchOnce(stream, true);
      on.push(b.ns);
      onCpu.push(b.cpuNs);
    }
    const offOps = Math.round(ops / (median(off) / 1e9));
    const onOps = Math.round(ops / (median(on) / 1e9));
    const offCpuOps = Math.round(ops / (median(offCpu) / 1e9));
    const onCpuOps = Math.round(ops / (median(onCpu) / 1e9));
    results.push({ suite: SUITE, case: 'matching, gateway output only', opsPerSec: offOps, p50Ns: Math.round(median(off) / ops), p99Ns: 0, samples: runs, eventsPerOp: Math.round((events / ops) * 100) / 100, cpuOpsPerSec: offCpuOps });
    results.push({
      suite: SUITE,
      case: 'matching, gateway + surveillance outputs',
      opsPerSec: onOps,
      p50Ns: Math.round(median(on) / ops),
      p99Ns: 0,
      samples: runs,
      ratioToWithout: Math.round((onOps / offOps) * 1000) / 1000,
      cpuOpsPerSec: onCpuOps,
      cpuRatioToWithout: Math.round((onCpuOps / offCpuOps) * 1000) / 1000,
    });

    // The engine on the stream's events.
    const recorded = matchOnce(stream, true, events).kept!;
    const engineNs: number[] = [];
    const engineCpu: number[] = [];
    let alerts = 0;
    engineOnce(recorded);
    for (let r = 0; r < runs; r++) {
      const e = engineOnce(recorded);
      engineNs.push(e.ns);
      engineCpu.push(e.cpuNs);
      alerts = e.alerts;
    }
    const engineEvents = Math.round(recorded.keptCount / (median(engineNs) / 1e9));
    const matchingEvents = Math.round(events / (median(on) / 1e9));
    const engineCpuEvents = Math.round(recorded.keptCount / (median(engineCpu) / 1e9));
    const matchingCpuEvents = Math.round(events / (median(onCpu) / 1e9));
    results.push({
      suite: SUITE,
      case: 'surveillance engine, events of the book-stream stream',
      opsPerSec: engineEvents,
      p50Ns: Math.round(median(engineNs) / recorded.keptCount),
      p99Ns: 0,
      samples: runs,
      events: recorded.keptCount,
      alerts,
      matchingEventsPerSec: matchingEvents,
      ratioToMatching: Math.round((engineEvents / matchingEvents) * 100) / 100,
      cpuEventsPerSec: engineCpuEvents,
      cpuMatchingEventsPerSec: matchingCpuEvents,
      cpuRatioToMatching: Math.round((engineCpuEvents / matchingCpuEvents) * 100) / 100,
    });

    // The threaded pipeline with the worker off and on.
    const shards = availableParallelism();
    for (const rate of rates) {
      for (const surveillance of [false, true, false, true]) {
        const counter = { alerts: 0 };
        const s = await step(rate, seconds, shards, 'spin-then-park', surveillance ? counter : undefined);
        results.push({
          suite: SUITE,
          case: `pipeline at ${rate.toLocaleString('en-US')}/s, surveillance ${surveillance ? 'on' : 'off'}`,
          opsPerSec: s.offeredPerSec,
          p50Ns: 0,
          p99Ns: 0,
          samples: 1,
          eventsPerSec: s.eventsPerSec,
          backPressure: s.backPressure,
          sustained: s.sustained,
          alerts: counter.alerts,
        });
      }
    }

    // Memory over a long replay.
    const out = execFileSync(process.execPath, ['--expose-gc', memoryChild, String(hours), String(memRate)], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const mem = JSON.parse(out) as { commands: number; episodes: number; alerts: number; wallMs: number; samples: { hour: number; bytes: number; orders: number; detectorState: number }[] };
    const bytes = mem.samples.map((x) => x.bytes);
    const later = mem.samples.slice(1);
    results.push({
      suite: SUITE,
      case: `memory over ${hours} simulated hours at ${memRate} commands/s`,
      opsPerSec: Math.round(mem.commands / (mem.wallMs / 1e3)),
      p50Ns: 0,
      p99Ns: 0,
      samples: mem.samples.length,
      commands: mem.commands,
      episodes: mem.episodes,
      alerts: mem.alerts,
      firstHourMiB: Math.round((bytes[1] ?? bytes[0]!) / 2 ** 20),
      maxMiB: Math.round(Math.max(...bytes) / 2 ** 20),
      lastMiB: Math.round(bytes[bytes.length - 1]! / 2 ** 20),
      maxOpenOrders: Math.max(...later.map((x) => x.orders)),
      maxDetectorState: Math.max(...later.map((x) => x.detectorState)),
      perHourMiB: bytes.map((b) => Math.round(b / 2 ** 20)).join(' '),
    });
    return results;
  },
};

export default suite;
