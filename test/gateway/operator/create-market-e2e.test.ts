// Creating a market over the operator HTTP of a real `npm start` (the compiled gateway/main.js on a data
// directory, free ports), end to end over real connections: bad bodies, a wrong role and two calls for one
// symbol at once are answered as documented; the new market is in GET /operator/markets and the WebSocket
// `markets` query; it refuses orders until the operator sets a manual index; two traders then trade it;
// a book rebuilt from the snapshot and diffs equals a fresh snapshot of the server's; after a restart on
// the same directory the market is back (spec, index source, book, channels) with no operator action, and
// trading goes on. Every call is in the audit log.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { PerpxClient } from '../../../gateway/client/client.js';
import { WsBookFollower } from '../../../gateway/client/ws-book.js';
import type { LevelTuple } from '../../../gateway/market-data/l2-book.js';
import { ALL_ROLES, OperatorRole } from '../../../gateway/operator/tokens.js';
import { refusal } from '../support/harness.js';
import { ADMIN, login, start, trader, VIEWER, type Running } from '../support/operator-start.js';

const SOL = { market: { symbol: 'SOL-PERP', tickSize: '0.01', lotSize: '0.1' } };

/** A fresh snapshot of a market's book from the server: a new subscription's first frame. */
async function serverBook(x: Running, marketId: number): Promise<{ bids: LevelTuple[]; asks: LevelTuple[] }> {
  const c = await PerpxClient.connect(x.ws);
  try {
    const snap = new Promise<{ bids: LevelTuple[]; asks: LevelTuple[] }>((resolve) =>
      c.on('md', (m) => {
        if (m['channel'] === 'book' && m['type'] === 'snapshot' && m['market'] === marketId) resolve(m as unknown as { bids: LevelTuple[]; asks: LevelTuple[] });
      }),
    );
    await c.subscribe('book', marketId);
    return await snap;
  } finally {
    await c.close();
  }
}

