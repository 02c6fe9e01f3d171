// The operator's exchange calls, routed by the operator HTTP server (server.ts) like surveillance's:
//
//   GET    /operator/markets                     every market: spec, shard, live figures   (exchange:read)
//   POST   /operator/markets                     create a market (listing-request.ts, market-listings.ts): 201 with it (exchange:markets)
//   POST   /operator/markets/:symbol/halt        halt: accounts' new orders and amendments refused  (exchange:markets)
//   POST   /operator/markets/:symbol/resume      resume trading
//   POST   /operator/deposits  {"account": 7, "requestId": 42, "amount": "1000.5"}   credit USDT (exchange:funds)
//   POST   /operator/index     {"market": "BTC-PERP", "price": "60000.5", "holdSeconds": 300}   (exchange:markets)
//   DELETE /operator/index     {"market": "BTC-PERP"}   back to the oracle's sources
//   (a market's index source itself: index-source-routes.ts)
//
// Answers are JSON; a refusal is {"error": NAME, "code": N, "message": "..."} with a 4xx/5xx status.

import { Code, codeName } from '../../engine/codes.js';
import { decimalToUnits, parseDecimal, Rounding, unitsToDecimal } from '../../engine/market/decimal.js';
import type { MarketConfig, MarketSpec } from '../../engine/market/spec.js';
import { MarketStatus } from '../../engine/ring/layouts/set-market-status.js';
import type { IndexOracle } from '../oracle/oracle.js';
import { handleOperatorIndex } from '../oracle/operator-index.js';
import type { OperatorRequest, OperatorResponse } from '../surveillance/operator-routes.js';
import { registryOf, type MarketRegistry } from '../markets/market-registry.js';
import type { MarketListings } from './market-listings.js';
import { MAX_CUSTODY_REQUEST_ID, type OperatorCommands } from './operator-commands.js';
import { OperatorRole } from './tokens.js';

const USDT_ATOM = parseDecimal('0.000001')!;
/** A deposit's ceiling per call, in atoms: far above any custody credit, far below the shard's 2^62 bound. */
const MAX_DEPOSIT_ATOMS = 10n ** 18n;

export const json = (status: number, v: unknown): OperatorResponse => ({ status, contentType: 'application/json', body: JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)) });
export const refuse = (status: number, code: number, message: string): OperatorResponse => json(status, { error: codeName(code), code, message });

/** Live figures of a market, where the gateway has them (undefined fields: not known yet). */
export interface MarketFigures {
  markTicks?: number;
  indexTicks?: number;
  lastTradeTicks?: number;
}

export interface ExchangeRoutesOptions {
  /** The markets (shared: a market listed at run time is served from the moment the registry has it). */
  readonly markets: MarketRegistry | readonly MarketConfig[];
  readonly marketShardOf: (marketId: number) => number;
  readonly commands: OperatorCommands;
  /** The index oracle when it runs (--oracle); without it the index is the simulated flow's. */
  readonly oracle?: IndexOracle;
  readonly figures?: (marketId: number) => MarketFigures;
  /** Whether a market's index source is the oracle now (index-source-routes.ts); a hold only shows then. */
  readonly fromOracle?: (symbol: string) => boolean;
  /** Lists markets at run time (POST /operator/markets); without it the call is refused 501. */
  readonly listings?: MarketListings;
}

/** The HTTP status of a refused exchange command. */
function statusOfCode(code: number): number {
  if (code === Code.OPERATOR_TIMEOUT) return 504;
  if (code === Code.BACK_PRESSURE || code === Code.SHARD_FAILED) return 503;
  if (code === Code.DUPLICATE_REQUEST) return 409;
  return 422;
}

/** A refusal when the request's operator lacks the role (401 without credentials, 403 without the role). */
export function requireRole(req: OperatorRequest, needs: string): OperatorResponse | undefined {
  if (req.operator === undefined) return refuse(401, Code.UNAUTHENTICATED, 'operator credentials required (Authorization: Bearer <token>)');
  if (!req.operator.roles.includes(needs)) return refuse(403, Code.OPERATOR_FORBIDDEN, `role ${needs} required`);
  return undefined;
}

/** The request's JSON body when it is an object. */
export function requestBody(req: OperatorRequest): Record<string, unknown> | undefined {
  const b = req.body;
  return typeof b === 'object' && b !== null && !Array.isArray(b) ? (b as Record<string, unknown>) : undefined;
}

const isU32 = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= 0xffff_ffff;
const isRequestId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 && v <= MAX_CUSTODY_REQUEST_ID;

