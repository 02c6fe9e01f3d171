// oracle-cycle: how long one index cycle takes (poll every idle source, wait for this cycle's answers at
// most collectMs, compute the index) with four venues on 127.0.0.1 answering in their own formats
// (test/fixtures/venues), through the oracle's undici pools.
//
//   case all-fast   the four venues answer at once, cycles 10 ms apart: the cost of the cycle itself
//                   (HTTP round trips on kept-alive connections, parsing, exact conversion, the median)
//   case one-slow   one venue answers after slowMs (past collectMs, within its timeoutMs), cycles paced
//                   paceMs apart as a cadence would: a cycle that asks the slow venue waits collectMs and
//                   no more; the cycles while its request still runs do not ask it again (no pile-up:
//                   slowVenueMaxInFlight must be 1) and do not wait for it
//
// Peer: all-fast, in the same run; one-slow reports its p50 and p99 as ratios of it. Options after `--`:
// cycles=<n> slowMs=<ms> collectMs=<ms> paceMs=<ms>.

import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { nowUs } from '../../gateway/clock.js';
import { IndexSourceStatus } from '../../engine/enums.js';
import { parseOracleConfig } from '../../gateway/oracle/config.js';
import { IndexOracle } from '../../gateway/oracle/oracle.js';
import { venueBody, type VenueName } from '../../test/support/venue-bodies.js';
import { VenueServer } from '../../test/support/venue-server.js';
import { percentile, type CaseResult, type Suite } from '../harness.js';

const SUITE = 'oracle-cycle';
const VENUES: { name: VenueName; symbol: string; bid: string; ask: string }[] = [
  { name: 'binance', symbol: 'BTCUSDT', bid: '60000.0', ask: '60000.2' },
  { name: 'coinbase', symbol: 'BTC-USD', bid: '60001.0', ask: '60001.2' },
  { name: 'okx', symbol: 'BTC-USDT', bid: '59999.0', ask: '59999.2' },
  { name: 'bybit', symbol: 'BTCUSDT', bid: '60002.0', ask: '60002.2' },
];

function option(args: string[], name: string, fallback: number): number {
  const arg = args.find((a) => a.startsWith(`${name}=`));
  const v = arg === undefined ? fallback : Number(arg.slice(name.length + 1));
  if (!(v > 0)) throw new Error(`${SUITE}: ${name} must be a positive number`);
  return v;
}

async function measure(cycles: number, collectMs: number, slowMs: number, paceMs: number): Promise<{ ns: number[]; maxInFlight: number; slowRequests: number; stale: number; cyclesWithSourceInFlight: number }> {
  const servers = await Promise.all(VENUES.map(() => VenueServer.start()));
  const timeMs = () => Math.floor(nowUs() / 1000);
  const refresh = () =>
    VENUES.forEach((v, i) => {
      servers[i]!.behaviour = { body: venueBody(v.name, { bid: v.bid, ask: v.ask, timeMs: timeMs() }), ...(i === 2 && slowMs > 0 ? { delayMs: slowMs } : {}) };
    });
  const config = parseOracleConfig(
    {
      version: 1,
      cadenceMs: 10_000,
      collectMs,
      venues: Object.fromEntries(VENUES.map((v, i) => [v.name, { baseUrl: servers[i]!.url, timeoutMs: Math.max(slowMs * 2, 1_000), retries: 0 }])),
      markets: [{ market: 'BTC-PERP', sources: VENUES.map((v) => ({ venue: v.name, symbol: v.symbol })) }],
    },
    DEFAULT_MARKETS,
  );
  const oracle = new IndexOracle({ config, markets: DEFAULT_MARKETS });
  const ns: number[] = [];
  let stale = 0;
  let waitedOnNothing = 0;
  try {
    refresh();
    await oracle.runCycle(); // warm: connections opened
    for (let i = 0; i < cycles; i++) {
      if (i % 20 === 0) refresh();
      const t = process.hrtime.bigint();
      const [tick] = await oracle.runCycle();
      ns.push(Number(process.hrtime.bigint() - t));
      if (tick!.stale) stale++;
      if (tick!.samples.some((x) => x.status === IndexSourceStatus.IN_FLIGHT)) waitedOnNothing++;
      if (paceMs > 0) await sleep(paceMs);
    }
  } finally {
    await oracle.stop();
    await Promise.all(servers.map((s) => s.close()));
  }
  return { ns: ns.sort((a, b) => a - b), maxInFlight: servers[2]!.maxInFlight, slowRequests: servers[2]!.requests, stale, cyclesWithSourceInFlight: waitedOnNothing };
}

const suite: Suite = {
  description: 'index oracle cycle latency, four local venues in their own formats, then one of them slow',
  async run({ quick, args }): Promise<CaseResult[]> {
    const cycles = option(args, 'cycles', quick ? 30 : 300);
    const collectMs = option(args, 'collectMs', 100);
    const slowMs = option(args, 'slowMs', 1_500);
    const paceMs = option(args, 'paceMs', 250);
    const fast = await measure(cycles, collectMs, 0, 10);
    const slow = await measure(Math.max(10, Math.floor(cycles / 7)), collectMs, slowMs, paceMs);
    const result = (name: string, m: typeof fast, extra: Record<string, number>): CaseResult => ({
      suite: SUITE,
      case: name,
      opsPerSec: 1e9 / (m.ns.reduce((a, b) => a + b, 0) / m.ns.length),
      p50Ns: percentile(m.ns, 50),
      p99Ns: percentile(m.ns, 99),
      samples: m.ns.length,
      staleTicks: m.stale,
      cyclesWithSourceInFlight: m.cyclesWithSourceInFlight,
      ...extra,
    });
    return [
      result('all-fast', fast, {}),
      result(`one-slow (${slowMs} ms, collect ${collectMs} ms)`, slow, { p50VsAllFast: Number((percentile(slow.ns, 50) / percentile(fast.ns, 50)).toFixed(1)), p99VsAllFast: Number((percentile(slow.ns, 99) / percentile(fast.ns, 99)).toFixed(1)), slowVenueMaxInFlight: slow.maxInFlight, slowVenueRequests: slow.slowRequests }),
    ];
  },
};

export default suite;
