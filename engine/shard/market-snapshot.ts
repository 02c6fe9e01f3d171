// A market shard's snapshot (docs/SNAPSHOTS.md): the envelope of engine/snapshot/ around these sections,
// in this order:
//
//   CONF   MessagePack: the configured markets (ascending id), their pricing configurations, the
//          number of risk streams, the time horizon, the halted markets (only when any is halted), the
//          markets listed at run time as their listings' bytes (only when any is; format 2), and the
//          ListMarket groups in the middle of arriving (only when any is; format 2)
//   STRM   stream positions and counters (engine/snapshot/shard-streams.ts)
//   BOOK   per market, configured and listed, ascending id: the fast book (engine/book/book-snapshot.ts)
//   PRIC   right after its market's BOOK: mark, funding and basis state (market-pricing.ts writeState)
//
// The header carries the shard's state hash; decoding recomputes it from the decoded shard and refuses a
// difference (SNAPSHOT_HASH_MISMATCH), so a decoded shard is the encoded one or an error.
// Thread contract: the market-shard thread between two records (encode), the decoding thread (decode).

import { readBook, writeBook } from '../book/book-snapshot.js';
import { OrderBook } from '../book/order-book.js';
import type { MarketConfig } from '../market/spec.js';
import { plainRecord } from '../snapshot/plain-check.js';
import { decodePlain, encodePlain } from '../snapshot/plain-codec.js';
import { readStreams, writeStreams, type ShardStreams } from '../snapshot/shard-streams.js';
import { EnvelopeWriter, openSnapshot, type SnapshotHeader, type SnapshotSections } from '../snapshot/snapshot-envelope.js';
import { malformed } from '../snapshot/snapshot-error.js';
import { ShardKind, writtenVersion } from '../snapshot/snapshot-format.js';
import type { EncodeBuffer } from '../snapshot/snapshot-writer.js';
import type { MarketShard } from './market-shard.js';
import type { PricingConfig } from './market-pricing.js';
import { pendingFromPlain, type PendingListing } from './listing-assembly.js';

/** What CONF holds. */
export interface MarketShardConfig {
  readonly markets: readonly MarketConfig[];
  /** Per market, same order. */
  readonly pricing: readonly PricingConfig[];
  readonly riskStreams: number;
  /** How far one record may move the shard's time (ShardClock). */
  readonly timeHorizonUs: number;
  /** Markets halted by an operator, ascending; absent when none (the CONF of a shard that never halted is unchanged). */
  readonly halted?: readonly number[];
  /** Markets listed at run time, ascending id, as the listings' canonical bytes; absent when none. */
  readonly listed?: readonly { readonly marketId: number; readonly listing: Uint8Array }[];
  /** ListMarket groups in the middle of arriving, ascending input; absent when none. */
  readonly pending?: readonly PendingListing[];
}

/** `into`: a buffer kept between encodes (EncodeBuffer); the bytes are then a view of it. */
export function encodeMarketShard(shard: MarketShard, into?: EncodeBuffer): Uint8Array {
  const books = shard.marketIds.map((id) => {
    const book = shard.book(id);
    if (!(book instanceof OrderBook)) throw new Error(`market ${id}: snapshots need the fast book (OrderBook)`);
    return book;
  });
  const streams = shard.streamPositions();
  const bytesHint = 4096 + books.reduce((n, b) => n + b.orderCount() * 56, 0);
  const env = new EnvelopeWriter(ShardKind.MARKET, shard.shardId, 0, bytesHint, into);
  const config: MarketShardConfig = {
    markets: shard.configs,
    pricing: shard.configs.map((m) => shard.pricingOf(m.marketId)!.config),
    riskStreams: streams.outputNextSeqs.length,
    timeHorizonUs: shard.clock.horizonUs,
  };
  const halted = shard.haltedMarkets();
  if (halted.length > 0) Object.assign(config, { halted });
  const listed = shard.markets.listedMarkets();
  if (listed.length > 0) Object.assign(config, { listed });
  const pending = shard.markets.pendingListings();
  if (pending.length > 0) Object.assign(config, { pending });
  env.section('CONF', (w) => w.bytes(encodePlain(config)));
  env.section('STRM', (w) => writeStreams(w, streams));
  shard.marketIds.forEach((id, i) => {
    env.section('BOOK', (w) => writeBook(w, books[i]!));
    env.section('PRIC', (w) => shard.pricingOf(id)!.writeState(w));
  });
  return env.finish(shard.stateHash(), writtenVersion(ShardKind.MARKET, listed.length > 0 || pending.length > 0));
}

