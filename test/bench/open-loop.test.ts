import { encode } from '@msgpack/msgpack';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pushedFrame } from '../../bench/loadgen/msgpack-ws.js';
import { runOpenLoop, type Connect } from '../../bench/loadgen/open-loop.js';

/** A connection that answers every request on the next microtask, ok. */
const instant: Connect = async (onAck) => ({
  send(id) {
    queueMicrotask(() => onAck(id, true, {}));
  },
  close: async () => {},
});

test('the timer pace sleeps between batches at 40,000/s instead of spinning, and still sends every request', async () => {
  const r = await runOpenLoop(instant, 4, 40_000, 1, 500, undefined, 'timer');
  assert.equal(r.sent, 40_000);
  assert.equal(r.acked, 40_000);
  assert.equal(r.lost, 0);
  // One wake per timer tick (~1 ms) at most: spinning woke once per request or more (40,000+).
  assert.ok(r.wakes <= 1_500, `${r.wakes} wakes in 1 s`);
});

test('the spin pace wakes far more often than once per timer tick', async () => {
  const r = await runOpenLoop(instant, 4, 40_000, 1, 500, undefined, 'spin');
  assert.equal(r.acked, 40_000);
  assert.ok(r.wakes > 2_000, `${r.wakes} wakes in 1 s`);
});

test('the load generator gets an answer to every order it sends the gateway target, and skips its user-stream frames', () => {
  const loadgen = fileURLToPath(new URL('../../bench/loadgen/loadgen.js', import.meta.url));
  const r = spawnSync(process.execPath, [loadgen, '--targets', 'gateway', '--rates', '500', '--seconds', '1', '--warmup', '0', '--connections', '2', '--json'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const run = JSON.parse(r.stdout.split('\n').find((l) => l.includes('"sent"'))!) as Record<string, number> & { stats: { counters: Record<string, number> } };
  assert.equal(run.sent, 500);
  assert.equal(run.acked, 500, 'a response taken for a pushed frame would be lost');
  assert.equal(run.refused, 0);
  // The target sent user-stream frames too (an accepted order's events), which the generator passed over.
  assert.ok(run.stats.counters.userFrames! >= 500, JSON.stringify(run.stats.counters));
});

test('pushedFrame tells a pushed message from a response by its first key only', () => {
  const e = (m: unknown) => Buffer.from(encode(m));
  assert.equal(pushedFrame(e({ t: 'user', seq: 1, ev: { k: 1 } })), true);
  assert.equal(pushedFrame(e({ t: 'md', ch: 'trades' })), true);
  const wide = (t: string) => Object.fromEntries([['t', t], ...Array.from({ length: 20 }, (_, i) => [`f${i}`, i])]);
  assert.equal(pushedFrame(e(wide('user'))), true, 'a map16 user-stream event');
  assert.equal(pushedFrame(e(wide('res'))), false, 'a map16 response');
  assert.equal(pushedFrame(e({ t: 'res', id: 7, ok: true })), false);
  assert.equal(pushedFrame(e({ op: 'place', id: 7, market: 1 })), false, "the echo server's answers are requests");
  assert.equal(pushedFrame(e({ id: 7, t: 'user', x: 1 })), false, 't not first: decoded');
});
