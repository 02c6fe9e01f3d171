// The operator's choice of each market's index source (the table: gateway/oracle/index-sources.ts):
//
//   GET /operator/index-sources                       every market's source                  (exchange:read)
//   GET /operator/markets/:symbol/index-source        one market's                           (exchange:read)
//   PUT /operator/markets/:symbol/index-source        choose it                              (exchange:markets)
//       {"source": "simulated"}
//       {"source": "manual", "price": "60000.5"}      held, sent every second, until the next choice
//       {"source": "oracle"}                          the oracle's configured sources and weights (--oracle)
//       {"source": "oracle", "sources": {"binance:BTCUSDT": 2, "kraken:XBTUSD": 1, ...}}   a subset, reweighted
//       {"source": "oracle", "sources": {"binance:SOLUSDT": 1, "okx:SOL-USDT": 1, ...}, "minSources": 2}
//                                                     sources of the operator's from the venues the --oracle
//                                                     file configures: any market, one listed at run time too
//                                                     (any key not among the file's sources of the market, or
//                                                     minSources, stalenessMs or maxDeviationBps given, makes
//                                                     it this form: config.ts venueSourcesOf checks it)
//
// The operator server audits every call (who, what, when, outcome). A refusal changes nothing; a refused
// field is named (`field`: "sources[\"okx:SOL-USDT\"].weight", "minSources", ...).

import { Code, codeName } from '../../engine/codes.js';
import type { MarketConfig, MarketSpec } from '../../engine/market/spec.js';
import { registryOf, type MarketRegistry } from '../markets/market-registry.js';
import { OracleConfigError, VENUE_SOURCE_KEYS, venueSourcesOf } from '../oracle/config.js';
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

type Parsed = { ok: true; choice: IndexChoice } | { ok: false; message: string; field?: string };

/** The rules only an operator's own sources take (a subset of the file's keeps the file's rules). */
const RULE_KEYS: readonly string[] = VENUE_SOURCE_KEYS.filter((k) => k !== 'sources');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function indexSourceRoutes(o: IndexSourceRoutesOptions): (req: OperatorRequest) => Promise<OperatorResponse | undefined> {
  const markets = registryOf(o.markets);

  /** A market's source as JSON: the held price, or the oracle's sources with their weights now. */
  const describe = (table: IndexSources, spec: MarketSpec): Record<string, unknown> => {
    const c = table.choiceOf(spec.marketId)!;
    if (c.source === 'manual') return { market: spec.symbol, source: c.source, price: spec.ticksToPrice(c.priceTicks) };
    if (c.source === 'simulated' || c.source === 'none') return { market: spec.symbol, source: c.source };
    if (c.venues) return { market: spec.symbol, source: c.source, sources: (o.oracle?.sourcesOf(spec.symbol) ?? []).map((s) => ({ source: s.label, weight: Number(s.weight) })), minSources: c.venues.settings.params.minSources };
    const sources = (o.oracle?.sourcesOf(spec.symbol) ?? []).map((s) => ({ source: s.label, weight: Number(c.weights?.[s.sourceId] ?? s.weight), configuredWeight: Number(s.weight) }));
    return { market: spec.symbol, source: c.source, sources };
  };

  const parse = (table: IndexSources, spec: MarketSpec, body: Record<string, unknown>): Parsed => {
    const extra = Object.keys(body).filter((k) => k !== 'source' && k !== 'price' && k !== 'sources' && !RULE_KEYS.includes(k));
    if (extra.length > 0) return { ok: false, field: extra[0], message: `unknown field ${JSON.stringify(extra[0])}` };
    if (body.source === 'simulated' || body.source === 'manual') {
      const own = ['sources', ...RULE_KEYS].find((k) => body[k] !== undefined);
      if (own !== undefined) return { ok: false, field: own, message: `${own} belongs to the oracle source only` };
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
    const settings = o.oracle!.settingsOf(spec.symbol);
    const given = body.sources;
    const rules = RULE_KEYS.some((k) => body[k] !== undefined);
    if (given === undefined && !rules) {
      if (settings) return { ok: true, choice: { source: 'oracle' } };
      const venues = [...o.oracle!.options.config.venues.keys()].join(', ');
      return { ok: false, field: 'sources', message: `the --oracle file does not price ${spec.symbol}: name its sources from the configured venues (${venues}), e.g. {"source": "oracle", "sources": {"venue:SYMBOL": 1, ...}, "minSources": 2}` };
    }
    const labels = o.oracle!.configuredSourcesOf(spec.symbol).map((s) => s.label);
    if (!settings || rules || !isObject(given) || !Object.keys(given).every((l) => labels.includes(l))) return venueSources(spec, body);
    const weights = labels.map(() => 0n);
    for (const [label, w] of Object.entries(given)) {
      const i = labels.indexOf(label);
      if (typeof w !== 'number' || !Number.isSafeInteger(w) || w < 1 || w > MAX_WEIGHT) return { ok: false, field: `sources[${JSON.stringify(label)}]`, message: `sources[${JSON.stringify(label)}] must be an integer weight in [1, ${MAX_WEIGHT}]` };
      weights[i] = BigInt(w);
    }
    const chosen = weights.filter((w) => w > 0n).length;
    if (chosen < settings.params.minSources) return { ok: false, field: 'sources', message: `${chosen} source(s) chosen, fewer than the market’s minimum of ${settings.params.minSources}: its index would be stale` };
    return { ok: true, choice: { source: 'oracle', weights } };
  };

  /** The operator's own sources from the file's venues: checked as the file is, a fault names its field. */
  const venueSources = (spec: MarketSpec, body: Record<string, unknown>): Parsed => {
    const json = Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'source'));
    try {
      return { ok: true, choice: { source: 'oracle', venues: { json, settings: venueSourcesOf(json, o.oracle!.options.config, spec) } } };
    } catch (e) {
      if (!(e instanceof OracleConfigError)) throw e;
      return { ok: false, field: e.field, message: e.message.replace(/^oracle config: /, '') };
    }
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
    if (!p.ok) return p.field === undefined ? refuse(400, Code.OPERATOR_BAD_REQUEST, p.message) : json(400, { error: codeName(Code.OPERATOR_BAD_REQUEST), code: Code.OPERATOR_BAD_REQUEST, field: p.field, message: p.message });
    await table.choose(spec, p.choice);
    return json(200, describe(table, spec));
  };
}
