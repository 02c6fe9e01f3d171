// PlaceResults keeps each account's newest `capPerAccount` client order ids: past the cap the one that
// settled first is forgotten (and deleted from the store); one still in flight is never forgotten, and a
// cap reached while the oldest is in flight takes the first settled one. Reopened from the store,
// the survivors are what a restarted gateway replays: results as recorded, in the compact layout and in
// the map layout earlier gateways wrote.

import assert from 'node:assert/strict';
import { encode } from '@msgpack/msgpack';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { PlaceResults, type PlaceEntry, type PlaceResult } from '../../gateway/orders/place-results.js';
import { resultKey } from '../../gateway/auth/gateway-keys.js';
import { StoreBatcher } from '../../gateway/orders/store-batcher.js';
import { MemoryStore } from '../../persistence/memory-store.js';

const ACCOUNT = 7;
const result = (cid: number, orderId: number): PlaceResult => ({ ok: true, code: Code.OK, orderId, clientOrderId: cid });

/** Reserves and resolves once the reservation is stored (rejects when it could not be). */
function reserved(results: PlaceResults, cid: number, orderId: number): Promise<PlaceEntry> {
  return new Promise((resolve, reject) => {
    const entry = results.reserve(ACCOUNT, cid, orderId, (e) => (e === undefined ? resolve(entry) : reject(e)));
  });
}

const settled = (results: PlaceResults, cid: number, entry: PlaceEntry, r: PlaceResult): Promise<void> => new Promise((resolve) => results.settle(ACCOUNT, cid, entry, r, resolve));