export function exchangeRoutes(o: ExchangeRoutesOptions): (req: OperatorRequest) => Promise<OperatorResponse | undefined> {
  const markets = registryOf(o.markets);
  /** A market as GET /operator/markets lists it (and POST answers the new one). */
  const describe = (s: MarketSpec) => {
    const f = o.figures?.(s.marketId) ?? {};
    const price = (t: number | undefined) => (t === undefined ? null : s.ticksToPrice(t));
    return { marketId: s.marketId, symbol: s.symbol, status: o.commands.statusOf(s.marketId), tickSize: s.tickSize, lotSize: s.lotSize, minQtyLots: s.minQtyLots, maxQtyLots: s.maxQtyLots, marketShard: o.marketShardOf(s.marketId), mark: price(f.markTicks), index: price(f.indexTicks), lastTrade: price(f.lastTradeTicks) };
  };
  return async (req) => {
    const parts = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'operator') return undefined;
    const [, what, symbol, action] = parts;

    if (what === 'markets' && parts.length === 2) {
      if (req.method === 'GET') {
        const denied = requireRole(req, OperatorRole.READ);
        if (denied) return denied;
        return json(200, markets.list().map(describe));
      }
      if (req.method === 'POST') {
        const denied = requireRole(req, OperatorRole.MARKETS);
        if (denied) return denied;
        if (o.listings === undefined) return refuse(501, Code.OPERATOR_NOT_SUPPORTED, 'this server does not list markets at run time');
        const r = await o.listings.create(req.body);
        if (r.ok) return json(201, describe(r.spec));
        return json(r.status, { error: codeName(r.code), code: r.code, ...(r.field === undefined ? {} : { field: r.field }), message: r.message });
      }
      return refuse(405, Code.OPERATOR_BAD_REQUEST, `${req.method} ${req.path}: GET or POST`);
    }
    if (what === 'markets' && parts.length === 4 && (action === 'halt' || action === 'resume')) {
      if (req.method !== 'POST') return refuse(405, Code.OPERATOR_BAD_REQUEST, `${req.method} ${req.path}: POST`);
      const denied = requireRole(req, OperatorRole.MARKETS);
      if (denied) return denied;
      const spec = markets.bySymbolOf(symbol!);
      if (!spec) return refuse(404, Code.UNKNOWN_MARKET, `no market ${JSON.stringify(symbol)}`);
      const r = await o.commands.setMarketStatus(spec.marketId, action === 'halt' ? MarketStatus.HALTED : MarketStatus.OPEN);
      if (r.ok) return json(200, { market: spec.symbol, status: action === 'halt' ? 'halted' : 'open' });
      return refuse(statusOfCode(r.code), r.code, r.message);
    }
    if (what === 'deposits' && parts.length === 2) {
      if (req.method !== 'POST') return refuse(405, Code.OPERATOR_BAD_REQUEST, `${req.method} ${req.path}: POST`);
      const denied = requireRole(req, OperatorRole.FUNDS);
      if (denied) return denied;
      const body = requestBody(req);
      if (body === undefined) return refuse(400, Code.OPERATOR_BAD_REQUEST, 'body must be a JSON object');
      if (!isU32(body.account)) return refuse(400, Code.OPERATOR_BAD_REQUEST, 'account must be an account id (an integer in [0, 2^32))');
      if (!isRequestId(body.requestId)) return refuse(400, Code.OPERATOR_BAD_REQUEST, "requestId must be an integer in [1, 2^52): custody's idempotency key");
      if (typeof body.amount !== 'string') return refuse(400, Code.OPERATOR_BAD_REQUEST, 'amount must be decimal USDT text, e.g. "1000.5"');
      const atoms = decimalToUnits(body.amount, USDT_ATOM, Rounding.EXACT, Code.INVALID_NUMBER);
      if (!atoms.ok || atoms.units <= 0n || atoms.units > MAX_DEPOSIT_ATOMS) return refuse(400, Code.OPERATOR_BAD_REQUEST, 'amount must be a positive decimal of at most 6 decimals, at most 10^12 USDT');
      const r = await o.commands.deposit(body.account, body.requestId, atoms.units);
      if (r.ok) return json(200, { account: body.account, requestId: body.requestId, amount: body.amount, wallet: unitsToDecimal(r.walletAtoms ?? 0n, USDT_ATOM) });
      return refuse(statusOfCode(r.code), r.code, r.message);
    }
    if (what === 'index' && parts.length === 2) {
      const denied = requireRole(req, OperatorRole.MARKETS);
      if (denied) return denied;
      if (o.oracle === undefined) return refuse(409, Code.OPERATOR_UNAVAILABLE, 'the index oracle is not running (the simulated flow sends the index): start with --oracle FILE');
      const market = requestBody(req)?.market;
      if (req.method === 'POST' && typeof market === 'string' && o.fromOracle?.(market) === false) {
        return refuse(409, Code.OPERATOR_UNAVAILABLE, `the index source of ${market} is not the oracle: choose one with PUT /operator/markets/${market}/index-source`);
      }
      const a = handleOperatorIndex(o.oracle, req.method, req.body);
      return json(a.status, a.body);
    }
    return undefined;
  };
}
