// ListMarket at the risk shard (docs/COMMANDS.md, "Listing a market"): every risk shard takes the group
// from the gateway (input 0), checks the listing, adds the market (tiers, default leverage, liquidation
// band; mark 0 until its first MarkPriceUpdated, so pre-trade refuses orders MARK_PRICE_UNAVAILABLE until
// the index is there), answers MarketListed and forwards the group to the owning market shard on the
// stream its accounts' orders take there, so no order can reach the market shard before the listing.
//
// What the shard keeps: the listed markets' bytes and owning shards (hash, snapshot, marketShardOf), and
// the group in the middle of arriving on input 0 (ListingAssembly). Thread contract: the risk-shard thread.

import { Code } from '../../engine/codes.js';
import { decodeListing, MAX_MARKETS, sameBytes } from '../../engine/market/listing.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { ListingAssembly, type PendingListing } from '../../engine/shard/listing-assembly.js';
import { malformed } from '../../engine/snapshot/snapshot-error.js';
import { riskMarket } from './config.js';
import type { ShardParts } from './shard-parts.js';
import { MarketRiskState } from './state.js';

/** A market listed at run time, as the shard keeps it. */
export interface ListedMarket {
  readonly marketId: number;
  /** The market shard that owns it (the listing's, recorded in the command). */
  readonly shard: number;
  readonly listing: Uint8Array;
}

export class RiskListings {
  private readonly listed = new Map<number, ListedMarket>();
  readonly assembly = new ListingAssembly();

  /** The owning market shard of a listed market, undefined for any other. */
  shardOf(marketId: number): number | undefined {
    return this.listed.get(marketId)?.shard;
  }

  get(marketId: number): ListedMarket | undefined {
    return this.listed.get(marketId);
  }

  /** Ascending id. */
  markets(): ListedMarket[] {
    return this.inOrder().sort((a, b) => a.marketId - b.marketId);
  }

  /**
   * In the order they were listed: the order the state's market map holds them in, which the snapshot's
   * per-market sections follow, so a decode lists them in it again.
   */
  inOrder(): ListedMarket[] {
    return [...this.listed.values()];
  }

  add(m: ListedMarket): void {
    this.listed.set(m.marketId, m);
  }
}

/**
 * One ListMarket part from the gateway: Code.OK when taken (the last part: the market listed, or listed
 * before from the same bytes, answered either way), else the refusal's code, having changed nothing but
 * dropping the stream's partial group.
 */
export function listMarketPart(p: ShardParts, buf: RecordBuffer, at: number): number {
  const part = p.listings.assembly.take(buf, at, 0);
  if (part.code !== Code.OK || part.complete === undefined) return part.code;
  const g = part.complete;
  const code = applyListing(p, g.data, g.marketId, g.shard);
  if (code !== Code.OK && code !== ALREADY_LISTED) return code;
  // A repeat of a listing already applied (an operator's retry) is answered again and forwarded no more.
  if (code === Code.OK) p.commands.listMarket(g.shard, g.data, { timeUs: buf.timeUs(at), marketId: g.marketId, flags: buf.flags(at), requestId: g.requestId, shard: g.shard });
  p.events.marketListed(g.marketId, buf.timeUs(at), g.requestId, g.shard, p.state.shardId, p.state.markets.size);
  return Code.OK;
}

/** applyListing's outcome for bytes that listed this very market before. */
const ALREADY_LISTED = -1;

/**
 * Lists a market from a listing's bytes: Code.OK, ALREADY_LISTED, or the refusal's code with nothing
 * changed. Snapshot decode lists a snapshot's listed markets through here.
 */
function applyListing(p: ShardParts, bytes: Uint8Array, marketId: number, shard: number): number {
  const s = p.state;
  if (shard >= p.marketStreams) return Code.INVALID_MARKET_SHARD;
  const prior = p.listings.get(marketId);
  if (prior !== undefined && prior.shard === shard && sameBytes(prior.listing, bytes)) return ALREADY_LISTED;
  const checked = decodeListing(bytes);
  if (!checked.ok || checked.spec.marketId !== marketId) return Code.INVALID_MARKET_SPEC;
  const spec = checked.spec;
  // One collateral per exchange: a listing settles in the configured markets' asset, to their decimals.
  for (const m of s.markets.values()) {
    if (m.spec.marketId === marketId || m.spec.symbol === spec.symbol) return Code.MARKET_EXISTS;
    if (m.spec.quoteAsset !== spec.quoteAsset || m.spec.collateralDecimals !== spec.collateralDecimals) return Code.INVALID_MARKET_SPEC;
  }
  if (s.markets.size >= MAX_MARKETS) return Code.TOO_MANY_MARKETS;
  const r = checked.listing.risk;
  s.markets.set(marketId, new MarketRiskState(spec, riskMarket(checked.listing.market, { tiers: checked.tiers, defaultLeverage: r.defaultLeverage, liquidationBandRate: r.liquidationBandRate })));
  p.monitor.addMarket(marketId);
  p.listings.add({ marketId, shard, listing: Uint8Array.from(bytes) });
  return Code.OK;
}

/** Snapshot decode: lists the snapshot's listed markets and restores the partial group, or SNAPSHOT_MALFORMED. */
export function restoreListings(p: ShardParts, listed: readonly ListedMarket[], pending: readonly PendingListing[]): void {
  for (const l of listed) {
    const code = applyListing(p, l.listing, l.marketId, l.shard);
    if (code !== Code.OK) throw malformed(`CONF: the listing of market ${l.marketId} does not list it here (code ${code})`);
  }
  p.listings.assembly.restore(pending, 1);
}
