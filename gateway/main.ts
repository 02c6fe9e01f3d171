// npm start: the whole exchange on this machine. The shards on worker threads (journaled under --data
// unless --in-memory), the trader gateway on --port (WebSocket, msgpack: docs/PROTOCOL.md), the operator
// HTTP server on --operator-port (operator/), structured logs (log.ts), and the gateway's feeds: a timer
// tick every second (the Gateway's) and the index (simulated by demo/sim-index.ts, or from the venues
// --oracle names). With --demo: market makers and takers as WebSocket clients of the gateway (demo/bots.ts),
// demo accounts with printed keys, index swings, and a live terminal view (demo/live-view.ts). Every
// --stress-every seconds the what-if shock scan runs on a piscina pool (risk/stress/). SIGINT or SIGTERM
// (or --seconds N) stops it cleanly and prints each shard's state hash; a shard or journal failure stops
// it with exit 1. Options: start-options.ts; the whole story: docs/OPERATOR.md.
//
// This file is the start's first half, and imports only what it needs: it checks the options, opens the
// data directory and starts the shard workers, which load their modules, decode their snapshots and
// replay their journals while the rest of the gateway (serve.ts: the operator side, the trader gateway,
// market data, the MQTT bus, the oracle, the demo) loads beside them. A restart used to spend its first
// two seconds loading that before it opened anything (docs/ARCHITECTURE.md, "Recovery").

import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ThreadedExchange } from '../exchange/threaded-exchange.js';
import { Topology } from '../exchange/topology.js';
import { DEFAULT_MARKETS } from '../engine/market/spec.js';
import { assertLittleEndian } from '../engine/ring/record.js';
import { riskMarket } from '../risk/shard/config.js';
import type { DurableAlerts, SurveillanceRecords } from '../exchange/surveillance/durable-alerts.js';
import { alertSink, type AlertBus } from './surveillance/alert-sink.js';
import { Durability } from '../exchange/durability.js';
import { crashBreakWarning } from '../persistence/crash-points.js';
import { helpText, parseStartOptions, snapshotPolicyOf } from './start-options.js';
import { refuse, refuseDataDir } from './start-exits.js';
import { loadOracleConfig, OracleConfigError, type OracleConfig } from './oracle/config.js';
import { nowUs } from './clock.js';
import { createLogger } from './log.js';
import { MarketView } from './demo/market-view.js';
import { LiveView } from './demo/live-view.js';

const parsed = parseStartOptions(process.argv.slice(2));
if (parsed.kind === 'help') {
  console.log(helpText());
  process.exit(0);
}
if (parsed.kind === 'error') refuse(parsed.message);
const o = parsed.options;
// The crash harness's deliberately broken build (persistence/crash-points.ts) must never pass unnoticed.
const breakWarning = crashBreakWarning();
if (breakWarning !== undefined) console.error(breakWarning);
if (o.port !== 0 && o.port === o.operatorPort) refuse(`--port and --operator-port: both are ${o.port}; they need two ports`);
const markets = DEFAULT_MARKETS;

let oracleConfig: OracleConfig | undefined;
try {
  if (o.oracle !== undefined) oracleConfig = loadOracleConfig(o.oracle, markets);
} catch (e) {
  if (e instanceof OracleConfigError) refuse(`--oracle: ${e.message}`);
  throw e;
}

const view = new MarketView(markets);
/** The demo's status line, the live view's header. */
const shown = { status: 'starting' };
const liveView = o.demo ? new LiveView(view, { out: process.stdout, nowUs, header: () => [`perpx demo · ${shown.status}`] }) : undefined;
const log = await createLogger({ pretty: o.pretty, destination: liveView?.tty ? liveView.logSink : undefined });

