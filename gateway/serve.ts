// npm start's second half (main.ts is the first): imported while the shard workers recover, it brings up
// the operator side (so /readyz answers "not ready" meanwhile), waits for the exchange's recovery, then
// the trader gateway with its store, market data and the MQTT bus, the index sources and the oracle, the
// demo, and runs until SIGINT, SIGTERM, --seconds or a failure stops it.

import { join } from 'node:path';
import type { ThreadedExchange } from '../exchange/threaded-exchange.js';
import type { Topology } from '../exchange/topology.js';
import type { Durability } from '../exchange/durability.js';
import type { MarketConfig } from '../engine/market/spec.js';
import { RecordBuffer } from '../engine/ring/record.js';
import { stateHashHex } from '../engine/shard/hash.js';
import { uniformShocks } from '../risk/stress/shock-scan.js';
import type { ShockScanner } from '../risk/stress/shock-scanner.js';
import { MAX_MARKETS } from '../engine/market/listing.js';
import { MarketRegistry } from './markets/market-registry.js';
import type { DurableAlerts, SurveillanceRecords } from '../exchange/surveillance/durable-alerts.js';
import { ownerRecord } from '../exchange/surveillance/owner-links.js';
import type { AlertBus } from './surveillance/alert-sink.js';
import { crashPointHook } from '../persistence/crash-points.js';
import { RecordType } from '../engine/ring/types.js';
import { MemoryStore } from '../persistence/memory-store.js';
import { RocksStore } from '../persistence/rocksdb-store.js';
import type { Store } from '../persistence/store.js';
import type { StartOptions } from './start-options.js';
import { refuse, refuseDataDir } from './start-exits.js';
import type { OracleConfig } from './oracle/config.js';
import { feedIndexTicks } from './oracle/index-feed.js';
import { nowUs } from './clock.js';
import type { Logger } from './log.js';
import { Gateway } from './gateway.js';
import { mountMarketData } from './market-data/ws-channels.js';
import { marketDataSamples } from './operator/market-data-metrics.js';
import { gatewaySamples } from './operator/gateway-metrics.js';
import { startOperatorSide, type OperatorSide } from './operator/operator-side.js';
import { OperatorConfigError } from './operator/tokens.js';
import type { MarketView } from './demo/market-view.js';
import type { LiveView } from './demo/live-view.js';
import type { DemoBots } from './demo/bots.js';
import { DemoPacer } from './demo/pacer.js';
import { SimIndex } from './demo/sim-index.js';
import { IndexSources } from './oracle/index-sources.js';
import { demoFunds, DEMO_SWING_PERMILLE, DEMO_RATE_LIMITS } from './demo/demo-setup.js';
import { sample, statusLine, stressLine } from './demo/status-line.js';

/** What main.ts opened and started. */
export interface Opened {
  readonly o: StartOptions;
  /** The configured markets (serve() adds the listed ones in its registry). */
  readonly markets: readonly MarketConfig[];
  readonly topology: Topology;
  /** Undefined with --in-memory. */
  readonly durability: Durability | undefined;
  /** The exchange's start, begun by main.ts: resolves once every shard has recovered. */
  readonly starting: Promise<ThreadedExchange>;
  readonly log: Logger;
  readonly view: MarketView;
  readonly liveView: LiveView | undefined;
  /** The demo's status line (the live view's header). */
  readonly shown: { status: string };
  /** With --surveillance. */
  readonly records: SurveillanceRecords | undefined;
  readonly durableAlerts: DurableAlerts | undefined;
  readonly oracleConfig: OracleConfig | undefined;
  /** Where the alerts main.ts stores are announced: set here once the bus is up. */
  readonly alertBus: { bus?: AlertBus };
}

const ORDER_OPS: ReadonlySet<string> = new Set(['place', 'batchPlace', 'cancel', 'amend', 'cancelReplace', 'cancelAll']);

