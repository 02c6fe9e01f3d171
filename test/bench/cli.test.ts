// The bench command lines (bench/lib/cli.ts, bench/run.ts): --help lists every option with its default
// and exits 0; a bad option is refused in one line naming it, exit 2, no stack trace.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { autoPace } from '../../bench/loadgen/open-loop.js';

const script = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const LOADGEN = script('../../bench/loadgen/loadgen.js');
const TARGET = script('../../bench/loadgen/gateway-target.js');
const RUN = script('../../bench/run.js');
const node = (file: string, ...argv: string[]) => spawnSync(process.execPath, [file, ...argv], { encoding: 'utf8', timeout: 60_000 });

test('loadgen --help lists every option with its default, --wait among them', () => {
  const r = node(LOADGEN, '--help');
  assert.equal(r.status, 0, r.stderr);
  for (const o of ['targets', 'rates', 'seconds', 'warmup', 'connections', 'p99-bound-us', 'search', 'json', 'verbose', 'pace', 'wait', 'trace', 'target-node-args', 'help']) assert.match(r.stdout, new RegExp(`^  --${o}\\b`, 'm'), o);
  assert.match(r.stdout, /--rates r1,r2 .*\(default: 10000,50000,100000\)/);
  assert.match(r.stdout, /--wait auto\|busy-spin\|spin-then-park\|park .*\(default: auto\)/);
  assert.match(r.stdout, /--pace auto\|spin\|timer .*\(default: auto\)/);
});

test('loadgen --pace auto sleeps between sends on 4 cores or fewer and spins above', () => {
  assert.deepEqual([1, 2, 4, 5, 8, 64].map(autoPace), ['timer', 'timer', 'timer', 'spin', 'spin', 'spin']);
});

test('loadgen refuses an unknown option, a missing value and a bad --wait in one line, exit 2', () => {
  for (const [argv, message] of [
    [['--bogus'], /^loadgen: Unknown option '--bogus'; see --help\n$/],
    [['--rates'], /^loadgen: Option '--rates <value>' argument missing; see --help\n$/],
    [['--wait', 'fast'], /^loadgen: --wait 'fast' must be one of auto, busy-spin, spin-then-park, park\n$/],
    [['--pace', 'fast'], /^loadgen: --pace 'fast' must be auto, spin or timer\n$/],
    [['--seconds', '0'], /^loadgen: --seconds '0' must be a whole number from 1 to 3600\n$/],
    [['--warmup', 'x'], /^loadgen: --warmup 'x' must be a whole number from 0 to 600\n$/],
  ] as const) {
    const r = node(LOADGEN, ...argv);
    assert.equal(r.status, 2, argv.join(' '));
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});

test('the gateway target has --help with --wait, and refuses a bad --wait before it starts anything', () => {
  const help = node(TARGET, '--help');
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /--wait auto\|busy-spin\|spin-then-park\|park .*\(default: auto\)/);
  const bad = node(TARGET, '--wait', 'fast');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^gateway-target: --wait 'fast' must be one of auto, busy-spin, spin-then-park, park\n$/);
});

test('bench/run.js --help names its options and the suites; an unknown option of its own is refused, exit 2', () => {
  const help = node(RUN, '--help');
  assert.equal(help.status, 0, help.stderr);
  for (const o of ['--json', '--quick', '--list', '--help']) assert.match(help.stdout, new RegExp(`^  ${o}\\b`, 'm'));
  assert.match(help.stdout, /pipeline/);
  const bad = node(RUN, '--bogus');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^bench: unknown option\(s\) --bogus \(suite options go after --\); see --help\n$/);
});

test('a suite option out of range is refused in one line naming it, exit 2, before the suite starts anything', () => {
  for (const [suite, option, value] of [['recovery', '--records', 'abc'], ['pipeline', '--seconds', '-5'], ['risk-settlement', '--trades', '0']] as const) {
    const r = node(RUN, suite, '--', option, value);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, `bench ${suite}: ${option} needs a positive integer, got "${value}"; see bench/suites/${suite}.ts for its options\n`);
  }
});
