// CPU time of another process (the load generator's target), read from Linux's /proc: the main thread's
// (the gateway's event loop: sockets, codec, handlers, the dispatch loop) and the whole process's (the
// shard workers and the journal writer too). Per order over a fixed count of orders this is the robust
// figure on a shared machine: a neighbour's load stretches wall time, not the CPU an order costs.
// /proc/<pid>/task/<tid>/schedstat's first field is the nanoseconds the thread ran, its second the
// nanoseconds it waited on a run queue (runnable, no core free: on a shared 2-core machine the share of a
// latency tail that is the neighbours' or our own threads' contention, not a wait of our making); where
// it is missing (not Linux, or schedstats off) the sample is undefined and the figures are left out.

import { readdirSync, readFileSync } from 'node:fs';

export interface CpuSample {
  /** The main thread's CPU time, ns. */
  readonly mainNs: number;
  /** Every thread's, ns (threads alive at the sample). */
  readonly totalNs: number;
  /** Time the main thread, and every thread summed, waited on a run queue (ns). */
  readonly mainWaitNs: number;
  readonly totalWaitNs: number;
}

const schedstat = (path: string): [number, number] => {
  const [ran, waited] = readFileSync(path, 'utf8').split(' ', 2);
  return [Number(ran), Number(waited)];
};

export function sampleCpu(pid: number): CpuSample | undefined {
  try {
    let totalNs = 0;
    let totalWaitNs = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const [ran, waited] = schedstat(`/proc/${pid}/task/${tid}/schedstat`);
        totalNs += ran;
        totalWaitNs += waited;
      } catch {
        // a thread that ended between the listing and the read
      }
    }
    const [mainNs, mainWaitNs] = schedstat(`/proc/${pid}/task/${pid}/schedstat`);
    return { mainNs, totalNs, mainWaitNs, totalWaitNs };
  } catch {
    return undefined;
  }
}

/**
 * CPU µs per order between two samples (main thread, whole process), and the run-queue wait per order
 * (main thread, whole process); undefined without samples.
 */
export function cpuPerOrder(before: CpuSample | undefined, after: CpuSample | undefined, orders: number): { mainUs: number; totalUs: number; mainWaitUs: number; totalWaitUs: number } | undefined {
  if (before === undefined || after === undefined || orders <= 0) return undefined;
  const round = (ns: number) => Math.round(ns / orders / 100) / 10;
  return {
    mainUs: round(after.mainNs - before.mainNs),
    totalUs: round(after.totalNs - before.totalNs),
    mainWaitUs: round(after.mainWaitNs - before.mainWaitNs),
    totalWaitUs: round(after.totalWaitNs - before.totalWaitNs),
  };
}
