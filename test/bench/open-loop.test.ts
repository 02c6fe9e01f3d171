import assert from 'node:assert/strict';
import { test } from 'node:test';
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
