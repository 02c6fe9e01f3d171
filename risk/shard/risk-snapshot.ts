// A risk shard's snapshot (docs/SNAPSHOTS.md): the envelope of engine/snapshot/ around these sections, in
// this order:
//
//   CONF   MessagePack: shard id and count, the configured markets' risk configurations (in the shard's
//          market order), the pool configuration, each market's market shard, the number of market
//          streams; from format 3, only when any: the markets listed at run time (in the order they were
//          listed: id, owning market shard, the listing's bytes) and the ListMarket group arriving
//   STRM   stream positions and counters (engine/snapshot/shard-streams.ts)
//   LEDG   ledgers and counters                      MRKT  per-market mark, index, funding
//   ACCT   accounts, positions, open orders          (state-snapshot.ts)
//   MONI   the margin monitor: per market its triggers (trigger-index.ts), the queue of scopes to check,
//          then the scopes with negative equity (margin-monitor.ts)
//   QUIN   the ADL quintile cache and the ranking jobs under way (quintiles.ts, ranking-job.ts)
//   LIQD   the liquidation pipeline (LiquidationHooks.writeState; liquidation-snapshot.ts)
//
// The header carries the shard's state hash; decoding recomputes it and refuses a difference.
// Thread contract: the risk-shard thread between two records (encode), the decoding thread (decode).

import { plainRecord } from '../../engine/snapshot/plain-check.js';
import { decodePlain, encodePlain } from '../../engine/snapshot/plain-codec.js';
import { readStreams, writeStreams, type ShardStreams } from '../../engine/snapshot/shard-streams.js';
import { EnvelopeWriter, openSnapshot, type SnapshotHeader, type SnapshotSections } from '../../engine/snapshot/snapshot-envelope.js';
import { malformed } from '../../engine/snapshot/snapshot-error.js';
import { ShardKind, writtenVersion } from '../../engine/snapshot/snapshot-format.js';
import type { EncodeBuffer } from '../../engine/snapshot/snapshot-writer.js';
import type { RiskMarketConfig, RiskPoolConfig } from './config.js';
import { CursorLookup } from './key-order.js';
import type { RiskShard } from './risk-shard.js';
import { AccountsInStep } from './risk-state-hash.js';
import { readAccounts, readLedgers, readMarkets, writeAccounts, writeLedgers, writeMarkets } from './state-snapshot.js';
import { restoreListings, type ListedMarket } from './market-listing.js';
import { pendingFromPlain, type PendingListing } from '../../engine/shard/listing-assembly.js';

/** What CONF holds. */
export interface RiskShardConfig {
  readonly shardId: number;
  readonly shardCount: number;
  readonly markets: readonly RiskMarketConfig[];
  readonly pool: RiskPoolConfig;
  /** The market shard of each market, in `markets` order. */
  readonly marketShards: readonly number[];
  readonly marketStreams: number;
  /** Markets listed at run time, in the order they were listed; absent when none. */
  readonly listed?: readonly ListedMarket[];
  /** The ListMarket group in the middle of arriving on the gateway input; absent when none. */
  readonly pending?: readonly PendingListing[];
}

/** `into`: a buffer kept between encodes (EncodeBuffer); the bytes are then a view of it. */
export function encodeRiskShard(shard: RiskShard, into?: EncodeBuffer): Uint8Array {
  const p = shard.parts;
  const s = shard.state;
  const streams = shard.streamPositions();
  const markets = [...s.markets.values()].filter((m) => p.listings.get(m.spec.marketId) === undefined);
  let positions = 0;
  s.accounts.forEach((a) => void (positions += a.positions.size));
  // Room for the whole snapshot at once (about 90 bytes an account in the benchmark's state): a buffer
  // that runs out doubles, copying everything written so far.
  const env = new EnvelopeWriter(ShardKind.RISK, s.shardId, s.shardCount, 4096 + s.accounts.size * 32 + positions * 64, into);
  const config: RiskShardConfig = {
    shardId: s.shardId,
    shardCount: s.shardCount,
    markets: markets.map((m) => m.config),
    pool: p.pool,
    marketShards: markets.map((m) => p.marketShardOf(m.spec.marketId)),
    marketStreams: streams.outputNextSeqs.length,
  };
  const listed = p.listings.inOrder();
  if (listed.length > 0) Object.assign(config, { listed });
  const pending = p.listings.assembly.snapshot();
  if (pending.length > 0) Object.assign(config, { pending });
  env.section('CONF', (w) => w.bytes(encodePlain(config)));
  env.section('STRM', (w) => writeStreams(w, streams));
  env.section('LEDG', (w) => writeLedgers(w, p));
  env.section('MRKT', (w) => writeMarkets(w, p));
  // The state hash takes the accounts as they are written (AccountsInStep): one pass over them for both.
  const inStep = new AccountsInStep(p);
  env.section('ACCT', (w) => writeAccounts(w, p, inStep));
  env.section('MONI', (w) => {
    p.monitor.writeState(w);
    w.uint(p.evaluator.negativeEquity.size);
    for (const key of p.evaluator.negativeEquity) w.uint(key);
  });
  env.section('QUIN', (w) => p.quintiles.writeState(w));
  env.section('LIQD', (w) => shard.liquidation.writeState(w));
  return env.finish(shard.stateHash(inStep), writtenVersion(ShardKind.RISK, listed.length > 0 || pending.length > 0));
}

