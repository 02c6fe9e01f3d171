// StoreBatcher tells every waiter of a batch even when one of their callbacks throws: the throw is
// counted and reported, never rethrown from the store's promise handler (an unhandled rejection there
// stops the gateway, and the batch's later callbacks, other orders' answers, were never called).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreBatcher } from '../../gateway/orders/store-batcher.js';
import { MemoryStore } from '../../persistence/memory-store.js';

const key = (n: number) => Uint8Array.of(0xee, n);

test('a throwing putThen callback neither skips the others nor becomes an unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  try {
    const store = new MemoryStore();
    const reported: unknown[] = [];
    const batcher = new StoreBatcher(store, false, (e) => reported.push(e));
    const told: (Error | undefined)[] = [];
    const boom = new Error('a bad callback');
    batcher.putThen(key(1), Uint8Array.of(1), () => {
      throw boom;
    });
    batcher.putThen(key(2), Uint8Array.of(2), (e) => told.push(e));
    const whole = batcher.put(key(3), Uint8Array.of(3));
    await whole;
    assert.deepEqual(told, [undefined], 'the callback after the throwing one was told its write is in');
    assert.deepEqual(reported, [boom]);
    assert.equal(batcher.callbackErrors, 1);
    assert.deepEqual(await store.get(key(2)), Uint8Array.of(2));
    // two turns: an unhandled rejection is reported after the microtasks of the turn that made it
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(unhandled, []);
    // the batcher goes on: a later batch is written and told
    await new Promise<void>((resolve) => batcher.putThen(key(4), Uint8Array.of(4), () => resolve()));
    assert.deepEqual(await store.get(key(4)), Uint8Array.of(4));
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
