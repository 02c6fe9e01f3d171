// The gateway's stored history (views/history.ts) and ticker minutes (market-data/ticker-store.ts) over a
// MemoryStore: entries are numbered per account and kept in `cap` slots in the store, each overwritten in
// place; a second instance (a restarted gateway) loads an account's entries on first use, entries that come
// while they load are numbered after them, and entries in the numbered layout of earlier gateways are moved
// into slots; ticker minutes that leave the 24 h window are deleted, as written and at load.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode, Encoder } from '@msgpack/msgpack';
import { Family, pairKey, pairRange, readU64 } from '../../gateway/auth/gateway-keys.js';
import { TickerStore } from '../../gateway/market-data/ticker-store.js';
import type { Bucket } from '../../gateway/market-data/ticker.js';
import { StoreBatcher } from '../../gateway/orders/store-batcher.js';
import { AccountHistory } from '../../gateway/views/history.js';
import type { FillView, OrderView } from '../../gateway/views/order-view.js';
import { MemoryStore } from '../../persistence/memory-store.js';
import type { Store } from '../../persistence/store.js';

const fill = (tradeId: number, fee: bigint): FillView => ({ tradeId, orderId: tradeId * 10, market: 1, side: 'buy', price: 600_000, qty: 2, fee, realizedPnl: -(2n ** 60n), liquidity: 'taker', atUs: 1_796_000_000_000_000 + tradeId });

async function numbers(store: Store, family: number, id: number): Promise<number[]> {
  const out: number[] = [];
  for await (const e of store.scan(pairRange(family, id))) out.push(readU64(e.key, 5));
  return out;
}

/** An account's slot-keyed entries: [slot, n] by slot (n, the entry's number, ends its tuple). */
async function slots(store: Store, family: number, id: number): Promise<[number, number][]> {
  const out: [number, number][] = [];
  for await (const e of store.scan(pairRange(family, id))) out.push([readU64(e.key, 5), (decode(e.value) as number[]).at(-1)!]);
  return out;
}

test('fills are numbered per account, kept in cap slots in the store, and loaded on first use after a restart', async () => {
  const store = new MemoryStore();
  const batcher = new StoreBatcher(store);
  const first = new AccountHistory(3);
  first.attach(store, batcher);
  for (let i = 1; i <= 5; i++) first.fills.add(7, fill(i, BigInt(i)));
  first.fills.add(8, fill(100, -5n));
  await first.written();
  assert.deepEqual(await slots(store, Family.FILL_SLOT, 7), [[0, 3], [1, 4], [2, 2]], 'entries 3 and 4 overwrote 0 and 1 in their slots');
  assert.deepEqual(await slots(store, Family.FILL_SLOT, 8), [[0, 0]]);
  assert.deepEqual(await numbers(store, Family.FILL_HISTORY, 7), [], 'nothing in the numbered layout');
  const before = first.fills.newest(7, 10) as FillView[];
  assert.deepEqual(before.map((f) => f.tradeId), [5, 4, 3]);

  const batcher2 = new StoreBatcher(store);
  const second = new AccountHistory(3);
  second.attach(store, batcher2);
  assert.deepEqual(await second.fills.newest(7, 10), before, 'the same entries, bigints and all, newest first');
  assert.deepEqual(await second.fills.newest(9, 10), [], 'an account with none has none');
  // Account 8 not loaded yet: its next fill waits for the load, then is numbered after the stored one.
  second.fills.add(8, fill(101, 0n));
  const eight = await second.fills.newest(8, 10);
  assert.deepEqual(eight.map((f) => f.tradeId), [101, 100]);
  await second.written();
  assert.deepEqual(await slots(store, Family.FILL_SLOT, 8), [[0, 0], [1, 1]]);
  // and account 7's next entry (number 5) goes on in slot 2
  second.fills.add(7, fill(6, 0n));
  await second.written();
  assert.deepEqual(await slots(store, Family.FILL_SLOT, 7), [[0, 3], [1, 4], [2, 5]]);
  assert.deepEqual((await second.fills.newest(7, 10)).map((f) => f.tradeId), [6, 5, 4]);
});

