// npm run crash's arguments: --help prints the usage (exit 0), a bad or unknown argument names itself and
// prints the usage (exit 2), never a stack trace, and nothing runs.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('./crash-main.js', import.meta.url));
const run = (...argv: string[]) => spawnSync(process.execPath, [main, ...argv], { encoding: 'utf8', timeout: 30_000 });

test('npm run crash -- --help prints every option and exits 0', () => {
  const r = run('--help');
  assert.equal(r.status, 0, r.stderr);
  for (const option of ['--runs N', '--seed S', '--verbose', '--help']) assert.ok(r.stdout.includes(option), option);
});

test('a bad argument exits 2 naming it, with the usage and no stack trace', () => {
  for (const [argv, why] of [
    [['--runs', 'abc'], /^crash: --runs abc: a whole number from 1/],
    [['--runs', '-3'], /^crash: --runs -3: a whole number from 1/],
    [['--runs', '0'], /^crash: --runs 0: /],
    [['--seed', '1.5'], /^crash: --seed 1.5: a whole number/],
    [['--frob'], /^crash: Unknown option '--frob'/],
  ] as const) {
    const r = run(...argv);
    assert.equal(r.status, 2, argv.join(' '));
    assert.match(r.stderr, why, argv.join(' '));
    assert.match(r.stderr, /usage: npm run crash --/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(r.stdout, '', 'nothing ran');
  }
});

test("the crash harness's broken builds announce themselves on stderr the moment npm start's entry reads its options", () => {
  const gatewayMain = fileURLToPath(new URL('../../gateway/main.js', import.meta.url));
  // Equal ports stop the start right after the options are read: the warning must come before that.
  const argv = [gatewayMain, '--port', '1', '--operator-port', '1'];
  for (const [name, says] of [
    ['ack-before-durable', /^perpx: WARNING: PERPX_CRASH_BREAK=ack-before-durable is set: answers are released before they are durable/m],
    ['withdraw-twice', /^perpx: WARNING: PERPX_CRASH_BREAK=withdraw-twice is set: a retried withdrawal can be applied twice/m],
  ] as const) {
    const broken = spawnSync(process.execPath, argv, { encoding: 'utf8', timeout: 30_000, env: { ...process.env, PERPX_CRASH_BREAK: name } });
    assert.match(broken.stderr, says);
  }
  const { PERPX_CRASH_BREAK: _, ...clean } = process.env;
  const sound = spawnSync(process.execPath, argv, { encoding: 'utf8', timeout: 30_000, env: clean });
  assert.doesNotMatch(sound.stderr, /WARNING/);
  assert.equal(sound.status, 2, sound.stderr);
});
