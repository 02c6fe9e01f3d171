// Crash tests: the durable exchange in a child process under load, killed with SIGKILL at random instants
// and at named points (between journal write and sync, during a liquidation, during an ADL step), 20
// cycles. Nothing acknowledged may be lost, nothing applied twice, every recovery equals a clean replay of
// the journal, and the risk invariants hold (crash-harness.ts).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testSeed } from '../support/seed.js';
import { runCrashCycles, summaryLine } from './crash-harness.js';

test('twenty kill -9 cycles lose nothing acknowledged and apply nothing twice', async () => {
  const seed = testSeed('crash cycles');
  // Short cycles and a bounded window in flight keep the journals (replayed in full on every restart until
  // snapshots land) and so the test's time small; npm run crash runs longer ones.
  const s = await runCrashCycles({ runs: 20, seed, maxCycleMs: 250, inFlight: 500, log: (l) => console.log(`# ${l}`) });
  console.log(`# ${summaryLine(s)}`);
  assert.equal(s.cycles, 20);
  assert.ok(s.acknowledged > 1_000, `${s.acknowledged} acknowledged operations checked`);
  assert.equal(s.recoveryMismatches, 0);
  assert.equal(s.lost, 0);
  assert.equal(s.appliedTwice, 0);
  assert.deepEqual(s.invariantViolations, []);
  assert.ok((s.byPoint['journal-write'] ?? 0) > 0 || (s.byPoint.random ?? 0) > 0);
});
