// mqtt-matching: does publishing market data slow matching? The threaded exchange (Topology.spread of
// BTC-PERP and ETH-PERP over the cores, one risk shard, worker threads) driven closed loop by the demo's
// seeded flow (pipeline.ts's, through gateway/demo-driver.ts: 8 makers quoting post-only ladders, 64 takers, cancels; the same
// flow as the pipeline suite) for `seconds` after a warm-up: commands the exchange took per second. Twice
// per run: publishing off (the poll listener only counts) and publishing on (every released record also
// into the market-data hub, every message through the MQTT bus to Mosquitto, or to the embedded broker
// when none answers). Runs alternate off/on so the machine's load falls on both; the ratio on/off is the
// median of the per-round ratios. Each run also takes the process's CPU time (user + system, every
// thread: the shards', the main thread's hub and bus) per command taken, which a loaded machine disturbs
// far less than the rate: CPU per command off / on is the cost ratio to read there. The main thread's own
// CPU (Linux /proc per-thread counters, 10 ms ticks) is taken apart too: the hub and the bus run there,
// beside the driver and the gateway's poll, and it is the thread a closed loop waits on. Options after
// `--`: seconds=<n> runs=<n> (threaded rounds, 0 for none) commands=<n> ipRuns=<n> (in-process rounds).
//
// A second pair of cases runs the same flow through the in-process exchange (every shard on this one
// thread), off and on, for a fixed number of commands, timed in this process's CPU: what the hub and the
// bus cost per command against what matching, risk and the driver cost on one core, a ratio other work on
// the machine barely moves (the broker's own CPU is not in it: it is another process).

import { readFileSync } from 'node:fs';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import type { GatewaySource } from '../../exchange/in-process-exchange.js';
import { ThreadedExchange, type Listener } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { startEmbeddedBroker } from '../../gateway/bus/embedded-broker.js';
import { MqttBusPublisher } from '../../gateway/bus/publisher.js';
import { DemoDriver, type DriverExchange } from '../../gateway/demo-driver.js';
import { MarketDataHub } from '../../gateway/market-data/hub.js';
import { riskMarket } from '../../risk/shard/config.js';
import { median, type CaseResult, type Suite } from '../harness.js';
import { mosquittoUrl, option } from './mqtt-publish.js';
import { demoFlow } from '../lib/demo-flow.js';
import { InProcessDriverExchange } from '../lib/in-process-driver-exchange.js';
import { MAKER_USDT, TAKER_USDT } from './pipeline.js';

const SUITE = 'mqtt-matching';
const TICK_NS = 10_000_000;

/** CPU time of this process's main thread (user + system), ns, from /proc; 0 where there is none. */
function mainThreadCpuNs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5) (utime, stime), here 11 and 12 after the state field.
    return (Number(f[11]) + Number(f[12])) * TICK_NS;
  } catch {
    return 0;
  }
}
const RISK_MARKETS = DEFAULT_MARKETS.map((m) => riskMarket(m));
const WARMUP_MS = 500;

