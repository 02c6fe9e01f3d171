// npm start's options: every bad value is refused naming the option and what it takes (exit 2, before
// anything starts), --help lists every option with its default (exit 0), and good values read exactly.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MAX_RISK_SHARDS, parseStartOptions, snapshotPolicyOf } from '../../gateway/start-options.js';

const main = fileURLToPath(new URL('../../gateway/main.js', import.meta.url));

test('no options: every default', () => {
  assert.deepEqual(parseStartOptions([]), { kind: 'run', options: { seconds: 0, rate: 2_000, riskShards: 1, seed: 1, stressEvery: 10, swingEvery: 10, wait: 'auto', oracle: undefined, data: './data', inMemory: false, snapshotRecords: 1_000_000, snapshotSeconds: 60, snapshotKeep: 3, retainWindowUs: undefined, retainRecords: undefined, port: 8080, operatorPort: 8081, operators: undefined, mqtt: undefined, mqttPort: 18830, demo: false, surveillance: false, pretty: undefined } });
});

test('good values read exactly, in either spelling', () => {
  const r = parseStartOptions(['--seconds', '30', '--rate=50000', '--risk-shards', String(MAX_RISK_SHARDS), '--seed', '4294967295', '--stress-every', '0', '--wait', 'park', '--oracle', 'config/oracle.example.json', '--data', '/var/lib/perpx', '--in-memory', '--snapshot-records', '7', '--snapshot-seconds=5', '--snapshot-keep', '2', '--retain-window', '36h', '--retain-records=5000000', '--operator-port', '0', '--operators', 'ops.json', '--mqtt', 'embedded', '--demo', '--surveillance', '--pretty']);
  assert.deepEqual(r, { kind: 'run', options: { seconds: 30, rate: 50_000, riskShards: MAX_RISK_SHARDS, seed: 2 ** 32 - 1, stressEvery: 0, swingEvery: 10, wait: 'park', oracle: 'config/oracle.example.json', data: '/var/lib/perpx', inMemory: true, snapshotRecords: 7, snapshotSeconds: 5, snapshotKeep: 2, retainWindowUs: 36 * 3_600_000_000, retainRecords: 5_000_000, port: 8080, operatorPort: 0, operators: 'ops.json', mqtt: 'embedded', mqttPort: 18830, demo: true, surveillance: true, pretty: true } });
});

