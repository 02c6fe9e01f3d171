// A real restart of a durable exchange and its gateway (journals and the gateway's store in temp
// directories): two accounts rest orders, trade into positions and leave a stop waiting for its trigger;
// after the restart, over the WebSocket gateway, their open orders, positions and balances are what they
// were; a WebSocket book subscriber's snapshot and the MQTT bus's retained book snapshot equal the
// engine's book, checksum included; and what comes after the restart applies exactly once (a level's
// quantity grows by the new order's, a partial fill shows its remainder).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { connectAsync } from 'mqtt';
import { startMarketDataBus, type MarketDataBus } from '../../gateway/bus/market-data-bus.js';
import { decodePayload } from '../../gateway/bus/payload.js';
import { topicOf } from '../../gateway/bus/topics.js';
import { PerpxClient } from '../../gateway/client/client.js';
import { WsBookFollower } from '../../gateway/client/ws-book.js';
import { bookChecksum } from '../../gateway/market-data/checksum.js';
import { L2Book, type LevelTuple } from '../../gateway/market-data/l2-book.js';
import type { BookSnapshot } from '../../gateway/market-data/messages.js';
import type { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { durableAt, MID, startHarness, until } from './support/harness.js';
import { levelsOf } from '../../engine/book/book-columns.js';

/** Everything a client is shown of its account, but the time of the last update. */
async function account(c: PerpxClient) {
  const strip = (x: Record<string, unknown> | null) => {
    if (x === null) return null;
    const { updatedUs: _u, ...rest } = x;
    return rest;
  };
  const orders = (await c.openOrders()).orders.map(strip).sort((x, y) => Number(x!['orderId']) - Number(y!['orderId']));
  const positions = (await c.positions()).positions.map(strip);
  const balance = strip((await c.balances()).balance);
  return { orders, positions, balance };
}

/** BTC-PERP's levels as the market shard holds them, and their checksum. */
async function engineBook(ex: ThreadedExchange): Promise<{ bids: LevelTuple[]; asks: LevelTuple[]; checksum: number }> {
  const m = (await ex.shardStates()).market[0]!.markets.find((b) => b.marketId === 1)!;
  const bids = levelsOf(m.bids).map((l) => [l.priceTicks, l.qtyLots, l.orderCount] as const);
  const asks = levelsOf(m.asks).map((l) => [l.priceTicks, l.qtyLots, l.orderCount] as const);
  const book = new L2Book();
  book.load(bids, asks);
  return { bids, asks, checksum: bookChecksum(book) };
}

test('after a restart the gateway shows every open order, position and balance, and the books are the engine’s', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-restart-journal-'));
  const gwDir = mkdtempSync(join(tmpdir(), 'perpx-restart-store-'));
  try {
    const h1 = await startHarness({ durability: await durableAt(dir), store: await RocksStore.open(gwDir, { createIfMissing: true }), marketData: true });
    await h1.mark(MID);
    const a = await h1.trader();
    const b = await h1.trader();
    await a.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 100, qty: 3, clientOrderId: 11 });
    await a.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 200, qty: 2, clientOrderId: 12 });
    await b.client.place({ market: 1, side: 'sell', type: 'limit', price: MID + 100, qty: 4, clientOrderId: 21 });
    await b.client.place({ market: 1, side: 'sell', type: 'limit', price: MID + 200, qty: 1, clientOrderId: 22 });
    // Positions: b sells 1 into a's best bid, which stays partially filled.
    await b.client.place({ market: 1, side: 'sell', type: 'limit', price: MID - 100, qty: 1, tif: 'ioc', clientOrderId: 23 });
    // The reduce-only stop needs a's position at the risk shard: b's answer does not wait for its settlement.
    await until(() => (h1.gateway.views.get(a.accountId)?.positions.size ?? 0) > 0, "a's position settled");
    await a.client.place({ market: 1, side: 'sell', type: 'stopMarket', qty: 1, trigger: MID - 5_000, triggerBy: 'mark', reduceOnly: true, clientOrderId: 13 });
    await until(() => (h1.gateway.views.get(a.accountId)?.positions.size ?? 0) > 0 && (h1.gateway.views.get(b.accountId)?.positions.size ?? 0) > 0, 'both positions shown');
    const before = { a: await account(a.client), b: await account(b.client) };
    assert.equal(before.a.orders.length, 3);
    assert.equal(before.a.orders.find((o) => o!['clientOrderId'] === 11)!['remaining'], 2);
    assert.equal(before.a.orders.find((o) => o!['clientOrderId'] === 13)!['status'], 'untriggered');
    assert.equal(before.b.orders.length, 2);
    assert.equal(before.a.positions.length, 1);
    const hubBefore = h1.hub!.snapshot('BTC-PERP')!;
    await h1.stop();

    // The bus starts before the gateway opens, as npm start starts it: connected, it publishes a snapshot
    // of the books before the state is loaded.
    let bus!: MarketDataBus;
    const h2 = await startHarness({
      durability: await durableAt(dir),
      store: await RocksStore.open(gwDir),
      marketData: async (hub) => {
        bus = await startMarketDataBus(hub, { env: {}, embeddedPort: 0, prefix: 'perpx-test-restart' });
        await bus.publisher.waitConnected();
      },
    });
    const sub = await connectAsync(bus.url);
    try {
      assert.equal(h2.gateway.ready, true, 'open() returned with the read models loaded');
      assert.equal(h2.gateway.restored?.market[0]!.markets[0]!.halted, false, 'the market status came with the state');
      const a2 = await PerpxClient.connect(h2.url);
      const b2 = await PerpxClient.connect(h2.url);
      await a2.login(a.creds);
      await b2.login(b.creds);
      assert.deepEqual(await account(a2), before.a, "a's orders, position and balance survive the restart");
      assert.deepEqual(await account(b2), before.b, "b's orders, position and balance survive the restart");

      const engine = await engineBook(h2.exchange);
      assert.deepEqual({ bids: hubBefore.bids, asks: hubBefore.asks, checksum: hubBefore.checksum }, engine, 'the book before the restart is the engine’s after it');
      const snapshots: BookSnapshot[] = [];
      a2.on('md', (m) => m['type'] === 'snapshot' && snapshots.push(m as unknown as BookSnapshot));
      const follower = new WsBookFollower(a2, 1);
      await follower.start();
      await until(() => follower.sync.synced && snapshots.length > 0, 'the ws book snapshot');
      assert.deepEqual({ bids: snapshots[0]!.bids, asks: snapshots[0]!.asks, checksum: snapshots[0]!.checksum }, engine, 'the ws snapshot is the engine’s book');

      const topic = topicOf('BTC-PERP', 'book-snapshot', 'perpx-test-restart');
      const retained = new Promise<BookSnapshot>((resolve) => sub.on('message', (t, payload) => t === topic && resolve(decodePayload(payload, 'msgpack') as BookSnapshot)));
      await sub.subscribeAsync(topic);
      const onBus = await retained;
      assert.deepEqual({ bids: onBus.bids, asks: onBus.asks, checksum: onBus.checksum }, engine, 'the retained MQTT snapshot is the engine’s book');

      // After the restart, exactly once: a's new bid joins a level, b's sell fills 1 more of a's order.
      await a2.place({ market: 1, side: 'buy', type: 'limit', price: MID - 200, qty: 1, clientOrderId: 14 });
      await b2.place({ market: 1, side: 'sell', type: 'limit', price: MID - 100, qty: 1, tif: 'ioc', clientOrderId: 24 });
      const after = await engineBook(h2.exchange);
      assert.deepEqual(after.bids, [[MID - 100, 1, 1], [MID - 200, 3, 2]]);
      await until(() => {
        const s = h2.hub!.snapshot('BTC-PERP')!;
        return JSON.stringify([s.bids, s.asks]) === JSON.stringify([after.bids, after.asks]);
      }, 'the hub follows the engine');
      await until(() => JSON.stringify(follower.sync.book.topBids(Infinity)) === JSON.stringify(after.bids), 'the ws follower follows the engine');
      assert.equal(follower.resubscribes, 0, 'no gap and no checksum mismatch');
      const a3 = await account(a2);
      assert.equal(a3.orders.find((o) => o!['clientOrderId'] === 11)!['remaining'], 1);
      assert.equal(a3.orders.length, 4);
      assert.equal((a3.positions[0] as { qty: bigint }).qty, 2n, 'the position grew by the one new fill');
      await follower.stop();
      await Promise.all([a2.close(), b2.close()]);
    } finally {
      await sub.endAsync();
      await bus.stop();
      await h2.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(gwDir, { recursive: true, force: true });
  }
});
