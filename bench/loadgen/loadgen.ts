// The load generator (issue 10, "Benchmarks"): open loop at fixed rates over many WebSocket connections
// on loopback, each target in a process of its own, order-to-ack latency in HDR histograms.
//
//   node dist/bench/loadgen/loadgen.js [--targets echo,gateway,gateway-durable] [--rates 10000,50000,100000]
//        [--seconds 5] [--warmup 2] [--connections 16] [--batch 1] [--p99-bound-us 10000] [--search] [--json]
//        [--pace auto|spin|timer] [--wait auto|busy-spin|spin-then-park|park] [--verbose]
//        [--target-node-args='--cpu-prof --cpu-prof-dir=/tmp/prof'] [--trace DIR]   (--help lists them with defaults)
//
// --batch N sends batchPlace requests of N orders (1-20) instead of single places, as a market maker
// does to put many orders through one frame; rates and counts stay in orders. For each target and rate: orders sent and answered, achieved rate, p50 / p99 / p99.9 / max, and how
// late the generator itself was, and the target's CPU per answered request (µs; its main thread, and the
// whole process with its shard threads: read from /proc, cpu-time.ts) and the generator's own CPU (% of
// a core while sending); --verbose adds the gateway
// target's own window stats (event-loop delay, GC pauses, records per request), the refusals by code, and
// the connections the server closed (SLOW_CONSUMER: the generator did not read its answers fast enough)
// with the requests lost on them. A ladder such as --rates 60000,80000,5000 measures overload and then
// recovery: the last rate is well within capacity, and should be served as if the overload never was. --search then finds the
// highest sustained rate (every request answered, at least 95% of the offer achieved, p99 under the
// bound) by doubling past the last sustained rate and bisecting. --pace timer lets the generator sleep
// between sends instead of spinning (open-loop.ts): on 2 cores its spinning takes a core from the target,
// whose threads then wait on run queues, and much of the tail measured is the generator's own
// (bench/RESULTS.md, "gwlat"). --pace auto, the default, spins only on machines of more than 4 cores
// (open-loop.ts autoPace). Every connection is a PerpxClient, the client SDK of the tests and the README,
// with its lean options on (client-connection.ts: user-stream frames dropped unread, a turn's frames in
// one write, unmasked frames on loopback; its callback send path). The echo target is a bare `ws` server
// (echo-server.ts) that answers each request with the smallest answer of the gateway's shape and its id,
// so the client's path is the same for both: the peer every gateway figure is compared with, measured in
// the same run. Each target first takes --warmup seconds of load at
// the first rate (at most 5,000/s) that are not recorded: its JIT and first collections are not the rate's. --trace DIR stamps every order at each ring hop inside the
// gateway targets (ring-trace.ts) and keeps each answer's rx, tx and order id here; `node
// dist/bench/loadgen/trace-report.js DIR` then says which hop owns the tail.

import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { connectClient } from './client-connection.js';
import { Code, codeName } from '../../engine/codes.js';
import { closeCodeOf } from '../../gateway/server/close-codes.js';
import { cpuPerOrder, sampleCpu, type CpuSample } from './cpu-time.js';
import { autoPace, runOpenLoop, sustained, type Connect, type Pace, type RunResult, type RunWindow } from './open-loop.js';
import { startTarget, type Target } from './target.js';
import { fail, parseCli, type CliOption } from '../lib/cli.js';
import { WAIT_CHOICES } from '../../exchange/topology.js';
import type { LoginCredentials } from '../../gateway/client/types.js';

