// The restore tool's commands (main.ts parses the arguments and maps errors to exit codes):
//
//   list     per shard: journal range, records inside the cut, torn tail, size, last time, last seqs
//   inspect  the state at a point, summarised: markets, open orders, accounts, positions, insurance fund,
//            open interest per market; --account N for one account
//   verify   every record's checksum, sequence continuity, the cut against the journal, a clean replay
//            of every shard (its state hash)
//   restore  a new data directory holding the state at a point (--to-seq N [--shard X] | --to-time T)
//   hash     every shard's state hash at a point
//
// Until snapshots land (they need the state codecs) a state is rebuilt by replaying the journal from its
// beginning; the progress bar shows while it runs.

import { existsSync, readdirSync } from 'node:fs';
import { Code } from '../../engine/codes.js';
import type { MarketShard } from '../../engine/shard/market-shard.js';
import { encodeCut } from '../../persistence/cut-record.js';
import { PersistenceError } from '../../persistence/errors.js';
import { BlockBuilder } from '../../persistence/journal-block.js';
import type { ShardLog } from '../../persistence/journal-reader.js';
import { CUT_KEY, META_KEY, journalKey } from '../../persistence/keys.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import type { RiskShard } from '../../risk/shard/risk-shard.js';
import { replayShard } from '../journal-replay.js';
import { extents, readAll, shardName, type DataDir } from './data.js';
import { cutAt, type Point } from './point.js';
import { progress } from './progress.js';
import { table, usdt } from './table.js';

export interface Out {
  json: boolean;
  print(text: string): void;
}

function emit(out: Out, value: unknown, human: () => string): void {
  out.print(out.json ? JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) : human());
}

export async function list(d: DataDir, out: Out): Promise<void> {
  const ext = await extents(d);
  const rows = ext.map((e) => ({
    shard: shardName(d.topology, e.shard),
    firstPosition: e.firstPosition,
    cutPosition: d.cut.positions[e.shard]!,
    tornRecords: Math.max(0, e.endPosition - d.cut.positions[e.shard]!),
    blocks: e.blocks,
    bytes: e.bytes,
    lastSeq: d.cut.lastSeq[e.shard] ?? [],
  }));
  emit(out, { dir: d.dir, batch: d.cut.batch, shards: rows, snapshots: [] }, () =>
    [
      `data directory ${d.dir}: ${d.topology.marketShards} market shard(s), ${d.topology.riskShards} risk shard(s), ${d.cut.batch.toLocaleString('en-US')} batches`,
      table(
        ['shard', 'journal from', 'durable to', 'torn tail', 'blocks', 'bytes', 'last seq per input'],
        rows.map((r) => [r.shard, r.firstPosition, r.cutPosition, r.tornRecords, r.blocks, r.bytes, r.lastSeq.join('/')]),
      ),
      'snapshots: none (the journal is replayed from its beginning)',
    ].join('\n'),
  );
}

/** Replays every shard's log up to the cut at `point`; returns the state machines. */
function replayTo(d: DataDir, logs: readonly ShardLog[], point: Point): { shards: (MarketShard | RiskShard)[]; positions: number[] } {
  const cut = cutAt(logs, d.producers, point);
  const total = cut.positions.reduce((a, b) => a + b, 0);
  const bar = progress('replaying', total);
  let done = 0;
  const shards = logs.map((l, x) => {
    const s = replayShard({ topology: d.topology, riskMarkets: d.config.riskMarkets, pool: d.config.pool, pricing: d.config.pricing }, l, cut.positions[x]!);
    done += cut.positions[x]!;
    bar.update(done);
    return s;
  });
  bar.stop();
  return { shards, positions: [...cut.positions] };
}

