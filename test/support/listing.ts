// Listings for tests: a market like the default ones under another id and symbol, with the default
// pricing and tiers, and its ListMarket group as records.

import { encodeListing, type MarketListing } from '../../engine/market/listing.js';
import { DEFAULT_MARKETS, type MarketConfig } from '../../engine/market/spec.js';
import { HeaderFlag, RecordBuffer } from '../../engine/ring/record.js';
import { listingParts, writeListingPart } from '../../engine/shard/listing-assembly.js';
import { defaultPricing } from '../../engine/shard/market-pricing.js';
import { DEFAULT_TIER_ROWS, DEFAULT_TIERS } from '../../risk/tiers.js';
import { RATE_PERCENT } from '../../risk/units.js';

/** A listing of BTC-PERP's shape under `marketId` and `symbol`, fields overridden by `market`. */
export function testListing(marketId: number, symbol: string, market: Partial<MarketConfig> = {}): MarketListing {
  return {
    market: { ...DEFAULT_MARKETS[0]!, baseAsset: symbol.split('-')[0]!, marketId, symbol, maxOrders: 1 << 16, ...market },
    pricing: defaultPricing(DEFAULT_TIERS),
    risk: { tiers: DEFAULT_TIER_ROWS, defaultLeverage: 20n, liquidationBandRate: 10n * RATE_PERCENT },
  };
}

export interface GroupHeader {
  readonly requestId: number;
  readonly shard: number;
  readonly timeUs: number;
  /** Default: the operator's flag. */
  readonly flags?: number;
  /** Default: the listing's own (0 for raw bytes). */
  readonly marketId?: number;
}

/** A listing's ListMarket group, one part per slot, seqs unset. */
export function listingGroup(listing: MarketListing | Uint8Array, h: GroupHeader): RecordBuffer {
  const bytes = listing instanceof Uint8Array ? listing : encodeListing(listing);
  const marketId = h.marketId ?? (listing instanceof Uint8Array ? 0 : listing.market.marketId);
  const parts = listingParts(bytes.length);
  const buf = RecordBuffer.allocate(parts);
  for (let i = 0; i < parts; i++) writeListingPart(buf, buf.at(i), { timeUs: h.timeUs, marketId, flags: h.flags ?? HeaderFlag.OPERATOR, requestId: h.requestId, shard: h.shard }, bytes, i);
  return buf;
}