/** A risk-shard snapshot opened and its configuration and streams read; restoreInto reads the rest. */
export interface RiskSnapshot {
  readonly header: SnapshotHeader;
  readonly config: RiskShardConfig;
  readonly streams: ShardStreams;
  /**
   * Reads the stream positions and then the state into a shard built from `config` (fresh), handing each
   * account to `inStep` once built.
   */
  restoreInto(shard: RiskShard, inStep?: AccountsInStep): void;
}

export function openRiskSnapshot(bytes: Uint8Array): RiskSnapshot {
  const { header, sections } = openSnapshot(bytes, ShardKind.RISK);
  const conf = sections.next('CONF', 'configuration');
  const config = checkConfig(decodePlain(conf.bytesOf(conf.remaining), conf.what));
  if (config.shardId !== header.shardId || config.shardCount !== header.shardCount) throw malformed(`CONF: shard ${config.shardId} of ${config.shardCount}, header says ${header.shardId} of ${header.shardCount}`);
  const streams = readStreams(sections.next('STRM', 'streams'));
  if (streams.outputNextSeqs.length !== config.marketStreams || streams.counters.length !== 2) throw malformed(`STRM: ${streams.outputNextSeqs.length} market streams and ${streams.counters.length} counters, CONF says ${config.marketStreams} streams`);
  return { header, config, streams, restoreInto: (shard, inStep) => restore(shard, sections, streams, config, inStep) };
}

function restore(shard: RiskShard, sections: SnapshotSections, streams: ShardStreams, config: RiskShardConfig, inStep: AccountsInStep | undefined): void {
  const p = shard.parts;
  // The listed markets first: the per-market sections hold them, in the order they were listed.
  restoreListings(p, config.listed ?? [], config.pending ?? []);
  // The streams first: the clock is part of what the state hash takes before the accounts.
  shard.restoreStreams(streams);
  readLedgers(sections.next('LEDG', 'ledgers'), p);
  readMarkets(sections.next('MRKT', 'markets'), p);
  const accounts = new CursorLookup(readAccounts(sections.next('ACCT', 'accounts'), p, inStep), shard.state.accounts);
  const moni = sections.next('MONI', 'margin monitor');
  p.monitor.readState(moni, shard.state, accounts);
  const negative = moni.count(1);
  for (let i = 0; i < negative; i++) p.evaluator.negativeEquity.add(moni.uint());
  moni.done();
  const quin = sections.next('QUIN', 'ADL quintiles');
  p.quintiles.readState(quin);
  quin.done();
  const liqd = sections.next('LIQD', 'liquidation pipeline');
  shard.liquidation.readState(liqd);
  liqd.done();
  sections.done();
}

function checkConfig(v: unknown): RiskShardConfig {
  const c = plainRecord(v, 'CONF');
  const shardId = c.uint('shardId');
  const shardCount = c.uint('shardCount');
  const markets = c.array('markets');
  const marketShards = c.array('marketShards');
  const marketStreams = c.uint('marketStreams');
  plainRecord(c.value('pool'), 'CONF pool');
  if (markets.length === 0 || marketShards.length !== markets.length || marketShards.some((s) => typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s >= marketStreams)) {
    throw malformed(`CONF: ${markets.length} markets, market shards ${JSON.stringify(marketShards)} of ${marketStreams} streams`);
  }
  for (const m of markets) {
    const r = plainRecord(m, 'CONF market');
    plainRecord(r.value('market'), 'CONF market');
    if (!Array.isArray(r.value('tiers')) || typeof r.value('defaultLeverage') !== 'bigint' || typeof r.value('liquidationBandRate') !== 'bigint') throw malformed('CONF market: tiers, defaultLeverage or liquidationBandRate missing');
  }
  const config: RiskShardConfig = { shardId, shardCount, markets: markets as RiskMarketConfig[], pool: c.value('pool') as RiskPoolConfig, marketShards: marketShards as number[], marketStreams };
  const listed = c.value('listed') === undefined ? undefined : c.array('listed').map((v): ListedMarket => {
    const r = plainRecord(v, 'CONF listed');
    const listing = r.value('listing');
    if (!(listing instanceof Uint8Array)) throw malformed('CONF listed: a listing is not bytes');
    return { marketId: r.uint('marketId'), shard: r.uint('shard'), listing };
  });
  const pending = c.value('pending') === undefined ? undefined : c.array('pending').map(pendingFromPlain);
  // Present only when non-empty: anything else no writer produces.
  if (listed?.length === 0 || pending?.length === 0) throw malformed('CONF: an empty listed or pending list');
  return { ...config, ...(listed === undefined ? {} : { listed }), ...(pending === undefined ? {} : { pending }) };
}
