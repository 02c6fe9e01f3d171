// flash-crash: the crash scenarios of test/scenarios/ (crash-scenarios.ts) run whole, as a benchmark of the
// whole exchange in one thread (InProcessExchange: market shard, risk shard, real LiquidationEngine) and as
// the report of what each crash did.
//
//   per scenario: the real one-minute BTC-PERP path of its steepest day scaled to the crash day's open and
//   low (a real day's extremes, not its minutes), 1,440 minutes of 4 index ticks, 2 market-maker requotes
//   and a timer tick, against the scenario population; invariants checked every 60 simulated minutes.
//
// opsPerSec: simulated commands per second (median of the runs); p50/p99: wall time of one simulated
// minute (about 47 commands and everything they set off). Extras: the liquidation, insurance-fund and ADL
// figures of the run (identical in every run: the exchange is deterministic). No peer: nothing else here
// runs a whole exchange. Options after `--`: --runs <n> (default 3; 1 with --quick).

import { performance } from 'node:perf_hooks';
import { unitsToDecimal } from '../../engine/market/decimal.js';
import { runCrash, type CrashRun } from '../../test/scenarios/crash-run.js';
import { CRASH_SCENARIOS } from '../../test/scenarios/crash-scenarios.js';
import { dropText } from '../../test/scenarios/crash-report.js';
import { median, percentile, type CaseResult, type Suite } from '../harness.js';

const SUITE = 'flash-crash';
const BTC_LOT = { mantissa: 1n, scale: 3 };
const USDT = { mantissa: 1n, scale: 6 };

function figures(run: CrashRun): Record<string, string | number> {
  const r = run.report;
  return {
    minutes: r.minutes,
    commands: r.commands,
    records: r.records,
    liquidations: r.triggered,
    partial: r.partialOnly,
    full: r.fullCloses,
    stepDownOrders: r.partialOrders,
    stepDownBtc: unitsToDecimal(r.partialFilledLots, BTC_LOT),
    fullCloseBtc: unitsToDecimal(r.fullFilledLots, BTC_LOT),
    ifTookUsdt: unitsToDecimal(r.fundTookAtoms, USDT),
    ifPaidUsdt: unitsToDecimal(r.fundPaidAtoms, USDT),
    ifFinalUsdt: unitsToDecimal(r.fundFinalAtoms, USDT),
    adlEvents: r.adlEvents,
    adlFills: r.adlFills,
    adlBtc: unitsToDecimal(r.adlLots, BTC_LOT),
    adlNotionalUsdt: unitsToDecimal(r.adlNotionalAtoms, USDT),
    violations: run.violations.length,
  };
}

const suite: Suite = {
  description: 'Crash days (2020-03-12, 2021-05-19 extremes on the real minute path) through the whole in-process exchange: liquidations, insurance fund, ADL',
  async run(ctx) {
    const at = ctx.args.indexOf('--runs');
    const runs = at >= 0 ? Number(ctx.args[at + 1]) : ctx.quick ? 1 : 3;
    const results: CaseResult[] = [];
    for (const scenario of CRASH_SCENARIOS) {
      const rates: number[] = [];
      const minuteNs: number[] = [];
      let last: CrashRun | undefined;
      for (let i = 0; i < runs; i++) {
        let mark = performance.now();
        const started = mark;
        last = runCrash(scenario, {
          checkEveryMinutes: 60,
          onMinute: () => {
            const now = performance.now();
            minuteNs.push(Math.round((now - mark) * 1e6));
            mark = now;
          },
        });
        rates.push(last.report.commands / ((performance.now() - started) / 1e3));
      }
      minuteNs.sort((a, b) => a - b);
      results.push({
        suite: SUITE,
        case: `${scenario.name} ${dropText(last!.report.openTicks, last!.report.lowTicks)}`,
        opsPerSec: Math.round(median(rates)),
        p50Ns: percentile(minuteNs, 50),
        p99Ns: percentile(minuteNs, 99),
        samples: minuteNs.length,
        runs,
        ...figures(last!),
      });
    }
    return results;
  },
};

export default suite;
