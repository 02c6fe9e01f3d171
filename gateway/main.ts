// npm start: the exchange on worker threads (market and risk shards over SPSC rings, journaled under
// --data unless --in-memory), the operator HTTP server on --operator-port (operator/), structured logs
// (log.ts), and the gateway's own feeds: a timer tick every second and the index (simulated, or from the
// venues --oracle names). With --demo, simulated market makers and takers at --rate (demo-driver.ts) and
// a live terminal view of the markets (demo/). Every --stress-every seconds the what-if shock scan runs
// on a piscina pool (risk/stress/). SIGINT or SIGTERM (or --seconds N) stops it cleanly and prints each
// shard's state hash; a shard or journal failure stops it with exit 1. Options: start-options.ts.

import { availableParallelism } from 'node:os';
import { ThreadedExchange } from '../exchange/threaded-exchange.js';
import { Topology } from '../exchange/topology.js';
import { DEFAULT_MARKETS, MarketSpec } from '../engine/market/spec.js';
import { assertLittleEndian } from '../engine/ring/record.js';
import type { RecordBuffer } from '../engine/ring/record.js';
import { OrderFlow } from '../engine/sim/order-flow.js';
import { riskMarket } from '../risk/shard/config.js';
import { uniformShocks } from '../risk/stress/shock-scan.js';
import { ShockScanner } from '../risk/stress/shock-scanner.js';
import type { GatewaySource } from '../exchange/in-process-exchange.js';
import { AlertBook } from '../exchange/surveillance/alert-book.js';
import { MemoryAlertStorage } from '../exchange/surveillance/alert-storage.js';
import { DemoDriver } from './demo-driver.js';
import { helpText, parseStartOptions, SEE_HELP } from './start-options.js';
import { loadOracleConfig, OracleConfigError, type OracleConfig } from './oracle/config.js';
import { feedIndexTicks } from './oracle/index-feed.js';
import { IndexOracle } from './oracle/oracle.js';
import { Durability } from '../exchange/durability.js';
import { PersistenceError } from '../persistence/errors.js';
import { nowUs } from './clock.js';
import { createLogger } from './log.js';
import { startOperatorSide, type OperatorSide } from './operator/operator-side.js';
import { OperatorConfigError } from './operator/tokens.js';
import { MarketView } from './demo/market-view.js';
import { LiveView } from './demo/live-view.js';
import { copyTally, statusLine, stressLine } from './demo/status-line.js';

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
const o = parsed.options;
/** The demo's insurance fund and market swings (docs/OPERATOR.md, "The demo"). */
const DEMO_INSURANCE_USDT = 500n;
const SWING_PERMILLE = 80;
const markets = DEFAULT_MARKETS;

let oracleConfig: OracleConfig | undefined;
try {
  if (o.oracle !== undefined) oracleConfig = loadOracleConfig(o.oracle, markets);
} catch (e) {
  if (e instanceof OracleConfigError) refuse(`--oracle: ${e.message}`);
  throw e;
}

const view = o.demo ? new MarketView(markets) : undefined;
let status = 'starting';
const liveView = view && new LiveView(view, { out: process.stdout, nowUs, header: () => [`perpx demo · ${status}`] });
const log = createLogger({ pretty: o.pretty, destination: liveView?.tty ? liveView.logSink : undefined });

assertLittleEndian();
const topology = Topology.spread(markets, availableParallelism(), o.riskShards);
const riskMarkets = markets.map((m) => riskMarket(m));
let durability: Durability | undefined;
if (!o.inMemory) {
  try {
    durability = await Durability.open({ dir: o.data, log: (line) => log.info(line.replace(/^perpx: /, '')) }, topology, { topology: topology.config, riskMarkets });
  } catch (e) {
    if (!(e instanceof PersistenceError)) throw e;
    console.error(`perpx: cannot use data directory ${o.data}: ${e.message}`);
    process.exit(3);
  }
}

