// The crash harness notices a withdrawal applied twice: against a deliberately broken exchange whose gateway
// offers a retried withdrawal under a fresh request id (PERPX_CRASH_BREAK=withdraw-twice,
// persistence/crash-points.ts), so the risk shard's duplicate check cannot refuse it, a withdrawal applied
// before a kill but not yet answered is applied again when the client retries it, and the cash account's
// wallet no longer reconciles with what was acknowledged. The same cycles without the break pass: it is the
// break the harness reports, not the cycles. Without this, a harness that never compared the wallet would pass too.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testSeed } from '../support/seed.js';
import { runCrashCycles, summaryLine, type CrashOptions } from './crash-harness.js';

const seed = testSeed('crash notices double withdrawal');
const cycles = (env?: Record<string, string>) => {
  const o: CrashOptions = { runs: 2, seed, points: ['random'], maxCycleMs: 1_500, proveEvery: 100, finalOps: 100, env, log: (l) => console.log(`# ${l}`) };
  return runCrashCycles(o);
};
const TWICE = /a deposit or withdrawal is missing or applied twice/;

test('a retried withdrawal applied twice is caught by the cash wallet reconciliation', async () => {
  const s = await cycles({ PERPX_CRASH_BREAK: 'withdraw-twice' });
  console.log(`# ${summaryLine(s)}`);
  assert.ok(s.problems.some((p) => TWICE.test(p)), `the harness reports the cash wallet off: ${s.problems.join(' | ')}`);
});

test('the same cycles without the break pass', async () => {
  const s = await cycles();
  console.log(`# ${summaryLine(s)}`);
  assert.deepEqual(s.problems, []);
  assert.equal(s.lost + s.appliedTwice + s.walletMismatches, 0);
});