export async function hash(d: DataDir, point: Point, out: Out): Promise<void> {
  const { shards, positions } = replayTo(d, await readAll(d), point);
  const rows = shards.map((s, x) => ({ shard: shardName(d.topology, x), position: positions[x]!, stateHash: s.stateHash().toString(16).padStart(16, '0') }));
  emit(out, { point, shards: rows }, () => table(['shard', 'position', 'state hash'], rows.map((r) => [r.shard, r.position, r.stateHash])));
}

export async function verify(d: DataDir, out: Out): Promise<void> {
  const logs = await readAll(d);
  const ext = await extents(d);
  for (let x = 0; x < logs.length; x++) {
    const want = d.cut.lastSeq[x] ?? [];
    logs[x]!.lastSeq.forEach((seq, i) => {
      if (seq !== (want[i] ?? 0)) throw new PersistenceError(Code.JOURNAL_CORRUPT, `${shardName(d.topology, x)}: the cut says input ${i} was consumed to seq ${want[i]}, the journal to ${seq}`, { shard: x, input: i });
    });
  }
  const { shards } = replayTo(d, logs, { kind: 'end' });
  const rows = logs.map((l, x) => ({
    shard: shardName(d.topology, x),
    records: l.count,
    checksums: 'ok',
    continuity: 'ok',
    tornRecords: Math.max(0, ext[x]!.endPosition - d.cut.positions[x]!),
    stateHash: shards[x]!.stateHash().toString(16).padStart(16, '0'),
  }));
  emit(out, { ok: true, shards: rows }, () =>
    [
      table(['shard', 'records', 'checksums', 'continuity', 'torn tail', 'replayed state hash'], rows.map((r) => [r.shard, r.records, r.checksums, r.continuity, r.tornRecords, r.stateHash])),
      rows.some((r) => r.tornRecords > 0) ? 'a torn tail (records past the durable cut, never acknowledged) is dropped at the next start' : 'no torn tail',
      'verify: ok',
    ].join('\n'),
  );
}

export async function inspect(d: DataDir, point: Point, accountId: number | undefined, out: Out): Promise<void> {
  const { shards } = replayTo(d, await readAll(d), point);
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
  const rows = markets.map((m) => {
    const ms = shards[d.topology.marketShardOf(m.marketId)] as MarketShard;
    const book = ms.book(m.marketId)!;
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

/** Writes a new data directory holding the journal up to the cut at `point` (the source is only read). */
export async function restore(d: DataDir, point: Point, outDir: string, out: Out): Promise<void> {
  if (existsSync(outDir) && readdirSync(outDir).length > 0) throw new RangeError(`--out ${outDir} exists and is not empty`);
  const logs = await readAll(d);
  const cut = cutAt(logs, d.producers, point);
  const target = await RocksStore.open(outDir, { createIfMissing: true });
  try {
    await target.write([{ type: 'put', key: META_KEY, value: (await d.store.get(META_KEY))! }], false);
    const b = new BlockBuilder();
    for (let x = 0; x < logs.length; x++) {
      const l = logs[x]!;
      const recs = new RecordBuffer(l.records);
      const inputs = new Uint16Array(l.inputs);
      for (let first = 0; first < cut.positions[x]!; first += 4_096) {
        const n = Math.min(4_096, cut.positions[x]! - first);
        b.begin(first, n);
        for (let i = 0; i < n; i++) b.add(recs.u8, recs.at(first + i), inputs[first + i]!);
        await target.write([{ type: 'put', key: journalKey(x, first), value: b.finish() }], false);
      }
    }
    await target.write([{ type: 'put', key: CUT_KEY, value: encodeCut({ version: 1, batch: d.cut.batch, ...cut }) }], true);
  } finally {
    await target.close();
  }
  const rows = cut.positions.map((p, x) => ({ shard: shardName(d.topology, x), position: p, of: d.cut.positions[x]! }));
  emit(out, { out: outDir, point, shards: rows }, () =>
    [`restored into ${outDir} (start it with: npm start -- --data ${outDir})`, table(['shard', 'records restored', 'of'], rows.map((r) => [r.shard, r.position, r.of]))].join('\n'),
  );
}
