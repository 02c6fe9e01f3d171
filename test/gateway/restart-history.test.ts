// A real restart of a durable exchange and its gateway (journals and the gateway's RocksDB store in temp
// directories), with history kept at 4 a list: ended orders, fills and the 24 h ticker answer after the
// restart exactly what they answered before it; the store holds only each account's newest 4 and keeps
// pruning after the restart; no account sees another's entries (one with none sees none).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Family, pairRange } from '../../gateway/auth/gateway-keys.js';
import { PerpxClient } from '../../gateway/client/client.js';
import type { Ticker } from '../../gateway/market-data/messages.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import type { Store } from '../../persistence/store.js';
import { durableAt, MID, startHarness, until, type Harness } from './support/harness.js';

const CAP = 4;

async function historyOf(c: PerpxClient) {
  return { orders: (await c.orderHistory(1_000)).orders, fills: (await c.fills(1_000)).fills };
}

/** The ticker's 24 h figures (not its time, book, mark or funding: those are not history). */
function figures(h: Harness) {
  const t = h.hub!.latest('ticker', 'BTC-PERP') as Ticker | undefined;
  assert.ok(t, 'a ticker is published');
  return { open: t.openTicks, high: t.highTicks, low: t.lowTicks, last: t.lastTicks, volume: t.volumeLots, quote: t.quoteVolume, trades: t.tradeCount };
}

async function keysOf(store: Store, family: number, accountId: number): Promise<number> {
  let n = 0;
  for await (const _ of store.scan(pairRange(family, accountId))) n++;
  return n;
}

test('after a restart order history, fills and the 24 h ticker are what they were; history stays capped and per account', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-history-journal-'));
  const gwDir = mkdtempSync(join(tmpdir(), 'perpx-history-store-'));
  const gateway = { historyCap: CAP };
  try {
    const h1 = await startHarness({ durability: await durableAt(dir), store: await RocksStore.open(gwDir, { createIfMissing: true }), marketData: true, gateway });
    await h1.mark(MID);
    const a = await h1.trader();
    const b = await h1.trader();
    const c = await h1.trader();
    // a rests six bids at two prices; b sells into all of them: six trades, six fills each side.
    for (let i = 0; i < 6; i++) await a.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 100 * (1 + (i % 2)), qty: 1 + (i % 3), clientOrderId: 1 + i });
    await b.client.place({ market: 1, side: 'sell', type: 'limit', price: MID - 200, qty: 12, tif: 'ioc', clientOrderId: 100 });
    // One more ended order of a's: an IOC with nothing to meet.
    await a.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 1_000, qty: 1, tif: 'ioc', clientOrderId: 7 });
    const position = (h: Harness, accountId: number) => h.gateway.views.get(accountId)?.positions.get(1)?.qty;
    await until(() => position(h1, a.accountId) === 12n && position(h1, b.accountId) === -12n, 'every fill settled');
    await until(() => h1.hub!.latest('ticker', 'BTC-PERP') !== undefined && figures(h1).trades === 6, 'the ticker counts six trades');
    const before = { a: await historyOf(a.client), b: await historyOf(b.client), c: await historyOf(c.client), ticker: figures(h1) };
    assert.equal(before.a.orders.length, CAP, "a ended 7 orders: the newest 4 are kept");
    assert.equal(before.a.orders[0]!['clientOrderId'], 7, 'newest first');
    assert.equal(before.a.fills.length, CAP);
    assert.deepEqual(before.b.orders.map((o) => o['clientOrderId']), [100]);
    assert.equal(before.b.fills.length, CAP);
    assert.deepEqual(before.c, { orders: [], fills: [] });
    assert.deepEqual(before.ticker, { open: MID - 100, high: MID - 100, low: MID - 200, last: MID - 200, volume: 12n, quote: 6n * BigInt(MID - 100) + 6n * BigInt(MID - 200), trades: 6 });
    await h1.gateway.written();
    for (const family of [Family.ORDER_SLOT, Family.FILL_SLOT]) assert.equal(await keysOf(h1.store, family, a.accountId), CAP, 'the store keeps the newest 4 too');
    await h1.stop();

    const h2 = await startHarness({ durability: await durableAt(dir), store: await RocksStore.open(gwDir), marketData: true, gateway });
    try {
      assert.deepEqual(figures(h2), before.ticker, "the ticker's 24 h figures survive the restart (published before anything traded)");
      const [a2, b2, c2] = [await PerpxClient.connect(h2.url), await PerpxClient.connect(h2.url), await PerpxClient.connect(h2.url)];
      await a2.login(a.creds);
      await b2.login(b.creds);
      await c2.login(c.creds);
      assert.deepEqual(await historyOf(a2), before.a, "a's ended orders and fills survive the restart, in the same order");
      assert.deepEqual(await historyOf(b2), before.b, "b's too, and none of a's");
      assert.deepEqual(await historyOf(c2), { orders: [], fills: [] }, 'an account with no history sees none');
      assert.deepEqual(await c2.orderHistory(), { orders: [] });

      // After the restart entries go on from where they were: two more ended orders push the two oldest out.
      await a2.place({ market: 1, side: 'buy', type: 'limit', price: MID - 1_000, qty: 1, tif: 'ioc', clientOrderId: 8 });
      await a2.place({ market: 1, side: 'buy', type: 'limit', price: MID - 1_000, qty: 1, tif: 'ioc', clientOrderId: 9 });
      await until(() => h2.gateway.views.history.orders.length(a.accountId) === CAP && (h2.gateway.views.history.orders.newest(a.accountId, 1) as { clientOrderId: number }[])[0]?.clientOrderId === 9, 'both ended');
      const after = (await a2.orderHistory(1_000)).orders;
      assert.deepEqual(after.map((o) => o['clientOrderId']), [9, 8, ...before.a.orders.slice(0, 2).map((o) => o['clientOrderId'])]);
      await h2.gateway.written();
      assert.equal(await keysOf(h2.store, Family.ORDER_SLOT, a.accountId), CAP, "overwritten in place after the restart too: still one key a slot");
      assert.deepEqual(await historyOf(b2), before.b, "a's new entries are not b's");
      await Promise.all([a2.close(), b2.close(), c2.close()]);
    } finally {
      await h2.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(gwDir, { recursive: true, force: true });
  }
});
