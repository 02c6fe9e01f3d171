// JournalWriter: drains every shard's tap ring into one synced RocksDB batch at a time (group commit: while
// a batch is being synced, the rings fill, and the next cycle takes all of it), keeps the consistent cut
// (cut.ts) and publishes it as the durable watermark once the batch holding it is synced.
//
//   tap ring x ──▶ BlockBuilder (one block per shard per cycle) ─┐
//   CutTracker.add(x, input, seq, stamp) … advance() ───────────┼─▶ store.write([blocks…, C=cut], sync)
//                                                               └─▶ watermark.publish(cut), onDurable()
//
// The cut goes into the same batch as the records, so whatever a crash leaves, the stored cut only covers
// records that are stored too. Thread contract: one thread (the journal writer worker, or a benchmark).

import * as hdr from 'hdr-histogram-js';
import type { TapReader } from '../engine/shard/input-tap.js';
import { stampOf } from '../engine/shard/input-stamp.js';
import { encodeCut } from './cut-record.js';
import type { CutTracker } from './cut.js';
import { BlockBuilder } from './journal-block.js';
import { CUT_KEY, journalKey } from './keys.js';
import type { Store, StoreOp } from './store.js';
import type { Watermark } from './watermark.js';

/**
 * The journal store's write buffer (Store OpenOptions.writeBufferBytes): 64 MiB instead of RocksDB's
 * 4 MiB. The journal writes every record once and reads it back only at recovery, but RocksDB compacts
 * what it flushes; with 4 MiB buffers the compaction thread spent 5.4 µs of CPU per journal record over a
 * 15M-record run (more than the writer's own work, on a machine whose two cores the shards need), with
 * 64 MiB 0.8 µs (bench/RESULTS.md, #9). The cost: up to two such buffers in memory (128 MiB), and up to
 * one buffer's worth of write-ahead log replayed into memory when the store opens.
 */
export const JOURNAL_WRITE_BUFFER_BYTES = 64 << 20;

export interface JournalWriterOptions {
  /** Records taken from one tap ring per cycle at most (bounds one batch's size and latency). */
  readonly maxRecordsPerShard?: number;
  /** Called after each synced batch (the worker rings the gateway's doorbell). */
  readonly onDurable?: () => void;
  /** Named crash points for the crash tests (crash-points.ts); never set in production. */
  readonly crashPoint?: (name: 'journal-write') => void;
}

/** Percentiles of the synced writes' durations, µs. */
export interface SyncSummary {
  /** Synced writes measured (every synced batch). */
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export class JournalWriter {
  private readonly builder = new BlockBuilder();
  private batch = 0;
  /** Records written (synced) since start. */
  written = 0;
  /** Synced batches since start. */
  batches = 0;
  /** How long each synced write took, µs (the floor durability adds to an acknowledgement: bench durable-ack). */
  readonly syncUs = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 2 });
  /** Per shard, the cut position of the last synced batch (what a reader may take as durable). */
  readonly durable: number[];
  /** Per shard, per input, the last seq inside the last synced cut. */
  durableLastSeq: readonly (readonly number[])[];

  constructor(
    private readonly store: Store,
    private readonly taps: readonly TapReader[],
    readonly cut: CutTracker,
    private readonly watermark: Watermark,
    private readonly o: JournalWriterOptions = {},
    firstBatch = 0,
  ) {
    this.batch = firstBatch;
    this.durable = [...cut.positions];
    this.durableLastSeq = cut.state().lastSeq;
  }

  /** The synced writes' durations so far: p50/p99/p99.9/max, µs. */
  syncSummary(): SyncSummary {
    const h = this.syncUs;
    // A percentile is its bucket's highest value; never above the largest value recorded.
    const at = (p: number) => Math.min(h.getValueAtPercentile(p), h.maxValue);
    return { count: h.totalCount, p50: at(50), p99: at(99), p999: at(99.9), max: h.maxValue };
  }

  /** Records waiting in the tap rings now. */
  waiting(): number {
    let n = 0;
    for (const t of this.taps) n += t.consumer.available();
    return n;
  }

  /** One group commit: drains what the rings hold, writes and syncs it with the cut. Returns records written. */
  async cycle(): Promise<number> {
    const ops: StoreOp[] = [];
    const max = this.o.maxRecordsPerShard ?? 65_536;
    let total = 0;
    for (let x = 0; x < this.taps.length; x++) {
      const t = this.taps[x]!;
      const c = t.consumer;
      let n = c.available();
      if (n === 0) continue;
      if (n > max) n = max;
      const first = this.cut.ends[x]!;
      this.builder.begin(first, n);
      const recs = t.records;
      for (let i = 0; i < n; i++) {
        const at = c.at(i);
        const input = t.inputAt(at);
        this.builder.add(recs.u8, at, input);
        this.cut.add(x, input, recs.seq(at), stampOf(recs, at));
      }
      // The block holds copies: the slots go back to the shard before the sync, not after.
      c.release(n);
      ops.push({ type: 'put', key: journalKey(x, first), value: this.builder.finish() });
      total += n;
    }
    if (total === 0) return 0;
    this.cut.advance();
    this.batch++;
    ops.push({ type: 'put', key: CUT_KEY, value: encodeCut({ version: 1, batch: this.batch, ...this.cut.state() }) });
    if (this.o.crashPoint) {
      await this.store.write(ops, false);
      this.o.crashPoint('journal-write');
    }
    const t = performance.now();
    await this.store.write(ops, true);
    this.syncUs.recordValue(Math.max(1, Math.round((performance.now() - t) * 1_000)));
    this.written += total;
    this.batches++;
    for (let x = 0; x < this.durable.length; x++) this.durable[x] = this.cut.positions[x]!;
    this.durableLastSeq = this.cut.state().lastSeq;
    this.watermark.publish(this.cut.positions);
    this.o.onDurable?.();
    return total;
  }
}
