// JournalReader: reads one shard's journal back for a replay, checking everything it reads.
//
//   blocks in key order ──▶ header and length decode? ──▶ first position = key = where the last ended?
//                       ──▶ each record below the cut: stored CRC32C = computed? ──▶ copied into the log
//                       ──▶ after each block: how many records are in, published (a replay may follow)
//
// Inside the cut (acknowledged territory) any failure stops the read with a PersistenceError naming the
// shard, key, position, the record's seq and the expected checksum: never a silent truncation. Past the
// cut lies the torn tail (records journaled but never inside the cut, so never acknowledged): it is
// counted and reported, not replayed; truncateTail() removes it before a writer continues the journal.

import { Code } from '../engine/codes.js';
import { RECORD_BYTES, RecordBuffer } from '../engine/ring/record.js';
import { PersistenceError } from './errors.js';
import { ReplayFeed } from '../engine/shard/replay-feed.js';
import { BlockBuilder, JournalBlock } from './journal-block.js';
import { journalKey, journalRange, keyText, parseJournalKey } from './keys.js';
import type { Store } from './store.js';

/** Where a shard's log goes, allocated before it is read (its size is the cut's position minus the first). */
export interface ShardLogBuffers {
  readonly shard: number;
  /** Records [firstPosition, firstPosition + count) in SharedArrayBuffers a worker can take as they are. */
  readonly records: SharedArrayBuffer;
  readonly inputs: SharedArrayBuffer;
  readonly firstPosition: number;
  readonly count: number;
  /** How many records are verified and copied so far (engine/shard/replay-feed.ts): a replay may follow the read. */
  readonly feed: SharedArrayBuffer;
}

export interface ShardLog extends ShardLogBuffers {
  /** Per input, the last seq inside the log. */
  readonly lastSeq: number[];
  /** Per input, the last seq before the log's first record (a snapshot's; zeros from position 0). */
  readonly startLastSeq: readonly number[];
  /** The shard's time before the log's first record. */
  readonly startTimeUs: number;
  /** Largest timeUs inside the log (0 when empty). */
  readonly lastTimeUs: number;
  /** Records past the cut found in the store (the torn tail). */
  readonly tornRecords: number;
}

export interface ReadOptions {
  /** First position to read (a snapshot's); blocks before it are skipped. Default 0. */
  readonly from?: number;
  /** Inputs this shard has (sizes lastSeq). */
  readonly inputs: number;
  /** Per input, the last seq consumed before `from` (a snapshot's); default all 0. */
  readonly lastSeq?: readonly number[];
  /** The shard's time before `from` (a snapshot's clock); default 0. */
  readonly lastTimeUs?: number;
  /** Called with records read so far, for progress bars. */
  readonly onProgress?: (records: number) => void;
  /** Read into these (shardLogBuffers() of the same shard, cut and `from`), publishing each verified block; default: new ones. */
  readonly into?: ShardLogBuffers;
}

/** The buffers for shard `shard`'s records [from, cut), nothing in them yet. */
export function shardLogBuffers(shard: number, cut: number, from = 0): ShardLogBuffers {
  const count = Math.max(0, cut - from);
  return { shard, records: new SharedArrayBuffer(count * RECORD_BYTES), inputs: new SharedArrayBuffer(Math.max(2, count * 2)), firstPosition: from, count, feed: ReplayFeed.create().sab };
}

function corrupt(shard: number, key: Uint8Array, position: number, seq: number, expected: number, actual: number): PersistenceError {
  return new PersistenceError(
    Code.JOURNAL_CORRUPT,
    `shard ${shard}: record at position ${position} (seq ${seq}) in key ${keyText(key)} fails its checksum: expected crc32c ${expected.toString(16).padStart(8, '0')}, computed ${actual.toString(16).padStart(8, '0')}`,
    { shard, key: keyText(key), position, seq, expectedChecksum: expected.toString(16).padStart(8, '0') },
  );
}

/** The first position of the block holding `position` (blocks before it need not be read); 0 when none starts at or before it. */
export async function blockStartAt(store: Store, shard: number, position: number): Promise<number> {
  if (position === 0) return 0;
  for await (const { key } of store.scan({ ...journalRange(shard, 0, position + 1), reverse: true, limit: 1 })) return parseJournalKey(key).position;
  return 0;
}