test('an operator creates a market; traders trade it; it survives a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-create-market-'));
  const operators = join(dir, 'operators.json');
  writeFileSync(operators, JSON.stringify({ operators: [{ id: 'admin', token: ADMIN, roles: ALL_ROLES }, { id: 'viewer', token: VIEWER, roles: [OperatorRole.READ] }] }));
  const clients: PerpxClient[] = [];
  const running: Running[] = [];
  try {
    let x = await start(dir, operators);
    running.push(x);
    // Refused, each with its stable code, and nothing listed.
    const wrong = await x.call('POST', '/operator/markets', { market: { ...SOL.market, tickSize: 5 } });
    assert.deepEqual([wrong.status, wrong.body.error, wrong.body.field], [400, 'OPERATOR_BAD_REQUEST', 'market.tickSize']);
    const missing = await x.call('POST', '/operator/markets', { market: { symbol: 'SOL-PERP' } });
    assert.deepEqual([missing.status, missing.body.field], [400, 'market.tickSize']);
    const unknown = await x.call('POST', '/operator/markets', { ...SOL, extra: 1 });
    assert.deepEqual([unknown.status, unknown.body.field], [400, 'extra']);
    assert.equal((await x.call('POST', '/operator/markets', SOL, VIEWER)).status, 403);
    assert.equal((await x.call('POST', '/operator/markets', { market: { ...SOL.market, symbol: 'BTC-PERP' } })).body.error, 'MARKET_EXISTS');
    assert.deepEqual((await x.call('GET', '/operator/markets', undefined, VIEWER)).body.map((m: { symbol: string }) => m.symbol), ['BTC-PERP', 'ETH-PERP']);

    // Two calls for one symbol at once: one lists it, the other finds it taken.
    const both = await Promise.all([x.call('POST', '/operator/markets', SOL), x.call('POST', '/operator/markets', SOL)]);
    assert.deepEqual(both.map((r) => r.status).sort(), [201, 409], both.map((r) => r.text).join('\n'));
    const made = both.find((r) => r.status === 201)!.body;
    assert.deepEqual({ ...made, marketShard: undefined }, { marketId: 3, symbol: 'SOL-PERP', status: 'open', tickSize: '0.01', lotSize: '0.1', minQtyLots: 1, maxQtyLots: 1_000_000, marketShard: undefined, mark: null, index: null, lastTrade: null });
    assert.equal(both.find((r) => r.status === 409)!.body.error, 'MARKET_EXISTS');
    const listed = (await x.call('GET', '/operator/markets', undefined, VIEWER)).body as { symbol: string; marketShard: number }[];
    assert.deepEqual(listed.map((m) => m.symbol), ['BTC-PERP', 'ETH-PERP', 'SOL-PERP']);
    assert.deepEqual((await x.call('GET', '/operator/markets/SOL-PERP/index-source')).body, { market: 'SOL-PERP', source: 'none' });

    const makerKey = await trader(x, 'maker');
    const takerKey = await trader(x, 'taker');
    let maker = await login(x, makerKey);
    let taker = await login(x, takerKey);
    clients.push(maker, taker);
    assert.deepEqual((await taker.markets()).markets.map((m) => [m.id, m.symbol, m.tickSize, m.lotSize]), [[1, 'BTC-PERP', '0.1', '0.001'], [2, 'ETH-PERP', '0.01', '0.01'], [3, 'SOL-PERP', '0.01', '0.1']]);
    // No index, no mark: refused with a clear code until the operator sets one.
    assert.equal(await refusal(maker.place({ market: 3, side: 'buy', type: 'limit', price: 14_990, qty: 10 })), Code.MARK_PRICE_UNAVAILABLE);
    assert.equal((await x.call('PUT', '/operator/markets/SOL-PERP/index-source', { source: 'simulated' })).status, 400, 'the walk does not price a listed market');
    const manual = await x.call('PUT', '/operator/markets/SOL-PERP/index-source', { source: 'manual', price: '150' });
    assert.deepEqual([manual.status, manual.body], [200, { market: 'SOL-PERP', source: 'manual', price: '150.00' }]);
    await x.until('SOL-PERP has a mark', async () => (await x.call('GET', '/operator/markets')).body[2].mark === '150.00');

    const watcher = await PerpxClient.connect(x.ws);
    clients.push(watcher);
    const follower = new WsBookFollower(watcher, 3);
    await follower.start();
    // The risk shards learn the mark a moment after the market shard publishes it: retry until taken.
    await x.until('the maker rests a bid', async () => (await refusal(maker.place({ market: 3, side: 'buy', type: 'limit', price: 14_990, qty: 10, clientOrderId: 1 }))) === 0);
    await maker.place({ market: 3, side: 'sell', type: 'limit', price: 15_010, qty: 10, clientOrderId: 2 });
    await maker.place({ market: 3, side: 'sell', type: 'limit', price: 15_020, qty: 5, clientOrderId: 3 });
    await taker.place({ market: 3, side: 'buy', type: 'limit', price: 15_010, qty: 4, tif: 'ioc' });
    await x.until('the taker holds 4 lots', async () => (await taker.positions()).positions.some((p) => p.market === 3 && BigInt(p.qty) === 4n));
    await x.until('the book rebuilt from snapshot and diffs equals the server book', async () => {
      const s = await serverBook(x, 3);
      return follower.sync.synced && JSON.stringify(follower.sync.book.topBids(Infinity)) === JSON.stringify(s.bids) && JSON.stringify(follower.sync.book.topAsks(Infinity)) === JSON.stringify(s.asks);
    });
    assert.deepEqual(follower.sync.book.topAsks(Infinity), [[15_010, 6, 1], [15_020, 5, 1]]);
    assert.deepEqual(follower.sync.book.topBids(Infinity), [[14_990, 10, 1]]);
    assert.equal(follower.resubscribes, 0, 'no gap, no checksum mismatch');
    for (const c of clients.splice(0)) await c.close();

    // A restart on the same directory: the market is back with its spec, index source, book and channels.
    await x.stop();
    x = await start(dir, operators);
    running.push(x);
    assert.deepEqual((await x.call('GET', '/operator/markets')).body.map((m: { symbol: string }) => m.symbol), ['BTC-PERP', 'ETH-PERP', 'SOL-PERP']);
    assert.deepEqual((await x.call('GET', '/operator/markets/SOL-PERP/index-source')).body, { market: 'SOL-PERP', source: 'manual', price: '150.00' });
    assert.deepEqual((await serverBook(x, 3)).asks, [[15_010, 6, 1], [15_020, 5, 1]]);
    maker = await login(x, makerKey);
    taker = await login(x, takerKey);
    clients.push(maker, taker);
    assert.deepEqual((await taker.markets()).markets.map((m) => m.symbol), ['BTC-PERP', 'ETH-PERP', 'SOL-PERP']);
    assert.deepEqual((await maker.openOrders(3)).orders.map((o) => o.clientOrderId).sort(), [1, 2, 3]);
    await x.until('the risk shards hold the mark again', async () => (await refusal(taker.place({ market: 3, side: 'buy', type: 'limit', price: 15_020, qty: 5, tif: 'ioc' }))) === 0);
    await x.until('the taker holds 9 lots', async () => (await taker.positions()).positions.some((p) => p.market === 3 && BigInt(p.qty) === 9n));
    assert.equal((await x.call('POST', '/operator/markets', SOL)).body.error, 'MARKET_EXISTS', 'a repeat after the restart');
    // A market listed on a restarted exchange is open, as on a fresh one: its listing says so, though this
    // process set no status for it (the others' come from the shards' state).
    const avax = await x.call('POST', '/operator/markets', { market: { ...SOL.market, symbol: 'AVAX-PERP' } });
    assert.deepEqual([avax.status, avax.body.symbol, avax.body.status], [201, 'AVAX-PERP', 'open'], avax.text);
    assert.deepEqual(
      (await x.call('GET', '/operator/markets')).body.map((m: { symbol: string; status: string }) => [m.symbol, m.status]),
      [['BTC-PERP', 'open'], ['ETH-PERP', 'open'], ['SOL-PERP', 'open'], ['AVAX-PERP', 'open']],
    );
    for (const c of clients.splice(0)) await c.close();
    await x.stop();

    const audit = readFileSync(join(dir, 'data', 'operator', 'audit.log'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { operator: string; method: string; path: string; status: number; outcome: string });
    const creates = audit.filter((e) => e.method === 'POST' && e.path === '/operator/markets').map((e) => [e.operator, e.status, e.outcome]);
    assert.deepEqual(creates.filter((c) => c[1] === 201), [['admin', 201, 'ok'], ['admin', 201, 'ok']]);
    assert.ok(creates.some((c) => c[0] === 'viewer' && c[2] === 'OPERATOR_FORBIDDEN'));
    assert.equal(creates.filter((c) => c[2] === 'MARKET_EXISTS').length, 3);
  } finally {
    for (const c of clients) await c.close().catch(() => {});
    for (const r of running) await r.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

// Under the crash harness's broken build (PERPX_CRASH_BREAK=ack-before-durable: answers released before
// they are durable) this test fails: the market is gone after the crash.
test('a market answered 201 survives a crash right after the answer: it was durable when the operator was told', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-create-market-'));
  const operators = join(dir, 'operators.json');
  writeFileSync(operators, JSON.stringify({ operators: [{ id: 'admin', token: ADMIN, roles: ALL_ROLES }] }));
  const running: Running[] = [];
  try {
    const x = await start(dir, operators);
    running.push(x);
    const made = await x.call('POST', '/operator/markets', { market: { symbol: 'DOGE-PERP', tickSize: '0.00001', lotSize: '1' } });
    assert.equal(made.status, 201, made.text);
    await x.kill();
    const y = await start(dir, operators);
    running.push(y);
    const back = (await y.call('GET', '/operator/markets')).body as { marketId: number; symbol: string; tickSize: string }[];
    assert.deepEqual(back.map((m) => [m.marketId, m.symbol, m.tickSize]), [[1, 'BTC-PERP', '0.1'], [2, 'ETH-PERP', '0.01'], [3, 'DOGE-PERP', '0.00001']]);
    await y.stop();
  } finally {
    for (const r of running) await r.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
