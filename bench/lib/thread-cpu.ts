// CPU time of this process's threads by name, from /proc/self/task (Linux; elsewhere empty). Node names
// its own threads (main, workers, libuv's pool, V8's platform) all "node"; RocksDB names its background
// flush and compaction threads "rocksdb:*", so a run can say what the store's own housekeeping cost.

import { readdirSync, readFileSync } from 'node:fs';

const TICK_US = 10_000; // USER_HZ = 100 on Linux

/** Per thread id: its name and user+system CPU in µs since it started. */
export function threadCpu(): Map<string, { name: string; us: number }> {
  const out = new Map<string, { name: string; us: number }>();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, { name, us: (Number(f[11]) + Number(f[12])) * TICK_US });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

/** CPU µs spent between two threadCpu() readings by threads whose name starts with `prefix`. */
export function cpuSince(before: Map<string, { name: string; us: number }>, after: Map<string, { name: string; us: number }>, prefix: string): number {
  let us = 0;
  for (const [tid, t] of after) if (t.name.startsWith(prefix)) us += t.us - (before.get(tid)?.us ?? 0);
  return us;
}

/** The `top` threads by CPU between two readings, as "name:µs per unit" (units: commands, records...), busiest first. */
export function busiestThreads(before: Map<string, { name: string; us: number }>, after: Map<string, { name: string; us: number }>, units: number, top = 6): string {
  return [...after]
    .map(([tid, t]) => ({ name: t.name, us: t.us - (before.get(tid)?.us ?? 0) }))
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((t) => `${t.name}:${Math.round((t.us / units) * 100) / 100}`)
    .join(' ');
}
