// pipeline: end-to-end orders per second the whole exchange sustains with every worker running, against
// the same flow through the in-process exchange on one thread (the peer), in one process run.
//
//   main thread (DemoDriver: seeded OrderFlow, 8 makers, 64 takers, BTC-PERP and ETH-PERP)
//     ──GatewayStream──▶ risk shard worker ──ring──▶ market shard workers (one per market) ──rings──▶
//     risk shard (settlement) and the main thread (every event drained)
//
//   threaded  ThreadedExchange (Topology.spread over availableParallelism()), default wait strategy.
//             Open loop at each rate of a ladder (doubling): a fresh exchange, funded, warmed up for
//             WARMUP_MS at the rate, then measured for --seconds. A rate is sustained when every command
//             due was taken and back-pressure stayed at zero (no gateway-bound ring ever full: the rings
//             bound the lag to their capacity, so the shards kept up). The figure is the highest
//             sustained rate; the ladder stops at the first rate not sustained, then bisects three
//             times between the last rate sustained and that one.
//   peer      InProcessExchange: the same commands, submitted and pumped every PUMP_EVERY on one thread,
//             closed loop: commands/s. The ratio threaded/peer says what the threads buy (or cost) here.
//   journal   the same ladder again with every shard journaling to RocksDB and responses released only
//             once durable (exchange/durability.ts); the ratio journal on / off of the highest sustained
//             rates, in the same run. Goal: at least 0.8.
// Goal: 1M orders/s sustained. Options after `--`: --seconds <n> (default 2), --max-rate <n>,
// --market-shards <n> (default: the core count), --market-workers <n> (threads the market shards run on;
// default: busy threads ≤ cores, exchange/topology.ts), --wait auto|busy-spin|spin-then-park|park (default auto:
// exchange/topology.ts defaultWait),
// --no-journal (skip the journaled ladder).

import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Durability } from '../../exchange/durability.js';
import { InProcessExchange } from '../../exchange/in-process-exchange.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { parseWaitChoice, Topology } from '../../exchange/topology.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { DepositLayout } from '../../engine/ring/layouts/deposit.js';
import { SetFeeTierLayout } from '../../engine/ring/layouts/set-fee-tier.js';
import { HeaderFlag, RecordBuffer } from '../../engine/ring/record.js';
import { DemoDriver } from '../../gateway/demo-driver.js';
import { riskMarket } from '../../risk/shard/config.js';
import { ATOMS_PER_USDT } from '../../risk/units.js';
import { intOption, median, type CaseResult, type Suite } from '../harness.js';
import type { WaitStrategyName } from '../../engine/ring/wait-strategy-by-name.js';
import { demoFlow } from '../lib/demo-flow.js';

const SUITE = 'pipeline';
const GOAL_PER_SEC = 1_000_000;
const WARMUP_MS = 500;
const FIRST_RATE = 10_000;
const PUMP_EVERY = 64;
const REFINE = 3;
/** How long the driver parks when nothing is owed (woken earlier by any gateway-bound record). */
export const DRIVER_PARK_MS = 1;
export const MAKER_USDT = 10_000_000n;
export const TAKER_USDT = 100_000n;
const RISK_MARKETS = DEFAULT_MARKETS.map((m) => riskMarket(m));

export interface Step {
  rate: number;
  offeredPerSec: number;
  eventsPerSec: number;
  backPressure: number;
  sustained: boolean;
  /** CPU of the whole process (every thread, spinning included) over the measured window, per order taken, µs. */
  cpuUsPerOrder: number;
  /** The shard threads' wait strategy (asked for, or the exchange's default here). */
  wait: WaitStrategyName;
}

/** The suite option `--wait auto|<strategy>` (default auto): a ThreadedOptions.wait, undefined for auto. */
export function waitOption(args: readonly string[]): WaitStrategyName | undefined {
  const w = args.indexOf('--wait');
  return w >= 0 ? parseWaitChoice(args[w + 1] ?? '') : undefined;
}

/**
 * One rate on a fresh threaded exchange: warm-up, then the measured window. With `surveillance`, the
 * surveillance worker runs on every market shard's events (its alerts are counted into it); with
 * `journalDir`, every shard journals into a fresh data directory there and responses wait until durable.
 */