/** Reads shard `shard`'s records below `cut` (verified), and counts what lies past it. */
export async function readShardLog(store: Store, shard: number, cut: number, o: ReadOptions): Promise<ShardLog> {
  const from = o.from ?? 0;
  const buffers = o.into ?? shardLogBuffers(shard, cut, from);
  if (buffers.shard !== shard || buffers.firstPosition !== from || buffers.count !== Math.max(0, cut - from)) throw new RangeError(`shard ${shard}: buffers for records from ${buffers.firstPosition}, ${buffers.count} of them, do not fit [${from}, ${cut})`);
  const recs = new RecordBuffer(buffers.records);
  const ins = new Uint16Array(buffers.inputs);
  const feed = ReplayFeed.attach(buffers.feed);
  const lastSeq = Array.from({ length: o.inputs }, (_, i) => o.lastSeq?.[i] ?? 0);
  let lastTimeUs = o.lastTimeUs ?? 0;
  let next = -1;
  let torn = 0;
  for await (const { key, value } of store.scan(journalRange(shard, await blockStartAt(store, shard, from)))) {
    const { position } = parseJournalKey(key);
    const block = JournalBlock.decode(value);
    const end = block ? position + block.count : position;
    if (end <= from && block) {
      next = end;
      continue;
    }
    if (position >= cut) {
      torn += block ? block.count : 1;
      continue;
    }
    if (block === undefined || block.firstPosition !== position) {
      throw new PersistenceError(Code.JOURNAL_CORRUPT, `shard ${shard}: key ${keyText(key)} does not hold a readable journal block`, { shard, key: keyText(key), position });
    }
    if (next !== -1 && position !== next) {
      throw new PersistenceError(Code.JOURNAL_GAP, `shard ${shard}: journal jumps from position ${next} to ${position} at key ${keyText(key)}`, { shard, key: keyText(key), position, expected: next });
    }
    if (next === -1 && position > from) {
      throw new PersistenceError(Code.JOURNAL_GAP, `shard ${shard}: journal starts at position ${position}, expected ${from}`, { shard, key: keyText(key), position, expected: from });
    }
    next = end;
    for (let i = 0; i < block.count; i++) {
      const p = position + i;
      if (p < from) continue;
      if (p >= cut) {
        torn += block.count - i;
        break;
      }
      const stored = block.storedChecksum(i);
      const actual = block.actualChecksum(i);
      const at = block.records.at(i);
      if (stored !== actual) throw corrupt(shard, key, p, block.records.seq(at), stored, actual);
      const k = p - from;
      recs.copyFrom(block.records, at, recs.at(k));
      const input = block.input(i);
      ins[k] = input;
      const seq = block.records.seq(at);
      if (input < lastSeq.length && seq > lastSeq[input]!) lastSeq[input] = seq;
      const t = block.records.timeUs(at);
      if (t > lastTimeUs) lastTimeUs = t;
    }
    // Every record up to here is verified and copied: a replay following the read may take them.
    feed.publish(Math.min(next, cut) - from);
    o.onProgress?.(Math.min(next, cut) - from);
  }
  const have = Math.max(next, from);
  if (have < cut) {
    throw new PersistenceError(Code.JOURNAL_GAP, `shard ${shard}: the cut says position ${cut} is durable but the journal ends at ${have}`, { shard, position: have, expected: cut });
  }
  return { ...buffers, lastSeq, lastTimeUs, tornRecords: torn, startLastSeq: Array.from({ length: o.inputs }, (_, i) => o.lastSeq?.[i] ?? 0), startTimeUs: o.lastTimeUs ?? 0 };
}

/**
 * Removes shard `shard`'s records at or past `cut`: whole blocks past it are deleted, a block straddling it
 * is rewritten with its records below the cut. Synced, so a writer may continue at `cut` afterwards.
 */
export async function truncateTail(store: Store, shard: number, cut: number): Promise<number> {
  let removed = 0;
  // The block holding position cut - 1 may run past the cut: it starts at or before cut - 1.
  for await (const { key, value } of store.scan({ ...journalRange(shard, 0, cut), reverse: true, limit: 1 })) {
    const { position } = parseJournalKey(key);
    const block = JournalBlock.decode(value);
    if (block && position + block.count > cut) {
      const keep = cut - position;
      const b = new BlockBuilder();
      b.begin(position, keep);
      for (let i = 0; i < keep; i++) b.add(block.records.u8, block.records.at(i), block.input(i));
      await store.write([{ type: 'put', key: journalKey(shard, position), value: b.finish() }], true);
      removed += block.count - keep;
    }
  }
  for await (const { value } of store.scan(journalRange(shard, cut))) removed += JournalBlock.decode(value)?.count ?? 1;
  await store.deleteRange(journalRange(shard, cut), true);
  return removed;
}
