// The oracle's config file: the example parses to what it says, and every kind of mistake is an error
// that names the field.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { loadOracleConfig, OracleConfigError, parseOracleConfig } from '../../../gateway/oracle/config.js';
import { repoRoot } from '../../support/paths.js';

const base = () => ({ version: 1, markets: [{ market: 'BTC-PERP', sources: [{ venue: 'binance', symbol: 'BTCUSDT' }, { venue: 'okx', symbol: 'BTC-USDT' }, { venue: 'kraken', symbol: 'XBTUSD' }] }] });

test('the example config parses, with defaults filled in', () => {
  const c = loadOracleConfig(join(repoRoot(), 'config', 'oracle.example.json'), DEFAULT_MARKETS);
  assert.equal(c.cadenceMs, 1_000);
  assert.equal(c.collectMs, 400);
  assert.deepEqual([...c.venues.keys()], ['binance', 'bybit', 'coinbase', 'kraken', 'okx']);
  assert.equal(c.venues.get('kraken')!.baseUrl, 'https://api.kraken.com');
  assert.equal(c.venues.get('kraken')!.retries, 2);
  const btc = c.markets[0]!;
  assert.deepEqual([btc.marketId, btc.params.minSources, btc.params.stalenessUs, btc.params.maxDeviationRate], [1, 3, 10_000_000, 5_000_000n]);
  const eth = c.markets[1]!;
  assert.deepEqual(eth.sources[5], { kind: 'mqtt', topic: 'perpx/v1/feeds/ETH-PERP/desk', weight: 2n });
  assert.deepEqual(eth.sources[0], { kind: 'http', venue: 'binance', symbol: 'ETHUSDT', weight: 1n, field: 'mid' });
});

test('a bad config names the field that is wrong', () => {
  // Each case edits a valid config the way a person might get it wrong.
  const cases: [string, (c: any) => void, RegExp][] = [
    ['version', (c) => (c.version = 2), /^oracle config: version must be 1/],
    ['collectMs', (c) => Object.assign(c, { cadenceMs: 500, collectMs: 500 }), /collectMs must be an integer in \[1, 499\]/],
    ['markets[0].market', (c) => (c.markets[0].market = 'DOGE-PERP'), /markets\[0\]\.market must be a listed market/],
    ['markets[0].sources[1].weight', (c) => (c.markets[0].sources[1].weight = -1), /markets\[0\]\.sources\[1\]\.weight must be an integer in \[1, 1000000\], got -1/],
    ['markets[0].sources[2].venue', (c) => (c.markets[0].sources[2].venue = 'ftx'), /markets\[0\]\.sources\[2\]\.venue must be one of binance, coinbase, kraken, okx, bybit, got "ftx"/],
    ['markets[0].sources[0].price', (c) => (c.markets[0].sources[0].price = 'vwap'), /sources\[0\]\.price must be "mid" or "last"/],
    ['markets[0].sources[2]', (c) => (c.markets[0].sources[2] = { venue: 'binance', symbol: 'BTCUSDT' }), /markets\[0\]\.sources\[2\] repeats binance BTCUSDT/],
    ['markets[0].minSources', (c) => (c.markets[0].minSources = 4), /markets\[0\]\.minSources must be an integer in \[1, 3\]/],
    ['markets[0].stalenessMs', (c) => (c.markets[0].stalenessMs = '10s'), /markets\[0\]\.stalenessMs must be an integer/],
    ['venues.binance.baseUrl', (c) => (c.venues = { binance: { baseUrl: 'ftp://x' } }), /venues\.binance\.baseUrl must be an http\(s\) origin/],
    ['venues.binance.retryMaxMs', (c) => (c.venues = { binance: { retryBaseMs: 100, retryMaxMs: 50 } }), /venues\.binance\.retryMaxMs must be at least retryBaseMs/],
    ['venues.deribit', (c) => (c.venues = { deribit: {} }), /venues\.deribit is not a known venue/],
    ['markets[0].sources[0].mqtt', (c) => (c.markets[0].sources[0] = { mqtt: 'feeds/#' }), /sources\[0\]\.mqtt must be an MQTT topic without wildcards/],
    ['markets[0].sourcez', (c) => (c.markets[0].sourcez = []), /markets\[0\]\.sourcez is not a known field/],
    ['markets', (c) => (c.markets = []), /markets must be a non-empty array/],
  ];
  for (const [field, change, message] of cases) {
    const c = base();
    change(c);
    assert.throws(() => parseOracleConfig(c, DEFAULT_MARKETS), (e: unknown) => e instanceof OracleConfigError && e.field === field && message.test(e.message), field);
  }
});

test('a file that is not JSON, or is wrong, names the file too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-oracle-'));
  writeFileSync(join(dir, 'broken.json'), '{"version": 1,');
  assert.throws(() => loadOracleConfig(join(dir, 'broken.json'), DEFAULT_MARKETS), /oracle config: \(file\) .*broken\.json is not readable JSON/);
  writeFileSync(join(dir, 'wrong.json'), JSON.stringify({ ...base(), cadenceMs: 5 }));
  assert.throws(() => loadOracleConfig(join(dir, 'wrong.json'), DEFAULT_MARKETS), /cadenceMs must be an integer in \[100, 3600000\], got 5 \(in .*wrong\.json\)/);
});
