// What RocksDB's own housekeeping costs per journal record, sustained: JournalWriter on this thread over
// 4 tap rings (64 records each per batch, sync off so the disk does not pace it), `records` in all, then a
// pause for the background threads to catch up; CPU of the whole process and of RocksDB's flush and
// compaction threads ("rocksdb:*", Linux), per record. Run once per write buffer size, in the same run:
// the binding's default 4 MiB against the journal's JOURNAL_WRITE_BUFFER_BYTES.

import { join } from 'node:path';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { RingProducer } from '../../engine/ring/ring-producer.js';
import { TapReader, TapRing } from '../../engine/shard/input-tap.js';
import { CutTracker } from '../../persistence/cut.js';
import { JournalWriter } from '../../persistence/journal-writer.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { OpsBatch, type StoreBatch, type StoreOp } from '../../persistence/store.js';
import { Watermark } from '../../persistence/watermark.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import type { CaseResult } from '../harness.js';
import { cpuSince, threadCpu } from './thread-cpu.js';

const PER_SHARD = 64;

export async function compactionCost(suite: string, dir: string, producers: readonly (readonly number[])[], sample: RecordBuffer, records: number, writeBufferBytes: number, settleMs: number): Promise<CaseResult> {
  const store = await RocksStore.open(join(dir, `compaction-${writeBufferBytes}`), { createIfMissing: true, writeBufferBytes });
  const unsynced = { readOnly: false, write: (ops: readonly StoreOp[]) => store.write(ops, false), get: store.get.bind(store), scan: store.scan.bind(store), deleteRange: store.deleteRange.bind(store), close: store.close.bind(store), batch: (): StoreBatch => new OpsBatch(unsynced) };
  const taps = producers.map(() => TapRing.create(4 * PER_SHARD));
  const bell = Doorbell.create();
  const writers = taps.map((t) => new RingProducer(t.ring, bell));
  const writer = new JournalWriter(unsynced, taps.map((t) => new TapReader(t)), new CutTracker(producers.map((p) => [...p])), Watermark.create(taps.length), { maxRecordsPerShard: PER_SHARD });
  const cpu0 = process.cpuUsage();
  const threads0 = threadCpu();
  const t0 = performance.now();
  let written = 0;
  let k = 0;
  try {
    while (written < records) {
      for (let x = 0; x < taps.length; x++) {
        const w = writers[x]!;
        const n = w.claim(PER_SHARD);
        for (let i = 0; i < n; i++) {
          const to = w.at(i);
          taps[x]!.ring.records.copyFrom(sample, sample.at(k++ % sample.capacity), to);
          // Stamp 0: every record depends on its producer's first position, so the cut follows the writes.
          taps[x]!.ring.records.setU32(to, 28, 0);
        }
        w.publish(n);
      }
      written += await writer.cycle();
    }
    const writeMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, settleMs));
    const cpu = process.cpuUsage(cpu0);
    const bg = cpuSince(threads0, threadCpu(), 'rocksdb');
    const ns = (us: number) => Math.round((us * 1_000) / written);
    return {
      suite,
      case: `journal CPU per record, sustained (${(written / 1e6).toFixed(1)}M records, sync off), write buffer ${writeBufferBytes >> 20} MiB`,
      opsPerSec: Math.round((written / writeMs) * 1_000),
      p50Ns: 0,
      p99Ns: 0,
      samples: 1,
      cpuNsPerRecord: ns(cpu.user + cpu.system),
      rocksdbBackgroundNsPerRecord: ns(bg),
    };
  } finally {
    await store.close();
  }
}
