// MarketRegistry: the gateway's one list of markets, shared by everything that serves them (operator
// routes, the market-data hub and its WebSocket channels, the `markets` query, order entry, session
// subscriptions, index sources, the demo's view). It starts with the configured markets and, after a
// restart, those the recovered shards hold from listings (ThreadedExchange.listedAtStart()); it grows when
// an operator lists a market at run time (POST /operator/markets, operator/market-listings.ts), and tells
// every part that keeps per-market state of the new market (onAdd), in the order they subscribed.
//
// It only grows: the exchange has no way to remove a market. Ids and symbols are unique; `ids` is a live
// set (order entry and subscriptions check membership in it without asking the registry again).

import { decodeListing } from '../../engine/market/listing.js';
import { MarketSpec, type MarketConfig } from '../../engine/market/spec.js';

export type MarketAdded = (spec: MarketSpec) => void;

export class MarketRegistry {
  private readonly byId = new Map<number, MarketSpec>();
  private readonly bySymbol = new Map<string, MarketSpec>();
  private readonly listed = new Set<number>();
  private readonly listeners: MarketAdded[] = [];
  private sorted: MarketSpec[] = [];
  private readonly live = new Set<number>();

  /** The configured markets (checked by MarketSpec: a bad one is a RangeError, as at any start). */
  constructor(configured: readonly MarketConfig[]) {
    for (const m of configured) if (!this.put(new MarketSpec(m))) throw new RangeError(`market ${m.marketId} (${m.symbol}) configured twice`);
  }

  /** Every market's id, live: it grows with the registry. */
  get ids(): ReadonlySet<number> {
    return this.live;
  }

  get size(): number {
    return this.byId.size;
  }

  /** Every market, ascending id (a new array only when the registry changed). */
  list(): readonly MarketSpec[] {
    return this.sorted;
  }

  get(marketId: number): MarketSpec | undefined {
    return this.byId.get(marketId);
  }

  bySymbolOf(symbol: string): MarketSpec | undefined {
    return this.bySymbol.get(symbol);
  }

  has(marketId: number): boolean {
    return this.byId.has(marketId);
  }

  /** True for a market listed at run time (not one of the configured markets). */
  isListed(marketId: number): boolean {
    return this.listed.has(marketId);
  }

  /**
   * Adds a market listed at run time and tells every subscriber; false (nothing changed, nobody told)
   * when its id or symbol is taken.
   */
  add(m: MarketConfig): boolean {
    const spec = m instanceof MarketSpec ? m : new MarketSpec(m);
    if (!this.put(spec)) return false;
    this.listed.add(spec.marketId);
    for (const l of this.listeners) l(spec);
    return true;
  }

  /**
   * Adds the markets a recovered exchange holds from listings (their canonical bytes, as
   * ThreadedExchange.listedAtStart() gives them); one the registry holds already is passed by. Returns
   * how many were added. Bytes that are not a listing are a RangeError: the shards listed from them.
   */
  addListings(listings: readonly { readonly listing: Uint8Array }[]): number {
    let added = 0;
    for (const l of listings) {
      const c = decodeListing(l.listing);
      if (!c.ok) throw new RangeError(`a recovered listing does not decode: ${c.field} ${c.message}`);
      if (this.add(c.spec)) added++;
    }
    return added;
  }

  /** Calls `l` with every market added from now on; returns its removal. */
  onAdd(l: MarketAdded): () => void {
    this.listeners.push(l);
    return () => {
      const i = this.listeners.indexOf(l);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private put(spec: MarketSpec): boolean {
    if (this.byId.has(spec.marketId) || this.bySymbol.has(spec.symbol)) return false;
    this.byId.set(spec.marketId, spec);
    this.bySymbol.set(spec.symbol, spec);
    this.live.add(spec.marketId);
    this.sorted = [...this.sorted, spec].sort((a, b) => a.marketId - b.marketId);
    return true;
  }
}

/** A registry as given (shared), or one of its own over a fixed list (tests, tools). */
export function registryOf(markets: MarketRegistry | readonly MarketConfig[]): MarketRegistry {
  return markets instanceof MarketRegistry ? markets : new MarketRegistry(markets);
}