const OPTIONS = {
  targets: { type: 'string', default: 'echo,gateway,gateway-durable', arg: 'a,b', help: 'targets, in order: echo, gateway, gateway-durable' },
  rates: { type: 'string', default: '10000,50000,100000', arg: 'r1,r2', help: 'offered rates of the ladder, requests/s' },
  seconds: { type: 'string', default: '5', arg: 'S', help: 'seconds per rate' },
  warmup: { type: 'string', default: '2', arg: 'S', help: "seconds of load at the first rate (at most 5,000/s) before each target's ladder, not recorded (0: none)" },
  batch: { type: 'string', default: '1', arg: 'N', help: 'orders per request: 1 sends place requests, 2-20 batchPlace requests of N orders (rates stay in orders/s)' },
  connections: { type: 'string', default: '16', arg: 'N', help: 'WebSocket connections (the gateway targets fund one account each)' },
  'p99-bound-us': { type: 'string', default: '10000', arg: 'US', help: 'p99 above this is not sustained (µs)' },
  search: { type: 'boolean', help: 'then search the highest sustained rate (doubling, then bisecting)' },
  json: { type: 'boolean', help: 'one JSON object per line instead of the table' },
  verbose: { type: 'boolean', help: "add the gateway target's window stats (event-loop delay, GC, records per request), refusals by code and the server's closes" },
  pace: { type: 'string', default: 'auto', arg: 'auto|spin|timer', help: 'how the generator waits between sends (timer leaves the cores to the target; auto: timer on 4 cores or fewer)' },
  wait: { type: 'string', default: 'auto', arg: WAIT_CHOICES.join('|'), help: "how the gateway targets' shard threads wait (auto: exchange/topology.ts defaultWait)" },
  trace: { type: 'string', default: '', arg: 'DIR', help: 'stamp orders at every ring hop of the gateway targets and keep them in DIR (trace-report.ts reads it)' },
  'target-node-args': { type: 'string', default: '', arg: "'ARGS'", help: "node options of the target process, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof'" },
} as const satisfies Record<string, CliOption>;
const SYNOPSIS = 'node dist/bench/loadgen/loadgen.js [options]';
const values = parseCli('loadgen', SYNOPSIS, OPTIONS);
const whole = (name: string, raw: string, min: number, max: number): number => {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) fail('loadgen', `--${name} '${raw}' must be a whole number from ${min} to ${max}`);
  return Number(raw);
};
const rates = values.rates.split(',').map((r) => whole('rates', r, 1, 10_000_000));
const seconds = whole('seconds', values.seconds, 1, 3_600);
const warmup = whole('warmup', values.warmup, 0, 600);
const connections = whole('connections', values.connections, 1, 10_000);
const batch = whole('batch', values.batch, 1, 20);
const verbose = values.verbose;
if (values.pace !== 'auto' && values.pace !== 'spin' && values.pace !== 'timer') fail('loadgen', `--pace '${values.pace}' must be auto, spin or timer`);
const pace: Pace = values.pace === 'auto' ? autoPace(availableParallelism()) : (values.pace as Pace);
if (!(WAIT_CHOICES as readonly string[]).includes(values.wait)) fail('loadgen', `--wait '${values.wait}' must be one of ${WAIT_CHOICES.join(', ')}`);
if (values.trace !== '') mkdirSync(values.trace, { recursive: true });
const bound = whole('p99-bound-us', values['p99-bound-us'], 1, 60_000_000);

/**
 * A slow consumer is dropped at once (its outbound buffer is full: no close frame can reach it), which its
 * client sees as 1006; 4017 reaches it only when the frame got through.
 */
const CLOSE_NAMES: Record<string, string> = { [closeCodeOf(Code.SLOW_CONSUMER)]: ' (SLOW_CONSUMER)', 1006: ' (dropped without a close frame: a SLOW_CONSUMER)' };

/** Runs so far: client order ids of each run start past the last run's (a repeated id would be a replay). */
let run = 0;
/** An order: an IOC bid under the market in an empty book (answered, never resting: the book does not grow). */
const order = (n: number) => ({ market: 1, side: 'buy', type: 'limit', tif: 'ioc', price: 590_000, qty: 1, clientOrderId: run * 1_000_000_000 + n + 1 });
/**
 * Request `id`: one place, or with --batch N a batchPlace of N orders (a market maker's way to many
 * orders per frame), whose client order ids continue each other.
 */
const placeRequest = (id: number) => (batch === 1 ? { op: 'place', fields: order(id) } : { op: 'batchPlace', fields: { orders: Array.from({ length: batch }, (_, j) => order(id * batch + j)) } });

/** The credentials of one load connection from a line the gateway target printed: "cred <keyId> <seed hex>". */
function credentials(cred: string): LoginCredentials {
  const [, keyId, seedHex] = cred.split(' ');
  return { keyId: keyId!, alg: 'ed25519', secret: seedHex! };
}

interface TargetSpec {
  readonly script: URL;
  readonly args: readonly string[];
  /** The connect function for a started target. */
  readonly connect: (t: Target) => Connect;
  /** The target answers SIGUSR2 with its window stats (target-stats.ts). */
  readonly stats: boolean;
}

/** The target's CPU per answered request (µs) and, when it keeps them, its own stats over the run. */
function watch(target: Target, stats: boolean): RunWindow {
  let before: CpuSample | undefined;
  let self: CpuSample | undefined;
  return {
    async open() {
      if (stats) await target.stats();
      before = sampleCpu(target.pid);
      self = sampleCpu(process.pid);
    },
    async close(acked) {
      const cpu = cpuPerOrder(before, sampleCpu(target.pid), acked);
      // The generator's own wait for a core, per request: a tail it shares with the target.
      const gen = cpuPerOrder(self, sampleCpu(process.pid), acked);
      const own = stats ? await target.stats() : undefined;
      return { ...(cpu && { cpuMainUs: cpu.mainUs, cpuTotalUs: cpu.totalUs, runQueueMainUs: cpu.mainWaitUs, runQueueTotalUs: cpu.totalWaitUs }), ...(gen && { runQueueGeneratorUs: gen.totalWaitUs }), ...own };
    },
  };
}

