// Choosing a market's index source over the real operator HTTP server (without the oracle: manual and
// simulated): who may, what the market shard then receives, what bad input gets (a stable code and
// nothing changed), what the audit log says, and what a restart starts from (the gateway's store).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { nowUs } from '../../../gateway/clock.js';
import { SimIndex } from '../../../gateway/demo/sim-index.js';
import { indexSourceKey } from '../../../gateway/auth/gateway-keys.js';
import { IndexSources } from '../../../gateway/oracle/index-sources.js';
import { indexSourceRoutes } from '../../../gateway/operator/index-source-routes.js';
import { MemoryStore } from '../../../persistence/memory-store.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { MarketRegistry } from '../../../gateway/markets/market-registry.js';
import { testListing } from '../../support/listing.js';
import { ADMIN, startHarness, VIEWER, type Harness } from './operator-harness.js';

const SIM_MARKETS = [
  { market: DEFAULT_MARKETS[0]!, startTicks: 600_000, rungTicks: 5 },
  { market: DEFAULT_MARKETS[1]!, startTicks: 30_000, rungTicks: 5 },
];

async function start(store = new MemoryStore()): Promise<{ h: Harness; table: () => IndexSources; sim: SimIndex }> {
  const sim = new SimIndex(SIM_MARKETS, 7);
  let table: IndexSources | undefined;
  const h = await startHarness({ routers: () => [indexSourceRoutes({ markets: DEFAULT_MARKETS, sources: () => table })] });
  table = await IndexSources.open({ markets: DEFAULT_MARKETS, sim, exchange: h.exchange, store, clock: nowUs });
  return { h, table: () => table!, sim };
}

const auditLines = (h: Harness) =>
  readFileSync(h.auditPath, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { operator: string | null; method: string; path: string; status: number; outcome: string; body: unknown });

test('only exchange:markets chooses a source; exchange:read sees them; every call is audited', async () => {
  const { h } = await start();
  try {
    const path = '/operator/markets/BTC-PERP/index-source';
    const manual = { source: 'manual', price: '61000.5' };
    const anon = await h.call('PUT', path, { body: manual });
    assert.deepEqual([anon.status, anon.body.error], [401, 'UNAUTHENTICATED']);
    const viewer = await h.call('PUT', path, { token: VIEWER, body: manual });
    assert.deepEqual([viewer.status, viewer.body.error, viewer.body.code], [403, 'OPERATOR_FORBIDDEN', Code.OPERATOR_FORBIDDEN]);
    const seen = await h.call('GET', '/operator/index-sources', { token: VIEWER });
    assert.equal(seen.status, 200);
    assert.deepEqual(seen.body, [
      { market: 'BTC-PERP', source: 'simulated' },
      { market: 'ETH-PERP', source: 'simulated' },
    ], 'without the oracle every market starts on the walk, and the refused calls changed nothing');
    const set = await h.call('PUT', path, { token: ADMIN, body: manual });
    assert.deepEqual([set.status, set.body], [200, { market: 'BTC-PERP', source: 'manual', price: '61000.5' }]);
    assert.deepEqual((await h.call('GET', path, { token: VIEWER })).body, set.body);
    await h.audit.close();
    const lines = auditLines(h).filter((l) => l.path.endsWith('index-source'));
    assert.deepEqual(
      lines.map((l) => [l.operator, l.method, l.status, l.outcome]),
      [
        [null, 'PUT', 401, 'UNAUTHENTICATED'],
        ['viewer', 'PUT', 403, 'OPERATOR_FORBIDDEN'],
        ['admin', 'PUT', 200, 'ok'],
        ['viewer', 'GET', 200, 'ok'],
      ],
    );
    assert.deepEqual(lines[2]!.body, manual, 'the audit line says what was chosen');
  } finally {
    await h.close();
  }
});

test('switching sources changes the index the market shard receives: manual at once and every second, then the walk from there', async () => {
  const { h, table, sim } = await start();
  try {
    const path = '/operator/markets/BTC-PERP/index-source';
    assert.equal((await h.call('PUT', path, { token: ADMIN, body: { source: 'manual', price: '61000.5' } })).status, 200);
    await h.untilIndex(1, 610_005);
    // The once-a-second duty: the held price again for BTC-PERP, the walk for ETH-PERP.
    const before = h.indexes.get(1)!.length;
    table().tick(nowUs());
    await h.untilIndex(2, sim.midOf(2));
    // The manual price again (BTC-PERP's shard is not ETH-PERP's: wait for its own record).
    while (h.indexes.get(1)!.length === before) await new Promise((r) => setTimeout(r, 5));
    assert.equal(h.indexes.get(1)!.at(-1), 610_005, 'the manual price was sent again');
    assert.ok(h.indexes.get(1)!.every((t, i) => i === 0 || t === 610_005), 'the walk sent nothing to the manual market');
    // Back to the walk: it continues from the manual price, not from where its own walk had gone.
    assert.equal((await h.call('PUT', path, { token: ADMIN, body: { source: 'simulated' } })).status, 200);
    table().tick(nowUs());
    const walked = sim.midOf(1);
    assert.ok(Math.abs(walked - 610_005) <= 3 * 5, `the walk resumed at the manual price (now ${walked})`);
    await h.untilIndex(1, walked);
  } finally {
    await h.close();
  }
});

