// StoreBatcher tells every waiter of a batch even when one of their callbacks throws: the throw is
// counted and reported, never rethrown from the store's promise handler (an unhandled rejection there
// stops the gateway, and the batch's later callbacks, other orders' answers, were never called).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { StoreBatcher } from '../../gateway/orders/store-batcher.js';
import { PersistenceError } from '../../persistence/errors.js';
import { MemoryStore } from '../../persistence/memory-store.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import type { StoreOp } from '../../persistence/store.js';

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

/** A store whose writes complete only when the test lets them, recording each batch's keys. */
class HeldStore extends MemoryStore {
  readonly batches: number[][] = [];
  readonly release: (() => void)[] = [];
  override async write(ops: readonly StoreOp[], sync: boolean): Promise<void> {
    this.batches.push(ops.map((op) => op.key[1]!));
    await new Promise<void>((resolve) => this.release.push(resolve));
    return super.write(ops, sync);
  }
}

const turn = () => new Promise((r) => setImmediate(r));

test('one batch is written at a time: writes made meanwhile, over several turns, go into the next batch, in order', async () => {
  const store = new HeldStore();
  const batcher = new StoreBatcher(store);
  const told: number[] = [];
  batcher.putThen(key(1), Uint8Array.of(1), () => told.push(1));
  await turn();
  assert.deepEqual(store.batches, [[1]]);
  // the first batch is in flight: three more turns of writes wait for it
  batcher.putThen(key(2), Uint8Array.of(2), () => told.push(2));
  await turn();
  batcher.delLater(key(1));
  batcher.putLater(key(3), Uint8Array.of(3));
  await turn();
  const whole = batcher.put(key(4), Uint8Array.of(4));
  await turn();
  assert.deepEqual(store.batches, [[1]], 'no second write while the first is in flight');
  assert.deepEqual(told, []);
  store.release.shift()!();
  await turn();
  await turn();
  assert.deepEqual(told, [1], 'the first batch is told once it is in the store, not the second');
  assert.deepEqual(store.batches, [[1], [2, 1, 3, 4]], 'everything written meanwhile goes in one batch, in order');
  assert.deepEqual(await store.get(key(1)), Uint8Array.of(1), 'the second batch (its delete) is not in the store yet');
  let settled = false;
  const done = batcher.settled().then(() => (settled = true));
  await turn();
  assert.equal(settled, false, 'settled() waits for the batch in flight');
  store.release.shift()!();
  await whole;
  await done;
  assert.deepEqual(told, [1, 2]);
  assert.equal(await store.get(key(1)), undefined);
  assert.deepEqual(await store.get(key(3)), Uint8Array.of(3));
  assert.equal(batcher.batches, 2);
  assert.equal(batcher.opsWritten, 5);
  // idle again: the next write goes at the end of its turn
  batcher.putLater(key(5), Uint8Array.of(5));
  await turn();
  assert.deepEqual(store.batches.at(-1), [5]);
  store.release.shift()!();
  await batcher.settled();
});

test('a store that throws instead of rejecting fails its batch, and the next batch is written', async () => {
  let throwOnce = true;
  const store = new (class extends MemoryStore {
    override write(ops: readonly StoreOp[], sync: boolean): Promise<void> {
      if (throwOnce) {
        throwOnce = false;
        throw new Error('the store threw');
      }
      return super.write(ops, sync);
    }
  })();
  const batcher = new StoreBatcher(store);
  const first = await new Promise<Error | undefined>((resolve) => batcher.putThen(key(1), Uint8Array.of(1), resolve));
  assert.equal(first?.message, 'the store threw');
  assert.equal(batcher.failure?.message, 'the store threw');
  const second = await new Promise<Error | undefined>((resolve) => batcher.putThen(key(2), Uint8Array.of(2), resolve));
  assert.equal(second, undefined);
  assert.deepEqual(await store.get(key(2)), Uint8Array.of(2));
  await batcher.settled();
});

test('each write is copied at once: a caller may rewrite its key and value bytes right after (MemoryStore and RocksDB)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-batcher-'));
  try {
    for (const store of [new MemoryStore(), await RocksStore.open(dir, { createIfMissing: true })]) {
      const batcher = new StoreBatcher(store);
      // one scratch key and one scratch value rewritten for every write, as the order path does
      const k = new Uint8Array(2);
      const v = new Uint8Array(3);
      for (let i = 1; i <= 5; i++) {
        k.set([0xee, i]);
        v.set([i, i, i]);
        if (i === 4) batcher.delLater(Uint8Array.of(0xee, 2));
        else batcher.putLater(k, v);
      }
      k.set([0xee, 9]);
      v.set([9, 9, 9]);
      await batcher.settled();
      assert.equal(batcher.failure, undefined);
      const got: number[][] = [];
      for await (const e of store.scan({ gte: Uint8Array.of(0xee), lt: Uint8Array.of(0xef) })) got.push([...e.key, ...e.value]);
      assert.deepEqual(got, [
        [0xee, 1, 1, 1, 1],
        [0xee, 3, 3, 3, 3],
        [0xee, 5, 5, 5, 5],
      ]);
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a RocksDB batch holding an operation the binding refuses fails whole, and the next batch is written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-batcher-'));
  try {
    const store = await RocksStore.open(dir, { createIfMissing: true });
    const batcher = new StoreBatcher(store);
    batcher.putLater(key(1), Uint8Array.of(1));
    const failed = await new Promise<Error | undefined>((resolve) => batcher.putThen(new Uint8Array(0), Uint8Array.of(2), resolve));
    assert.ok(failed instanceof PersistenceError && failed.code === Code.STORE_IO_FAILED);
    assert.equal(await store.get(key(1)), undefined, 'nothing of the refused batch is in the store');
    await new Promise<Error | undefined>((resolve) => batcher.putThen(key(3), Uint8Array.of(3), resolve));
    assert.deepEqual([...(await store.get(key(3)))!], [3]);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
