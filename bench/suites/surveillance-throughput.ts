// surveillance-throughput: what the surveillance worker costs matching and whether it keeps up.
//
//   matching cost      the book-stream suite's seeded 1M-op stream through OrderBook + EventWriter into
//                      the gateway ring (a RingOutput, drained on this thread after every batch): read by
//                      the gateway alone (surveillance off), and read by surveillance too as the ring's
//                      second consumer (on: what the market shard pays). A third case is the design it
//                      replaced, a copy of every event into a ring of surveillance's own (128 bytes and a
//                      seq per event). Interleaved rounds (each round runs every case once, the order
//                      reversed every other round so no case always follows the same one); the ratios
//                      are paired: each round's on against that round's off, then the median of those
//                      (onVsOff wall, cpuOffVsOn CPU), as mqtt-matching reports them. A machine shared
//                      with other work moves a single ratio by ±10%; the paired median over many rounds
//                      is what to quote. CPU ns per command (cpuNsPerOp) beside the ops/s.
//   engine rate        the surveillance engine alone on the events of that stream (op i at i ms from an
//                      epoch-µs start, so the time windows see a busy but plausible market and times are
//                      as large as a venue's), events/s, against the events/s the
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
// Options after `--`: --ops <n> (default 1,000,000), --rounds <n> (matching rounds, default 15, quick 5),
// --rates <a,b,..> (default 50000,100000), --seconds <n> (pipeline window, default 2), --hours <n> (default
// 24), --rate <n> (memory flow, commands/s, default 100), --matching-only (the matching and engine cases).

import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { OrderBook } from '../../engine/book/order-book.js';
import { EventWriter } from '../../engine/shard/event-writer.js';
import { SurveillanceEngine } from '../../risk/surveillance/surveillance-engine.js';
import { intOption, median, type CaseResult, type Suite } from '../harness.js';
import { EPOCH_START_US, newRequest, runBookRange } from '../lib/book-runner.js';
import { benchSpec } from '../lib/book-factory.js';
import { generateOrderStream, type OrderStream } from '../lib/order-stream.js';
import { newTally } from '../lib/peer-book.js';
import { CopyingOutput } from '../lib/surveillance/copying-output.js';
import { DrainedRingOutput } from '../lib/surveillance/drained-ring-output.js';
import { step } from './pipeline.js';

const SUITE = 'surveillance-throughput';
const US_PER_OP = 1_000;

/** One pass of the stream through a book writing to the gateway output and, if asked, a surveillance one. */
/** CPU time of this process since `from` (process.cpuUsage), ns. */
function cpuNsSince(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) * 1_000;
}

/** How surveillance gets the events: not at all, as the gateway ring's second consumer, or by a copy of its own. */
type Mode = 'off' | 'follower' | 'copy';

function matchOnce(stream: OrderStream, mode: Mode, keep = 0): { ns: number; cpuNs: number; events: number; kept?: CopyingOutput } {
  const gateway = new DrainedRingOutput(mode === 'follower' ? 2 : 1);
  const surveillance = mode === 'copy' ? new CopyingOutput(keep) : undefined;
  const writer = new EventWriter(gateway, [], surveillance);
  const book = new OrderBook(benchSpec, writer);
  const req = newRequest();
  const tally = newTally();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  runBookRange(book, req, stream, 0, stream.length, tally, US_PER_OP, EPOCH_START_US);
  writer.flush();
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
    const ops = intOption(ctx.args, '--ops', ctx.quick ? 200_000 : 1_000_000);
    const seconds = intOption(ctx.args, '--seconds', ctx.quick ? 1 : 2);
    const hours = intOption(ctx.args, '--hours', ctx.quick ? 2 : 24);
    const memRate = intOption(ctx.args, '--rate', 100);
    const ri = ctx.args.indexOf('--rates');
    const rates = ri >= 0 ? ctx.args[ri + 1]!.split(',').map(Number) : ctx.quick ? [50_000] : [50_000, 100_000];
    const runs = ctx.quick ? 3 : 5;
    const rounds = intOption(ctx.args, '--rounds', ctx.quick ? 5 : 15);
    const results: CaseResult[] = [];

    // Matching with surveillance off, on (a follower of the gateway ring) and the copy it replaced, interleaved.
    const stream = generateOrderStream({ seed: 1, ops });
    const modes: Mode[] = ['off', 'follower', 'copy'];
    for (let w = 0; w < 2; w++) for (const m of modes) matchOnce(stream, m);
    const wall: Record<Mode, number[]> = { off: [], follower: [], copy: [] };
    const cpu: Record<Mode, number[]> = { off: [], follower: [], copy: [] };
    let events = 0;
    for (let r = 0; r < rounds; r++) {
      for (const m of r % 2 === 0 ? modes : [...modes].reverse()) {
        const a = matchOnce(stream, m);
        wall[m].push(a.ns);
        cpu[m].push(a.cpuNs);
        events = a.events;
      }
    }
    const perSec = (xs: number[]) => Math.round(ops / (median(xs) / 1e9));
    /** Round by round: off's time over m's (above 1: m faster), and the median of those. */
    const paired = (times: Record<Mode, number[]>, m: Mode) => times.off.map((off, i) => off / times[m][i]!);
    const names: Record<Mode, string> = {
      off: 'matching, gateway ring read by the gateway only (surveillance off)',
      follower: 'matching, gateway ring read by surveillance too (on: its second consumer)',
      copy: 'matching, gateway ring + a copy of every event for surveillance (the design replaced)',
    };
    const three = (x: number) => Math.round(x * 1000) / 1000;
    for (const m of modes) {
      const row: CaseResult = { suite: SUITE, case: names[m], opsPerSec: perSec(wall[m]), p50Ns: Math.round(median(wall[m]) / ops), p99Ns: 0, samples: rounds, cpuOpsPerSec: perSec(cpu[m]), cpuNsPerOp: Math.round(median(cpu[m]) / ops) };
      if (m === 'off') row.eventsPerOp = Math.round((events / ops) * 100) / 100;
      else {
        const w = paired(wall, m);
        const c = paired(cpu, m);
        row.onVsOff = three(median(w));
        row.cpuOffVsOn = three(median(c));
        row.onVsOffRounds = w.map(three).join(' ');
        row.cpuOffVsOnRounds = c.map(three).join(' ');
      }
      results.push(row);
    }
    const on = wall.follower;
    const onCpu = cpu.follower;

    // The engine on the stream's events.
    const recorded = matchOnce(stream, 'copy', events).kept!;
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

    if (ctx.args.includes('--matching-only')) return results;

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
