// An operator server over a real threaded exchange (in memory), a poll loop feeding the metrics and the
// operator commands, a temporary audit log and two operators: "admin" with every role, "viewer" with
// exchange:read only.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { Side } from '../../../engine/enums.js';
import { encodeRecord } from '../../../engine/ring/layouts/index.js';
import { MarkPriceUpdatedLayout } from '../../../engine/ring/layouts/mark-price-updated.js';
import { OrderAcceptedLayout } from '../../../engine/ring/layouts/order-accepted.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { RecordType } from '../../../engine/ring/types.js';
import { indexTick, place } from '../../support/commands.js';
import { ThreadedExchange } from '../../../exchange/threaded-exchange.js';
import { Topology } from '../../../exchange/topology.js';
import { riskMarket } from '../../../risk/shard/config.js';
import { nowUs } from '../../../gateway/clock.js';
import { createLogger } from '../../../gateway/log.js';
import { AuditLog } from '../../../gateway/operator/audit-log.js';
import { exchangeRoutes } from '../../../gateway/operator/exchange-routes.js';
import { ExchangeMetrics } from '../../../gateway/operator/metrics.js';
import { OperatorCommands } from '../../../gateway/operator/operator-commands.js';
import { MarketListings } from '../../../gateway/operator/market-listings.js';
import { MarketRegistry } from '../../../gateway/markets/market-registry.js';
import { OperatorServer, type Readiness, type Router } from '../../../gateway/operator/server.js';
import { ALL_ROLES, OperatorRole, OperatorTokens } from '../../../gateway/operator/tokens.js';

export const ADMIN = 'admin-token-0123456789abcdef';
export const VIEWER = 'viewer-token-0123456789abcdef';

export interface Harness {
  url: string;
  exchange: ThreadedExchange;
  /** The markets the routes serve: POST /operator/markets adds to it. */
  markets: MarketRegistry;
  listings: MarketListings;
  metrics: ExchangeMetrics;
  audit: AuditLog;
  auditPath: string;
  logLines: string[];
  readiness: { value: Readiness };
  /** Per market, every index price its market shard published (MarkPriceUpdated), oldest first. */
  indexes: Map<number, number[]>;
  /** Resolves once the market shard of marketId has published an index equal to indexTicks. */
  untilIndex(marketId: number, indexTicks: number): Promise<void>;
  /** Offers account's resting bid in BTC-PERP and resolves once its answer (accepted or refused) came back. */
  placeOrder(accountId: number, orderId: number, priceTicks: number): Promise<void>;
  call(method: string, path: string, o?: { token?: string; body?: unknown; raw?: string }): Promise<{ status: number; body: any; text: string }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Routers mounted after the exchange's (given the running exchange). */
  readonly routers?: (exchange: ThreadedExchange) => Router[];
}

export async function startHarness(ho: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-operator-'));
  const topology = new Topology({ marketShards: [[DEFAULT_MARKETS[0]!], [DEFAULT_MARKETS[1]!]], riskShards: 1 });
  const exchange = await ThreadedExchange.start({ topology, riskMarkets: DEFAULT_MARKETS.map((m) => riskMarket(m)) });
  const metrics = new ExchangeMetrics(() => exchange, { processMetrics: false });
  const commands = new OperatorCommands(exchange, nowUs, 5_000);
  const markets = new MarketRegistry(DEFAULT_MARKETS);
  const listings = new MarketListings({ exchange: () => exchange, markets, nowUs });
  let polling = true;
  const answered = new Map<number, () => void>();
  const indexes = new Map<number, number[]>();
  const loop = (async () => {
    while (polling) {
      exchange.poll((buf, at) => {
        metrics.observe(buf, at);
        commands.listener(buf, at);
        listings.listener(buf, at);
        const t = buf.type(at);
        // orderId is the first body field of both answers.
        if (t === RecordType.OrderAccepted || t === RecordType.OrderRejected) answered.get(buf.u53At(at, OrderAcceptedLayout.offsets.orderId))?.();
        if (t === RecordType.MarkPriceUpdated) {
          const list = indexes.get(buf.marketId(at)) ?? [];
          list.push(buf.u53At(at, MarkPriceUpdatedLayout.offsets.indexPriceTicks));
          indexes.set(buf.marketId(at), list);
        }
      });
      await exchange.waitForOutput(5);
    }
  })();
  // A mark in every market, held by the risk shard too (it refuses orders until it has one).
  const tick = RecordBuffer.allocate(1);
  for (const [marketId, priceTicks] of [
    [1, 600_000],
    [2, 30_000],
  ] as const) {
    const t = indexTick(priceTicks, nowUs(), marketId);
    encodeRecord(tick, 0, t.layout, t.header, t.body);
    assert.ok(exchange.offer(tick, 0));
  }
  exchange.flush();
  while (!(await exchange.scanSnapshots()).every((s) => s.markets.filter((m) => m.markTicks > 0n).length === 2)) await new Promise((r) => setTimeout(r, 5));
  const auditPath = join(dir, 'audit.log');
  const audit = await AuditLog.open(auditPath);
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  const readiness = { value: { ready: true, reasons: [] } as Readiness };
  const server = new OperatorServer({
    tokens: OperatorTokens.of([
      { id: 'admin', token: ADMIN, roles: ALL_ROLES },
      { id: 'viewer', token: VIEWER, roles: [OperatorRole.READ] },
    ]),
    audit,
    metrics,
    routers: [exchangeRoutes({ markets, marketShardOf: (id) => topology.marketShardOf(id), commands, listings }), ...(ho.routers?.(exchange) ?? [])],
    readiness: () => readiness.value,
    alive: () => !exchange.halted,
    nowUs,
    log: await createLogger({ pretty: false, destination }),
  });
  const address = await server.listen(0);
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    exchange,
    markets,
    listings,
    metrics,
    audit,
    auditPath,
    logLines,
    readiness,
    indexes,
    async untilIndex(marketId, indexTicks) {
      while (indexes.get(marketId)?.at(-1) !== indexTicks) await new Promise((r) => setTimeout(r, 5));
    },
    placeOrder(accountId, orderId, priceTicks) {
      return new Promise((resolve) => {
        answered.set(orderId, () => {
          answered.delete(orderId);
          resolve();
        });
        const order = place({ orderId, accountId, marketId: 1, side: Side.BUY, priceTicks, qtyLots: 1, timeUs: nowUs() });
        const buf = RecordBuffer.allocate(1);
        encodeRecord(buf, 0, order.layout, order.header, order.body);
        assert.ok(exchange.offer(buf, 0));
        exchange.flush();
      });
    },
    async call(method, path, o = {}) {
      const headers: Record<string, string> = {};
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      const body = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(url + path, { method, headers, body });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: res.status, body: parsed, text };
    },
    async close() {
      await server.close();
      commands.close();
      listings.close();
      polling = false;
      await loop;
      await exchange.stop();
      await audit.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