test('each bad value is refused with the option\'s name and what it takes', () => {
  const cases: [string[], RegExp][] = [
    [['--seed', 'abc'], /^--seed: 'abc' is not accepted; it takes a whole number from 0 to 4294967295/],
    [['--seed', '4294967296'], /^--seed: '4294967296' is not accepted/],
    [['--seed', '-1'], /^--seed: '-1' is not accepted; it takes a whole number from 0/],
    [['--rate', '-5'], /^--rate: '-5' is not accepted; it takes a whole number from 0 to 10000000/],
    [['--port', '-h'], /^--port: '-h' is not accepted; it takes a port number/],
    [['--data', '--demo'], /^--data: needs a value \(DIR\); it takes a directory path/],
    [['--seed=-1'], /^--seed: '-1' is not accepted/],
    [['--seed', '1e3'], /^--seed: '1e3' is not accepted/],
    [['--seconds='], /^--seconds: '' is not accepted; it takes a whole number of seconds from 0 to/],
    [['--seconds', '1.5'], /^--seconds: '1.5' is not accepted/],
    [['--risk-shards', '0'], /^--risk-shards: '0' is not accepted; it takes a whole number from 1 to 64/],
    [['--snapshot-keep', '0'], /^--snapshot-keep: '0' is not accepted; it takes a whole number from 1 to 1000/],
    [['--retain-window', '24'], /^--retain-window: '24' is not accepted; it takes a duration from 1s to 3650d: a whole number and s, m, h or d \(e\.g\. 90m, 24h, 7d\)/],
    [['--retain-window', '1.5h'], /^--retain-window: '1.5h' is not accepted/],
    [['--retain-window', '0s'], /^--retain-window: '0s' is not accepted/],
    [['--retain-window', '3651d'], /^--retain-window: '3651d' is not accepted/],
    [['--retain-window', '-1h'], /^--retain-window: '-1h' is not accepted/],
    [['--retain-records', '0'], /^--retain-records: '0' is not accepted; it takes a whole number from 1 to 1000000000000/],
    [['--retain-records', '1e6'], /^--retain-records: '1e6' is not accepted/],
    [['--retain-records', '1000000000001'], /^--retain-records: '1000000000001' is not accepted/],
    [['--retain-records', '24h'], /^--retain-records: '24h' is not accepted/],
    [['--risk-shards', String(MAX_RISK_SHARDS + 1)], /^--risk-shards: '65' is not accepted/],
    [['--rate', 'abc'], /^--rate: 'abc' is not accepted; it takes a whole number from 0 to 10000000/],
    [['--rate', ' 5'], /^--rate: ' 5' is not accepted/],
    [['--stress-every', 'x'], /^--stress-every: 'x' is not accepted/],
    [['--wait', 'fast'], /^--wait: 'fast' is not accepted; it takes one of auto, busy-spin, spin-then-park, park/],
    [['--oracle='], /^--oracle: '' is not accepted; it takes the path of an oracle configuration file/],
    [['--data='], /^--data: '' is not accepted; it takes a directory path/],
    [['--operator-port', '65536'], /^--operator-port: '65536' is not accepted; it takes a port number from 0 to 65535/],
    [['--operator-port', 'http'], /^--operator-port: 'http' is not accepted/],
    [['--operators='], /^--operators: '' is not accepted; it takes the path of a JSON file/],
    [['--mqtt', 'localhost:1883'], /^--mqtt: 'localhost:1883' is not accepted; it takes an mqtt:\/\/, mqtts:\/\/, ws:\/\/ or wss:\/\/ URL, embedded or none/],
    [['--pretty', '--json-logs'], /choose one/],
    [['--demo=yes'], /--demo/],
    [['--seconds'], /^--seconds: needs a value \(N\); it takes a whole number of seconds/],
    [['--bogus', '1'], /--bogus/],
    [['stray'], /stray/],
  ];
  for (const [argv, message] of cases) {
    const r = parseStartOptions(argv);
    assert.equal(r.kind, 'error', argv.join(' '));
    assert.match((r as { message: string }).message, message, argv.join(' '));
  }
});

test('npm start --help lists every option with its default and exits 0', () => {
  const r = spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0);
  for (const [option, dflt] of [['--seconds', '0'], ['--rate', '2000'], ['--risk-shards', '1'], ['--seed', '1'], ['--stress-every', '10'], ['--swing-every', '10'], ['--wait', 'auto'], ['--oracle', 'none'], ['--data', './data'], ['--snapshot-keep', '3'], ['--retain-window', 'none: only --snapshot-keep counts'], ['--retain-records', 'none: only --snapshot-keep counts'], ['--port', '8080'], ['--operator-port', '8081'], ['--operators', 'DATA/operator/operators.json, generated with one admin token on a first start'], ['--mqtt', '$MQTT_URL when set, else embedded']]) {
    assert.match(r.stdout, new RegExp(`^  ${option} .*\\(default ${dflt.replace(/[$.]/g, '\\$&')}\\)$`, 'm'), option);
  }
  for (const flag of ['--in-memory', '--demo', '--surveillance', '--pretty', '--json-logs']) assert.match(r.stdout, new RegExp(`^ {2}${flag} `, 'm'), flag);
  assert.match(r.stdout, /^ {2}--help /m);
});

