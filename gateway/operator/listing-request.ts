// The body of POST /operator/markets read into a market listing (engine/market/listing.ts).
//
// The body has the listing's own shape, {"market": {...}, "pricing": {...}, "risk": {...}}, with every
// field but market.symbol, market.tickSize and market.lotSize optional: a missing field takes the
// default below (docs/OPERATOR.md, "Creating a market"). The defaults are merged into the listing's
// canonical JSON and the result goes through decodeListing, so the shards' own reader checks every field
// and names it (`market.tickSize`, `risk.tiers[2].mmrRate`): there is no second validator to drift from
// theirs. A field the listing does not have is refused by that same reader.

import { decodeListing, encodeListing, MAX_LISTING_BYTES, type CheckedListing, type MarketListing } from '../../engine/market/listing.js';
import { DEFAULT_MARKETS, type MarketConfig } from '../../engine/market/spec.js';
import { defaultPricing } from '../../engine/shard/market-pricing.js';
import { riskMarket } from '../../risk/shard/config.js';
import { DEFAULT_TIER_ROWS, DEFAULT_TIERS } from '../../risk/tiers.js';

/** A request refused: 400 (a field is wrong) or 409 (the id or symbol is taken). */
export interface ListingRequestFault {
  readonly ok: false;
  readonly status: 400 | 409;
  readonly field: string;
  readonly message: string;
}

/** Fields a request must give: nothing sensible can stand in for a market's name or its price and size steps. */
const REQUIRED = ['symbol', 'tickSize', 'lotSize'] as const;

/**
 * Orders a listed market's book holds by default: the tests' and demo's size. The configured markets
 * preallocate 2^22; an operator raises market.maxOrders (at most 2^26) for a market expected to be deep.
 */
const DEFAULT_LISTED_MAX_ORDERS = 1 << 16;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The canonical JSON of the default listing: a market of BTC-PERP's shape with the default pricing and risk. */
function templateJson(collateral: MarketConfig): Json {
  const risk = riskMarket(collateral);
  const template: MarketListing = {
    market: { ...DEFAULT_MARKETS[0]!, quoteAsset: collateral.quoteAsset, collateralDecimals: collateral.collateralDecimals, maxOrders: DEFAULT_LISTED_MAX_ORDERS },
    pricing: defaultPricing(DEFAULT_TIERS),
    risk: { tiers: DEFAULT_TIER_ROWS, defaultLeverage: risk.defaultLeverage, liquidationBandRate: risk.liquidationBandRate },
  };
  return JSON.parse(decoder.decode(encodeListing(template))) as Json;
}

/** `given`'s fields over `defaults` (defaults' key order first, so a complete merge is canonical); a non-object `given` is kept for the reader to refuse. */
function over(defaults: Json, given: unknown): unknown {
  if (given === undefined) return defaults;
  return isObject(given) ? { ...defaults, ...given } : given;
}

/** The lowest market id no market holds. */
function freeMarketId(markets: readonly MarketConfig[]): number {
  const used = new Set(markets.map((m) => m.marketId));
  let id = 1;
  while (used.has(id)) id++;
  return id;
}

/**
 * Reads a request body into a checked listing, given the markets the exchange holds (configured and
 * listed; the first gives the collateral every market settles in). Never throws.
 */
export function listingFromRequest(body: unknown, markets: readonly MarketConfig[]): CheckedListing | ListingRequestFault {
  const bad = (field: string, message: string): ListingRequestFault => ({ ok: false, status: 400, field, message });
  if (!isObject(body)) return bad('listing', 'must be a JSON object');
  const market = body.market;
  if (market === undefined) return bad('market', 'is missing');
  if (isObject(market)) for (const k of REQUIRED) if (!Object.prototype.hasOwnProperty.call(market, k)) return bad(`market.${k}`, 'is missing');
  const t = templateJson(markets[0] ?? DEFAULT_MARKETS[0]!);
  const tm = t.market as Json;
  const tp = t.pricing as Json;
  const defaults: Json = { ...tm, marketId: freeMarketId(markets) };
  // The base asset defaults to the symbol's part before its first '-' (SOL of SOL-PERP).
  if (isObject(market) && typeof market.symbol === 'string') defaults.baseAsset = market.symbol.split('-')[0];
  const pricing = body.pricing;
  // The sections in canonical order, then whatever else the body holds (refused by the reader, by name).
  // (Spreads define own properties, so even a "__proto__" key reaches the reader, which refuses it.)
  const { market: _m, pricing: _p, risk: _r, ...rest } = body;
  const merged: Json = {
    market: over(defaults, market),
    pricing: isObject(pricing) ? { ...tp, ...pricing, funding: over(tp.funding as Json, pricing.funding) } : over(tp, pricing),
    risk: over(t.risk as Json, body.risk),
    ...rest,
  };
  const bytes = encoder.encode(JSON.stringify(merged));
  if (bytes.length > MAX_LISTING_BYTES) return bad('listing', `must take at most ${MAX_LISTING_BYTES} bytes as the shards store it, took ${bytes.length}`);
  const checked = decodeListing(bytes);
  if (!checked.ok) return bad(checked.field, checked.message);
  const m = checked.listing.market;
  const same = markets.find((x) => x.marketId === m.marketId || x.symbol === m.symbol);
  if (same !== undefined) {
    const field = same.symbol === m.symbol ? 'market.symbol' : 'market.marketId';
    return { ok: false, status: 409, field, message: `${same.symbol} (market ${same.marketId}) exists` };
  }
  return checked;
}

/** The market shard a new market goes to: the one holding the fewest markets, the lowest index on ties. */
export function marketShardForListing(marketsPerShard: readonly number[]): number {
  let best = 0;
  for (let s = 1; s < marketsPerShard.length; s++) if (marketsPerShard[s]! < marketsPerShard[best]!) best = s;
  return best;
}