export async function step(rate: number, seconds: number, marketShards: number, wait: WaitStrategyName | undefined, surveillance?: { alerts: number }, journalDir?: string, marketWorkers?: number): Promise<Step> {
  const topology = Topology.spread(DEFAULT_MARKETS, marketShards, 1);
  const durability = journalDir ? await Durability.open({ dir: journalDir, log: () => {} }, topology, { topology: topology.config, riskMarkets: RISK_MARKETS }) : undefined;
  const exchange = await ThreadedExchange.start({ topology, riskMarkets: RISK_MARKETS, wait, durability, surveillance: surveillance ? { onAlert: () => surveillance.alerts++ } : undefined, marketWorkers });
  try {
    const driver = new DemoDriver(exchange, demoFlow(1));
    driver.fund(MAKER_USDT, TAKER_USDT);
    await driver.untilMarked();
    const run = async (ms: number): Promise<{ due: number; taken: number; backPressure: number; events: number; cpuUs: number }> => {
      const c0 = process.cpuUsage();
      const start = performance.now();
      const t0 = { ...driver.tally };
      let due = 0;
      let taken = 0;
      let lastTick = start;
      for (let now = start; now - start < ms; now = performance.now()) {
        const owed = Math.floor(((now - start) / 1_000) * rate) - due;
        if (owed > 0) {
          due += owed;
          taken += driver.drive(owed);
        }
        driver.drain();
        if (now - lastTick >= 1_000) {
          driver.ticks();
          lastTick = now;
        }
        if (exchange.failure !== undefined) throw exchange.failure;
        // Park as the gateway does (woken by output): at least 1 ms, since Atomics.waitAsync rounds its
        // timeout to whole milliseconds and returns at once below 0.5 ms; the 0.2 ms this loop used to ask
        // for made the main thread a hot poll, a busy thread the real gateway does not have.
        if (owed <= 0) await exchange.waitForOutput(DRIVER_PARK_MS);
      }
      const c = process.cpuUsage(c0);
      return { due, taken, backPressure: driver.tally.backPressure - t0.backPressure, events: driver.tally.events - t0.events, cpuUs: c.user + c.system };
    };
    await run(WARMUP_MS);
    const m = await run(seconds * 1_000);
    return {
      rate,
      offeredPerSec: Math.round(m.taken / seconds),
      eventsPerSec: Math.round(m.events / seconds),
      backPressure: m.backPressure,
      sustained: m.backPressure === 0 && m.taken >= 0.99 * m.due,
      cpuUsPerOrder: Math.round((m.cpuUs / Math.max(1, m.taken)) * 10) / 10,
      wait: exchange.wait,
    };
  } finally {
    await exchange.stop();
  }
}

/** The peer: the same flow on one thread, closed loop; commands per second of the median run. */
function inProcess(commands: number, runs: number): number[] {
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const topology = Topology.spread(DEFAULT_MARKETS, availableParallelism(), 1);
    const x = new InProcessExchange({ topology, riskMarkets: RISK_MARKETS });
    const f = demoFlow(1);
    let request = 1;
    for (const id of f.makerIds) {
      x.send(DepositLayout, { accountId: id, timeUs: 1, flags: HeaderFlag.OPERATOR }, { requestId: request++, amountAtoms: MAKER_USDT * ATOMS_PER_USDT, assetId: 0 });
      x.send(SetFeeTierLayout, { accountId: id, timeUs: 1, flags: HeaderFlag.OPERATOR }, { feeTier: 3 });
    }
    for (const id of f.takerIds) x.send(DepositLayout, { accountId: id, timeUs: 1, flags: HeaderFlag.OPERATOR }, { requestId: request++, amountAtoms: TAKER_USDT * ATOMS_PER_USDT, assetId: 0 });
    const buf = RecordBuffer.allocate(1);
    for (const m of f.o.markets) {
      f.indexTick(m.market.marketId, buf, 0);
      buf.setTimeUs(0, 1);
      x.submitRecord(buf, 0);
    }
    x.pump();
    let time = 1;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < commands; i++) {
      f.next(buf, 0);
      buf.setTimeUs(0, ++time);
      x.submitRecord(buf, 0);
      if (i % PUMP_EVERY === PUMP_EVERY - 1) x.pump();
    }
    x.pump();
    rates.push(Math.round(commands / (Number(process.hrtime.bigint() - t0) / 1e9)));
  }
  return rates;
}

