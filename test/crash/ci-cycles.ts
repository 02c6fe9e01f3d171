// The crash tests CI runs (crash-cycles-*.test.ts): twenty kill -9 cycles over four files of five kills and a
// clean stop, which run in parallel where there are cores and each stay inside the test runner's time
// limit on a loaded machine. Nothing acknowledged may be lost, nothing applied twice, the client's record
// reconciles after every restart, recoveries equal a clean replay, the risk invariants hold.

import assert from 'node:assert/strict';
import { testSeed } from '../support/seed.js';
import { runCrashCycles, summaryLine } from './crash-harness.js';

/** Short cycles with a bounded load: the restarts of npm start are most of a cycle's time. */
const CI_CYCLES = { runs: 5, maxCycleMs: 600, namedWindowMs: 3_000, proveEvery: 3, finalOps: 300, maxOpsPerCycle: 800 } as const;

/** Part `part` of CI's crash cycles, with its own printed seed. */
export async function ciCrashCycles(part: number): Promise<void> {
  const seed = testSeed(`crash cycles ${part}`);
  const s = await runCrashCycles({ seed, ...CI_CYCLES, log: (l) => console.log(`# ${l}`) });
  console.log(`# ${summaryLine(s)}`);
  assert.equal(s.cycles, CI_CYCLES.runs + 1, 'every kill and the clean stop');
  assert.ok(s.acknowledged > 300, `${s.acknowledged} acknowledged operations checked`);
  assert.ok(s.reconciled > 0, 'acknowledgements reconciled after restarts');
  const named = Object.keys(s.byPoint).filter((p) => !p.startsWith('random') && p !== 'clean');
  assert.ok(named.length > 0, `some kill came at a named point: ${Object.keys(s.byPoint).join(', ')}`);
  assert.ok(s.resumes > 0, 'user streams resumed after restarts');
  assert.ok(s.recoveriesProved >= 2, `${s.recoveriesProved} recoveries proved`);
  assert.equal(s.recoveryMismatches, 0);
  assert.equal(s.walletMismatches, 0, s.problems.join('\n'));
  assert.equal(s.lost, 0, s.problems.join('\n'));
  assert.equal(s.appliedTwice, 0, s.problems.join('\n'));
  assert.deepEqual(s.invariantViolations, []);
}