test('npm start with a bad value exits 2 before starting anything, naming the option', () => {
  for (const argv of [['--seed', 'abc'], ['--seconds='], ['--rate', 'abc'], ['--rate', '-5'], ['--risk-shards', '1000'], ['--retain-records', '0']]) {
    // Nothing starts: a run would go on (or stop after the default 0 = never), and the bound would end it.
    const r = spawnSync(process.execPath, [main, ...argv], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2, argv.join(' '));
    assert.match(r.stderr, new RegExp(`^perpx: ${argv[0]!.replace('=', '')}: `), argv.join(' '));
    assert.equal(r.stdout, '');
  }
});

test('the snapshot policy the options ask for: the defaults, none at --snapshot-records 0, no market shards with --surveillance, the retention window', () => {
  const policy = (...argv: string[]) => {
    const p = parseStartOptions(argv);
    assert.equal(p.kind, 'run');
    return snapshotPolicyOf((p as Extract<typeof p, { kind: 'run' }>).options);
  };
  assert.deepEqual(policy(), { everyRecords: 1_000_000, everyMs: 60_000, keep: 3, marketShards: true });
  assert.equal(policy('--snapshot-records', '0'), undefined);
  assert.deepEqual(policy('--snapshot-records', '500', '--snapshot-seconds', '5', '--snapshot-keep', '2', '--surveillance'), { everyRecords: 500, everyMs: 5_000, keep: 2, marketShards: false });
  // A window rides along with the count (retentionPlan keeps what either asks for).
  assert.deepEqual(policy('--retain-window', '90m'), { everyRecords: 1_000_000, everyMs: 60_000, keep: 3, marketShards: true, windowUs: 90 * 60_000_000 });
  assert.deepEqual(policy('--retain-window', '1s', '--snapshot-keep', '1'), { everyRecords: 1_000_000, everyMs: 60_000, keep: 1, marketShards: true, windowUs: 1_000_000 });
  assert.deepEqual(policy('--retain-records', '5000000'), { everyRecords: 1_000_000, everyMs: 60_000, keep: 3, marketShards: true, windowRecords: 5_000_000 });
  assert.deepEqual(policy('--retain-records', '20', '--retain-window', '2h'), { everyRecords: 1_000_000, everyMs: 60_000, keep: 3, marketShards: true, windowUs: 7_200_000_000, windowRecords: 20 });
});

test('a retention window without snapshots is refused naming both options: nothing would be pruned, so it would do nothing', () => {
  for (const [option, value] of [['--retain-window', '24h'], ['--retain-records', '1000000']]) {
    for (const argv of [[option, value, '--snapshot-records', '0'], ['--snapshot-records=0', `${option}=${value}`]]) {
      const r = parseStartOptions(argv);
      assert.equal(r.kind, 'error', argv.join(' '));
      const message = (r as { message: string }).message;
      assert.match(message, new RegExp(`^${option} with --snapshot-records 0: without snapshots nothing is pruned`), argv.join(' '));
    }
  }
  // With snapshots, or without a window, the same values start.
  assert.equal(parseStartOptions(['--retain-records', '1000000', '--snapshot-records', '1']).kind, 'run');
  assert.equal(parseStartOptions(['--snapshot-records', '0']).kind, 'run');
});

test('npm start on a data directory it cannot use exits 3 with one line naming the directory and why, no stack trace', (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'perpx-baddata-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const foreign = join(tmp, 'foreign');
  mkdirSync(foreign);
  writeFileSync(join(foreign, 'notes.txt'), 'not perpx data\n');
  const file = join(tmp, 'a-file');
  writeFileSync(file, 'x');
  for (const [dir, why] of [
    [foreign, /DATA_DIR_FOREIGN: .* is not empty and holds no perpx data/],
    [file, /DATA_DIR_FOREIGN: .* is a file, not a data directory/],
  ] as const) {
    const r = spawnSync(process.execPath, [main, '--data', dir, '--port', '0', '--operator-port', '0', '--mqtt', 'none', '--seconds', '1'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`^perpx: cannot use data directory ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
    assert.match(r.stderr, why);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});