async function once(seconds: number, url: string | undefined): Promise<{ perSec: number; cpuNsPerCommand: number; mainNsPerCommand: number; published: number; dropped: number }> {
  const topology = Topology.spread(DEFAULT_MARKETS, 2, 1);
  const ex = await ThreadedExchange.start({ topology, riskMarkets: RISK_MARKETS });
  const hub = url ? new MarketDataHub(DEFAULT_MARKETS) : undefined;
  const pub = url && hub ? new MqttBusPublisher(hub, { url, prefix: `perpx-bench-${process.pid}`, snapshotEveryMs: 1_000 }) : undefined;
  await pub?.waitConnected();
  // The driver's exchange, with the hub beside its listener when publishing is on.
  const both = (l: Listener): Listener => (buf: RecordBuffer, at: number, from: GatewaySource) => {
    l(buf, at, from);
    hub!.onRecord(buf, at, from);
  };
  const view: DriverExchange = {
    topology: ex.topology,
    offer: (b, a) => ex.offer(b, a),
    flush: () => ex.flush(),
    poll: (l) => ex.poll(hub ? both(l) : l),
    waitForOutput: (ms) => ex.waitForOutput(ms),
    scanSnapshots: () => ex.scanSnapshots(),
    get halted() {
      return ex.halted;
    },
  };
  try {
    const driver = new DemoDriver(view, demoFlow(1));
    driver.fund(MAKER_USDT, TAKER_USDT);
    await driver.untilMarked();
    let cpuNs = 0;
    let mainNs = 0;
    const run = async (ms: number): Promise<number> => {
      const start = performance.now();
      const before = driver.tally.offered;
      const c0 = process.cpuUsage();
      const m0 = mainThreadCpuNs();
      let lastTick = start;
      for (let now = start; now - start < ms; now = performance.now()) {
        const taken = driver.drive(4_096);
        driver.drain();
        if (now - lastTick >= 1_000) {
          driver.ticks();
          lastTick = now;
        }
        if (ex.failure !== undefined) throw ex.failure;
        // Off and on alike: park when nothing was taken, else one event-loop turn (the bus writes to its
        // socket from the event loop; the gateway's own loop turns it the same way).
        if (taken === 0) await ex.waitForOutput(0.2);
        else await new Promise((r) => setImmediate(r));
      }
      const c = process.cpuUsage(c0);
      cpuNs = ((c.user + c.system) * 1_000) / Math.max(1, driver.tally.offered - before);
      mainNs = (mainThreadCpuNs() - m0) / Math.max(1, driver.tally.offered - before);
      return ((driver.tally.offered - before) * 1_000) / ms;
    };
    await run(WARMUP_MS);
    const perSec = await run(seconds * 1_000);
    return { perSec, cpuNsPerCommand: cpuNs, mainNsPerCommand: mainNs, published: pub?.stats.published ?? 0, dropped: pub?.stats.dropped ?? 0 };
  } finally {
    await ex.stop();
    await pub?.clearRetained();
    await pub?.stop();
  }
}

/** The flow through the in-process exchange on this thread: CPU ns per command, publishing on or off. */
async function inProcessOnce(commands: number, url: string | undefined): Promise<{ cpuNsPerCommand: number; published: number }> {
  const ex = new InProcessDriverExchange({ topology: Topology.spread(DEFAULT_MARKETS, 2, 1), riskMarkets: RISK_MARKETS });
  const hub = url ? new MarketDataHub(DEFAULT_MARKETS) : undefined;
  const pub = url && hub ? new MqttBusPublisher(hub, { url, prefix: `perpx-bench-${process.pid}`, snapshotEveryMs: 1_000 }) : undefined;
  await pub?.waitConnected();
  const poll = ex.poll.bind(ex);
  if (hub) ex.poll = (l: Listener) => poll((buf, at, from) => (l(buf, at, from), hub.onRecord(buf, at, from)));
  try {
    const driver = new DemoDriver(ex, demoFlow(1));
    driver.fund(MAKER_USDT, TAKER_USDT);
    await driver.untilMarked();
    const run = async (n: number): Promise<number> => {
      const c0 = process.cpuUsage();
      const before = driver.tally.offered;
      let nextTick = before + 50_000;
      while (driver.tally.offered - before < n) {
        driver.drive(4_096);
        driver.drain();
        if (driver.tally.offered >= nextTick) {
          driver.ticks();
          nextTick += 50_000;
        }
        if (ex.halted) throw ex.exchange.failure;
        // One event-loop turn per batch, off and on alike: the bus writes to its socket from the loop.
        await new Promise((r) => setImmediate(r));
      }
      const c = process.cpuUsage(c0);
      return ((c.user + c.system) * 1_000) / (driver.tally.offered - before);
    };
    await run(Math.min(50_000, commands));
    const cpuNsPerCommand = await run(commands);
    return { cpuNsPerCommand, published: pub?.stats.published ?? 0 };
  } finally {
    await pub?.clearRetained();
    await pub?.stop();
  }
}

