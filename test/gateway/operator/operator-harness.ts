// An operator server over a real threaded exchange (in memory), a poll loop feeding the metrics and the
// operator commands, a temporary audit log and two operators: "admin" with every role, "viewer" with
// exchange:read only.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { ThreadedExchange } from '../../../exchange/threaded-exchange.js';
import { Topology } from '../../../exchange/topology.js';
import { riskMarket } from '../../../risk/shard/config.js';
import { nowUs } from '../../../gateway/clock.js';
import { createLogger } from '../../../gateway/log.js';
import { AuditLog } from '../../../gateway/operator/audit-log.js';
import { exchangeRoutes } from '../../../gateway/operator/exchange-routes.js';
import { ExchangeMetrics } from '../../../gateway/operator/metrics.js';
import { OperatorCommands } from '../../../gateway/operator/operator-commands.js';
import { OperatorServer, type Readiness } from '../../../gateway/operator/server.js';
import { ALL_ROLES, OperatorRole, OperatorTokens } from '../../../gateway/operator/tokens.js';

export const ADMIN = 'admin-token-0123456789abcdef';
export const VIEWER = 'viewer-token-0123456789abcdef';

export interface Harness {
  url: string;
  exchange: ThreadedExchange;
  metrics: ExchangeMetrics;
  audit: AuditLog;
  auditPath: string;
  logLines: string[];
  readiness: { value: Readiness };
  call(method: string, path: string, o?: { token?: string; body?: unknown; raw?: string }): Promise<{ status: number; body: any; text: string }>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-operator-'));
  const topology = new Topology({ marketShards: [[DEFAULT_MARKETS[0]!], [DEFAULT_MARKETS[1]!]], riskShards: 1 });
  const exchange = await ThreadedExchange.start({ topology, riskMarkets: DEFAULT_MARKETS.map((m) => riskMarket(m)) });
  const metrics = new ExchangeMetrics(() => exchange, { processMetrics: false });
  const commands = new OperatorCommands(exchange, nowUs, 5_000);
  let polling = true;
  const loop = (async () => {
    while (polling) {
      exchange.poll((buf, at) => {
        metrics.observe(buf, at);
        commands.listener(buf, at);
      });
      await exchange.waitForOutput(5);
    }
  })();
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
    routers: [exchangeRoutes({ markets: DEFAULT_MARKETS, marketShardOf: (id) => topology.marketShardOf(id), commands })],
    readiness: () => readiness.value,
    alive: () => !exchange.halted,
    nowUs,
    log: createLogger({ pretty: false, destination }),
  });
  const address = await server.listen(0);
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    exchange,
    metrics,
    audit,
    auditPath,
    logLines,
    readiness,
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
      polling = false;
      await loop;
      await exchange.stop();
      await audit.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
