// The crash harness notices loss: against a deliberately broken exchange that hands responses to the
// gateway before their inputs are durable (PERPX_CRASH_BREAK=ack-before-durable, persistence/crash-points.ts),
// kills between a batch's unsynced and synced writes drop operations the client was told were done, and
// the harness reports them lost. Without this, a harness that checked nothing would pass too.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testSeed } from '../support/seed.js';
import { runCrashCycles, summaryLine } from './crash-harness.js';

test('acknowledging before durable is caught as lost acknowledged operations', async () => {
  const seed = testSeed('crash notices loss');
  const s = await runCrashCycles({ runs: 2, seed, points: ['random'], maxCycleMs: 1_500, proveEvery: 100, finalOps: 100, env: { PERPX_CRASH_BREAK: 'ack-before-durable' }, log: (l) => console.log(`# ${l}`) });
  console.log(`# ${summaryLine(s)}`);
  assert.ok(s.lost > 0, 'the harness reports acknowledged operations lost');
});
