// The restore tool's commands (main.ts parses the arguments and maps errors to exit codes):
//
//   list     per shard: journal range, records inside the cut, torn tail, size, last time, last seqs, and
//            the oldest point it can still be restored to (retention pruned what lies before)
//   inspect  the state at a point, summarised: markets, open orders, accounts, positions, insurance fund,
//            open interest per market; --account N for one account
//   verify   every record's checksum, sequence continuity, the cut against the journal, a clean replay
//            of every shard (its state hash)
//   restore  a new data directory holding the state at a point (--to-seq N [--shard X] | --to-time T)
//   hash     every shard's state hash at a point
//
// A state at a point is rebuilt from each shard's newest sound snapshot at or before the point plus the
// journal after it (history.ts), or from the journal's beginning where there is no snapshot; the progress
// bar shows while it runs.

import type { MarketShard } from '../../engine/shard/market-shard.js';
import { listSnapshots, type SnapshotInfo } from '../../persistence/snapshot-store.js';
import type { RiskShard } from '../../risk/shard/risk-shard.js';
import { extents, shardName, shardNames, type DataDir } from './data.js';
import { oldestBase, readHistories, stateAt, type ShardHistory } from './history.js';
import { cutAt, type Point } from './point.js';
import { progress } from './progress.js';
import { table, usdt } from './table.js';
import { stateHashHex } from '../../engine/shard/hash.js';

/** A record time (µs since the epoch) as operators read it. */
function timeText(us: number): string {
  return us >= 1e12 ? new Date(Math.floor(us / 1_000)).toISOString().slice(0, 19).replace('T', ' ') : String(us);
}

/** A record time as --to-time takes it back: ISO to the millisecond, rounded up so the time shown is inside the window. */
function pointText(us: number): string {
  return us >= 1e12 ? new Date(Math.ceil(us / 1_000)).toISOString() : String(us);
}

/**
 * The oldest point shard x can be restored to: the oldest snapshot its journal continues from (its shard
 * time and the first gateway seq after it, what --to-time and --to-seq accept from), or the beginning
 * (timeUs null) when its journal starts at 0; null when the journal was pruned and no snapshot is left.
 */
export interface RestorableFrom {
  readonly position: number;
  readonly timeUs: number | null;
  readonly gatewaySeq: number;
}

function restorableFrom(snapshots: readonly SnapshotInfo[], journalStart: number): RestorableFrom | null {
  if (journalStart === 0) return { position: 0, timeUs: null, gatewaySeq: 1 };
  const base = oldestBase(snapshots, journalStart);
  return base === undefined ? null : { position: base.position, timeUs: base.clockUs, gatewaySeq: (base.lastSeq[0] ?? 0) + 1 };
}

function restorableText(r: RestorableFrom | null): string {
  if (r === null) return 'nothing (journal pruned, no snapshot)';
  return r.timeUs === null ? 'the start' : `seq ${r.gatewaySeq.toLocaleString('en-US')} · ${pointText(r.timeUs)}`;
}

export interface Out {
  json: boolean;
  print(text: string): void;
}

export function emit(out: Out, value: unknown, human: () => string): void {
  out.print(out.json ? JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) : human());
}

