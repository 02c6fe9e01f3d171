// SIGINT or SIGTERM while npm start is still starting (the shards recovering their journals, the gateway's
// half loading beside them) stops it cleanly: exit 0 with a line saying so and no error line, never death
// by the signal. The data directory is then what a kill -9 leaves, and the next start recovers it.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnMain } from './support/npm-start.js';

const ports = ['--port', '0', '--operator-port', '0', '--mqtt', 'none', '--stress-every', '0', '--json-logs'];

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} while the shards recover stops the start with exit 0, and the next start recovers`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'perpx-stop-starting-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    // A first start makes the directory and journals a little (its timer ticks), then stops in order.
    const first = spawnMain(['--data', dir, '--seconds', '2', ...ports]);
    assert.equal(await first.exited, 0, first.tail());

    // The second start logs "recovering" as it opens the directory, a second or more before serve.ts
    // (the gateway's half) has loaded and taken the signals over: the signal lands while it starts.
    const second = spawnMain(['--data', dir, ...ports]);
    await second.until('the directory opened', () => second.lines().some((l) => /recovering|opened/.test(l.msg)));
    assert.ok(!second.lines().some((l) => l.msg.startsWith('trader gateway on')), `the signal should land before serving\n${second.tail()}`);
    second.child.kill(signal);
    assert.equal(await second.exited, 0, `exit by ${second.child.signalCode ?? 'code'}\n${second.tail()}`);
    assert.ok(second.lines().some((l) => l.msg.startsWith(`${signal} while starting: stopped before serving anyone`)), second.tail());
    assert.ok(!second.lines().some((l) => l.level >= 40), `a warning or error line\n${second.tail()}`);

    // The next start recovers the directory and serves.
    const third = spawnMain(['--data', dir, ...ports]);
    await third.until('serving', () => third.lines().some((l) => l.msg.startsWith('trader gateway on')));
    third.child.kill('SIGTERM');
    assert.equal(await third.exited, 0, third.tail());
    assert.ok(!third.lines().some((l) => l.level >= 40), third.tail());
  });
}