test('bad input is refused with OPERATOR_BAD_REQUEST (or the market/availability codes) and changes nothing', async () => {
  const store = new MemoryStore();
  const { h, table } = await start(store);
  try {
    const put = (body: unknown, market = 'BTC-PERP') => h.call('PUT', `/operator/markets/${market}/index-source`, { token: ADMIN, body });
    const cases: [unknown, number, string][] = [
      [{ source: 'manual', price: '61000.55' }, 400, 'OPERATOR_BAD_REQUEST'],
      [{ source: 'manual', price: 61000 }, 400, 'OPERATOR_BAD_REQUEST'],
      [{ source: 'manual', price: '0' }, 400, 'OPERATOR_BAD_REQUEST'],
      [{ source: 'manual' }, 400, 'OPERATOR_BAD_REQUEST'],
      [{ source: 'walk' }, 400, 'OPERATOR_BAD_REQUEST'],
      [{ source: 'simulated', price: '1' }, 400, 'OPERATOR_BAD_REQUEST'],
      [{ source: 'simulated', holdSeconds: 3 }, 400, 'OPERATOR_BAD_REQUEST'],
      [[], 400, 'OPERATOR_BAD_REQUEST'],
      [{ source: 'oracle' }, 409, 'OPERATOR_UNAVAILABLE'],
    ];
    for (const [body, status, error] of cases) {
      const r = await put(body);
      assert.deepEqual([r.status, r.body.error, r.body.code, typeof r.body.message], [status, error, Code[error as keyof typeof Code], 'string'], JSON.stringify(body));
    }
    const unknown = await put({ source: 'simulated' }, 'DOGE-PERP');
    assert.deepEqual([unknown.status, unknown.body.error], [404, 'UNKNOWN_MARKET']);
    const post = await h.call('POST', '/operator/markets/BTC-PERP/index-source', { token: ADMIN, body: { source: 'simulated' } });
    assert.deepEqual([post.status, post.body.error], [405, 'OPERATOR_BAD_REQUEST']);
    assert.deepEqual(table().choiceOf(1), { source: 'simulated' });
    const stored: unknown[] = [];
    for await (const e of store.scan({ gte: Uint8Array.of(0), lt: Uint8Array.of(0xff) })) stored.push(e);
    assert.deepEqual(stored, [], 'nothing was stored');
    assert.deepEqual(h.indexes.get(1), [600_000], 'the shard received no index but the harness’s first');
  } finally {
    await h.close();
  }
});

test('a choice persists in the gateway store: a restarted table starts from it', async () => {
  const store = new MemoryStore();
  const { h } = await start(store);
  try {
    assert.equal((await h.call('PUT', '/operator/markets/ETH-PERP/index-source', { token: ADMIN, body: { source: 'manual', price: '3100.25' } })).status, 200);
  } finally {
    await h.close();
  }
  // An unreadable entry (say a torn or foreign value) is dropped: that market starts from its default.
  await store.write([{ type: 'put', key: indexSourceKey(1), value: Buffer.from('{"source":"manual","priceTicks":"6x"', 'utf8') }], true);
  const sent: number[] = [];
  const restarted = await IndexSources.open({ markets: DEFAULT_MARKETS, sim: new SimIndex(SIM_MARKETS, 7), exchange: { offer: (buf, at) => (sent.push(buf.marketId(at)), true), flush: () => {} }, store, clock: nowUs });
  assert.deepEqual(restarted.choiceOf(2), { source: 'manual', priceTicks: 310_025n });
  assert.deepEqual(restarted.choiceOf(1), { source: 'simulated' });
  restarted.tick(nowUs());
  assert.deepEqual(sent.sort(), [1, 2], 'each market got one index: the walk for BTC-PERP, the held price for ETH-PERP');
});

test('a market listed at run time has no index source until chosen; the walk is not one for it, even from the store', async () => {
  const store = new MemoryStore();
  const markets = new MarketRegistry(DEFAULT_MARKETS);
  const sent: number[] = [];
  const exchange = { offer: (buf: RecordBuffer, at: number) => (sent.push(buf.marketId(at)), true), flush: () => {} };
  const table = await IndexSources.open({ markets, sim: new SimIndex(SIM_MARKETS, 7), exchange, store, clock: nowUs });
  const sol = testListing(7, 'SOL-PERP').market;
  markets.add(sol);
  assert.deepEqual(table.choiceOf(7), { source: 'none' });
  assert.equal(table.simulates(7), false);
  table.tick(nowUs());
  assert.deepEqual(sent.sort(), [1, 2], 'nothing for the listed market');
  await table.choose(markets.get(7)!, { source: 'manual', priceTicks: 150_000n });
  assert.deepEqual(sent.at(-1), 7, 'a manual price goes out at once');
  // A walk stored for it (by hand: the route refuses it) is dropped at the next open: none again.
  await store.write([{ type: 'put', key: indexSourceKey(7), value: Buffer.from('{"source":"simulated"}', 'utf8') }], true);
  const restarted = await IndexSources.open({ markets, sim: new SimIndex(SIM_MARKETS, 7), exchange, store, clock: nowUs });
  assert.deepEqual(restarted.choiceOf(7), { source: 'none' });
});