export async function list(d: DataDir, out: Out): Promise<void> {
  const ext = await extents(d);
  const perShard = await Promise.all(d.producers.map((_, x) => listSnapshots(d.store, x)));
  const snapshots = perShard.flat().map((s) => ({ shard: shardName(d.topology, s.shard), position: s.position, journalKey: `J/${s.shard}/${s.position}`, lastSeq: s.lastSeq, timeUs: s.clockUs, takenAt: new Date(s.takenAtMs).toISOString(), bytes: s.bytes, stateHash: s.stateHash }));
  const rows = ext.map((e) => ({
    shard: shardName(d.topology, e.shard),
    firstPosition: e.firstPosition,
    cutPosition: d.cut.positions[e.shard]!,
    tornRecords: Math.max(0, e.endPosition - d.cut.positions[e.shard]!),
    blocks: e.blocks,
    bytes: e.bytes,
    lastSeq: d.cut.lastSeq[e.shard] ?? [],
    // No journal block at all: everything below the cut is in a snapshot at the cut (history.ts readHistories).
    restorableFrom: restorableFrom(perShard[e.shard]!, e.blocks === 0 ? d.cut.positions[e.shard]! : e.firstPosition),
  }));
  // --to-time T restores every shard at T: it needs T at or after every shard's oldest restorable time.
  const times = rows.map((r) => r.restorableFrom?.timeUs ?? null).filter((t): t is number => t !== null);
  // fromTimeUs null: from the beginning (every journal starts at 0).
  const restorable = { everyShard: rows.every((r) => r.restorableFrom !== null), fromTimeUs: times.length === 0 ? null : Math.max(...times) };
  emit(out, { dir: d.dir, batch: d.cut.batch, restorable, shards: rows, snapshots }, () =>
    [
      `data directory ${d.dir}: ${d.topology.marketShards} market shard(s), ${d.topology.riskShards} risk shard(s), ${d.cut.batch.toLocaleString('en-US')} batches`,
      table(
        ['shard', 'journal from', 'durable to', 'torn tail', 'blocks', 'bytes', 'last seq per input', 'restorable from (--to-seq · --to-time)'],
        rows.map((r) => [r.shard, r.firstPosition, r.cutPosition, r.tornRecords, r.blocks, r.bytes, r.lastSeq.join('/'), restorableText(r.restorableFrom)]),
      ),
      !restorable.everyShard
        ? 'restorable: not every shard (a journal was pruned with no snapshot left to start from; verify says more)'
        : `restorable: --to-time from ${restorable.fromTimeUs === null ? 'the start' : pointText(restorable.fromTimeUs)} to the durable end; --to-seq from the seq shown for its shard`,
      snapshots.length === 0
        ? 'snapshots: none (the journal is replayed from its beginning)'
        : table(
            ['snapshot of', 'position', 'last seq per input', 'shard time (UTC)', 'taken at (UTC)', 'bytes', 'state hash'],
            snapshots.map((r) => [r.shard, r.position, r.lastSeq.join('/'), timeText(r.timeUs), r.takenAt.slice(0, 19).replace('T', ' '), r.bytes, r.stateHash]),
          ),
    ].join('\n'),
  );
}

/** Every shard's state at the cut at `point`: the nearest snapshot before it plus the journal after it. */
async function replayTo(d: DataDir, histories: readonly ShardHistory[], point: Point): Promise<{ shards: (MarketShard | RiskShard)[]; positions: number[] }> {
  const cut = cutAt(histories.map((h) => h.log), d.producers, point, shardNames(d.topology));
  const total = cut.positions.reduce((a, p, x) => a + p - histories[x]!.log.firstPosition, 0);
  const bar = progress('replaying', total);
  let done = 0;
  const shards: (MarketShard | RiskShard)[] = [];
  try {
    for (const h of histories) {
      shards.push((await stateAt(d, h, cut.positions[h.shard]!, (n) => bar.update(done + n))).state);
      done += cut.positions[h.shard]! - h.log.firstPosition;
    }
  } finally {
    bar.stop();
  }
  return { shards, positions: [...cut.positions] };
}

export async function hash(d: DataDir, point: Point, out: Out): Promise<void> {
  const { shards, positions } = await replayTo(d, await readHistories(d), point);
  const rows = shards.map((s, x) => ({ shard: shardName(d.topology, x), position: positions[x]!, stateHash: stateHashHex(s.stateHash()) }));
  emit(out, { point, shards: rows }, () => table(['shard', 'position', 'state hash'], rows.map((r) => [r.shard, r.position, r.stateHash])));
}