const suite: Suite = {
  description: 'end-to-end orders/s sustained by the threaded exchange (risk → match → settle) vs the in-process exchange on one thread',
  async run(ctx) {
    const seconds = intOption(ctx.args, '--seconds', ctx.quick ? 1 : 2);
    const maxRate = intOption(ctx.args, '--max-rate', ctx.quick ? 160_000 : 2_560_000);
    const marketShards = intOption(ctx.args, '--market-shards', availableParallelism());
    const marketWorkers = ctx.args.includes('--market-workers') ? intOption(ctx.args, '--market-workers', 1) : undefined;
    const wait = waitOption(ctx.args);
    const peerRates = inProcess(ctx.quick ? 50_000 : 300_000, ctx.quick ? 2 : 3);
    const ladder = async (journal: boolean): Promise<Step[]> => {
      const root = journal ? mkdtempSync(join(tmpdir(), 'perpx-bench-pipeline-')) : undefined;
      let n = 0;
      const at = (rate: number) => step(rate, seconds, marketShards, wait, undefined, root ? join(root, String(n++)) : undefined, marketWorkers);
      try {
        const steps: Step[] = [];
        let low = 0;
        let high = 0;
        for (let rate = FIRST_RATE; rate <= maxRate; rate *= 2) {
          const s = await at(rate);
          steps.push(s);
          if (!s.sustained) {
            high = rate;
            break;
          }
          low = rate;
        }
        // Between the last rate sustained and the first not: REFINE bisection steps.
        for (let i = 0; i < REFINE && low > 0 && high > 0; i++) {
          const rate = Math.round((low + high) / 2 / 1_000) * 1_000;
          if (rate <= low || rate >= high) break;
          const s = await at(rate);
          steps.push(s);
          if (s.sustained) low = rate;
          else high = rate;
        }
        return steps;
      } finally {
        if (root) rmSync(root, { recursive: true, force: true });
      }
    };
    const best = (steps: Step[]) => steps.filter((s) => s.sustained).reduce((b, s) => (s.offeredPerSec > b ? s.offeredPerSec : b), 0);
    const steps = await ladder(false);
    const journaled = ctx.args.includes('--no-journal') ? [] : await ladder(true);
    const sustained = best(steps);
    const peer = median(peerRates);
    const ratio = Math.round((sustained / peer) * 100) / 100;
    const results: CaseResult[] = steps.map((s) => ({
      suite: SUITE,
      case: `threaded, offered ${s.rate.toLocaleString('en-US')}/s`,
      opsPerSec: s.offeredPerSec,
      p50Ns: 0,
      p99Ns: 0,
      samples: 1,
      eventsPerSec: s.eventsPerSec,
      backPressure: s.backPressure,
      sustained: s.sustained,
      cpuUsPerOrder: s.cpuUsPerOrder,
      seconds,
    }));
    results.push({
      suite: SUITE,
      case: 'threaded, highest sustained',
      opsPerSec: sustained,
      p50Ns: 0,
      p99Ns: 0,
      samples: steps.length,
      peerOpsPerSec: peer,
      ratioVsInProcess: ratio,
      cores: availableParallelism(),
      marketShards: Math.min(marketShards, DEFAULT_MARKETS.length),
      marketWorkers: marketWorkers ?? 'default',
      load1: Math.round(loadavg()[0] * 10) / 10,
      wait: steps[0]?.wait ?? wait ?? 'auto',
      meetsGoal: sustained >= GOAL_PER_SEC,
    });
    if (journaled.length > 0) {
      for (const s of journaled) {
        results.push({ suite: SUITE, case: `threaded + journal, offered ${s.rate.toLocaleString('en-US')}/s`, opsPerSec: s.offeredPerSec, p50Ns: 0, p99Ns: 0, samples: 1, eventsPerSec: s.eventsPerSec, backPressure: s.backPressure, sustained: s.sustained, cpuUsPerOrder: s.cpuUsPerOrder, seconds });
      }
      const withJournal = best(journaled);
      results.push({ suite: SUITE, case: 'threaded + journal, highest sustained', opsPerSec: withJournal, p50Ns: 0, p99Ns: 0, samples: journaled.length, ratioJournalOnOff: Math.round((withJournal / Math.max(1, sustained)) * 100) / 100, goal: '≥ 0.8' });
    }
    results.push({
      suite: SUITE,
      case: 'in-process exchange, one thread (peer)',
      opsPerSec: peer,
      p50Ns: Math.round(1e9 / peer),
      p99Ns: 0,
      samples: peerRates.length,
    });
    return results;
  },
};

export default suite;
