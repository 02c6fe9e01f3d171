// The load generator's gateway target, in a process of its own: the threaded exchange (BTC-PERP and
// ETH-PERP, one market shard each, one risk shard) behind the trader gateway on a free loopback port,
// with a mark in every market, and one funded account with a trade key per load connection. Prints
// "cred <keyId> <ed25519 seed hex>" per account, then "listening <port>"; SIGTERM stops it. SIGUSR2
// prints "stats {json}" (target-stats.ts: event-loop delay, GC pauses, records and frames since the last
// SIGUSR2) and starts the next window: the load generator asks before and after each run.
//
//   node dist/bench/loadgen/gateway-target.js [--accounts N] [--durable] [--wait auto|busy-spin|spin-then-park|park] [--trace DIR]
// --durable journals under a temporary data directory (acknowledge after durable), removed on exit, and
// keeps the gateway's own store (keys, idempotency records) in RocksDB beside it, as `npm start` does;
// without it both are in memory, as `npm start -- --in-memory` has them.
// --trace runs the ring tracer (ring-trace.ts) and writes, at each SIGUSR2, the orders answered in the
// window and the main thread's GC pauses to DIR/target-<pid>-<window>.json (the load generator's --trace
// writes the client side beside them; trace-report.ts joins the two).
// The per-key and per-address rate limits are lifted: the load comes from one address by design.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { UpdateIndexPriceLayout } from '../../engine/ring/layouts/update-index-price.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { Durability } from '../../exchange/durability.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { parseWaitChoice, Topology, WAIT_CHOICES } from '../../exchange/topology.js';
import type { WaitStrategyName } from '../../engine/ring/wait-strategy-by-name.js';
import { fail, parseCli } from '../lib/cli.js';
import { nowUs } from '../../gateway/clock.js';
import { generateEd25519 } from '../../gateway/client/keys.js';
import { Gateway } from '../../gateway/gateway.js';
import { MemoryStore } from '../../persistence/memory-store.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { riskMarket } from '../../risk/shard/config.js';
import { RingTrace } from './ring-trace.js';
import { TargetStats } from './target-stats.js';

const values = parseCli('gateway-target', 'node dist/bench/loadgen/gateway-target.js [options]', {
  accounts: { type: 'string', default: '16', arg: 'N', help: 'funded accounts, one trade key each' },
  durable: { type: 'boolean', help: 'journal under a temporary data directory (acknowledge after durable)' },
  wait: { type: 'string', default: 'auto', arg: WAIT_CHOICES.join('|'), help: 'how shard threads wait (auto: exchange/topology.ts defaultWait)' },
  trace: { type: 'string', default: '', arg: 'DIR', help: 'stamp every order at each ring hop (ring-trace.ts) and write them to DIR per window' },
});
const accounts = Number(values.accounts);
if (!Number.isSafeInteger(accounts) || accounts < 1) fail('gateway-target', `--accounts '${values.accounts}' must be a positive whole number`);
let wait: WaitStrategyName | undefined;
try {
  wait = parseWaitChoice(values.wait);
} catch (e) {
  fail('gateway-target', (e as Error).message);
}
const markets = DEFAULT_MARKETS;
const topology = Topology.spread(markets, availableParallelism(), 1);
const riskMarkets = markets.map((m) => riskMarket(m));
const dir = values.durable ? mkdtempSync(join(tmpdir(), 'perpx-loadgen-')) : undefined;
const durability = dir ? await Durability.open({ dir, log: () => {} }, topology, { topology: topology.config, riskMarkets }) : undefined;
const exchange = await ThreadedExchange.start({ topology, riskMarkets, durability, ringCapacity: 16_384, wait });
const store = dir ? await RocksStore.open(join(dir, 'gateway'), { createIfMissing: true }) : new MemoryStore();
const unlimited = { capacity: 1e9, refillPerSecond: 1e9 };
const gateway = new Gateway({ exchange, store, markets, rateLimits: { perKey: unlimited, perIp: unlimited }, limits: { maxConnectionsPerIp: 10_000 } });
const port = await gateway.listen(0);

const buf = RecordBuffer.allocate(1);
/**
 * The index of each market, as an oracle would send it. Sent again every second: a market whose index is
 * silent longer than the staleness window (10 s) goes reduce-only, and every order of the load (bids that
 * open a position) was then refused MARKET_REDUCE_ONLY, which runs of more than about ten seconds counted
 * as refusals (bench/RESULTS.md, "Session of 2026-12-07, second"). A tick the ring cannot take now is
 * simply the next second's.
 */
const sendIndex = (): void => {
  for (const [marketId, price] of [
    [1, 600_000],
    [2, 300_000],
  ] as const) {
    encodeRecord(buf, 0, UpdateIndexPriceLayout, { marketId, timeUs: nowUs() }, { indexPriceTicks: price, sourcesUsed: 3, stale: 0 });
    exchange.offer(buf, 0);
  }
  exchange.flush();
};
sendIndex();
const indexTimer = setInterval(sendIndex, 1_000);
while (!(await exchange.scanSnapshots()).every((s) => s.markets.filter((m) => m.markTicks > 0n).length === markets.length)) await new Promise((r) => setTimeout(r, 10));

for (let i = 0; i < accounts; i++) {
  const accountId = await gateway.keys.createAccount('loadgen');
  const pair = generateEd25519();
  const { keyId } = await gateway.keys.createKey('loadgen', { accountId, alg: 'ed25519', publicKey: pair.publicKey, scopes: ['read', 'trade'] });
  const a = await gateway.operatorDeposit('loadgen', accountId, 1_000_000n * 1_000_000n);
  if (!a.ok) throw new Error(`deposit refused: ${a.code}`);
  console.log(`cred ${keyId} ${Buffer.from(pair.seed).toString('hex')}`);
}
const stats = new TargetStats(() => ({ records: gateway.stats.recordsDispatched, userFrames: gateway.stats.userFramesOut, requests: gateway.stats.requests, storeBatches: gateway.stats.storeBatches, storeOps: gateway.stats.storeOps }));
if (values.trace !== '') mkdirSync(values.trace, { recursive: true });
const trace = values.trace !== '' ? await RingTrace.start(exchange, nowUs) : undefined;
/** --trace: the main thread's GC pauses, [start, duration] µs on the gateway's clock, and the kind (perf_hooks constants: 1 minor, 4 major, 8 incremental, 16 weak callbacks). */
const gcPauses: [number, number, number][] = [];
if (trace) {
  new PerformanceObserver((l) =>
    l.getEntries().forEach((e) => gcPauses.push([Math.round((performance.timeOrigin + e.startTime) * 1000), Math.round(e.duration * 1000), ((e as { detail?: { kind?: number } }).detail?.kind ?? 0)])),
  ).observe({ entryTypes: ['gc'] });
}
let window = 0;
process.on('SIGUSR2', () => {
  const w = window++;
  void (async () => {
    if (trace) writeFileSync(join(values.trace, `target-${process.pid}-${w}.json`), JSON.stringify({ ...(await trace.dump()), gc: gcPauses.splice(0) }));
    console.log(`stats ${JSON.stringify(stats.take())}`);
  })();
});
console.log(`wait ${exchange.wait}`);
console.log(`listening ${port}`);

const stop = async () => {
  clearInterval(indexTimer);
  stats.stop();
  await trace?.stop();
  await gateway.close();
  await exchange.stop(gateway.dispatcher.listener);
  await store.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
