// Runs every compiled test file under dist/test with node:test, each file in its own process with a time
// limit, so `npm test` always ends: a file that hangs (a worker left running, a wait that never returns)
// is killed with its whole process group, reported as TIMED OUT, and the run fails. Explicit file lists
// behave the same on Node 20 and later. Optional arguments filter files by substring:
//   npm test -- ring book      runs files whose path contains "ring" or "book".
// Environment:
//   TEST_FILE_TIMEOUT_S   seconds one file may take (default 120; the slowest takes ~10 s on a loaded machine)
//   TEST_TOTAL_TIMEOUT_S  seconds the whole run may take (default 600, well under CI's 15 minutes): files not
//                         finished by then are killed or not started, and the run fails
//   TEST_CONCURRENCY      files run at once (default: cores − 1, at least 1, as node --test does)
//   TEST_ROOT             directory searched for *.test.js (default dist/test; the runner's own test
//                         points it at a folder of its own)
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const root = process.env.TEST_ROOT || new URL('../dist/test/', import.meta.url).pathname;
const filters = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js')) files.push(p);
  }
})(root);
const chosen = filters.length ? files.filter((f) => filters.some((s) => relative(root, f).includes(s))) : files;
if (chosen.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}

function seconds(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1) {
    console.error(`${name} must be a whole number of seconds ≥ 1, got '${raw}'`);
    process.exit(2);
  }
  return v;
}
const fileTimeoutS = seconds('TEST_FILE_TIMEOUT_S', 120);
const totalTimeoutS = seconds('TEST_TOTAL_TIMEOUT_S', 600);
const concurrency = seconds('TEST_CONCURRENCY', Math.max(1, availableParallelism() - 1));
const deadline = Date.now() + totalTimeoutS * 1000;

// A runner started from inside a test (the runner's own test) must not inherit that test's context, or
// node --test would skip its files as a nested run.
const childEnv = { ...process.env };
delete childEnv.NODE_TEST_CONTEXT;

/** One file in its own process group (node --test runs the file in a child of its own: both must go). */
function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--enable-source-maps', '--test', '--test-reporter=spec', file], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    let killedFor;
    const limitMs = Math.min(fileTimeoutS * 1000, Math.max(0, deadline - Date.now()));
    const timer = setTimeout(() => {
      killedFor = deadline - Date.now() <= 0 ? `the run's ${totalTimeoutS} s budget ran out` : `it took longer than ${fileTimeoutS} s`;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, limitMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ file, code, signal, killedFor, output: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started });
    });
  });
}

const totals = { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
const failed = [];
const timedOut = [];
const notRun = [];
let next = 0;

function report(r) {
  const name = relative(root, r.file);
  process.stdout.write(`\n▶ ${name} (${(r.ms / 1000).toFixed(1)} s)\n${r.output}`);
  for (const key of Object.keys(totals)) {
    const m = r.output.match(new RegExp(`^ℹ ${key} (\\d+)$`, 'm'));
    if (m) totals[key] += Number(m[1]);
  }
  if (r.killedFor !== undefined) {
    process.stdout.write(`✖ ${name} TIMED OUT: killed because ${r.killedFor}\n`);
    timedOut.push(name);
  } else if (r.code !== 0) failed.push(name);
}

async function worker() {
  while (next < chosen.length) {
    const file = chosen[next++];
    if (Date.now() >= deadline) {
      notRun.push(relative(root, file));
      continue;
    }
    report(await runFile(file));
  }
}
const started = Date.now();
await Promise.all(Array.from({ length: Math.min(concurrency, chosen.length) }, worker));

const line = Object.entries(totals).map(([k, v]) => `${k} ${v}`).join(' · ');
console.log(`\n${chosen.length} file(s) in ${((Date.now() - started) / 1000).toFixed(1)} s · ${line}`);
for (const f of failed) console.log(`✖ failed: ${f}`);
for (const f of timedOut) console.log(`✖ timed out: ${f}`);
for (const f of notRun) console.log(`✖ not run (the run's ${totalTimeoutS} s budget ran out): ${f}`);
process.exit(failed.length + timedOut.length + notRun.length === 0 ? 0 : 1);
