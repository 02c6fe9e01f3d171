// npm start: runs the exchange on worker threads (market shards and risk shards over SPSC rings) and,
// until the trader gateway lands, drives it with a seeded simulated market from the main thread,
// printing one status line a second. Every --stress-every seconds (default 10; 0 turns it off) it also
// asks each risk worker for a scan snapshot and runs the what-if shock scan on a piscina pool
// (risk/stress/): how many scopes a market-wide move of −10%, −25% or −50% would make liquidatable or
// bankrupt, and what the insurance fund could not cover. Ctrl-C (or --seconds N) stops it and prints
// each shard's state hash. With --oracle FILE the index comes from the index oracle (gateway/oracle/,
// docs/ORACLE.md) polling the venues that file names, instead of the simulated market's.
//
//   npm start -- [--seconds N] [--rate COMMANDS_PER_SECOND] [--risk-shards R] [--seed N] [--stress-every S]
//                [--wait busy-spin|spin-then-park|park] [--oracle FILE] [--data DIR | --in-memory] [--help]
// (start-options.ts: every option, its default and what it accepts; a bad value exits 2 naming it.)
//
// Durable by default: every shard journals its inputs under --data DIR (default ./data), responses are
// released only once durable, and a start on an existing directory recovers every shard from it first
// (docs/ARCHITECTURE.md, "Persistence and recovery"); a directory it cannot use exits 3 saying why.
// --in-memory keeps nothing.
//
// A shard that dies stops the demo: the exchange halts, the status loop ends, stop() returns (it always
// does) and the process exits 1 after printing the failure.

import { availableParallelism } from 'node:os';
import { codeName } from '../engine/codes.js';
import { ThreadedExchange } from '../exchange/threaded-exchange.js';
import { Topology } from '../exchange/topology.js';
import { DEFAULT_MARKETS, MarketSpec } from '../engine/market/spec.js';
import { assertLittleEndian } from '../engine/ring/record.js';
import { OrderFlow } from '../engine/sim/order-flow.js';
import { riskMarket } from '../risk/shard/config.js';
import { uniformShocks } from '../risk/stress/shock-scan.js';
import { ShockScanner, type ShockReport } from '../risk/stress/shock-scanner.js';
import { unitsToDecimal } from '../engine/market/decimal.js';
import { USDT_DECIMALS } from '../engine/market/spec.js';
import { DemoDriver } from './demo-driver.js';
import { helpText, parseStartOptions, SEE_HELP } from './start-options.js';
import { loadOracleConfig, OracleConfigError, type OracleConfig } from './oracle/config.js';
import { feedIndexTicks } from './oracle/index-feed.js';
import { IndexOracle } from './oracle/oracle.js';
import { Durability } from '../exchange/durability.js';
import { PersistenceError } from '../persistence/errors.js';

const parsed = parseStartOptions(process.argv.slice(2));
if (parsed.kind === 'help') {
  console.log(helpText());
  process.exit(0);
}
function refuse(why: string): never {
  console.error(`perpx: ${why}\n${SEE_HELP}`);
  process.exit(2);
}
if (parsed.kind === 'error') refuse(parsed.message);
const { seconds, rate, riskShards, seed, stressEvery, wait } = parsed.options;

let oracleConfig: OracleConfig | undefined;
try {
  if (parsed.options.oracle !== undefined) oracleConfig = loadOracleConfig(parsed.options.oracle, DEFAULT_MARKETS);
} catch (e) {
  if (e instanceof OracleConfigError) refuse(`--oracle: ${e.message}`);
  throw e;
}

assertLittleEndian();
const topology = Topology.spread(DEFAULT_MARKETS, availableParallelism(), riskShards);
const riskMarkets = DEFAULT_MARKETS.map((m) => riskMarket(m));
let durability: Durability | undefined;
if (!parsed.options.inMemory) {
  try {
    const o = parsed.options;
    const snapshots = o.snapshotRecords > 0 ? { everyRecords: o.snapshotRecords, everyMs: o.snapshotSeconds * 1_000, keep: o.snapshotKeep } : undefined;
    durability = await Durability.open({ dir: o.data, snapshots }, topology, { topology: topology.config, riskMarkets });
  } catch (e) {
    if (!(e instanceof PersistenceError)) throw e;
    console.error(`perpx: cannot use data directory ${parsed.options.data}: ${e.message}`);
    process.exit(3);
  }
}
const exchange = await ThreadedExchange.start({ topology, riskMarkets, wait, durability });
const flow = new OrderFlow({
  markets: [
    { market: DEFAULT_MARKETS[0]!, startMidTicks: 600_000, rungTicks: 5, maxTakerLots: 50, maxQuoteLots: 200 },
    { market: DEFAULT_MARKETS[1]!, startMidTicks: 300_000, rungTicks: 5, maxTakerLots: 500, maxQuoteLots: 2_000 },
  ],
  seed,
  firstAccountId: 1,
  makers: 8,
  takers: 64,
  quotesPerMaker: 40,
  mix: { quote: 62, cancel: 30, taker: 8 },
  // After a restart, order ids continue past every command already taken (ids are never reused).
  firstOrderId: 1 + (durability?.gatewayCommands() ?? 0),
});
const driver = new DemoDriver(exchange, flow, oracleConfig === undefined);
const oracle = oracleConfig && new IndexOracle({ config: oracleConfig, markets: DEFAULT_MARKETS });
if (oracle) {
  feedIndexTicks(oracle, exchange);
  oracle.onStale((e) => console.log(`index ${e.symbol} stale (${e.sourcesUsed} sources): mark frozen, market reduce-only`));
  oracle.onRecovered((e) => console.log(`index ${e.symbol} recovered after ${(e.staleForUs / 1e6).toFixed(1)} s`));
  oracle.start();
}
driver.fund(10_000_000n, 100_000n, 250_000n);
try {
  await driver.untilMarked(oracle ? 30_000 : 10_000);
} catch (e) {
  console.error(`perpx: could not start the flow: ${exchange.failure?.message ?? (e as Error).message}`);
  await oracle?.stop();
  await exchange.stop();
  process.exit(1);
}