const suite: Suite = {
  description: 'matching throughput of the threaded exchange with MQTT market-data publishing on against off',
  async run(ctx) {
    const seconds = option(SUITE, ctx.args, 'seconds', ctx.quick ? 1 : 3);
    const runs = Math.floor(ctx.args.some((a) => a === 'runs=0') ? 0 : option(SUITE, ctx.args, 'runs', ctx.quick ? 1 : 5));
    const ipRuns = Math.floor(option(SUITE, ctx.args, 'ipRuns', ctx.quick ? 1 : 5));
    const commands = Math.floor(option(SUITE, ctx.args, 'commands', ctx.quick ? 100_000 : 400_000));
    const mosquitto = await mosquittoUrl();
    const embedded = mosquitto ? undefined : await startEmbeddedBroker(0);
    const url = mosquitto ?? embedded!.url;
    const off: number[] = [];
    const on: number[] = [];
    const offCpu: number[] = [];
    const onCpu: number[] = [];
    const offMain: number[] = [];
    const onMain: number[] = [];
    let published = 0;
    let dropped = 0;
    const ipOff: number[] = [];
    const ipOn: number[] = [];
    let ipPublished = 0;
    try {
      for (let r = 0; r < ipRuns; r++) {
        ipOff.push((await inProcessOnce(commands, undefined)).cpuNsPerCommand);
        const o = await inProcessOnce(commands, url);
        ipOn.push(o.cpuNsPerCommand);
        ipPublished += o.published;
      }
      for (let r = 0; r < runs; r++) {
        const f = await once(seconds, undefined);
        off.push(f.perSec);
        offCpu.push(f.cpuNsPerCommand);
        offMain.push(f.mainNsPerCommand);
        const o = await once(seconds, url);
        on.push(o.perSec);
        onCpu.push(o.cpuNsPerCommand);
        onMain.push(o.mainNsPerCommand);
        published += o.published;
        dropped += o.dropped;
      }
    } finally {
      await embedded?.close();
    }
    // Per-round ratios (each on run against the off run just before it), their median: see mqtt-publish.
    const ratio = median(on.map((x, i) => x / off[i]!));
    const cpuRatio = median(onCpu.map((x, i) => offCpu[i]! / x));
    const mainRatio = median(onMain.map((x, i) => offMain[i]! / x));
    const row = (name: string, xs: number[], extra: Record<string, string | number>): CaseResult => ({
      suite: SUITE,
      case: name,
      opsPerSec: Math.round(median(xs)),
      p50Ns: Math.round(1e9 / median(xs)),
      p99Ns: Math.round(1e9 / Math.min(...xs)),
      samples: xs.length,
      seconds,
      runs: xs.map((x) => Math.round(x)).join('/'),
      ...extra,
    });
    const cpu = (xs: number[], main: number[]) => ({ cpuNsPerCommand: Math.round(median(xs)), cpuRuns: xs.map((x) => Math.round(x)).join('/'), mainThreadNsPerCommand: Math.round(median(main)) });
    const ipRow = (name: string, xs: number[], extra: Record<string, string | number>): CaseResult => ({
      suite: SUITE,
      case: name,
      opsPerSec: Math.round(1e9 / median(xs)),
      p50Ns: Math.round(median(xs)),
      p99Ns: 0,
      samples: xs.length,
      commands,
      cpuNsPerCommand: Math.round(median(xs)),
      cpuRuns: xs.map((x) => Math.round(x)).join('/'),
      ...extra,
    });
    const threaded: CaseResult[] =
      runs === 0
        ? []
        : [
            row('publishing off', off, cpu(offCpu, offMain)),
            row('publishing on', on, { ...cpu(onCpu, onMain), broker: mosquitto ? 'mosquitto' : 'embedded', publishedPerSec: Math.round(published / (runs * (seconds + WARMUP_MS / 1_000))), dropped, onVsOff: Number(ratio.toFixed(3)), cpuOffVsOn: Number(cpuRatio.toFixed(3)), mainThreadOffVsOn: Number(mainRatio.toFixed(3)) }),
          ];
    return [
      ipRow('in-process, one thread, publishing off (CPU per command)', ipOff, {}),
      ipRow('in-process, one thread, publishing on (CPU per command)', ipOn, { messagesPerCommand: Number((ipPublished / (ipRuns * commands)).toFixed(3)), cpuOffVsOn: Number(median(ipOn.map((x, i) => ipOff[i]! / x)).toFixed(3)) }),
      ...threaded,
    ];
  },
};

export default suite;