// The operator side comes up first, so /readyz answers "not ready" while the shards recover.
let exchange: ThreadedExchange | undefined;
let marked = false;
let stopping = false;
const alerts = o.surveillance ? new AlertBook(new MemoryAlertStorage()) : undefined;
const specs = new Map(markets.map((m) => [m.marketId, new MarketSpec(m)]));
let operator: OperatorSide;
try {
  operator = await startOperatorSide({
    exchange: () => exchange,
    markets,
    marketShardOf: (id) => topology.marketShardOf(id),
    dataDir: o.inMemory ? undefined : o.data,
    tokensFile: o.operators,
    recovered: (durability?.gatewayCommands() ?? 0) > 0,
    port: o.operatorPort,
    nowUs,
    log,
    oracle: oracleConfig && ((registry) => new IndexOracle({ config: oracleConfig, markets, registry })),
    alerts,
    figures: (id) => {
      const m = view?.markets.get(id);
      const t = driver?.tally;
      return { markTicks: m?.markTicks || t?.markTicks.get(id), indexTicks: m?.indexTicks || undefined, lastTradeTicks: m?.lastTradeTicks || t?.lastTradeTicks.get(id) };
    },
    readiness: () => {
      const reasons: string[] = [];
      if (stopping) reasons.push('stopping');
      else if (exchange === undefined) reasons.push('recovering: the shards are starting and replaying their journals');
      else if (exchange.failure) reasons.push(`halted: ${exchange.failure.message}`);
      else if (exchange.journalFailure) reasons.push(`halted: the journal failed: ${exchange.journalFailure.message}`);
      else if (!marked) reasons.push('waiting for every risk shard to hold a mark of every market');
      return { ready: reasons.length === 0, reasons };
    },
  });
} catch (e) {
  if (e instanceof OperatorConfigError) refuse(`--operators: ${e.message}`);
  if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') refuse(`--operator-port: port ${o.operatorPort} is in use; choose another (0 takes any free port)`);
  throw e;
}
const opUrl = `http://${operator.address.address}:${operator.address.port}`;
log.info({ url: opUrl, audit: operator.auditPath, tokens: operator.tokensPath }, `operator HTTP on ${opUrl} (/healthz /readyz /metrics /operator/...)`);
if (operator.generatedToken !== undefined) {
  // Printed once, never logged: the structured log may be shipped elsewhere.
  console.error(`perpx: generated operator token for "admin" (kept in ${operator.tokensPath}): ${operator.generatedToken}`);
  console.error(`perpx: try  curl -H 'Authorization: Bearer ${operator.generatedToken}' ${opUrl}/operator/markets`);
}

exchange = await ThreadedExchange.start({
  topology,
  riskMarkets,
  wait: o.wait,
  durability,
  surveillance: alerts && {
    onAlert: (a) => {
      alerts.ingest(a).catch((e: Error) => log.error({ err: e }, 'storing a surveillance alert failed'));
      log.warn({ alert: a.id, detector: a.detector, market: a.marketId, score: a.score }, `surveillance alert: ${a.summary}`);
    },
  },
});
const x = exchange;
const flow = new OrderFlow({
  markets: [
    { market: markets[0]!, startMidTicks: 600_000, rungTicks: 5, maxTakerLots: 50, maxQuoteLots: 200 },
    { market: markets[1]!, startMidTicks: 300_000, rungTicks: 5, maxTakerLots: 500, maxQuoteLots: 2_000 },
  ],
  seed: o.seed,
  firstAccountId: 1,
  makers: 8,
  takers: 64,
  quotesPerMaker: 40,
  mix: { quote: 62, cancel: 30, taker: 8 },
  // After a restart, order ids continue past every command already taken (ids are never reused).
  firstOrderId: 1 + (durability?.gatewayCommands() ?? 0),
});
const driver: DemoDriver | undefined = new DemoDriver(x, flow, operator.oracle === undefined);
// Every record the exchange hands the gateway goes to each tap.
driver.tap = (buf: RecordBuffer, at: number, from: GatewaySource): void => {
  operator.listener(buf, at);
  view?.observe(buf, at, from);
};
const listener = driver.listener;
const poll = () => x.poll(listener);

const oracle = operator.oracle;
if (oracle) {
  feedIndexTicks(oracle, x);
  oracle.onStale((e) => log.warn({ market: e.symbol, sources: e.sourcesUsed }, `index ${e.symbol} stale: mark frozen, market reduce-only`));
  oracle.onRecovered((e) => log.info({ market: e.symbol, staleForUs: e.staleForUs }, `index ${e.symbol} recovered`));
  oracle.start();
}

let running = true;
const stop = () => (running = false);
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

