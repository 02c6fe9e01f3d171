// Crash tests, part 2 of 2 (ten cycles each, so CI runs twenty and each file stays short): the durable
// exchange in a child process under load, killed with SIGKILL at random instants and at named points
// (between a batch's unsynced and synced write, during a liquidation, during an ADL step, and whatever of
// those a recovery itself reaches). Nothing acknowledged may be lost, nothing applied twice, recoveries
// equal a clean replay of the journal, the risk invariants hold (crash-harness.ts).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testSeed } from '../support/seed.js';
import { runCrashCycles, summaryLine } from './crash-harness.js';

test('ten kill -9 cycles lose nothing acknowledged and apply nothing twice (part 2)', async () => {
  const seed = testSeed('crash cycles 2');
  // Short cycles and a bounded window in flight keep the journals (replayed in full on every restart
  // until snapshots land) and so the test's time small; npm run crash runs any number of longer ones.
  const s = await runCrashCycles({ runs: 10, seed, maxCycleMs: 200, namedWindowMs: 1_000, proveEvery: 3, finalOps: 500, inFlight: 300, opsPerTick: 40, maxOpsPerCycle: 600, log: (l) => console.log(`# ${l}`) });
  console.log(`# ${summaryLine(s)}`);
  assert.equal(s.cycles, 10);
  assert.ok(s.acknowledged > 300, `${s.acknowledged} acknowledged operations checked`);
  assert.ok(s.recoveriesProved >= 3, `${s.recoveriesProved} recoveries proved`);
  assert.equal(s.recoveryMismatches, 0);
  assert.equal(s.lost, 0);
  assert.equal(s.appliedTwice, 0);
  assert.deepEqual(s.invariantViolations, []);
  assert.ok(s.viewsChecked >= 1, 'the read models were checked at the clean stop');
  assert.deepEqual(s.viewMismatches, []);
});