const TARGETS: Record<string, TargetSpec> = {
  echo: {
    script: new URL('./echo-server.js', import.meta.url),
    args: [],
    connect: (t) => (onAck) => connectClient({ url: t.url, request: placeRequest }, onAck),
    stats: false,
  },
  gateway: gatewayTarget([]),
  'gateway-durable': gatewayTarget(['--durable']),
};

function gatewayTarget(extra: readonly string[]): TargetSpec {
  return {
    script: new URL('./gateway-target.js', import.meta.url),
    args: ['--accounts', String(connections), '--wait', values.wait, ...(values.trace !== '' ? ['--trace', values.trace] : []), ...extra],
    stats: true,
    connect: (t) => {
      const creds = t.lines.filter((l) => l.startsWith('cred '));
      let next = 0;
      // Each connection logs in with its own account (connections of a run take them in turn).
      return traced((onAck) => connectClient({ url: t.url, request: placeRequest, login: credentials(creds[next++ % creds.length]!) }, onAck));
    },
  };
}

/**
 * --trace: per request of the current run, [sent, answered] (µs of process.hrtime: the machine's monotonic
 * clock, which the target's tracer maps its own clock onto), rx, tx and the order id.
 */
let answers: number[][] = [];
const usNow = () => Number(process.hrtime.bigint() / 1000n);
function traced(connect: Connect): Connect {
  if (values.trace === '') return connect;
  return async (onAck) => {
    const c = await connect((id, ok, m) => {
      const a = answers[id];
      if (a !== undefined && a.length === 1) a.push(usNow(), Number(m['rx']), Number(m['tx']), Number((m['data'] as Record<string, unknown> | undefined)?.['orderId'] ?? 0));
      onAck(id, ok, m);
    });
    return {
      send(id) {
        answers[id] = [usNow()];
        c.send(id);
      },
      close: () => c.close(),
      closeCode: () => c.closeCode?.(),
    };
  };
}

/** --verbose: refusals by code name, the server's closes by close code and the requests they lost. */
function overload(r: RunResult): string {
  const byName = Object.entries(r.refusedByCode).map(([code, n]) => `${codeName(Number(code))} ${n.toLocaleString('en-US')}`);
  const closes = Object.entries(r.serverCloses).map(([code, n]) => `${n} × ${code}${CLOSE_NAMES[code] ?? ''}`);
  if (byName.length === 0 && closes.length === 0) return '';
  return `\n         refused: ${byName.join(', ') || 'none'} (answers not refused: p50 ${r.okP50Us.toLocaleString('en-US')} µs, p99 ${r.okP99Us.toLocaleString('en-US')} µs); server closed ${closes.join(', ') || 'none'}, ${r.lostOnClosed.toLocaleString('en-US')} of the lost on those`;
}

function row(target: string, r: RunResult): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return `${target.padEnd(8)} ${n(r.rate).padStart(9)} ${n(r.achievedRate).padStart(9)} ${n(r.sent).padStart(9)} ${n(r.lost).padStart(6)} ${n(r.refused).padStart(8)} ${n(r.p50Us).padStart(8)} ${n(r.p99Us).padStart(8)} ${n(r.p999Us).padStart(9)} ${n(r.maxUs).padStart(9)} ${n(r.sendLagP99Us).padStart(10)} ${String(r.target?.['cpuMainUs'] ?? '-').padStart(8)} ${String(r.target?.['cpuTotalUs'] ?? '-').padStart(8)} ${String(r.generatorCpuPct).padStart(7)}${verbose && r.target?.['loopDelayMaxUs'] !== undefined ? `\n         target: ${JSON.stringify(r.target)}` : ''}${verbose ? overload(r) : ''}`;
}

const out = (target: string, r: RunResult, extra: Record<string, unknown> = {}) => {
  // The target's own figures go under `stats`: spread last, they would replace the target's name.
  if (values.json) console.log(JSON.stringify({ ...r, target, connections, stats: r.target, ...extra }));
  else console.log(row(target, r) + (extra.sustained !== undefined ? `  ${extra.sustained ? 'sustained' : 'not sustained'}` : ''));
};

