// The test runner (test/run.mjs) is what keeps `npm test` from hanging: a file that never ends is killed
// with its whole process group and the run fails, naming it. Tried on a folder of its own: one file that
// passes, one that fails, one that hangs (with a child process of its own that must not outlive it).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/paths.js';

const PASSES = `import { test } from 'node:test';
test('passes', () => {});
`;
const FAILS = `import { test } from 'node:test';
import assert from 'node:assert/strict';
test('fails', () => assert.equal(1, 2));
`;
// Hangs with a grandchild: the runner must kill the process group, not only node --test's own process.
const HANGS = (pidFile: string) => `import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
test('hangs', async () => {
  const sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  writeFileSync(${JSON.stringify(pidFile)}, String(sleeper.pid));
  await new Promise(() => setInterval(() => {}, 1000));
});
`;

/** Whether a process still runs: a zombie (dead, not yet reaped by an init that never reaps) does not. */
function alive(pid: number): boolean {
  if (existsSync('/proc/self/stat')) {
    if (!existsSync(`/proc/${pid}/stat`)) return false;
    // The state letter follows the parenthesised command name.
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('a file that hangs is killed with its children, named, and fails the run; the others still run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-runner-'));
  try {
    const pidFile = join(dir, 'sleeper.pid');
    writeFileSync(join(dir, 'a-passes.test.js'), PASSES);
    writeFileSync(join(dir, 'b-hangs.test.js'), HANGS(pidFile));
    writeFileSync(join(dir, 'c-fails.test.js'), FAILS);
    const r = spawnSync(process.execPath, [join(repoRoot(), 'test', 'run.mjs')], {
      env: { ...process.env, TEST_ROOT: dir, TEST_FILE_TIMEOUT_S: '3', TEST_CONCURRENCY: '1' },
      encoding: 'utf8',
      // A runner without a per-file limit would hang here: the test's own bound, far above the 3 s limit.
      timeout: 60_000,
    });
    assert.equal(r.signal, null, 'the runner itself ended');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /b-hangs\.test\.js TIMED OUT/);
    assert.match(r.stdout, /✖ timed out: b-hangs\.test\.js/);
    assert.match(r.stdout, /✖ failed: c-fails\.test\.js/);
    assert.match(r.stdout, /pass 1 · fail 1/, 'tests are counted over the files that ended');
    assert.doesNotMatch(r.stdout, /failed: a-passes/);
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(alive(sleeper), false, 'the hanging file\'s child process was killed with it');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a clean run exits 0', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-runner-'));
  try {
    writeFileSync(join(dir, 'a-passes.test.js'), PASSES);
    const r = spawnSync(process.execPath, [join(repoRoot(), 'test', 'run.mjs')], { env: { ...process.env, TEST_ROOT: dir }, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 file\(s\) in .* pass 1 · fail 0/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