export async function inspect(d: DataDir, point: Point, accountId: number | undefined, out: Out): Promise<void> {
  const { shards } = await replayTo(d, await readHistories(d), point);
  const S = d.topology.marketShards;
  const risk = shards.slice(S) as RiskShard[];
  const markets = d.topology.markets();
  const decimals = markets[0]?.collateralDecimals ?? 6;
  const openInterest = new Map<number, bigint>();
  const openOrders = new Map<number, number>();
  let accounts = 0;
  let positions = 0;
  let fund = 0n;
  let feePool = 0n;
  for (const r of risk) {
    fund += r.state.insuranceFundAtoms;
    feePool += r.state.feePoolAtoms;
    for (const id of r.state.sortedAccountIds()) {
      const a = r.state.accounts.get(id)!;
      accounts++;
      for (const p of a.positionsInOrder()) {
        openOrders.set(p.marketId, (openOrders.get(p.marketId) ?? 0) + p.orders.size);
        if (p.qtyLots === 0n) continue;
        positions++;
        if (p.qtyLots > 0n) openInterest.set(p.marketId, (openInterest.get(p.marketId) ?? 0n) + p.qtyLots);
      }
    }
  }
  if (accountId !== undefined) {
    const r = risk[d.topology.riskShardOf(accountId)]!;
    const a = r.state.accounts.get(accountId);
    if (a === undefined) throw new RangeError(`account ${accountId} does not exist at this point`);
    const rows = a.positionsInOrder().map((p) => ({ marketId: p.marketId, qtyLots: p.qtyLots, entryCostAtoms: p.entryCostAtoms, realizedPnlAtoms: p.realizedPnlAtoms, openOrders: p.orders.size, marginMode: p.marginMode === 1 ? 'isolated' : 'cross', leverage: p.leverage }));
    emit(out, { accountId, walletAtoms: a.walletAtoms, feeTier: a.feeTier, liquidating: a.liquidationId !== 0, positions: rows }, () =>
      [
        `account ${accountId} (risk shard ${d.topology.riskShardOf(accountId)}): wallet ${usdt(a.walletAtoms, decimals)} · fee tier ${a.feeTier}${a.liquidationId !== 0 ? ' · in liquidation' : ''}`,
        table(['market', 'qty lots', 'entry cost', 'realized PnL', 'open orders', 'mode', 'leverage'], rows.map((p) => [String(p.marketId), p.qtyLots, usdt(p.entryCostAtoms, decimals), usdt(p.realizedPnlAtoms, decimals), p.openOrders, p.marginMode, p.leverage])),
      ].join('\n'),
    );
    return;
  }
  // The configured markets and those listed at run time, which the replayed market shards hold.
  const owned = [
    ...markets.map((m) => ({ m, shard: d.topology.marketShardOf(m.marketId) })),
    ...shards.slice(0, S).flatMap((ms, s) => (ms as MarketShard).markets.listedMarkets().map((l) => ({ m: (ms as MarketShard).book(l.marketId)!.spec, shard: s }))),
  ].sort((a, b) => a.m.marketId - b.m.marketId);
  const rows = owned.map(({ m, shard }) => {
    const book = (shards[shard] as MarketShard).book(m.marketId)!;
    const mark = risk[0]?.state.markets.get(m.marketId)?.markPriceTicks ?? 0n;
    return { marketId: m.marketId, symbol: m.symbol, bestBid: book.bestBid(), bestAsk: book.bestAsk(), markTicks: mark, openOrders: openOrders.get(m.marketId) ?? 0, openInterestLots: openInterest.get(m.marketId) ?? 0n };
  });
  emit(out, { point, accounts, positions, insuranceFundAtoms: fund, feePoolAtoms: feePool, markets: rows }, () =>
    [
      `${accounts.toLocaleString('en-US')} accounts · ${positions.toLocaleString('en-US')} open positions · insurance fund ${usdt(fund, decimals)} · fee pool ${usdt(feePool, decimals)}`,
      table(['market', 'best bid (ticks)', 'best ask (ticks)', 'mark (ticks)', 'open orders', 'open interest (lots)'], rows.map((r) => [r.symbol, r.bestBid, r.bestAsk, r.markTicks, r.openOrders, r.openInterestLots])),
    ].join('\n'),
  );
}
