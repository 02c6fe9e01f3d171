// MarketListings: the markets one market shard holds, each with its book and its mark and funding state
// (MarketPricing), and how they came to be there. A market is listed at start, from the configuration the
// shard is built with, or at run time, from a ListMarket group the risk shards forward (docs/OPERATOR.md
// "Creating a market"). Every risk shard forwards the same listing; the first complete copy lists the
// market and is answered MarketListed, a later identical one changes nothing and gets no answer, a
// different one is refused MARKET_EXISTS. A listing arrives on the same stream as the orders of that risk
// shard's accounts, and after it, so no order can reach a market before its book exists.
//
// Kept apart from the shard's command handling (market-shard.ts) because it is a state of its own with its
// own rules: which markets exist, the one order anything iterates them in (ascending id), which ones a
// listing made and from which bytes, and the ListMarket groups in the middle of arriving
// (listing-assembly.ts). All of it is hashed (listingParts) and in snapshots (market-snapshot.ts CONF).
// A command's hot path only looks its book up here.
//
// Thread contract: the market-shard thread, or the thread decoding a snapshot into a new shard.

import { Code } from '../codes.js';
import { OrderBook } from '../book/order-book.js';
import type { Book, BookEventSink } from '../book/types.js';
import { decodeListing, MAX_MARKETS, sameBytes } from '../market/listing.js';
import { MarketSpec, type MarketConfig } from '../market/spec.js';
import type { RecordBuffer } from '../ring/record.js';
import { malformed } from '../snapshot/snapshot-error.js';
import type { EventWriter } from './event-writer.js';
import { bytesAsWords, ListingAssembly, type PendingListing } from './listing-assembly.js';
import { defaultPricing, MarketPricing, type PricingConfig } from './market-pricing.js';

export type BookFactory = (spec: MarketSpec, sink: BookEventSink) => Book;
export const fastBook: BookFactory = (spec, sink) => new OrderBook(spec, sink);

/** A market listed at run time, with its listing's canonical bytes (engine/market/listing.ts). */
export interface ListedMarket {
  readonly marketId: number;
  readonly listing: Uint8Array;
}

/** Marks the listed markets' and pending listings' parts of the state hash. */
const LISTED_TAG = 0x4c495354n;
const PENDING_TAG = 0x50454e44n;

/** apply's outcomes besides a refusal's code (codes are ≥ 0). */
const LISTED = -1;
const ALREADY_LISTED = -2;

export class MarketListings {
  private readonly books = new Map<number, Book>();
  private readonly pricing = new Map<number, MarketPricing>();
  /** Market ids in ascending order: the only order anything iterates markets in. */
  private ids: number[];
  /** Markets listed at run time: id → the listing's canonical bytes. */
  private readonly listed = new Map<number, Uint8Array>();
  /** ListMarket groups in the middle of arriving, per input. */
  private readonly assembly = new ListingAssembly();
  /** The markets listed at start, ascending id (snapshots carry them). */
  readonly configs: readonly MarketConfig[];

  constructor(
    markets: readonly MarketConfig[],
    /** Mark and funding settings per market id; markets without an entry use defaultPricing(). */
    pricing: ReadonlyMap<number, PricingConfig>,
    private readonly factory: BookFactory,
    /** Where the books write their events, and where MarketListed goes. */
    private readonly writer: EventWriter,
    /** The shard's index in the topology: a listing names the shard that owns its market. */
    private readonly shardId: number,
    /** The shard's input streams (the gateway's and one per risk shard): snapshot decode checks against it. */
    private readonly inputs: number,
  ) {
    this.configs = [...markets].sort((a, b) => a.marketId - b.marketId);
    for (const config of markets) {
      const spec = new MarketSpec(config);
      if (this.books.has(spec.marketId)) throw new Error(`market ${spec.marketId} configured twice`);
      this.add(spec, pricing.get(spec.marketId) ?? defaultPricing());
    }
    this.ids = [...this.books.keys()].sort((a, b) => a - b);
  }

  private add(spec: MarketSpec, pricing: PricingConfig): void {
    const book = this.factory(spec, this.writer);
    this.books.set(spec.marketId, book);
    this.pricing.set(spec.marketId, new MarketPricing(book, pricing));
  }

  /** Market ids in ascending order, listed ones included. */
  get marketIds(): readonly number[] {
    return this.ids;
  }

