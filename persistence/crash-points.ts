// Named crash points for the crash tests: a process started with PERPX_CRASH_AT=<name> kills itself with
// SIGKILL (as `kill -9` would) the first time it reaches that point, optionally after skipping
// PERPX_CRASH_SKIP passes, so a test can stop the exchange exactly where a crash hurts most:
//
//   journal-write   a batch written to RocksDB without sync, before the synced write of the same batch
//   snapshot        while a snapshot is being written (snapshotter)
//   liquidation     when the gateway sees a liquidation step (exchange host)
//   adl             when the gateway sees an ADL execution (exchange host)
//
// Off (undefined hooks, no environment read on any hot path) unless the variable is set.

export type CrashPoint = 'journal-write' | 'snapshot' | 'liquidation' | 'adl';

export function crashPointHook(): ((name: CrashPoint) => void) | undefined {
  const at = process.env.PERPX_CRASH_AT;
  if (at === undefined || at === '') return undefined;
  let skip = Number(process.env.PERPX_CRASH_SKIP ?? 0);
  return (name) => {
    if (name !== at) return;
    if (skip-- > 0) return;
    process.kill(process.pid, 'SIGKILL');
  };
}
