// CPU time of another process (the load generator's target), read from Linux's /proc: the main thread's
// (the gateway's event loop: sockets, codec, handlers, the dispatch loop) and the whole process's (the
// shard workers and the journal writer too). Per order over a fixed count of orders this is the robust
// figure on a shared machine: a neighbour's load stretches wall time, not the CPU an order costs.
// /proc/<pid>/task/<tid>/schedstat's first field is the nanoseconds the thread ran; where it is missing
// (not Linux, or schedstats off) the sample is undefined and the figures are left out.

import { readdirSync, readFileSync } from 'node:fs';

export interface CpuSample {
  /** The main thread's CPU time, ns. */
  readonly mainNs: number;
  /** Every thread's, ns (threads alive at the sample). */
  readonly totalNs: number;
}

const ranNs = (path: string): number => Number(readFileSync(path, 'utf8').split(' ', 1)[0]);

export function sampleCpu(pid: number): CpuSample | undefined {
  try {
    let totalNs = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        totalNs += ranNs(`/proc/${pid}/task/${tid}/schedstat`);
      } catch {
        // a thread that ended between the listing and the read
      }
    }
    return { mainNs: ranNs(`/proc/${pid}/task/${pid}/schedstat`), totalNs };
  } catch {
    return undefined;
  }
}

/** CPU µs per order between two samples (main thread, whole process); undefined without samples. */
export function cpuPerOrder(before: CpuSample | undefined, after: CpuSample | undefined, orders: number): { mainUs: number; totalUs: number } | undefined {
  if (before === undefined || after === undefined || orders <= 0) return undefined;
  const round = (ns: number) => Math.round(ns / orders / 100) / 10;
  return { mainUs: round(after.mainNs - before.mainNs), totalUs: round(after.totalNs - before.totalNs) };
}
