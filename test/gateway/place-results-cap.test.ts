// PlaceResults keeps each account's newest `capPerAccount` client order ids: past the cap the oldest one
// with a result is forgotten (and deleted from the store); one still in flight is never forgotten, and a
// cap reached while the oldest is in flight takes the next oldest settled one. Reopened from the store,
// the survivors are what a restarted gateway replays.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { PlaceResults, type PlaceResult } from '../../gateway/orders/place-results.js';
import { StoreBatcher } from '../../gateway/orders/store-batcher.js';
import { MemoryStore } from '../../persistence/memory-store.js';

const ACCOUNT = 7;
const result = (cid: number, orderId: number): PlaceResult => ({ ok: true, code: Code.OK, orderId, clientOrderId: cid });

async function placed(results: PlaceResults, cid: number, settle = true): Promise<void> {
  const { entry, written } = results.reserve(ACCOUNT, cid, 1000 + cid);
  await written;
  if (settle) await results.settle(ACCOUNT, cid, entry, result(cid, entry.orderId));
}

const kept = (results: PlaceResults, upTo: number): number[] => Array.from({ length: upTo }, (_, i) => i + 1).filter((cid) => results.get(ACCOUNT, cid) !== undefined);

test('past the cap the oldest settled client order id is forgotten, in the store too', async () => {
  const store = new MemoryStore();
  const batcher = new StoreBatcher(store);
  const results = await PlaceResults.open(store, batcher, 3);
  for (let cid = 1; cid <= 5; cid++) await placed(results, cid);
  assert.deepEqual(kept(results, 5), [3, 4, 5]);
  // many more than the cap: still the newest three (the order of reservation outlives its compaction)
  for (let cid = 6; cid <= 3000; cid++) await placed(results, cid);
  assert.deepEqual(kept(results, 3000), [2998, 2999, 3000]);
  await new Promise((r) => setImmediate(r));
  const reopened = await PlaceResults.open(store, new StoreBatcher(store), 3);
  assert.deepEqual(kept(reopened, 3000), [2998, 2999, 3000]);
});

test('an order still in flight is never forgotten; the next oldest settled one goes instead', async () => {
  const store = new MemoryStore();
  const results = await PlaceResults.open(store, new StoreBatcher(store), 3);
  await placed(results, 1, false); // in flight
  for (let cid = 2; cid <= 6; cid++) await placed(results, cid);
  assert.deepEqual(kept(results, 6), [1, 5, 6]);
  // once settled it is the oldest and goes first
  const e = results.get(ACCOUNT, 1)!;
  await results.settle(ACCOUNT, 1, e, result(1, e.orderId));
  await placed(results, 7);
  assert.deepEqual(kept(results, 7), [5, 6, 7]);
  // a forgotten client order id reserved again counts as the newest
  await placed(results, 2);
  await placed(results, 8);
  assert.deepEqual(kept(results, 8), [2, 7, 8]);
});
