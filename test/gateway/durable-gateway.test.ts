// The gateway over a durable exchange (journals in a temp directory) and a RocksDB store of its own: an
// acknowledged order survives a restart of both, because the exchange released its acknowledgement only
// once the order was durable; keys and idempotency results survive in the gateway's store; order ids
// after the restart continue past every id handed out before it.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { PerpxClient } from '../../gateway/client/client.js';
import { RocksStore } from '../../persistence/rocksdb-store.js';
import { generateEd25519 } from '../../gateway/client/keys.js';
import { durableAt, MID, startHarness, USDT } from './support/harness.js';

test('an acknowledged order, its key and its idempotent result survive a restart of the exchange and the gateway', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-gw-journal-'));
  const gwDir = mkdtempSync(join(tmpdir(), 'perpx-gw-store-'));
  try {
    const h1 = await startHarness({ durability: await durableAt(dir), store: await RocksStore.open(gwDir, { createIfMissing: true }) });
    assert.ok(h1.exchange.journal !== undefined, 'the exchange journals and releases only what is durable');
    await h1.mark(MID);
    const t = await h1.trader();
    const placed = await t.client.place({ market: 1, side: 'buy', type: 'limit', price: MID - 100, qty: 1, clientOrderId: 77 });
    const refused = await t.client.request('place', { market: 1, side: 'sell', type: 'limit', price: MID - 100_000, qty: 1, tif: 'postOnly', clientOrderId: 78 });
    assert.equal(refused.ok, false);
    await h1.stop();

    const h2 = await startHarness({ durability: await durableAt(dir), store: await RocksStore.open(gwDir) });
    try {
      const c = await PerpxClient.connect(h2.url);
      const login = await c.login(t.creds);
      assert.equal(login.accountId, t.accountId, 'the key persisted');
      const again = await c.place({ market: 1, side: 'buy', type: 'limit', price: MID - 100, qty: 1, clientOrderId: 77 });
      assert.equal(again.orderId, placed.orderId);
      assert.equal(again.replayed, true);
      assert.equal((await c.request('place', { market: 1, side: 'sell', type: 'limit', price: MID - 100_000, qty: 1, tif: 'postOnly', clientOrderId: 78 })).error?.code, refused.error?.code);
      const cancelled = await c.cancel({ market: 1, orderId: placed.orderId });
      assert.equal(cancelled.cancelledQty, 1, 'the acknowledged order was recovered from the journal');
      const fresh = await c.place({ market: 1, side: 'buy', type: 'limit', price: MID - 101, qty: 1 });
      assert.ok(fresh.orderId > placed.orderId, 'ids continue past those handed out before the restart');
      assert.equal((await c.request('cancel', { market: 1, orderId: placed.orderId })).error?.code, Code.ORDER_NOT_FOUND);
      await c.close();
    } finally {
      await h2.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(gwDir, { recursive: true, force: true });
  }
});

test('a journal behind by more than its bound stops the gateway taking commands (BACK_PRESSURE, nothing taken), never the shards; it takes them again once the journal catches up', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-gw-lag-'));
  try {
    const h = await startHarness({ durability: await durableAt(dir, { maxLagRecords: 32 }) });
    try {
      await h.mark(MID);
      const t = await h.trader();
      const journal = h.exchange.journal!;
      // The journal's lag as the writer would leave it if its disk stalled: the lag is read from shared
      // memory (tap cursor minus durable cut), stood in for here so the test does not depend on timing.
      const real = journal.lag.bind(journal);
      let behind = 33;
      journal.lag = (x) => Math.max(real(x), behind);
      const order = { market: 1, side: 'buy', type: 'limit', price: MID - 200, qty: 1, clientOrderId: 501 } as const;
      const refused = await t.client.request('place', order);
      assert.deepEqual([refused.error?.code, refused.error?.retryable], [Code.BACK_PRESSURE, true]);
      assert.deepEqual((await t.client.openOrders()).orders, [], 'nothing was taken');
      behind = 32; // at the bound, not past it
      const placed = await t.client.place(order);
      assert.equal(placed.replayed, false, 'the refusal was not remembered as the order\'s outcome');
      assert.deepEqual((await t.client.openOrders()).orders.map((o) => o.clientOrderId), [501]);
      journal.lag = real;
    } finally {
      await h.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a gateway store that never saw the shards\' accounts (a directory perpx-restore wrote) knows them: keys can be made for them, and new accounts are numbered past them, never onto them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-gw-accounts-'));
  try {
    const h1 = await startHarness({ durability: await durableAt(dir) });
    let funded: number[];
    try {
      await h1.mark(MID);
      funded = [(await h1.trader()).accountId, (await h1.trader()).accountId, (await h1.trader()).accountId];
    } finally {
      await h1.stop();
    }
    // The shards recover their state from the journal; the gateway's store (keys, accounts) is new.
    const h2 = await startHarness({ durability: await durableAt(dir) });
    try {
      const made = await h2.gateway.keys.createAccount('test');
      assert.ok(made > Math.max(...funded), `account ${made} is past the shards' ${funded.join(', ')}`);
      const t = await h2.trader({ usdt: 0n });
      assert.deepEqual((await t.client.balances()).balance, null, 'a new trader starts with no one else\'s money');
      assert.deepEqual((await t.client.positions()).positions, []);
      // An account the shards hold gets a key again, and its owner sees its money.
      const pair = generateEd25519();
      const { keyId } = await h2.gateway.keys.createKey('test', { accountId: funded[0]!, publicKey: pair.publicKey, scopes: ['read'] });
      const c = await PerpxClient.connect(h2.url);
      assert.equal((await c.login({ keyId, alg: 'ed25519', secret: pair.seed })).accountId, funded[0]);
      assert.equal((await c.balances()).balance?.wallet, 1_000_000n * USDT);
      await c.close();
    } finally {
      await h2.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
