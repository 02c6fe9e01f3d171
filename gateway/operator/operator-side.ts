// Everything `npm start` runs for operators, assembled in one call: the tokens (a file, or generated
// under the data directory on a first start), the audit log, the metrics registry (the oracle's and
// surveillance's included), the operator commands and the HTTP server with every router mounted.
//
// Where things live: <data>/operator/operators.json and <data>/operator/audit.log. With --in-memory the
// exchange keeps nothing, but operator calls are still audited: into a fresh directory under the OS's
// temporary folder, whose path is printed.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { MarketRegistry } from '../markets/market-registry.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { surveillanceMetrics } from '../../exchange/surveillance/alert-metrics.js';
import type { SurveillanceRecords } from '../../exchange/surveillance/durable-alerts.js';
import type { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import type { Logger } from '../log.js';
import type { Registry } from 'prom-client';
import type { IndexOracle } from '../oracle/oracle.js';
import { integrityRoutes } from '../surveillance/integrity-routes.js';
import { surveillanceRoutes } from '../surveillance/operator-routes.js';
import { ownerRoutes } from '../surveillance/owner-routes.js';
import { AuditLog } from './audit-log.js';
import { exchangeRoutes, type MarketFigures } from './exchange-routes.js';
import { accountRoutes } from './account-routes.js';
import type { IndexSources } from '../oracle/index-sources.js';
import { indexSourceRoutes } from './index-source-routes.js';
import type { KeyRegistry } from '../auth/key-registry.js';
import { ExchangeMetrics } from './metrics.js';
import { OperatorCommands } from './operator-commands.js';
import { MarketListings } from './market-listings.js';
import { OperatorServer, type Readiness, type Router } from './server.js';
import { OperatorTokens } from './tokens.js';

export interface OperatorSideOptions {
  /** The exchange once it has started (undefined while its shards recover: not ready yet). */
  readonly exchange: () => ThreadedExchange | undefined;
  /** The gateway's markets (shared: POST /operator/markets adds to it). */
  readonly markets: MarketRegistry;
  readonly marketShardOf: (marketId: number) => number;
  /** The data directory, or undefined when the exchange runs in memory. */
  readonly dataDir: string | undefined;
  /** A tokens file of the operator's own (else <data>/operator/operators.json, generated when absent). */
  readonly tokensFile: string | undefined;
  readonly port: number;
  readonly host?: string;
  readonly nowUs: () => number;
  readonly log: Logger;
  /** Builds the oracle with the registry it reports to (its metrics live in ours). */
  readonly oracle?: (registry: Registry) => IndexOracle;
  /**
   * Surveillance's records (alerts, owner links, integrity reports) when surveillance runs, and how a new
   * owner link reaches the workers (false when they cannot take it now).
   */
  readonly surveillance?: SurveillanceRecords & { readonly applyOwner: (accountId: number, ownerId: number) => boolean };
  /** The trader gateway's key registry once it is open (accounts and API keys over operator HTTP). */
  readonly keys?: () => KeyRegistry | undefined;
  readonly figures?: (marketId: number) => MarketFigures;
  /** Each market's index source, once the gateway's store is open (index-source-routes.ts). */
  readonly indexSources?: () => IndexSources | undefined;
  readonly readiness: () => Readiness;
  /** True when the exchange recovers state from its data directory (a market's halt may predate this process). */
  readonly recovered: boolean;
}

export interface OperatorSide {
  readonly address: AddressInfo;
  readonly metrics: ExchangeMetrics;
  readonly commands: OperatorCommands;
  /** Markets listed at run time (POST /operator/markets). */
  readonly listings: MarketListings;
  readonly oracle: IndexOracle | undefined;
  readonly auditPath: string;
  readonly tokensPath: string | undefined;
  /** The admin token generated on this start (print it once), if one was. */
  readonly generatedToken: string | undefined;
  /** A poll() tap: counts every record and settles operator commands. */
  readonly listener: (buf: RecordBuffer, at: number) => void;
  close(): Promise<void>;
}

export async function startOperatorSide(o: OperatorSideOptions): Promise<OperatorSide> {
  const dir = o.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'perpx-operator-')) : join(o.dataDir, 'operator');
  let tokens: OperatorTokens;
  let generated: string | undefined;
  let tokensPath: string | undefined = o.tokensFile;
  if (o.tokensFile !== undefined) tokens = OperatorTokens.load(o.tokensFile);
  else {
    tokensPath = join(dir, 'operators.json');
    const t = OperatorTokens.loadOrCreate(tokensPath);
    tokens = t.tokens;
    generated = t.generated?.token;
  }
  const auditPath = join(dir, 'audit.log');
  const audit = await AuditLog.open(auditPath);
  const metrics = new ExchangeMetrics(o.exchange);
  const oracle = o.oracle?.(metrics.registry);
  const commands = new OperatorCommands(
    {
      offer: (buf, at) => o.exchange()?.offer(buf, at) ?? false,
      flush: () => o.exchange()?.flush(),
      get halted() {
        return o.exchange()?.halted ?? false;
      },
    },
    o.nowUs,
    undefined,
    o.recovered ? 'unknown' : 'open',
  );
  // A listed market is open; on a restarted exchange this process would otherwise call its status unknown.
  const listings = new MarketListings({ exchange: o.exchange, markets: o.markets, nowUs: o.nowUs, onListed: (id) => commands.loadStatus(id, false) });
  const sources = o.indexSources ?? (() => undefined);
  const fromOracle = (symbol: string): boolean => {
    const m = o.markets.bySymbolOf(symbol);
    return m === undefined || (sources()?.fromOracle(m.marketId) ?? true);
  };
  const routers: Router[] = [
    exchangeRoutes({ markets: o.markets, marketShardOf: o.marketShardOf, commands, oracle, figures: o.figures, fromOracle, listings }),
    indexSourceRoutes({ markets: o.markets, sources, oracle }),
  ];
  if (o.keys) routers.push(accountRoutes(o.keys));
  if (o.surveillance) {
    const { book, owners, integrity, applyOwner } = o.surveillance;
    routers.push(surveillanceRoutes(book, o.nowUs), ownerRoutes({ owners, apply: applyOwner, nowUs: o.nowUs }), integrityRoutes(integrity));
    metrics.addSamples(() => surveillanceMetrics(book));
  }
  const server = new OperatorServer({
    tokens,
    audit,
    metrics,
    routers,
    readiness: o.readiness,
    alive: () => !(o.exchange()?.halted ?? false),
    nowUs: o.nowUs,
    log: o.log.child({ part: 'operator' }),
  });
  let address: AddressInfo;
  try {
    address = await server.listen(o.port, o.host);
  } catch (e) {
    // A start that cannot listen (the port is taken) ends before printing the token it generated: the file
    // goes too, so the next start generates one again and prints it, rather than keep one nobody saw.
    if (generated !== undefined) rmSync(tokensPath!, { force: true });
    await audit.close();
    throw e;
  }
  return {
    address,
    metrics,
    commands,
    listings,
    oracle,
    auditPath,
    tokensPath,
    generatedToken: generated,
    listener: (buf, at) => {
      metrics.observe(buf, at);
      commands.listener(buf, at);
      listings.listener(buf, at);
    },
    async close() {
      commands.close();
      listings.close();
      await server.close();
      await audit.close();
    },
  };
}
