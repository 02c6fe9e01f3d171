// What every restore-tool command starts from: the data directory opened read-only (the source is never
// modified), its meta turned back into the exchange's configuration, its cut, and each shard's journal
// read and verified on demand.

import { Code } from '../../engine/codes.js';
import { decodeCut, type CutRecord } from '../../persistence/cut-record.js';
import { PersistenceError } from '../../persistence/errors.js';
import { CUT_KEY, journalRange, parseJournalKey } from '../../persistence/keys.js';
import { JournalBlock } from '../../persistence/journal-block.js';
import { readMeta } from '../../persistence/meta.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { producerTable } from '../durability.js';
import { configFromMeta, type ExchangeConfig } from '../exchange-config.js';
import type { Topology } from '../topology.js';

export interface DataDir {
  readonly dir: string;
  readonly store: RocksStore;
  readonly config: ExchangeConfig;
  readonly topology: Topology;
  readonly cut: CutRecord;
  readonly producers: number[][];
}

export async function openData(dir: string): Promise<DataDir> {
  const store = await RocksStore.open(dir, { readOnly: true });
  try {
    const meta = await readMeta(store, dir);
    const c = configFromMeta(meta.config);
    const bytes = await store.get(CUT_KEY);
    const producers = producerTable(c.topologyObject);
    const cut: CutRecord = bytes ? decodeCut(bytes) : { version: 1, batch: 0, positions: producers.map(() => 0), lastSeq: producers.map((p) => p.map(() => 0)) };
    if (cut.positions.length !== producers.length) throw new PersistenceError(Code.JOURNAL_CORRUPT, `the cut names ${cut.positions.length} shards, the meta ${producers.length}`, { key: 'C' });
    return { dir, store, config: c, topology: c.topologyObject, cut, producers };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** "market 0" / "risk 1": shard x as an operator reads it. */
export function shardName(t: Topology, x: number): string {
  return x < t.marketShards ? `market ${x}` : `risk ${x - t.marketShards}`;
}

/** Every shard's name, by global index. */
export function shardNames(t: Topology): string[] {
  return Array.from({ length: t.marketShards + t.riskShards }, (_, x) => shardName(t, x));
}

/**
 * --shard as an operator writes it: the name the tables show ("risk 0", "risk0", "market 1"), or the
 * global index (market shards first, then risk shards). undefined when it names no shard.
 */
export function shardIndexOf(t: Topology, text: string): number | undefined {
  const m = /^(market|risk)[ :-]?(\d{1,5})$/.exec(text.trim());
  const x = m ? (m[1] === 'market' ? Number(m[2]) : Number(m[2]) < t.riskShards ? t.marketShards + Number(m[2]) : -1) : /^\d{1,5}$/.test(text) ? Number(text) : -1;
  if (m && m[1] === 'market' && x >= t.marketShards) return undefined;
  return x >= 0 && x < t.marketShards + t.riskShards ? x : undefined;
}

export interface JournalExtent {
  shard: number;
  blocks: number;
  firstPosition: number;
  endPosition: number;
  bytes: number;
}

/** Blocks, positions and bytes of each shard's journal as stored (without verifying records). */
export async function extents(d: DataDir): Promise<JournalExtent[]> {
  const out: JournalExtent[] = [];
  for (let x = 0; x < d.producers.length; x++) {
    const e: JournalExtent = { shard: x, blocks: 0, firstPosition: -1, endPosition: 0, bytes: 0 };
    for await (const { key, value } of d.store.scan(journalRange(x))) {
      const { position } = parseJournalKey(key);
      const block = JournalBlock.decode(value);
      if (e.firstPosition < 0) e.firstPosition = position;
      e.blocks++;
      e.bytes += value.byteLength;
      // An unreadable block (a torn write) counts as one record: something is there past the end.
      e.endPosition = Math.max(e.endPosition, position + (block?.count ?? 1));
    }
    if (e.firstPosition < 0) e.firstPosition = 0;
    out.push(e);
  }
  return out;
}