if (!values.json) {
  console.log(`loadgen: open loop (${pace}${values.pace === 'auto' ? `: auto, ${availableParallelism()} cores` : ''}), ${connections} connections on loopback, ${batch === 1 ? 'one order per request' : `batchPlace requests of ${batch} orders (counts, rates and CPU per order)`}, ${seconds} s per rate, latency request → answer in µs (HDR), target CPU µs per order`);
  console.log(`${'target'.padEnd(8)} ${'offered/s'.padStart(9)} ${'achieved'.padStart(9)} ${'sent'.padStart(9)} ${'lost'.padStart(6)} ${'refused'.padStart(8)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'p99.9'.padStart(9)} ${'max'.padStart(9)} ${'send lag'.padStart(10)} ${'cpu main'.padStart(8)} ${'cpu all'.padStart(8)} ${'gen cpu%'.padStart(7)}`);
}
/** Ladder results, for the ratios to the echo peer measured in the same run. */
const byRate = new Map<string, RunResult>();
const targets = values.targets.split(',');
for (const name of targets) {
  const spec = TARGETS[name];
  if (!spec) fail('loadgen', `unknown target ${name}; known: ${Object.keys(TARGETS).join(', ')}`);
  const nodeArgs = values['target-node-args'].split(' ').filter((a) => a !== '');
  const target = await startTarget(spec.script, spec.args, nodeArgs);
  const waitLine = target.lines.find((l) => l.startsWith('wait '));
  if (waitLine !== undefined && !values.json) console.log(`${name}: shard threads ${waitLine}`);
  try {
    const connect = spec.connect(target);
    /** One run at `rate`, printed; true when sustained. */
    const step = async (rate: number, search: boolean): Promise<boolean> => {
      run++;
      answers = [];
      const r = await runOpenLoop(connect, connections, rate, seconds, undefined, watch(target, spec.stats), pace, batch);
      if (values.trace !== '') writeFileSync(join(values.trace, `client-${name}-${rate}-${run}.json`), JSON.stringify({ target: name, rate, pid: target.pid, answers }));
      const ok = sustained(r, bound);
      out(name, r, search ? { sustained: ok, search } : { sustained: ok });
      if (!search) byRate.set(`${name}@${rate}`, r);
      return ok;
    };
    // Warm-up, not recorded: a target's first seconds of load are its JIT compiling the order path and
    // its first collections, which made the first rate of a ladder read several times slower than the
    // same rate run again (bench/RESULTS.md, "Session of 2026-12-07, second").
    if (warmup > 0) {
      run++;
      answers = [];
      await runOpenLoop(connect, connections, Math.min(rates[0]!, 5_000), warmup, undefined, undefined, pace, batch);
    }
    let best = 0;
    for (const rate of rates) if (await step(rate, false)) best = Math.max(best, rate);
    if (!values.json) console.log(`${name}: highest sustained rate of the ladder ${best.toLocaleString('en-US')}/s`);
    if (values.search) {
      // Double past the best sustained rate until a rate is not sustained, then bisect (five steps).
      let lo = best;
      let hi = 0;
      for (let rate = Math.max(best * 2, 10_000); hi === 0 && rate <= 2_000_000; rate *= 2) {
        if (await step(rate, true)) lo = rate;
        else hi = rate;
      }
      for (let i = 0; i < 5 && hi > 0 && hi - lo > lo / 20; i++) {
        const mid = Math.round((lo + hi) / 2 / 1000) * 1000;
        if (await step(mid, true)) lo = mid;
        else hi = mid;
      }
      if (values.json) console.log(JSON.stringify({ target: name, highestSustainedRate: lo, p99BoundUs: bound }));
      else console.log(`${name}: highest sustained rate ${lo.toLocaleString('en-US')}/s (every request answered, ≥ 95% achieved, p99 ≤ ${bound.toLocaleString('en-US')} µs)`);
    }
  } finally {
    await target.stop();
  }
}
if (targets.includes('echo')) {
  for (const name of targets.filter((t) => t !== 'echo')) {
    for (const rate of rates) {
      const a = byRate.get(`${name}@${rate}`);
      const e = byRate.get(`echo@${rate}`);
      if (!a || !e) continue;
      const ratio = (x: number, y: number) => (y > 0 ? (x / y).toFixed(1) : '-');
      const line = { target: name, rate, p50Ratio: ratio(a.p50Us, e.p50Us), p99Ratio: ratio(a.p99Us, e.p99Us), achievedRatio: ratio(a.achievedRate, e.achievedRate) };
      if (values.json) console.log(JSON.stringify(line));
      else console.log(`${name} / echo at ${rate.toLocaleString('en-US')}/s: p50 ×${line.p50Ratio}, p99 ×${line.p99Ratio}, achieved ×${line.achievedRatio}`);
    }
  }
}
