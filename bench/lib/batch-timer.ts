// Per-operation latency that costs almost nothing to sample: a stream runs in batches and only each
// batch is timed, so the clock is read twice per batch (not per operation) and the figures are batch
// means per operation. p99 therefore reports the slowest batches, not the slowest single operation.
// Benchmark-only code: it reads the clock, which engine code never does.

import { percentile } from '../harness.js';

export interface BatchTiming {
  /** Wall time of all batches, ns. */
  totalNs: number;
  /** Mean ns per operation of each batch, in run order. */
  perOpNs: Float64Array;
}

/** Runs [0, n) as calls of runRange(from, to) of at most batchOps operations, timing each call. */
export function timeBatches(n: number, batchOps: number, runRange: (from: number, to: number) => void): BatchTiming {
  const perOpNs = new Float64Array(Math.ceil(n / batchOps));
  let totalNs = 0;
  for (let from = 0, k = 0; from < n; from += batchOps, k++) {
    const to = Math.min(n, from + batchOps);
    const t0 = process.hrtime.bigint();
    runRange(from, to);
    const ns = Number(process.hrtime.bigint() - t0);
    totalNs += ns;
    perOpNs[k] = ns / (to - from);
  }
  return { totalNs, perOpNs };
}

export interface LatencySummary {
  p50Ns: number;
  p99Ns: number;
  samples: number;
}

/** Pools the batch samples of several runs into one p50/p99. */
export function summarize(timings: readonly BatchTiming[]): LatencySummary {
  const total = timings.reduce((s, t) => s + t.perOpNs.length, 0);
  const all = new Float64Array(total);
  let k = 0;
  for (const t of timings) {
    all.set(t.perOpNs, k);
    k += t.perOpNs.length;
  }
  all.sort();
  return { p50Ns: Math.round(percentile(all, 50)), p99Ns: Math.round(percentile(all, 99)), samples: total };
}

export function opsPerSec(ops: number, totalNs: number): number {
  return Math.round((ops * 1e9) / totalNs);
}
