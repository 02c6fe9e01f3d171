import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
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

/** Runs f counting the 1 ms timer sleeps started meanwhile (the timer pace's wait between batches). */
async function countingOneMsSleeps<T>(f: () => Promise<T>): Promise<{ result: T; sleeps: number }> {
  const real = globalThis.setTimeout;
  let sleeps = 0;
  globalThis.setTimeout = ((cb: () => void, ms?: number) => {
    if (ms === 1) sleeps++;
    return real(cb, ms);
  }) as typeof setTimeout;
  try {
    return { result: await f(), sleeps };
  } finally {
    globalThis.setTimeout = real;
  }
}

// Whether the spin pace comes back without a timer, counted rather than timed: how many wakes a second
// it gets depends on the CPU the machine gives the test (250 under a load average of 20), not on the pace.
test('the spin pace comes straight back between batches, never sleeping on a timer, while the timer pace sleeps at every wake', async () => {
  const spin = await countingOneMsSleeps(() => runOpenLoop(instant, 4, 40_000, 1, 500, undefined, 'spin'));
  assert.equal(spin.result.acked, 40_000);
  assert.ok(spin.result.wakes > 0);
  assert.equal(spin.sleeps, 0, 'the spin pace slept on a 1 ms timer');
  const timer = await countingOneMsSleeps(() => runOpenLoop(instant, 4, 40_000, 1, 500, undefined, 'timer'));
  assert.equal(timer.result.acked, 40_000);
  assert.equal(timer.sleeps, timer.result.wakes, 'the timer pace sleeps once at every wake');
});

test('the load generator gets an answer to every order it sends the gateway target, through the client SDK, and skips its user-stream frames', () => {
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

// The load generator's open loop counts what overload looks like from the client: refusals by code, the
// connections the server closed (by close code) and the requests lost on them, and the latency of the
// answers that were not refusals. Fake connections: connection 0 answers OK, connection 1 refuses
// BACK_PRESSURE, connection 2 was closed by the server (4017) and answers nothing.
test('runOpenLoop counts refusals by code, server closes and the requests lost on them', async () => {
  let made = 0;
  const connect: Connect = async (onAck) => {
    const which = made++;
    return {
      send(id) {
        if (which === 0) setImmediate(() => onAck(id, true, { id, ok: true }));
        else if (which === 1) setImmediate(() => onAck(id, false, { id, ok: false, error: { code: 6003 } }));
      },
      close: async () => {},
      closeCode: () => (which === 2 ? 4017 : undefined),
    };
  };
  const r = await runOpenLoop(connect, 3, 300, 1, 50, undefined, 'timer');
  assert.equal(r.sent, 300);
  assert.equal(r.acked, 200);
  assert.equal(r.refused, 100);
  assert.deepEqual(r.refusedByCode, { 6003: 100 });
  assert.deepEqual(r.serverCloses, { 4017: 1 });
  assert.equal(r.lost, 100);
  assert.equal(r.lostOnClosed, 100, 'every lost request was on the connection the server closed');
  assert.ok(r.okP50Us > 0);
});

// --batch N: each request carries N orders, and every count of the run is in orders. Connection 0
// answers its batches with the second item refused (an item refusal inside an answered batch),
// connection 1 refuses whole batches, connection 2 answers nothing.
test('a batched run counts in orders: the request rate is the order rate / N, item and whole refusals by order', async () => {
  let made = 0;
  let requests = 0;
  const connect: Connect = async (onAck) => {
    const which = made++;
    return {
      send(id) {
        requests++;
        const results = [{ ok: true }, { ok: false, code: 2001 }, { ok: true }, { ok: true }];
        if (which === 0) setImmediate(() => onAck(id, true, { id, ok: true, data: { results } }));
        else if (which === 1) setImmediate(() => onAck(id, false, { id, ok: false, error: { code: 6003 } }));
      },
      close: async () => {},
    };
  };
  const r = await runOpenLoop(connect, 3, 1_200, 1, 50, undefined, 'timer', 4);
  assert.equal(requests, 300, '1,200 orders/s in batches of 4 is 300 requests/s');
  assert.equal(r.units, 4);
  assert.equal(r.sent, 1_200);
  assert.equal(r.acked, 800);
  assert.equal(r.lost, 400);
  assert.deepEqual(r.refusedByCode, { 2001: 100, 6003: 400 });
  assert.equal(r.refused, 500);
});

test('the load generator gets an answer to every order from the echo peer, in the gateway\'s response shape', () => {
  const loadgen = fileURLToPath(new URL('../../bench/loadgen/loadgen.js', import.meta.url));
  const r = spawnSync(process.execPath, [loadgen, '--targets', 'echo', '--rates', '500', '--seconds', '1', '--warmup', '0', '--connections', '2', '--json'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const run = JSON.parse(r.stdout.split('\n').find((l) => l.includes('"sent"'))!) as Record<string, number>;
  assert.equal(run.sent, 500);
  assert.equal(run.acked, 500, 'an answer the client did not match by id would be lost');
  assert.equal(run.refused, 0);
});

test('the load generator batches orders into batchPlace requests with --batch, and the gateway target answers every order', () => {
  const loadgen = fileURLToPath(new URL('../../bench/loadgen/loadgen.js', import.meta.url));
  const r = spawnSync(process.execPath, [loadgen, '--targets', 'gateway', '--rates', '500', '--seconds', '1', '--warmup', '0', '--connections', '2', '--batch', '5', '--json'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const run = JSON.parse(r.stdout.split('\n').find((l) => l.includes('"sent"'))!) as Record<string, number> & { stats: { counters: Record<string, number> } };
  assert.equal(run.sent, 500);
  assert.equal(run.acked, 500);
  assert.equal(run.refused, 0, JSON.stringify(run.refusedByCode));
  assert.equal(run.stats.counters.requests, 100, 'the gateway saw 100 batchPlace requests (plus none else in the window)');
  assert.ok(run.stats.counters.userFrames! >= 500, JSON.stringify(run.stats.counters));
});
