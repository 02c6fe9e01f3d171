// shardsDrained (exchange/drained.ts) on rings whose cursors the test sets by hand, and counters it
// chooses: the condition the threaded tests wait on after each command.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONSUMER_CURSOR_INDEX, PRODUCER_CURSOR_INDEX } from '../../engine/ring/ring-buffer-descriptor.js';
import { RingBuffer } from '../../engine/ring/ring-buffer.js';
import type { ShardStats } from '../../engine/shard/shard-worker.js';
import { shardsDrained, type WatchedShard } from '../../exchange/drained.js';

function ring(produced: number, consumed: number): RingBuffer {
  const r = RingBuffer.create(16);
  Atomics.store(r.header, PRODUCER_CURSOR_INDEX, produced);
  Atomics.store(r.header, CONSUMER_CURSOR_INDEX, consumed);
  return r;
}

function shard(inputs: RingBuffer[], handled: () => number): WatchedShard {
  return { inputs, stats: (): ShardStats => ({ handled: handled(), outputs: 0, duplicates: 0, stalls: 0 }) };
}

test('drained when every input ring is empty and each shard has handled all its rings delivered', () => {
  assert.equal(shardsDrained([shard([ring(3, 3), ring(4, 4)], () => 7), shard([ring(0, 0)], () => 0)]), true);
});

test('not drained while a ring holds a record', () => {
  assert.equal(shardsDrained([shard([ring(3, 2)], () => 2)]), false);
});

test('not drained while a shard has released records it has not finished (handled below consumed)', () => {
  assert.equal(shardsDrained([shard([ring(3, 3), ring(4, 4)], () => 6)]), false);
});

test('not drained when the two collects differ: a shard handled more in between', () => {
  let handled = 5;
  const r = ring(5, 5);
  const moving = shard([r], () => {
    const now = handled;
    // Between the collects another record arrives and is handled.
    handled++;
    Atomics.store(r.header, PRODUCER_CURSOR_INDEX, handled);
    Atomics.store(r.header, CONSUMER_CURSOR_INDEX, handled);
    return now;
  });
  assert.equal(shardsDrained([moving]), false);
});

test('cursors wrap at 2^32: the handled count is compared modulo 2^32', () => {
  assert.equal(shardsDrained([shard([ring(-2, -2)], () => 2 ** 32 - 2)]), true);
});
