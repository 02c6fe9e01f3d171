// The operator's choice of each market's index source (the table: gateway/oracle/index-sources.ts):
//
//   GET /operator/index-sources                       every market's source                  (exchange:read)
//   GET /operator/markets/:symbol/index-source        one market's                           (exchange:read)
//   PUT /operator/markets/:symbol/index-source        choose it                              (exchange:markets)
//       {"source": "simulated"}
//       {"source": "manual", "price": "60000.5"}      held, sent every second, until the next choice
//       {"source": "oracle"}                          the oracle's configured sources and weights (--oracle)
//       {"source": "oracle", "sources": {"binance:BTCUSDT": 2, "kraken:XBTUSD": 1, ...}}   a subset, reweighted
//
// The operator server audits every call (who, what, when, outcome). A refusal changes nothing.

import { Code, codeName } from '../../engine/codes.js';
import type { MarketConfig, MarketSpec } from '../../engine/market/spec.js';
import { registryOf, type MarketRegistry } from '../markets/market-registry.js';
import type { IndexChoice, IndexSources } from '../oracle/index-sources.js';
import type { IndexOracle } from '../oracle/oracle.js';
import type { OperatorRequest, OperatorResponse } from '../surveillance/operator-routes.js';
import { json, refuse, requestBody, requireRole } from './exchange-routes.js';
import { OperatorRole } from './tokens.js';

export interface IndexSourceRoutesOptions {
  /** The markets (shared: a market listed at run time is served from the moment the registry has it). */
  readonly markets: MarketRegistry | readonly MarketConfig[];
  /** The table once the gateway's store is open (undefined while the exchange starts). */
  readonly sources: () => IndexSources | undefined;
  readonly oracle?: IndexOracle;
}

/** The operator's weight bounds of a source: the oracle configuration's (config.ts). */
const MAX_WEIGHT = 1_000_000;

type Parsed = { ok: true; choice: IndexChoice } | { ok: false; message: string };

export function indexSourceRoutes(o: IndexSourceRoutesOptions): (req: OperatorRequest) => Promise<OperatorResponse | undefined> {
  const markets = registryOf(o.markets);

  /** A market's source as JSON: the held price, or the oracle's sources with their weights now. */
  const describe = (table: IndexSources, spec: MarketSpec): Record<string, unknown> => {
    const c = table.choiceOf(spec.marketId)!;
    if (c.source === 'manual') return { market: spec.symbol, source: c.source, price: spec.ticksToPrice(c.priceTicks) };
    if (c.source === 'simulated' || c.source === 'none') return { market: spec.symbol, source: c.source };
    const sources = (o.oracle?.sourcesOf(spec.symbol) ?? []).map((s) => ({ source: s.label, weight: Number(c.weights?.[s.sourceId] ?? s.weight), configuredWeight: Number(s.weight) }));
    return { market: spec.symbol, source: c.source, sources };
  };

  const parse = (table: IndexSources, spec: MarketSpec, body: Record<string, unknown>): Parsed => {
    const extra = Object.keys(body).filter((k) => k !== 'source' && k !== 'price' && k !== 'sources');
    if (extra.length > 0) return { ok: false, message: `unknown field ${JSON.stringify(extra[0])}` };
    if (body.source === 'simulated' || body.source === 'manual') {
      if (body.sources !== undefined) return { ok: false, message: `sources belong to the oracle source only` };
    }
    if (body.source === 'simulated') {
      if (body.price !== undefined) return { ok: false, message: 'price belongs to the manual source only' };
      return table.simulates(spec.marketId) ? { ok: true, choice: { source: 'simulated' } } : { ok: false, message: `the simulated walk does not price ${spec.symbol} (it walks the configured markets): choose "manual" or "oracle"` };
    }
    if (body.source === 'manual') {
      if (typeof body.price !== 'string') return { ok: false, message: 'price must be decimal text on the market’s tick grid, e.g. "60000.5"' };
      const r = spec.priceToTicks(body.price);
      if (!r.ok) return { ok: false, message: `price ${JSON.stringify(body.price)}: ${codeName(r.code)}` };
      return { ok: true, choice: { source: 'manual', priceTicks: r.units } };
    }
    if (body.source !== 'oracle') return { ok: false, message: 'source must be "oracle", "manual" or "simulated"' };
    if (body.price !== undefined) return { ok: false, message: 'price belongs to the manual source only' };
    const settings = o.oracle?.settingsOf(spec.symbol);
    if (!settings) return { ok: false, message: `the index oracle does not price ${spec.symbol}` };
    if (body.sources === undefined) return { ok: true, choice: { source: 'oracle' } };
    const given = body.sources;
    if (typeof given !== 'object' || given === null || Array.isArray(given)) return { ok: false, message: 'sources must be an object of source label to weight' };
    const labels = o.oracle!.sourcesOf(spec.symbol).map((s) => s.label);
    const weights = labels.map(() => 0n);
    for (const [label, w] of Object.entries(given)) {
      const i = labels.indexOf(label);
      if (i < 0) return { ok: false, message: `no source ${JSON.stringify(label)} for ${spec.symbol}; configured: ${labels.join(', ')}` };
      if (typeof w !== 'number' || !Number.isSafeInteger(w) || w < 1 || w > MAX_WEIGHT) return { ok: false, message: `sources[${JSON.stringify(label)}] must be an integer weight in [1, ${MAX_WEIGHT}]` };
      weights[i] = BigInt(w);
    }
    const chosen = weights.filter((w) => w > 0n).length;
    if (chosen < settings.params.minSources) return { ok: false, message: `${chosen} source(s) chosen, fewer than the market’s minimum of ${settings.params.minSources}: its index would be stale` };
    return { ok: true, choice: { source: 'oracle', weights } };
  };

  return async (req) => {
    const parts = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    const all = parts.length === 2 && parts[1] === 'index-sources';
    const one = parts.length === 4 && parts[1] === 'markets' && parts[3] === 'index-source';
    if (parts[0] !== 'operator' || !(all || one)) return undefined;
    if (req.method !== 'GET' && !(one && req.method === 'PUT')) return refuse(405, Code.OPERATOR_BAD_REQUEST, `${req.method} ${req.path}: ${one ? 'GET or PUT' : 'GET'}`);
    const denied = requireRole(req, req.method === 'GET' ? OperatorRole.READ : OperatorRole.MARKETS);
    if (denied) return denied;
    const table = o.sources();
    if (table === undefined) return refuse(409, Code.OPERATOR_UNAVAILABLE, 'the exchange is starting: index sources are not loaded yet');
    if (all) return json(200, markets.list().map((s) => describe(table, s)));
    const spec = markets.bySymbolOf(parts[2]!);
    if (!spec) return refuse(404, Code.UNKNOWN_MARKET, `no market ${JSON.stringify(parts[2])}`);
    if (req.method === 'GET') return json(200, describe(table, spec));
    const body = requestBody(req);
    if (body === undefined) return refuse(400, Code.OPERATOR_BAD_REQUEST, 'body must be a JSON object');
    if (body.source === 'oracle' && o.oracle === undefined) return refuse(409, Code.OPERATOR_UNAVAILABLE, 'the index oracle is not running: start with --oracle FILE');
    const p = parse(table, spec, body);
    if (!p.ok) return refuse(400, Code.OPERATOR_BAD_REQUEST, p.message);
    await table.choose(spec, p.choice);
    return json(200, describe(table, spec));
  };
}
