// Choosing the oracle as a market's index source, over the real operator HTTP server with an oracle polling
// four local venues: a subset of its sources with the operator's weights changes the index the market
// shard receives; too few sources, unknown ones or bad weights are refused and change nothing; a market on
// another source receives none of the oracle's ticks.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IndexOrigin, IndexSourceVerdict } from '../../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { SimIndex } from '../../../gateway/demo/sim-index.js';
import { feedIndexTicks } from '../../../gateway/oracle/index-feed.js';
import { IndexSources } from '../../../gateway/oracle/index-sources.js';
import { exchangeRoutes } from '../../../gateway/operator/exchange-routes.js';
import { indexSourceRoutes } from '../../../gateway/operator/index-source-routes.js';
import type { OperatorCommands } from '../../../gateway/operator/operator-commands.js';
import { ALL_ROLES } from '../../../gateway/operator/tokens.js';
import { MemoryStore } from '../../../persistence/memory-store.js';
import { OracleHarness } from '../oracle/oracle-harness.js';
import { ADMIN, startHarness, VIEWER } from './operator-harness.js';

test('the oracle with a subset of its sources and weights: what the shard receives, what is refused', async () => {
  const oh = await OracleHarness.start();
  const oracle = oh.oracle;
  let table: IndexSources | undefined;
  const h = await startHarness({ routers: () => [indexSourceRoutes({ markets: DEFAULT_MARKETS, sources: () => table, oracle })] });
  try {
    const sim = new SimIndex([{ market: DEFAULT_MARKETS[1]!, startTicks: 30_000, rungTicks: 5 }], 7);
    table = await IndexSources.open({ markets: DEFAULT_MARKETS, sim, oracle, exchange: h.exchange, store: new MemoryStore(), clock: oh.clock });
    const t = table;
    feedIndexTicks(oracle, h.exchange, (tick) => t.fromOracle(tick.marketId));
    oh.quoteAll();
    const path = '/operator/markets/BTC-PERP/index-source';
    const all = ['binance:BTCUSDT', 'coinbase:BTC-USD', 'okx:BTC-USDT', 'bybit:BTCUSDT'];
    assert.deepEqual((await h.call('GET', path, { token: VIEWER })).body, { market: 'BTC-PERP', source: 'oracle', sources: all.map((source) => ({ source, weight: 1, configuredWeight: 1 })) });
    assert.deepEqual((await h.call('GET', '/operator/markets/ETH-PERP/index-source', { token: VIEWER })).body, { market: 'ETH-PERP', source: 'simulated' }, 'a market the oracle does not price starts on the walk');

    // All four (mids 60,000.1, 60,001.1, 59,999.1, 60,002.1): the median of equal weights is 60,000.6.
    const [configured] = await oracle.runCycle();
    assert.equal(configured!.indexTicks, 600_006n);
    await h.untilIndex(1, 600_006);

    // Bybit left out, coinbase weighted 3: the weighted median is coinbase's 60,001.1.
    const chosen = await h.call('PUT', path, { token: ADMIN, body: { source: 'oracle', sources: { 'binance:BTCUSDT': 1, 'coinbase:BTC-USD': 3, 'okx:BTC-USDT': 1 } } });
    assert.equal(chosen.status, 200);
    assert.deepEqual(chosen.body.sources.map((s: { weight: number }) => s.weight), [1, 3, 1, 0]);
    const [subset] = await oracle.runCycle();
    assert.deepEqual([subset!.indexTicks, subset!.sourcesUsed, subset!.origin], [600_011n, 3, IndexOrigin.ORACLE]);
    assert.deepEqual(subset!.samples.map((s) => [s.weight, s.verdict]), [
      [1n, IndexSourceVerdict.USED],
      [3n, IndexSourceVerdict.USED],
      [1n, IndexSourceVerdict.USED],
      [0n, IndexSourceVerdict.NO_PRICE],
    ], 'the left-out source is still recorded, with weight 0');
    await h.untilIndex(1, 600_011);

    // Refused, and nothing changes: fewer sources than minSources (3), an unknown source, a bad weight.
    for (const sources of [{ 'binance:BTCUSDT': 1, 'okx:BTC-USDT': 1 }, { 'binance:BTCUSDT': 1, 'okx:BTC-USDT': 1, 'kraken:XBTUSD': 1 }, { 'binance:BTCUSDT': 1, 'okx:BTC-USDT': 1, 'bybit:BTCUSDT': 0 }, ['binance:BTCUSDT']]) {
      const r = await h.call('PUT', path, { token: ADMIN, body: { source: 'oracle', sources } });
      assert.deepEqual([r.status, r.body.error], [400, 'OPERATOR_BAD_REQUEST'], JSON.stringify(sources));
    }
    assert.deepEqual((await h.call('GET', path, { token: VIEWER })).body, chosen.body);

    // Manual: the oracle's next tick does not reach the shard; the held price does.
    assert.equal((await h.call('PUT', path, { token: ADMIN, body: { source: 'manual', price: '61000.5' } })).status, 200);
    await h.untilIndex(1, 610_005);
    // The oracle's temporary hold (POST /operator/index) would not show on a market off the oracle: refused.
    const legacy = exchangeRoutes({ markets: DEFAULT_MARKETS, marketShardOf: () => 0, commands: {} as OperatorCommands, oracle, fromOracle: (s) => t.fromOracle(DEFAULT_MARKETS.find((m) => m.symbol === s)!.marketId) });
    const held = await legacy({ method: 'POST', path: '/operator/index', query: new URLSearchParams(), body: { market: 'BTC-PERP', price: '62000' }, operator: { id: 'admin', roles: ALL_ROLES } });
    assert.deepEqual([held!.status, JSON.parse(held!.body as string).error], [409, 'OPERATOR_UNAVAILABLE']);
    const before = h.indexes.get(1)!.length;
    await oracle.runCycle();
    t.tick(oh.clock());
    while (h.indexes.get(1)!.length === before) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(h.indexes.get(1)!.slice(before), [610_005], 'the oracle’s tick, offered before the held price on the same ring, was not sent');

    // Back to the oracle as configured.
    assert.equal((await h.call('PUT', path, { token: ADMIN, body: { source: 'oracle' } })).status, 200);
    const [back] = await oracle.runCycle();
    assert.equal(back!.indexTicks, 600_006n);
    await h.untilIndex(1, 600_006);
  } finally {
    await h.close();
    await oh.close();
  }
});