/** Serves until stopped, then exits the process (0 when stopped, 1 on a failure). */
export async function serve(opened: Opened): Promise<never> {
  const { o, topology, durability, log, view, liveView, shown, records, durableAlerts, oracleConfig } = opened;
  const configured = opened.markets;
  // The gateway's one list of markets: the configured ones, then those the recovered shards hold from
  // listings, then each an operator lists (gateway/markets/market-registry.ts).
  const markets = new MarketRegistry(configured);
  markets.onAdd((m) => view.addMarket(m));
  // The operator side comes up first, so /readyz answers "not ready" while the shards recover.
  let exchange: ThreadedExchange | undefined;
  let gateway: Gateway | undefined;
  let marked = false;
  let indexSources: IndexSources | undefined;
  let stopping = false;
  const ownerScratch = RecordBuffer.allocate(1);
  /** Gives an operator's owner link to the surveillance workers now (false while the exchange is not up or they are full). */
  const applyOwner = (accountId: number, ownerId: number): boolean => {
    if (exchange === undefined) return false;
    ownerRecord(ownerScratch, accountId, ownerId);
    if (!exchange.offer(ownerScratch, 0)) return false;
    exchange.flush();
    return true;
  };
  // What a start without --oracle, the bus, --demo or stress scans never runs is imported only when it
  // does (undici, aedes and mqtt, the demo's clients, piscina): a second of CPU a restart would share with
  // the shards' recovery on a loaded two-core machine.
  const IndexOracle = oracleConfig && (await import('./oracle/oracle.js')).IndexOracle;
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
      oracle: oracleConfig && IndexOracle && ((registry) => new IndexOracle({ config: oracleConfig, markets: configured, registry })),
      surveillance: records && { ...records, applyOwner },
      keys: () => gateway?.keys,
      indexSources: () => indexSources,
      figures: (id) => {
        const m = view.markets.get(id);
        return { markTicks: m?.markTicks || undefined, indexTicks: m?.indexTicks || undefined, lastTradeTicks: m?.lastTradeTicks || undefined };
      },
      readiness: () => {
        const reasons: string[] = [];
        if (stopping) reasons.push('stopping');
        else if (exchange === undefined) reasons.push('recovering: the shards are starting and replaying their journals');
        else if (exchange.failure) reasons.push(`halted: ${exchange.failure.message}`);
        else if (exchange.journalFailure) reasons.push(`halted: the journal failed: ${exchange.journalFailure.message}`);
        else if (gateway === undefined) reasons.push('the trader gateway is starting');
        else if (!gateway.ready) reasons.push('loading the read models and books from the shards, the tickers from the gateway store');
        else if (!marked) reasons.push('waiting for every risk shard to hold a mark of every configured market');
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

  // The shards have been starting since main.ts opened the directory; they serve once every one recovered.
  try {
    exchange = await opened.starting;
  } catch (e) {
    // A journal that fails its checks while the shards replay it (a checksum, a gap, the cut): never ready.
    refuseDataDir(o.data, e);
  }
  const x = exchange;
  markets.addListings(x.listedAtStart());

  // The trader gateway: its own store (keys, accounts, idempotency, order history, fills, tickers) beside the shards' journal.
  const store: Store = o.inMemory ? new MemoryStore() : await RocksStore.open(join(o.data, 'gateway'), { createIfMissing: true });
  gateway = new Gateway({
    exchange: x,
    store,
    markets,
    firstId: 1 + (durability?.gatewayCommands() ?? 0),
    // The demo's bots all trade from 127.0.0.1: the per-address limit is raised for them.
    rateLimits: o.demo ? DEMO_RATE_LIMITS : undefined,
    // Order-to-ack: the order-entry operations only (queries and logins would dilute it).
    onResponse: (op, _code, rxUs, txUs) => {
      if (ORDER_OPS.has(op)) operator.metrics.observeAck((txUs - rxUs) / 1_000_000);
    },
  });
  const gw = gateway;
  // Public market data: the hub and its WebSocket channels (docs/MARKET-DATA.md), and with --mqtt the bus.
  const hub = mountMarketData(gw);
  // On by default: --mqtt URL, else $MQTT_URL, else a broker of its own (credentials and TLS from MQTT_* variables).
  const bus =
    o.mqtt === 'none'
      ? undefined
      : await (await import('./bus/market-data-bus.js')).startMarketDataBus(hub, {
          url: o.mqtt === undefined || o.mqtt === 'embedded' ? undefined : o.mqtt,
          env: o.mqtt === 'embedded' ? { ...process.env, MQTT_URL: '' } : process.env,
          embeddedPort: o.mqttPort,
        });
  if (bus) {
    opened.alertBus.bus = bus.publisher;
    log.info({ url: bus.url }, `market data on the MQTT bus at ${bus.url}${bus.broker ? ' (embedded broker)' : ''}`);
  }
  operator.metrics.addSamples(() => marketDataSamples(hub.stats, bus?.publisher.stats));
  operator.metrics.addSamples(() => gatewaySamples(gw.stats));
  if (durability) {
    const d = durability;
    operator.metrics.addSamples(() => [
      {
        name: 'perpx_replay_backlog_records',
        help: 'Durable journal records after the shard\'s newest snapshot: what a restart now would replay for it.',
        type: 'gauge',
        samples: d.replayBacklog().map((value, x) => ({ labels: { shard: x < topology.marketShards ? `market${x}` : `risk${x - topology.marketShards}` }, value })),
      },
    ]);
  }
  gw.addListener((buf, at) => operator.listener(buf, at));
  // The crash tests' named points "liquidation" and "adl" (persistence/crash-points.ts): off unless PERPX_CRASH_AT is set.
  const crashPoint = crashPointHook();
  if (crashPoint) {
    gw.addListener((buf, at) => {
      const t = buf.type(at);
      if (t === RecordType.LiquidationProgressed) crashPoint('liquidation');
      else if (t === RecordType.AdlExecuted) crashPoint('adl');
    });
  }
  gw.addListener({ onRecord: (buf, at, from) => view.observe(buf, at, from), restore: (states) => view.restore(states) });
  operator.metrics.addEdgeSource('gateway', () => {
    const s = gw.stats;
    return { connections: s.connections, messagesOut: s.userFramesOut, droppedSlowConsumers: s.slowConsumers };
  });
  let port: number;
  try {
    port = await gw.listen(o.port);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    await x.stop();
    refuse(`--port: port ${o.port} is in use; choose another (0 takes any free port)`);
  }
  // Each market's status as its shard holds it (a halt survives a restart), unless an operator set one since.
  for (const m of gw.restored?.market ?? []) for (const b of m.markets) operator.commands.loadStatus(b.marketId, b.halted);
  const url = `ws://127.0.0.1:${port}`;
  log.info({ url }, `trader gateway on ${url} (WebSocket, msgpack: docs/PROTOCOL.md)`);

  // The index: per market the source an operator chose (kept in the gateway's store), else the oracle's
  // for the markets it prices (--oracle), else the simulated walk (oracle/index-sources.ts).
  const oracle = operator.oracle;
  const walk = new SimIndex(demoFunds.markets, o.seed, DEMO_SWING_PERMILLE);
  const sim = oracle ? undefined : walk;
  for (const m of gw.restored?.market ?? []) for (const b of m.markets) walk.resume(b.marketId, b.indexTicks);
  const sources = await IndexSources.open({ markets, sim: walk, oracle, exchange: x, store, clock: nowUs, currentIndex: (id) => view.markets.get(id)?.indexTicks || undefined });
  indexSources = sources;
  log.info(`index sources: ${markets.list().map((m) => `${m.symbol} ${sources.choiceOf(m.marketId)!.source}`).join(', ')} (PUT /operator/markets/:symbol/index-source changes one)`);
  if (oracle) {
    feedIndexTicks(oracle, x, (t) => sources.fromOracle(t.marketId));
    oracle.onStale((e) => log.warn({ market: e.symbol, sources: e.sourcesUsed }, `index ${e.symbol} stale: mark frozen, market reduce-only`));
    oracle.onRecovered((e) => log.info({ market: e.symbol, staleForUs: e.staleForUs }, `index ${e.symbol} recovered`));
    oracle.start();
  }
  sources.tick(nowUs());

  let running = true;
  const stop = () => (running = false);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  let scanner: ShockScanner | undefined;
  const shocks = uniformShocks([-1_000, -2_500, -5_000], MAX_MARKETS);
  let bots: DemoBots | undefined;

  async function shutdown(code: number): Promise<never> {
    stopping = true;
    // A market listing still waiting for its answers is answered now (outcome unknown; a restart shows it).
    operator.listings.close();
    liveView?.stop();
    await bots?.stop();
    await oracle?.stop();
    await bus?.stop();
    await gw.close();
    const hashes = await x.stop(gw.dispatcher.listener);
    await gw.written();
    await store.close();
    await durableAlerts?.close();
    await operator.close();
    await scanner?.close();
    const hex = (h: bigint | undefined) => (h === undefined ? 'failed' : stateHashHex(h));
    log.info({ market: hashes.market.map(hex), risk: hashes.risk.map(hex) }, `stopped; state hashes: market ${hashes.market.map(hex).join(' ')} · risk ${hashes.risk.map(hex).join(' ')}`);
    process.exit(code);
  }

  // Ready once every risk shard holds a mark of every configured market (before that it refuses every order;
  // a listed market has none until an operator chooses its index source).
  const deadline = Date.now() + (oracle ? 30_000 : 10_000);
  for (;;) {
    if (x.halted || Date.now() > deadline) {
      log.error(`could not start: ${x.failure?.message ?? 'no mark in every risk shard in time'}`);
      await shutdown(1);
    }
    if ((await x.scanSnapshots()).every((s) => configured.every((m) => s.markets.some((k) => k.marketId === m.marketId && k.markTicks > 0n)))) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  marked = true;
  if (o.stressEvery > 0) scanner = new (await import('../risk/stress/shock-scanner.js')).ShockScanner({ threads: 2 });

  if (o.demo && sim) {
    demoFunds.insurance(x, topology.riskShards, nowUs());
    bots = await (await import('./demo/bots.js')).DemoBots.start({ url, gateway: gw, index: sim, seed: o.seed, maxLots: demoFunds.maxLots });
    const g = bots.guest;
    console.error(`perpx: demo account ${g.accountId} (${g.usdt} USDT) for you: keyId ${g.keyId}, Ed25519 seed ${g.secretHex}`);
    console.error(`perpx: log in with the client of gateway/client/: PerpxClient.connect('${url}') then login({ keyId, alg: 'ed25519', secret })`);
  }
  log.info(
    { marketShards: topology.marketShards, riskShards: o.riskShards, wait: x.wait },
    `${topology.marketShards} market shard(s) [${topology.config.marketShards.map((g) => g.map((m) => m.symbol).join('+')).join(', ')}], ${o.riskShards} risk shard(s), wait ${x.wait}; ` +
      (bots ? `demo bots at ${o.rate} orders/s` : 'no order flow (--demo adds one)') +
      '; Ctrl-C stops',
  );
  liveView?.start();

  /** Seconds before the demo's first index swing (then every --swing-every). */
  const FIRST_SWING_S = 5;
  const started = performance.now();
  let lastPrint = started;
  let lastScan = started;
  let lastSwing = started;
  let scanInFlight = false;
  let swung = false;
  let last = sample(bots?.tally, view);
  const pacer = new DemoPacer(bots ? o.rate : 0);
  while (running) {
    const now = performance.now();
    if (bots) {
      const n = pacer.due(now - started);
      if (n > 0) bots.act(n);
    }
    if (now - lastPrint >= 1000) {
      sources.tick(nowUs());
      const s = sample(bots?.tally, view);
      shown.status = `[${Math.round((now - started) / 1000)}s] ` + statusLine(s, last, (now - lastPrint) / 1000, view, x.marketHosts.map((h) => h.stats().handled));
      if (!liveView?.tty && (o.demo || Math.round((now - started) / 1000) % 10 === 0)) log.info(shown.status);
      last = s;
      lastPrint = now;
      if (scanner && !scanInFlight && now - lastScan >= o.stressEvery * 1000) {
        scanInFlight = true;
        lastScan = now;
        const sc = scanner;
        x.scanSnapshots()
          .then((snaps) => sc.scan(snaps, shocks))
          .then((r) => log.info(stressLine(r)))
          .catch((e: Error) => log.warn(`stress scan failed: ${e.message}`))
          .finally(() => (scanInFlight = false));
      }
      // The first swing comes early (after at most FIRST_SWING_S), then every --swing-every seconds.
      if (bots && sim && o.swingEvery > 0 && now - lastSwing >= (swung ? o.swingEvery : Math.min(o.swingEvery, FIRST_SWING_S)) * 1000) {
        swung = true;
        const w = sim.swing();
        bots.pull(w.market.marketId);
        log.info({ market: w.market.symbol, permille: w.permille }, `demo swing: ${w.market.symbol} index moves ${w.permille > 0 ? '+' : ''}${w.permille / 10}%`);
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
    // The gateway's dispatch loop reads the exchange; this loop only paces the demo and the status.
    await new Promise((r) => setTimeout(r, bots ? 2 : 50));
  }
  return shutdown(0);
}