/** A market-shard snapshot opened and its configuration and streams read; restoreInto reads the rest. */
export interface MarketSnapshot {
  readonly header: SnapshotHeader;
  readonly config: MarketShardConfig;
  readonly streams: ShardStreams;
  /**
   * Lists the snapshot's listed markets in a shard built from `config` (fresh), reads every book and
   * pricing state into it, then its stream positions.
   */
  restoreInto(shard: MarketShard): void;
}

export function openMarketSnapshot(bytes: Uint8Array): MarketSnapshot {
  const { header, sections } = openSnapshot(bytes, ShardKind.MARKET);
  const conf = sections.next('CONF', 'configuration');
  const config = checkConfig(decodePlain(conf.bytesOf(conf.remaining), conf.what));
  const streams = readStreams(sections.next('STRM', 'streams'));
  if (streams.outputNextSeqs.length !== config.riskStreams) throw malformed(`STRM: ${streams.outputNextSeqs.length} risk streams, CONF says ${config.riskStreams}`);
  return { header, config, streams, restoreInto: (shard) => restore(shard, sections, streams, config) };
}

function restore(shard: MarketShard, sections: SnapshotSections, streams: ShardStreams, config: MarketShardConfig): void {
  shard.markets.restore(config.listed ?? [], config.pending ?? []);
  const halted = config.halted ?? [];
  for (const id of shard.marketIds) {
    readBook(sections.next('BOOK', `book of market ${id}`), shard.book(id) as OrderBook);
    shard.pricingOf(id)!.readState(sections.next('PRIC', `pricing of market ${id}`));
  }
  sections.done();
  shard.restoreHalted(halted);
  if (streams.counters.length !== 1) throw malformed(`STRM: ${streams.counters.length} counters for a market shard`);
  shard.restoreStreams(streams);
}

function checkConfig(v: unknown): MarketShardConfig {
  const c = plainRecord(v, 'CONF');
  const markets = c.array('markets');
  const pricing = c.array('pricing');
  const riskStreams = c.uint('riskStreams');
  if (markets.length === 0 || pricing.length !== markets.length) throw malformed(`CONF: ${markets.length} markets, ${pricing.length} pricing entries`);
  for (const p of pricing) {
    const r = plainRecord(p, 'CONF pricing');
    for (const k of ['fundingIntervalUs', 'sampleIntervalUs', 'basisWindowUs', 'impactDepthLevels'] as const) if (r.uint(k) < 1) throw malformed(`CONF pricing: ${k} must be positive`);
    // Absent in a configuration written before it existed (the default applies).
    if ((p as { indexMaxAgeUs?: unknown }).indexMaxAgeUs !== undefined && r.uint('indexMaxAgeUs') < 1) throw malformed('CONF pricing: indexMaxAgeUs must be positive');
  }
  let config: MarketShardConfig = { markets: markets as MarketConfig[], pricing: pricing as PricingConfig[], riskStreams, timeHorizonUs: c.uint('timeHorizonUs') };
  const ids = (markets as { marketId?: unknown }[]).map((m) => m.marketId);
  if (c.value('listed') !== undefined) {
    const listed = c.array('listed').map((v) => {
      const r = plainRecord(v, 'CONF listed');
      const listing = r.value('listing');
      if (!(listing instanceof Uint8Array)) throw malformed('CONF listed: a listing is not bytes');
      return { marketId: r.uint('marketId'), listing };
    });
    // Present only when non-empty, ascending, none a configured market: anything else no writer produces.
    if (listed.length === 0 || listed.some((l, i) => ids.includes(l.marketId) || (i > 0 && l.marketId <= listed[i - 1]!.marketId))) throw malformed('CONF: listed is not an ascending list of markets besides the configured ones');
    ids.push(...listed.map((l) => l.marketId));
    config = { ...config, listed };
  }
  if (c.value('pending') !== undefined) {
    const pending = c.array('pending').map(pendingFromPlain);
    if (pending.length === 0) throw malformed('CONF: pending is empty');
    config = { ...config, pending };
  }
  if (c.value('halted') === undefined) return config;
  const halted = c.array('halted');
  // Present only when non-empty, ascending, each a market of this shard: anything else no writer produces.
  if (halted.length === 0 || halted.some((id, i) => !ids.includes(id) || (i > 0 && (id as number) <= (halted[i - 1] as number)))) throw malformed(`CONF: halted ${JSON.stringify(halted)} is not an ascending list of this shard's markets`);
  return { ...config, halted: halted as number[] };
}