  book(marketId: number): Book | undefined {
    return this.books.get(marketId);
  }

  pricingOf(marketId: number): MarketPricing | undefined {
    return this.pricing.get(marketId);
  }

  /**
   * One ListMarket part from input `input`, its header and u53 fields already checked: Code.OK when
   * taken (the last part of a group lists the market and writes MarketListed, unless a risk shard listed
   * it from these very bytes before: then nothing), else the refusal's code for the shard's OrderRejected.
   * From a risk shard only: on the gateway's input (0) a listing could overtake the orders for its market
   * on a risk stream, so it is NOT_PERMITTED there.
   */
  takePart(buf: RecordBuffer, at: number, input: number, timeUs: number): number {
    if (input === 0) return Code.NOT_PERMITTED;
    const part = this.assembly.take(buf, at, input);
    if (part.code !== Code.OK || part.complete === undefined) return part.code;
    const g = part.complete;
    const code = this.apply(g.data, g.marketId, g.shard);
    if (code === LISTED) this.writer.marketListed(g.marketId, timeUs, g.requestId, this.shardId, this.ids.length);
    return code === LISTED || code === ALREADY_LISTED ? Code.OK : code;
  }

  /**
   * Lists a market from a listing's bytes: LISTED, ALREADY_LISTED (these very bytes listed it before), or
   * the refusal's code, having changed nothing.
   */
  private apply(bytes: Uint8Array, marketId: number, shard: number): number {
    if (shard !== this.shardId) return Code.INVALID_MARKET_SHARD;
    const prior = this.listed.get(marketId);
    if (prior !== undefined && sameBytes(prior, bytes)) return ALREADY_LISTED;
    const checked = decodeListing(bytes);
    if (!checked.ok || checked.spec.marketId !== marketId) return Code.INVALID_MARKET_SPEC;
    if (this.books.has(marketId)) return Code.MARKET_EXISTS;
    for (const b of this.books.values()) if (b.spec.symbol === checked.spec.symbol) return Code.MARKET_EXISTS;
    if (this.books.size >= MAX_MARKETS) return Code.TOO_MANY_MARKETS;
    // The pricing starts fresh, like a configured market's: its first timer or index tick schedules its
    // samples and funding from that tick's time.
    this.add(checked.spec, checked.listing.pricing);
    this.listed.set(marketId, Uint8Array.from(bytes));
    this.ids = [...this.books.keys()].sort((a, b) => a - b);
    return LISTED;
  }

  /** Markets listed at run time, ascending id, with their listings' bytes (snapshots, tools, the gateway). */
  listedMarkets(): ListedMarket[] {
    return [...this.listed.keys()].sort((a, b) => a - b).map((marketId) => ({ marketId, listing: this.listed.get(marketId)! }));
  }

  /** ListMarket groups in the middle of arriving (snapshots). */
  pendingListings(): PendingListing[] {
    return this.assembly.snapshot();
  }

  /**
   * Snapshot decode, into a fresh shard: lists a snapshot's listed markets from their bytes, then restores
   * the groups it recorded in the middle of arriving; SNAPSHOT_MALFORMED when a listing does not list its
   * market here or a group is one no sequence of parts leaves.
   */
  restore(listed: readonly ListedMarket[], pending: readonly PendingListing[]): void {
    for (const { marketId, listing } of listed) {
      const code = this.apply(listing, marketId, this.shardId);
      if (code !== LISTED) throw malformed(`CONF: the listing of market ${marketId} does not list it here (code ${code})`);
    }
    this.assembly.restore(pending, this.inputs);
  }

  /**
   * The listings' part of the shard's state hash: the listed markets (id and bytes) and the groups in the
   * middle of arriving, each tagged and only when there are any, so a shard that never saw a ListMarket
   * hashes as one built before listings existed.
   */
  listingParts(): bigint[] {
    const parts: bigint[] = [];
    const listed = this.listedMarkets();
    if (listed.length > 0) {
      parts.push(LISTED_TAG, BigInt(listed.length));
      for (const l of listed) parts.push(BigInt(l.marketId), ...bytesAsWords(l.listing));
    }
    const pending = this.assembly.stateParts();
    if (pending.length > 0) parts.push(PENDING_TAG, ...pending);
    return parts;
  }
}
