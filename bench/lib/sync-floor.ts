// The physical floor under acknowledge-after-durable on this disk: how long one sync takes, measured
// without the exchange around it. Any design that syncs before it acknowledges adds at least this.
//
//   rocksdb batch   one synced RocksStore.write of a block of n 128-byte records plus a cut record, the
//                   shape JournalWriter writes (n = 1, 100, 1,000), issued one after the other
//   fdatasync       a 128-byte append to a plain file, then fdatasync: on this thread (fdatasyncSync, the
//                   disk alone) and through libuv's pool (fs.fdatasync, what an async store's sync pays)
//
// Each sample is one write-and-sync, timed on this thread; reported as p50/p99/p99.9 in ns.

import { closeSync, fdatasync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { percentile, type CaseResult } from '../harness.js';

const RECORD_BYTES = 128;

export interface FloorOptions {
  readonly suite: string;
  readonly dir: string;
  /** Samples per case. */
  readonly samples: number;
}

function row(suite: string, name: string, ns: number[], extra: Record<string, number | string> = {}): CaseResult {
  const s = Float64Array.from(ns).sort();
  const total = ns.reduce((a, b) => a + b, 0);
  return {
    suite,
    case: name,
    opsPerSec: Math.round((ns.length / total) * 1e9),
    p50Ns: Math.round(percentile(s, 50)),
    p99Ns: Math.round(percentile(s, 99)),
    samples: ns.length,
    p999Ns: Math.round(percentile(s, 99.9)),
    maxNs: Math.round(s[s.length - 1] ?? 0),
    ...extra,
  };
}

async function rocksBatch(dir: string, records: number, samples: number): Promise<number[]> {
  const store = await RocksStore.open(dir, { createIfMissing: true });
  const value = new Uint8Array(records * RECORD_BYTES).fill(7);
  const cut = new Uint8Array(64).fill(3);
  const ns: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const key = new Uint8Array(12);
      new DataView(key.buffer).setUint32(8, i);
      const t = process.hrtime.bigint();
      await store.write([{ type: 'put', key, value }, { type: 'put', key: new Uint8Array([0xff]), value: cut }], true);
      ns.push(Number(process.hrtime.bigint() - t));
    }
  } finally {
    await store.close();
  }
  return ns;
}

async function bareSync(file: string, samples: number, pool: boolean): Promise<number[]> {
  const fd = openSync(file, 'a');
  const rec = Buffer.alloc(RECORD_BYTES, 5);
  const ns: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const t = process.hrtime.bigint();
      writeSync(fd, rec);
      if (pool) await new Promise<void>((res, rej) => fdatasync(fd, (e) => (e ? rej(e) : res())));
      else fdatasyncSync(fd);
      ns.push(Number(process.hrtime.bigint() - t));
    }
  } finally {
    closeSync(fd);
  }
  return ns;
}

/** The floor's cases, in turn (each a fresh store or file under `dir`). */
export async function syncFloor(o: FloorOptions): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  out.push(row(o.suite, 'floor: append 128 B + fdatasync, this thread', await bareSync(join(o.dir, 'bare-sync'), o.samples, false)));
  out.push(row(o.suite, 'floor: append 128 B + fdatasync, libuv pool', await bareSync(join(o.dir, 'bare-pool'), o.samples, true)));
  for (const n of [1, 100, 1_000]) {
    out.push(row(o.suite, `floor: synced RocksDB batch of ${n.toLocaleString('en-US')} record(s) + cut`, await rocksBatch(join(o.dir, `floor-${n}`), n, o.samples), { bytes: n * RECORD_BYTES }));
  }
  return out;
}
