// A market shard's snapshot (docs/SNAPSHOTS.md): the envelope of engine/snapshot/ around these sections,
// in this order:
//
//   CONF   MessagePack: the markets' configurations (ascending id), their pricing configurations, the
//          number of risk streams, the time horizon, and the halted markets (only when any is halted)
//   STRM   stream positions and counters (engine/snapshot/shard-streams.ts)
//   BOOK   per market, ascending id: the fast book (engine/book/book-snapshot.ts)
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
import { ShardKind } from '../snapshot/snapshot-format.js';
import type { EncodeBuffer } from '../snapshot/snapshot-writer.js';
import type { MarketShard } from './market-shard.js';
import type { PricingConfig } from './market-pricing.js';

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
    pricing: shard.marketIds.map((id) => shard.pricingOf(id)!.config),
    riskStreams: streams.outputNextSeqs.length,
    timeHorizonUs: shard.clock.horizonUs,
  };
  const halted = shard.haltedMarkets();
  if (halted.length > 0) Object.assign(config, { halted });
  env.section('CONF', (w) => w.bytes(encodePlain(config)));
  env.section('STRM', (w) => writeStreams(w, streams));
  shard.marketIds.forEach((id, i) => {
    env.section('BOOK', (w) => writeBook(w, books[i]!));
    env.section('PRIC', (w) => shard.pricingOf(id)!.writeState(w));
  });
  return env.finish(shard.stateHash());
}

/** A market-shard snapshot opened and its configuration and streams read; restoreInto reads the rest. */
export interface MarketSnapshot {
  readonly header: SnapshotHeader;
  readonly config: MarketShardConfig;
  readonly streams: ShardStreams;
  /** Reads the books and pricing into a shard built from `config` (fresh), then its stream positions. */
  restoreInto(shard: MarketShard): void;
}

export function openMarketSnapshot(bytes: Uint8Array): MarketSnapshot {
  const { header, sections } = openSnapshot(bytes, ShardKind.MARKET);
  const conf = sections.next('CONF', 'configuration');
  const config = checkConfig(decodePlain(conf.bytesOf(conf.remaining), conf.what));
  const streams = readStreams(sections.next('STRM', 'streams'));
  if (streams.outputNextSeqs.length !== config.riskStreams) throw malformed(`STRM: ${streams.outputNextSeqs.length} risk streams, CONF says ${config.riskStreams}`);
  return { header, config, streams, restoreInto: (shard) => restore(shard, sections, streams, config.halted ?? []) };
}

function restore(shard: MarketShard, sections: SnapshotSections, streams: ShardStreams, halted: readonly number[]): void {
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
  const config: MarketShardConfig = { markets: markets as MarketConfig[], pricing: pricing as PricingConfig[], riskStreams, timeHorizonUs: c.uint('timeHorizonUs') };
  if (c.value('halted') === undefined) return config;
  const halted = c.array('halted');
  const ids = (markets as { marketId?: unknown }[]).map((m) => m.marketId);
  // Present only when non-empty, ascending, each a market of this shard: anything else no writer produces.
  if (halted.length === 0 || halted.some((id, i) => !ids.includes(id) || (i > 0 && (id as number) <= (halted[i - 1] as number)))) throw malformed(`CONF: halted ${JSON.stringify(halted)} is not an ascending list of this shard's markets`);
  return { ...config, halted: halted as number[] };
}