test("a configured market on the operator's own venue sources: only those are polled and recorded, the choice survives a reopen, and one the file no longer allows is dropped", async () => {
  const oh = await OracleHarness.start();
  const oracle = oh.oracle;
  const store = new MemoryStore();
  let table: IndexSources | undefined;
  const h = await startHarness({ routers: () => [indexSourceRoutes({ markets: DEFAULT_MARKETS, sources: () => table, oracle })] });
  let narrower: OracleHarness | undefined;
  try {
    const sim = new SimIndex([{ market: DEFAULT_MARKETS[1]!, startTicks: 30_000, rungTicks: 5 }], 7);
    table = await IndexSources.open({ markets: DEFAULT_MARKETS, sim, oracle, exchange: h.exchange, store, clock: oh.clock });
    const t = table;
    feedIndexTicks(oracle, h.exchange, (tick) => t.fromOracle(tick.marketId));
    oh.quoteAll();
    const path = '/operator/markets/BTC-PERP/index-source';
    // minSources makes it the operator's own set (the file's four sources, its minSources 3, are put aside).
    const body = { source: 'oracle', sources: { 'binance:BTCUSDT': 1, 'coinbase:BTC-USD': 1, 'okx:BTC-USDT': 1 }, minSources: 2 };
    const chosen = await h.call('PUT', path, { token: ADMIN, body });
    const described = { market: 'BTC-PERP', source: 'oracle', sources: [{ source: 'binance:BTCUSDT', weight: 1 }, { source: 'coinbase:BTC-USD', weight: 1 }, { source: 'okx:BTC-USDT', weight: 1 }], minSources: 2 };
    assert.deepEqual([chosen.status, chosen.body], [200, described]);
    const bybitAsked = oh.server('bybit').requests;
    // Mids 60,000.1, 60,001.1 and 59,999.1: the median is 60,000.1; bybit is neither asked nor recorded.
    const [own] = await oracle.runCycle();
    assert.deepEqual([own!.indexTicks, own!.sourcesUsed, own!.samples.map((s) => s.label)], [600_001n, 3, ['binance:BTCUSDT', 'coinbase:BTC-USD', 'okx:BTC-USDT']]);
    assert.equal(oh.server('bybit').requests, bybitAsked);
    await h.untilIndex(1, 600_001);

    // Reopened on the same store: the same sources.
    const again = await IndexSources.open({ markets: DEFAULT_MARKETS, sim, oracle, exchange: h.exchange, store, clock: oh.clock });
    assert.deepEqual(again.choiceOf(1), t.choiceOf(1));
    assert.equal((await h.call('GET', path, { token: VIEWER })).body.minSources, 2);

    // An oracle whose file no longer configures okx: the stored choice is dropped, the market starts from the file's sources.
    narrower = await OracleHarness.start({ venues: ['binance', 'coinbase', 'bybit'] });
    const dropped = await IndexSources.open({ markets: DEFAULT_MARKETS, sim, oracle: narrower.oracle, exchange: h.exchange, store, clock: oh.clock });
    assert.deepEqual(dropped.choiceOf(1), { source: 'oracle' });
    assert.equal(narrower.oracle.sourcesOf('BTC-PERP').length, 3);

    // Back to the file's sources: all four again.
    assert.equal((await h.call('PUT', path, { token: ADMIN, body: { source: 'oracle' } })).status, 200);
    const [back] = await oracle.runCycle();
    assert.deepEqual([back!.indexTicks, back!.samples.length], [600_006n, 4]);
  } finally {
    await h.close();
    await oh.close();
    await narrower?.close();
  }
});
