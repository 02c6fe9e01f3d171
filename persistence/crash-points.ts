// Named crash points for the crash tests: a process started with PERPX_CRASH_AT=<name> kills itself with
// SIGKILL (as `kill -9` would) the first time it reaches that point, optionally after skipping
// PERPX_CRASH_SKIP passes, so a test can stop the exchange exactly where a crash hurts most:
//
//   journal-write   a batch written to RocksDB without sync, before the synced write of the same batch
//   snapshot        while a snapshot is being written (snapshotter)
//   liquidation     when the gateway sees a liquidation step (gateway/main.ts)
//   adl             when the gateway sees an ADL execution (gateway/main.ts)
//
// PERPX_CRASH_BREAK=ack-before-durable breaks the exchange on purpose, for the one test that proves the
// crash harness notices loss (test/crash/crash-notices-loss.test.ts): responses reach the gateway before
// their inputs are durable, and the journal writer waits a second (brokenJournalLagMs) before each cycle,
// as a slow disk would make it; npm start's entry says so on stderr as soon as it reads its options. (Without the wait a killed process rarely loses anything even so: the
// writer's unsynced write, which survives a killed process, follows the records within a millisecond.)
//
// PERPX_CRASH_BREAK=withdraw-twice breaks the exchange on purpose, for the test that proves the crash
// harness notices a withdrawal applied twice (test/crash/crash-notices-double-withdrawal.test.ts): a
// withdrawal the gateway recorded but has no result for (a kill came between) is offered again under a
// fresh request id (gateway/orders/withdrawals.ts), so the risk shard's duplicate check cannot refuse it,
// and the gateway waits a second (brokenWithdrawalLagMs) between the shard's answer and recording it, so
// that a kill finds such withdrawals. npm start's entry says so on stderr too.
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

/** The deliberately broken build of the loss test (above): hand responses out before they are durable. */
export function ackBeforeDurable(): boolean {
  return process.env.PERPX_CRASH_BREAK === 'ack-before-durable';
}

/** The broken build's slow journal (above), in ms; 0 in every real build. */
export function brokenJournalLagMs(): number {
  return ackBeforeDurable() ? 1_000 : 0;
}

/** The broken build of the double-withdrawal test (above): retried withdrawals get a fresh request id. */
export function withdrawTwice(): boolean {
  return process.env.PERPX_CRASH_BREAK === 'withdraw-twice';
}

/** The broken build's wait before a withdrawal's result is recorded (above), in ms; 0 in every real build. */
export function brokenWithdrawalLagMs(): number {
  return withdrawTwice() ? 1_000 : 0;
}

/** The warning npm start's entry prints on stderr when a broken build is asked for; undefined otherwise. */
export function crashBreakWarning(): string | undefined {
  if (ackBeforeDurable()) return "perpx: WARNING: PERPX_CRASH_BREAK=ack-before-durable is set: answers are released before they are durable (the crash harness's loss test only); never run an exchange so";
  if (withdrawTwice()) return "perpx: WARNING: PERPX_CRASH_BREAK=withdraw-twice is set: a retried withdrawal can be applied twice (the crash harness's double-withdrawal test only); never run an exchange so";
  return undefined;
}
