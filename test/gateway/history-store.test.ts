// The gateway's stored history (views/history.ts) and ticker minutes (market-data/ticker-store.ts) over a
// MemoryStore: entries are numbered per account and pruned at the cap in the store; a second instance (a
// restarted gateway) loads an account's entries on first use, and entries that come while they load are
// numbered after them; ticker minutes that leave the 24 h window are deleted, as written and at load.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode } from '@msgpack/msgpack';
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

test('fills are numbered per account, pruned at the cap in the store, and loaded on first use after a restart', async () => {
  const store = new MemoryStore();
  const batcher = new StoreBatcher(store);
  const first = new AccountHistory(3);
  first.attach(store, batcher);
  for (let i = 1; i <= 5; i++) first.fills.add(7, fill(i, BigInt(i)));
  first.fills.add(8, fill(100, -5n));
  await first.written();
  assert.deepEqual(await numbers(store, Family.FILL_HISTORY, 7), [2, 3, 4], 'entries 0 and 1 pruned in the same batches');
  assert.deepEqual(await numbers(store, Family.FILL_HISTORY, 8), [0]);
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
  assert.deepEqual(await numbers(store, Family.FILL_HISTORY, 8), [0, 1]);
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
  assert.deepEqual(await stored(Family.ORDER_HISTORY), [
    [41, 42, 1, 'sell', 'limit', 'ioc', 590_000, 3, 1, 0, 0, 'mark', false, 'expired', 1_796_000_000_000_000, 1_796_000_000_000_009, 'ioc'],
    [42, 43, 1, 'sell', 'limit', 'ioc', 590_000, 3, 1, 0, 0, 'mark', false, 'filled', 1_796_000_000_000_000, 1_796_000_000_000_009, null],
  ]);
  assert.deepEqual(await stored(Family.FILL_HISTORY), [[5, 50, 1, 'buy', 600_000, 2, '-3', String(-(2n ** 60n)), 'taker', 1_796_000_000_000_005]]);
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

test('entries below the newest cap left by a run with a larger cap are deleted when the account loads', async () => {
  const store = new MemoryStore();
  const batcher = new StoreBatcher(store);
  const wide = new AccountHistory(6);
  wide.attach(store, batcher);
  for (let i = 1; i <= 8; i++) wide.fills.add(7, fill(i, 0n));
  wide.fills.add(8, fill(50, 0n));
  await wide.written();
  assert.deepEqual(await numbers(store, Family.FILL_HISTORY, 7), [2, 3, 4, 5, 6, 7]);

  const batcher2 = new StoreBatcher(store);
  const narrow = new AccountHistory(3);
  narrow.attach(store, batcher2);
  narrow.fills.add(7, fill(9, 0n));
  assert.deepEqual((await narrow.fills.newest(7, 10)).map((f) => f.tradeId), [9, 8, 7]);
  await narrow.written();
  assert.deepEqual(await numbers(store, Family.FILL_HISTORY, 7), [6, 7, 8], 'what memory keeps, nothing left below it');
  assert.deepEqual(await numbers(store, Family.FILL_HISTORY, 8), [0], 'another account untouched');
  assert.deepEqual((await narrow.fills.newest(8, 10)).map((f) => f.tradeId), [50]);
  assert.deepEqual(await numbers(store, Family.FILL_HISTORY, 8), [0], 'an account within the cap keeps its entries');
});