async function placed(results: PlaceResults, cid: number, settle = true): Promise<void> {
  const entry = await reserved(results, cid, 1000 + cid);
  if (settle) await settled(results, cid, entry, result(cid, entry.orderId));
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

test('an order still in flight is never forgotten; the one settled first goes instead', async () => {
  const store = new MemoryStore();
  const results = await PlaceResults.open(store, new StoreBatcher(store), 3);
  await placed(results, 1, false); // in flight
  for (let cid = 2; cid <= 6; cid++) await placed(results, cid);
  assert.deepEqual(kept(results, 6), [1, 5, 6]);
  // settled after 5 and 6, it goes after them
  const e = results.get(ACCOUNT, 1)!;
  await settled(results, 1, e, result(1, e.orderId));
  await placed(results, 7);
  assert.deepEqual(kept(results, 7), [1, 6, 7]);
  // a forgotten client order id reserved again counts as the newest
  await placed(results, 2);
  assert.deepEqual(kept(results, 7), [1, 2, 7]);
  await placed(results, 8);
  assert.deepEqual(kept(results, 8), [2, 7, 8]);
});

test('with many in flight past the cap, eviction takes settled ids in the order they settled and deletes their keys', async () => {
  const store = new MemoryStore();
  const results = await PlaceResults.open(store, new StoreBatcher(store), 4);
  const entries = new Map<number, PlaceEntry>();
  for (let cid = 1; cid <= 2000; cid++) entries.set(cid, await reserved(results, cid, 1000 + cid));
  assert.equal(kept(results, 2000).length, 2000, 'nothing settled: nothing forgotten');
  // settled out of reservation order, far behind the front of the in-flight ones
  const order = [1500, 3, 1999, 700];
  for (const cid of order) await settled(results, cid, entries.get(cid)!, result(cid, 1000 + cid));
  for (let i = 0; i < order.length; i++) {
    await placed(results, 2001 + i, false);
    const gone = order[i]!;
    assert.equal(results.get(ACCOUNT, gone), undefined, `${gone} forgotten, settled #${i + 1}`);
    for (const later of order.slice(i + 1)) assert.ok(results.get(ACCOUNT, later)?.result !== undefined, `${later} kept`);
  }
  // every settled one is gone now: the next reservation forgets nothing
  await placed(results, 2005, false);
  assert.equal(kept(results, 2005).length, 2005 - order.length);
  await new Promise((r) => setImmediate(r));
  for (const cid of order) assert.equal(await store.get(resultKey(ACCOUNT, cid)), undefined, `${cid} deleted from the store`);
  assert.notEqual(await store.get(resultKey(ACCOUNT, 2)), undefined, 'an in-flight reservation stays in the store');
});

test('results read back as recorded after a reopen: accepted with its order, refused, and accepted without it', async () => {
  const store = new MemoryStore();
  const results = await PlaceResults.open(store, new StoreBatcher(store));
  const order = { orderId: 1001, clientOrderId: 1, market: 2, price: 590_000, qty: 3, trigger: 0, acceptedUs: 1_700_000_000_000_123 };
  const recorded: PlaceResult[] = [
    { ok: true, code: Code.OK, orderId: 1001, clientOrderId: 1, order },
    { ok: false, code: Code.POST_ONLY_WOULD_TAKE, orderId: 1002, clientOrderId: 2 },
    { ok: true, code: Code.OK, orderId: 1003, clientOrderId: 3 },
  ];
  for (const r of recorded) {
    const entry = await reserved(results, r.clientOrderId, r.orderId);
    await settled(results, r.clientOrderId, entry, r);
  }
  await reserved(results, 4, 1004);
  const reopened = await PlaceResults.open(store, new StoreBatcher(store));
  for (const r of recorded) assert.deepEqual(reopened.get(ACCOUNT, r.clientOrderId)?.result, r);
  const e4 = reopened.get(ACCOUNT, 4)!;
  assert.equal(e4.orderId, 1004);
  assert.equal(e4.result, undefined);
  assert.equal(e4.recovered, true);
});

test('the stored records are the library encoding of their tuples, a record after a longer one included', async () => {
  const store = new MemoryStore();
  const results = await PlaceResults.open(store, new StoreBatcher(store));
  const order = { orderId: 2001, clientOrderId: 11, market: 2, price: 590_000, qty: 3, trigger: 0, acceptedUs: 1_700_000_000_000_123 };
  const big = { orderId: 2002, clientOrderId: 12, market: 1, price: 2 ** 40, qty: 2 ** 33 + 1, trigger: 7, acceptedUs: 2 ** 52 };
  const cases: { r: PlaceResult; tuple: unknown[] }[] = [
    { r: { ok: true, code: Code.OK, orderId: 2001, clientOrderId: 11, order }, tuple: [2001, 1, 1, 0, 2, 590_000, 3, 0, 1_700_000_000_000_123] },
    { r: { ok: true, code: Code.OK, orderId: 2002, clientOrderId: 12, order: big }, tuple: [2002, 2, 1, 0, 1, 2 ** 40, 2 ** 33 + 1, 7, 2 ** 52] },
    { r: { ok: false, code: Code.POST_ONLY_WOULD_TAKE, orderId: 2003, clientOrderId: 13 }, tuple: [2003, 3, 0, Code.POST_ONLY_WOULD_TAKE] },
    { r: { ok: true, code: Code.OK, orderId: 2004, clientOrderId: 14 }, tuple: [2004, 4, 1, 0] },
  ];
  for (const { r, tuple } of cases) {
    const entry = await reserved(results, r.clientOrderId, r.orderId);
    assert.deepEqual(await store.get(resultKey(ACCOUNT, r.clientOrderId)), new Uint8Array(encode([r.orderId, tuple[1]])));
    await settled(results, r.clientOrderId, entry, r);
    assert.deepEqual(await store.get(resultKey(ACCOUNT, r.clientOrderId)), new Uint8Array(encode(tuple)));
  }
});

test('records in the map layout of earlier gateways still load', async () => {
  const store = new MemoryStore();
  const order = { orderId: 77, clientOrderId: 5, market: 1, price: 600_000, qty: 1, trigger: 0, acceptedUs: 123 };
  const result = { ok: true, code: Code.OK, orderId: 77, clientOrderId: 5, order };
  await store.write(
    [
      { type: 'put', key: resultKey(ACCOUNT, 5), value: encode({ orderId: 77, seq: 1, result }) },
      { type: 'put', key: resultKey(ACCOUNT, 6), value: encode({ orderId: 78, seq: 2 }) },
    ],
    true,
  );
  const results = await PlaceResults.open(store, new StoreBatcher(store));
  assert.deepEqual(results.get(ACCOUNT, 5)?.result, result);
  assert.equal(results.get(ACCOUNT, 6)?.recovered, true);
  assert.equal(results.maxOrderId(), 78);
});