const specs = new Map(DEFAULT_MARKETS.map((m) => [m.marketId, new MarketSpec(m)]));
console.log(`perpx: ${topology.marketShards} market shard(s) [${topology.config.marketShards.map((g) => g.map((m) => m.symbol).join('+')).join(', ')}], ${riskShards} risk shard(s), wait ${wait}; driving ${rate} commands/s (Ctrl-C stops)`);

// The what-if scan: off the shard threads, on a pool that exits when idle.
const scanner = new ShockScanner({ threads: 2 });
const shocks = uniformShocks([-1_000, -2_500, -5_000], DEFAULT_MARKETS.length);
const usdt = (atoms: bigint) => unitsToDecimal(atoms / 10n ** BigInt(USDT_DECIMALS - 2), { mantissa: 1n, scale: 2 });
const stressLine = (r: ShockReport) =>
  `stress over ${r.scopes.toLocaleString('en-US')} scopes: ` +
  r.outcomes.map((o) => `${o.shock.name} → ${o.liquidatable} liquidatable, ${o.bankrupt} bankrupt, deficit ${usdt(o.deficitAtoms)} USDT, uncovered ${usdt(o.uncoveredAtoms)}`).join(' · ') +
  ` (fund ${usdt(r.outcomes[0]?.insuranceFundAtoms ?? 0n)} USDT)`;
let scanInFlight = false;
let lastScan = performance.now();

let running = true;
const stop = () => (running = false);
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

const started = performance.now();
let sentTotal = 0;
let lastPrint = started;
let last = { ...driver.tally, rejected: new Map(driver.tally.rejected) };
while (running) {
  const now = performance.now();
  const due = Math.floor(((now - started) / 1000) * rate) - sentTotal;
  if (due > 0) sentTotal += driver.drive(Math.min(due, 4_096));
  driver.drain();
  if (now - lastPrint >= 1000) {
    driver.ticks();
    driver.drain();
    const t = driver.tally;
    const dt = (now - lastPrint) / 1000;
    const per = (a: number, b: number) => Math.round((a - b) / dt).toLocaleString('en-US');
    const prices = [...specs.values()].map((s) => `${s.symbol} mark ${t.markTicks.has(s.marketId) ? s.ticksToPrice(t.markTicks.get(s.marketId)!) : '-'} last ${t.lastTradeTicks.has(s.marketId) ? s.ticksToPrice(t.lastTradeTicks.get(s.marketId)!) : '-'}`).join(' · ');
    const rejects = [...t.rejected].filter(([code, n]) => n !== (last.rejected.get(code) ?? 0)).map(([code, n]) => `${codeName(code)}×${n - (last.rejected.get(code) ?? 0)}`).join(' ');
    const stats = exchange.marketHosts.map((h) => h.stats().handled).join('/');
    console.log(`[${Math.round((now - started) / 1000)}s] in ${per(t.offered, last.offered)}/s · events ${per(t.events, last.events)}/s · trades ${per(t.trades, last.trades)}/s · ${prices} · shard inputs ${stats}${t.backPressure > last.backPressure ? ` · back-pressure ${t.backPressure - last.backPressure}` : ''}${rejects ? ` · rejected ${rejects}` : ''}`);
    last = { ...t, rejected: new Map(t.rejected) };
    lastPrint = now;
    if (stressEvery > 0 && !scanInFlight && now - lastScan >= stressEvery * 1000) {
      scanInFlight = true;
      lastScan = now;
      exchange
        .scanSnapshots()
        .then((snaps) => scanner.scan(snaps, shocks))
        .then((r) => console.log(stressLine(r)))
        .catch((e: Error) => console.error(`stress scan failed: ${e.message}`))
        .finally(() => (scanInFlight = false));
    }
    if (seconds > 0 && now - started >= seconds * 1000) running = false;
  }
  if (exchange.failure) {
    console.error(`perpx: a shard failed, stopping: ${exchange.failure.stack ?? exchange.failure.message}`);
    process.exitCode = 1;
    break;
  }
  if (exchange.journalFailure) {
    console.error(`perpx: the journal failed, stopping (nothing more can be made durable): ${exchange.journalFailure.message}`);
    process.exitCode = 1;
    break;
  }
  await exchange.waitForOutput(1);
}

await oracle?.stop();
const hashes = await exchange.stop(driver.listener);
await scanner.close();
const t = driver.tally;
console.log(`stopped: ${t.offered.toLocaleString('en-US')} commands, ${t.trades.toLocaleString('en-US')} trades, ${t.events.toLocaleString('en-US')} events, ${t.liquidations} liquidation steps, ${t.fundings} funding events`);
const hex = (h: bigint | undefined) => (h === undefined ? 'failed' : h.toString(16));
console.log(`state hashes: market ${hashes.market.map(hex).join(' ')} · risk ${hashes.risk.map(hex).join(' ')}`);