async function shutdown(code: number): Promise<never> {
  stopping = true;
  liveView?.stop();
  await oracle?.stop();
  const hashes = await x.stop(listener);
  await operator.close();
  await scanner.close();
  const t = driver!.tally;
  log.info({ commands: t.offered, trades: t.trades, events: t.events, liquidationSteps: t.liquidations, fundings: t.fundings }, `stopped: ${t.offered.toLocaleString('en-US')} commands, ${t.trades.toLocaleString('en-US')} trades, ${t.events.toLocaleString('en-US')} events`);
  const hex = (h: bigint | undefined) => (h === undefined ? 'failed' : h.toString(16));
  log.info({ market: hashes.market.map(hex), risk: hashes.risk.map(hex) }, `state hashes: market ${hashes.market.map(hex).join(' ')} · risk ${hashes.risk.map(hex).join(' ')}`);
  process.exit(code);
}

// The what-if scan: off the shard threads, on a pool that exits when idle.
const scanner = new ShockScanner({ threads: 2 });
const shocks = uniformShocks([-1_000, -2_500, -5_000], markets.length);
let scanInFlight = false;

const rate = o.demo ? o.rate : 0;
// A small insurance fund and thinly funded takers: the demo's swings produce liquidations, and ADL
// once the fund runs short.
if (o.demo) driver.fund(10_000_000n, 100_000n, DEMO_INSURANCE_USDT, { every: 2, usdt: 300n });
else driver.ticks();
try {
  await driver.untilMarked(oracle ? 30_000 : 10_000);
  marked = true;
} catch (e) {
  log.error(`could not start: ${x.failure?.message ?? (e as Error).message}`);
  await shutdown(1);
}
log.info(
  { marketShards: topology.marketShards, riskShards: o.riskShards, wait: o.wait, rate },
  `${topology.marketShards} market shard(s) [${topology.config.marketShards.map((g) => g.map((m) => m.symbol).join('+')).join(', ')}], ${o.riskShards} risk shard(s), wait ${o.wait}; ` +
    (o.demo ? `demo flow at ${rate} commands/s` : 'no order flow (--demo adds one)') +
    '; Ctrl-C stops',
);
liveView?.start();

const started = performance.now();
let sentTotal = 0;
let lastPrint = started;
let lastScan = started;
let lastSwing = started;
let swings = 0;
let last = copyTally(driver.tally);
while (running) {
  const now = performance.now();
  const due = Math.floor(((now - started) / 1000) * rate) - sentTotal;
  if (due > 0) sentTotal += driver.drive(Math.min(due, 4_096));
  poll();
  if (now - lastPrint >= 1000) {
    driver.ticks();
    poll();
    const t = driver.tally;
    status = `[${Math.round((now - started) / 1000)}s] ` + statusLine(t, last, (now - lastPrint) / 1000, specs.values(), x.marketHosts.map((h) => h.stats().handled));
    if (!liveView?.tty && (o.demo || Math.round((now - started) / 1000) % 10 === 0)) log.info(status);
    last = copyTally(t);
    lastPrint = now;
    if (o.stressEvery > 0 && !scanInFlight && now - lastScan >= o.stressEvery * 1000) {
      scanInFlight = true;
      lastScan = now;
      x.scanSnapshots()
        .then((snaps) => scanner.scan(snaps, shocks))
        .then((r) => log.info(stressLine(r)))
        .catch((e: Error) => log.warn(`stress scan failed: ${e.message}`))
        .finally(() => (scanInFlight = false));
    }
    if (o.demo && o.swingEvery > 0 && now - lastSwing >= o.swingEvery * 1000) {
      // Alternate markets and directions: up, then down, so thin longs and thin shorts both get caught.
      const m = markets[swings % markets.length]!;
      const permille = Math.floor(swings / markets.length) % 2 === 0 ? SWING_PERMILLE : -SWING_PERMILLE;
      flow.moveMid(m.marketId, permille);
      log.info({ market: m.symbol, permille }, `demo swing: ${m.symbol} index moves ${permille > 0 ? '+' : ''}${permille / 10}%`);
      swings++;
      lastSwing = now;
    }
    if (o.seconds > 0 && now - started >= o.seconds * 1000) running = false;
  }
  if (x.failure) {
    log.error(`a shard failed, stopping: ${x.failure.stack ?? x.failure.message}`);
    await shutdown(1);
  }
  if (x.journalFailure) {
    log.error(`the journal failed, stopping (nothing more can be made durable): ${x.journalFailure.message}`);
    await shutdown(1);
  }
  await x.waitForOutput(rate > 0 ? 1 : 50);
}
await shutdown(0);
