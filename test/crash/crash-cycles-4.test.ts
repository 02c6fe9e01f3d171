// Crash tests, part 1 of 4: npm start's exchange driven through its gateway, killed with SIGKILL at
// random instants and at named points (crash-harness.ts); CI runs twenty cycles over the four parts, which
// run in parallel where there are cores for it. Nothing acknowledged may be lost, nothing applied twice,
// the client's record reconciles after every restart, recoveries equal a clean replay, the risk invariants
// hold.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testSeed } from '../support/seed.js';
import { CI_CYCLES, runCrashCycles, summaryLine } from './crash-harness.js';

test('five kill -9 cycles through the gateway lose nothing acknowledged and apply nothing twice (part 4)', async () => {
  const seed = testSeed('crash cycles 4');
  const s = await runCrashCycles({ runs: 5, seed, ...CI_CYCLES, log: (l) => console.log(`# ${l}`) });
  console.log(`# ${summaryLine(s)}`);
  assert.equal(s.cycles, 6, 'five kills and the clean stop');
  assert.ok(s.acknowledged > 300, `${s.acknowledged} acknowledged operations checked`);
  assert.ok(s.reconciled > 0, 'acknowledgements reconciled after restarts');
  const named = Object.keys(s.byPoint).filter((p) => !p.startsWith('random') && p !== 'clean');
  assert.ok(named.length > 0, `some kill came at a named point: ${Object.keys(s.byPoint).join(', ')}`);
  assert.ok(s.resumes > 0, 'user streams resumed after restarts');
  assert.ok(s.recoveriesProved >= 2, `${s.recoveriesProved} recoveries proved`);
  assert.equal(s.recoveryMismatches, 0);
  assert.equal(s.lost, 0, s.problems.join('\n'));
  assert.equal(s.appliedTwice, 0, s.problems.join('\n'));
  assert.deepEqual(s.invariantViolations, []);
});