// SIGINT or SIGTERM before serve.ts takes the signals over (the shards recovering, the gateway's half
// loading) stops the start at once and cleanly: nothing has been answered yet, and the data directory is
// as a kill -9 leaves it, which the next start recovers (the crash tests prove that of every instant).
// One listener stays for the whole run and only its action changes: removing a signal's last listener
// stops its handle, and a signal delivered but not yet dispatched would then be lost.
let onSignal: (signal: NodeJS.Signals) => void = (signal) => {
  log.info(`${signal} while starting: stopped before serving anyone; the next start recovers the data directory`);
  process.exit(0);
};
const signalled = (signal: NodeJS.Signals) => onSignal(signal);
process.on('SIGINT', signalled);
process.on('SIGTERM', signalled);
/** serve.ts's orderly stop takes the signals over; the first signal then runs it, a second one kills. */
const takeSignals = (stop: () => void) => {
  onSignal = () => {
    process.off('SIGINT', signalled);
    process.off('SIGTERM', signalled);
    stop();
  };
};

assertLittleEndian();
const topology = Topology.spread(markets, availableParallelism(), o.riskShards);
const riskMarkets = markets.map((m) => riskMarket(m));
let durability: Durability | undefined;
if (!o.inMemory) {
  try {
    const snapshots = snapshotPolicyOf(o);
    // The journals are read while the shards replay them (ThreadedExchange.start awaits the read's checks).
    durability = await Durability.begin({ dir: o.data, snapshots, log: (line) => log.info(line.replace(/^perpx: /, '')) }, topology, { topology: topology.config, riskMarkets });
  } catch (e) {
    refuseDataDir(o.data, e);
  }
}

// Surveillance alerts are kept in a RocksDB store of their own (the journal writer holds the data
// directory's lock), so acknowledged and escalated alerts survive a restart; --in-memory keeps nothing.
let durableAlerts: DurableAlerts | undefined;
let records: SurveillanceRecords | undefined;
if (o.surveillance) {
  const { loadSurveillanceRecords, openDurableAlerts } = await import('../exchange/surveillance/durable-alerts.js');
  const { MemoryAlertStorage } = await import('../exchange/surveillance/alert-storage.js');
  durableAlerts = o.inMemory ? undefined : await openDurableAlerts(join(o.data, 'alerts'));
  records = durableAlerts ?? (await loadSurveillanceRecords(new MemoryAlertStorage()));
}
/** The MQTT bus's operator topic, once serve.ts has started the bus (an alert stored before is not announced). */
const alertBus: { bus?: AlertBus } = {};
const storeAlert = records
  ? alertSink(records.book, {
      bus: { publishOther: (topic, payload, qos, retain) => alertBus.bus?.publishOther(topic, payload, qos, retain) ?? false },
      onError: (e, a) => log.error({ err: e, alert: a.id }, 'storing a surveillance alert failed'),
    })
  : undefined;

// The shards start now; serve.ts awaits their recovery (a failure of it, of a worker or of the journal's
// checks, is handled there as the start's failure, not as an unhandled rejection meanwhile).
const starting = ThreadedExchange.start({
  topology,
  riskMarkets,
  wait: o.wait === 'auto' ? undefined : o.wait,
  durability,
  surveillance: records && {
    // Links operators declared before this start, given to the workers before the market shards replay.
    owners: records.owners.pairs(),
    onIntegrity: (r) => {
      void records!.integrity.put(r).catch((e: unknown) => log.error({ err: e, market: r.marketId, day: r.day }, 'storing an integrity report failed'));
    },
    onAlert: (a) => {
      // Stored first, then (when new) announced on the bus's operator topic: a replayed alert is not news.
      void storeAlert!(a).then((fresh) => {
        if (fresh) log.warn({ alert: a.id, detector: a.detector, market: a.marketId, score: a.score }, `surveillance alert: ${a.summary}`);
      });
    },
  },
});
starting.catch(() => {});
// Every shard's snapshot is checked (a few milliseconds on the main thread) before the rest of the gateway
// loads there, so no worker's start waits behind that load; the journal read then shares the main thread
// with it. A failed check is the start's failure, reported by serve.ts.
if (durability) {
  const d = durability;
  await Promise.allSettled(Array.from({ length: topology.marketShards + topology.riskShards }, (_, x) => d.replayOf(x)));
}

const { serve } = await import('./serve.js');
await serve({ o, markets, topology, durability, starting, log, view, liveView, shown, records, durableAlerts, oracleConfig, alertBus, takeSignals });