test('entries are stored as tuples in field order, bigints as decimal strings, each entry its own', async () => {
  const store = new MemoryStore();
  const h = new AccountHistory(10);
  h.attach(store, new StoreBatcher(store));
  const order = (orderId: number, endReason?: string): OrderView => ({ orderId, clientOrderId: orderId + 1, market: 1, side: 'sell', type: 'limit', tif: 'ioc', price: 590_000, qty: 3, filled: 1, remaining: 0, trigger: 0, triggerBy: 'mark', reduceOnly: false, status: endReason === undefined ? 'filled' : 'expired', ...(endReason !== undefined && { endReason }), createdUs: 1_796_000_000_000_000, updatedUs: 1_796_000_000_000_009 });
  h.orders.add(7, order(41, 'ioc'));
  h.orders.add(7, order(42));
  h.fills.add(7, fill(5, -3n));
  await h.written();
  const stored = async (family: number) => {
    const out: unknown[] = [];
    for await (const e of store.scan(pairRange(family, 7))) out.push(decode(e.value));
    return out;
  };
  assert.deepEqual(await stored(Family.ORDER_SLOT), [
    [41, 42, 1, 'sell', 'limit', 'ioc', 590_000, 3, 1, 0, 0, 'mark', false, 'expired', 1_796_000_000_000_000, 1_796_000_000_000_009, 'ioc', 0],
    [42, 43, 1, 'sell', 'limit', 'ioc', 590_000, 3, 1, 0, 0, 'mark', false, 'filled', 1_796_000_000_000_000, 1_796_000_000_000_009, null, 1],
  ]);
  assert.deepEqual(await stored(Family.FILL_SLOT), [[5, 50, 1, 'buy', 600_000, 2, '-3', String(-(2n ** 60n)), 'taker', 1_796_000_000_000_005, 0]]);
});

const bucket = (minute: number, count: number): Bucket => ({ minute, open: 10, high: 12, low: 9, close: 11, volume: 2n ** 62n, quote: 2n ** 70n, count, lastUs: minute * 60_000_000 + 5 });

test('ticker minutes: rewritten while open, deleted once out of the window, stale ones dropped at load', async () => {
  const store = new MemoryStore();
  const batcher = new StoreBatcher(store);
  const { tickers, buckets } = await TickerStore.open(store, batcher);
  assert.equal(buckets.size, 0);
  tickers.write(1, bucket(10, 1));
  tickers.write(1, bucket(10, 2));
  tickers.write(1, bucket(1_000, 1));
  tickers.write(2, bucket(5, 1));
  await batcher.settled();
  assert.deepEqual(await numbers(store, Family.TICKER_MINUTE, 1), [10, 1_000]);
  tickers.write(1, bucket(1_450, 1));
  await batcher.settled();
  assert.deepEqual(await numbers(store, Family.TICKER_MINUTE, 1), [1_000, 1_450], 'minute 10 left the window ending at 1,450');
  // A minute left over from before (written by an older gateway) that is out of the window.
  await store.write([{ type: 'put', key: pairKey(Family.TICKER_MINUTE, 2, 3), value: (await store.get(pairKey(Family.TICKER_MINUTE, 2, 5)))! }], false);
  await store.write([{ type: 'put', key: pairKey(Family.TICKER_MINUTE, 2, 3_000), value: (await store.get(pairKey(Family.TICKER_MINUTE, 2, 5)))! }], false);
  const batcher2 = new StoreBatcher(store);
  const again = await TickerStore.open(store, batcher2);
  assert.deepEqual(again.buckets.get(1), [bucket(1_000, 1), bucket(1_450, 1)], 'integers exactly, bigints past 2^53 included');
  assert.deepEqual(again.buckets.get(2)!.map((b) => b.minute), [3_000]);
  await batcher2.settled();
  assert.deepEqual(await numbers(store, Family.TICKER_MINUTE, 2), [3_000], 'stale minutes deleted at load');
});

test('a run with a smaller cap keeps the newest entries, each moved into its slot, and deletes the others when the account loads', async () => {
  const store = new MemoryStore();
  const batcher = new StoreBatcher(store);
  const wide = new AccountHistory(6);
  wide.attach(store, batcher);
  for (let i = 1; i <= 8; i++) wide.fills.add(7, fill(i, 0n));
  wide.fills.add(8, fill(50, 0n));
  await wide.written();
  assert.deepEqual(await slots(store, Family.FILL_SLOT, 7), [[0, 6], [1, 7], [2, 2], [3, 3], [4, 4], [5, 5]]);

  const batcher2 = new StoreBatcher(store);
  const narrow = new AccountHistory(3);
  narrow.attach(store, batcher2);
  narrow.fills.add(7, fill(9, 0n));
  assert.deepEqual((await narrow.fills.newest(7, 10)).map((f) => f.tradeId), [9, 8, 7]);
  await narrow.written();
  assert.deepEqual(await slots(store, Family.FILL_SLOT, 7), [[0, 6], [1, 7], [2, 8]], 'what memory keeps, each in slot n mod 3, nothing else');
  assert.deepEqual(await slots(store, Family.FILL_SLOT, 8), [[0, 0]], 'another account untouched');
  assert.deepEqual((await narrow.fills.newest(8, 10)).map((f) => f.tradeId), [50]);
  await narrow.written();
  assert.deepEqual(await slots(store, Family.FILL_SLOT, 8), [[0, 0]], 'an account within the cap keeps its entries');
});

/** A gateway's history over `store` with `cap`, its first `count` fills (trade ids 1..count) for account 7 written. */
async function historyWith(store: Store, cap: number, count: number): Promise<void> {
  const h = new AccountHistory(cap);
  h.attach(store, new StoreBatcher(store));
  for (let i = 1; i <= count; i++) h.fills.add(7, fill(i, 0n));
  await h.written();
}

test('a run with a larger cap moves the entries into their new slots and keeps numbering them', async () => {
  const store = new MemoryStore();
  await historyWith(store, 3, 5);
  assert.deepEqual(await slots(store, Family.FILL_SLOT, 7), [[0, 3], [1, 4], [2, 2]]);
  const wide = new AccountHistory(4);
  wide.attach(store, new StoreBatcher(store));
  wide.fills.add(7, fill(6, 0n));
  wide.fills.add(7, fill(7, 0n));
  assert.deepEqual((await wide.fills.newest(7, 10)).map((f) => f.tradeId), [7, 6, 5, 4]);
  await wide.written();
  // 2 and 3 stay, 4 moves from slot 1 to 0, 5 and 6 go to 1 and 2: nothing older is left
  assert.deepEqual(await slots(store, Family.FILL_SLOT, 7), [[0, 4], [1, 5], [2, 6], [3, 3]]);
  const again = new AccountHistory(4);
  again.attach(store, new StoreBatcher(store));
  assert.deepEqual((await again.fills.newest(7, 10)).map((f) => f.tradeId), [7, 6, 5, 4]);
});

/** Entries as gateways before the slots stored them: 'H'/'F' accountId n, the tuple without n. */
async function writeNumbered(store: Store, family: number, accountId: number, entries: [n: number, tuple: unknown[]][]): Promise<void> {
  await store.write(entries.map(([n, t]) => ({ type: 'put' as const, key: pairKey(family, accountId, n), value: Buffer.from(new Encoder().encode(t)) })), false);
}

test('entries a gateway before the slots stored (numbered keys) load in order, go on being numbered, and are moved into slots', async () => {
  const store = new MemoryStore();
  // What such a gateway left for account 7 with a cap of 3 (entries 0-3 written, 0 deleted at the cap), and one entry for account 8.
  const fillTuple = (tradeId: number) => [tradeId, tradeId * 10, 1, 'buy', 600_000, 2, '-3', String(-(2n ** 60n)), 'taker', 1_796_000_000_000_000 + tradeId];
  await writeNumbered(store, Family.FILL_HISTORY, 7, [[1, fillTuple(2)], [2, fillTuple(3)], [3, fillTuple(4)]]);
  await writeNumbered(store, Family.FILL_HISTORY, 8, [[0, fillTuple(50)]]);
  const h = new AccountHistory(3);
  h.attach(store, new StoreBatcher(store));
  h.fills.add(7, fill(5, 0n));
  const seven = (await h.fills.newest(7, 10)) as FillView[];
  assert.deepEqual(seven.map((f) => f.tradeId), [5, 4, 3]);
  assert.deepEqual(seven[1], { ...fill(4, -3n) }, 'every field as stored, bigints included');
  await h.written();
  assert.deepEqual(await numbers(store, Family.FILL_HISTORY, 7), [], 'the numbered entries are deleted once moved');
  assert.deepEqual(await slots(store, Family.FILL_SLOT, 7), [[0, 3], [1, 4], [2, 2]], 'entry 4 (the new one) in slot 1, 2 and 3 moved');
  assert.deepEqual(await numbers(store, Family.FILL_HISTORY, 8), [0], 'an account not loaded yet keeps its numbered entries');
  assert.deepEqual((await h.fills.newest(8, 10)).map((f) => f.tradeId), [50]);
  await h.written();
  assert.deepEqual(await numbers(store, Family.FILL_HISTORY, 8), []);
  assert.deepEqual(await slots(store, Family.FILL_SLOT, 8), [[0, 0]]);
});

test('an account whose numbered entries were moved but not yet deleted (a crash between) counts each entry once', async () => {
  const store = new MemoryStore();
  await historyWith(store, 3, 2);
  // the same two entries left in the numbered layout too
  for await (const e of store.scan(pairRange(Family.FILL_SLOT, 7))) {
    const t = decode(e.value) as unknown[];
    await writeNumbered(store, Family.FILL_HISTORY, 7, [[t.at(-1) as number, t.slice(0, -1)]]);
  }
  const second = new AccountHistory(3);
  second.attach(store, new StoreBatcher(store));
  assert.deepEqual((await second.fills.newest(7, 10)).map((f) => f.tradeId), [2, 1]);
  await second.written();
  assert.deepEqual(await numbers(store, Family.FILL_HISTORY, 7), []);
  assert.deepEqual(await slots(store, Family.FILL_SLOT, 7), [[0, 0], [1, 1]]);
});
