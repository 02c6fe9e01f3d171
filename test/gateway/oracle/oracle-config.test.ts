// The oracle's config file: the example parses to what it says, and every kind of mistake is an error
// that names the field.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { loadOracleConfig, OracleConfigError, parseOracleConfig, venueSourcesOf } from '../../../gateway/oracle/config.js';
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
    ['markets[0].market', (c) => (c.markets[0].market = 'DOGE-PERP'), /markets\[0\]\.market must be a configured market .*got "DOGE-PERP"; a market listed at run time gets its sources with PUT/],
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
    ['markets', (c) => (c.markets = []), /markets must name a market, or venues must name a venue/],
    ['markets', (c) => (c.markets = { market: 'BTC-PERP' }), /markets must be an array/],
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

// A market listed at run time (not one of DEFAULT_MARKETS): the file cannot name it, an operator can.
const SOL = { ...DEFAULT_MARKETS[1]!, marketId: 3, symbol: 'SOL-PERP', tickSize: '0.01' };

test('a file may name venues only: each venue it names is kept (its adapter, base URL and limits) for sources an operator names at run time', () => {
  const c = parseOracleConfig({ version: 1, venues: { okx: { baseUrl: 'http://127.0.0.1:9', retries: 0 }, binance: {} } }, DEFAULT_MARKETS);
  assert.deepEqual(c.markets, []);
  assert.deepEqual([...c.venues.keys()], ['binance', 'okx']);
  assert.deepEqual([c.venues.get('okx')!.baseUrl, c.venues.get('okx')!.retries, c.venues.get('binance')!.baseUrl], ['http://127.0.0.1:9', 0, 'https://api.binance.com']);
  // A venue named by the file but priced by none of its markets is kept beside those the markets use.
  const both = parseOracleConfig({ ...base(), venues: { coinbase: {} } }, DEFAULT_MARKETS);
  assert.deepEqual([...both.venues.keys()], ['binance', 'coinbase', 'kraken', 'okx']);
});

test("an operator's venue sources: a market's settings from the file's venues, each fault naming its field", () => {
  const config = parseOracleConfig({ ...base(), venues: { coinbase: {} } }, DEFAULT_MARKETS);
  const s = venueSourcesOf({ sources: { 'binance:SOLUSDT': 1, 'okx:SOL-USDT': 2, 'coinbase:SOL-USD': 1 }, minSources: 2, stalenessMs: 5_000 }, config, SOL);
  assert.deepEqual([s.marketId, s.symbol, s.tick, s.params.minSources, s.params.stalenessUs, s.params.maxDeviationRate], [3, 'SOL-PERP', { mantissa: 1n, scale: 2 }, 2, 5_000_000, 5_000_000n]);
  assert.deepEqual(s.sources, [
    { kind: 'http', venue: 'binance', symbol: 'SOLUSDT', weight: 1n, field: 'mid' },
    { kind: 'http', venue: 'okx', symbol: 'SOL-USDT', weight: 2n, field: 'mid' },
    { kind: 'http', venue: 'coinbase', symbol: 'SOL-USD', weight: 1n, field: 'mid' },
  ]);
  assert.equal(venueSourcesOf({ sources: { 'binance:SOLUSDT': 1, 'okx:SOL-USDT': 1, 'kraken:SOLUSD': 1 } }, config, SOL).params.minSources, 3, 'the file\'s default minSources');
  const three = { 'binance:SOLUSDT': 1, 'okx:SOL-USDT': 1, 'coinbase:SOL-USD': 1 };
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['sources', {}, /sources must be a non-empty object of "venue:SYMBOL" to integer weight/],
    ['sources', { sources: {} }, /sources must be a non-empty object/],
    ['sources', { sources: ['binance:SOLUSDT'] }, /sources must be a non-empty object/],
    ['sources["bybit:SOLUSDT"]', { sources: { ...three, 'bybit:SOLUSDT': 1 } }, /must name a venue the --oracle file configures \(binance, coinbase, kraken, okx\) as "venue:SYMBOL", got venue "bybit"/],
    ['sources["ftx:SOLUSDT"]', { sources: { 'ftx:SOLUSDT': 1 } }, /must name a venue the --oracle file configures/],
    ['sources["SOLUSDT"]', { sources: { SOLUSDT: 1 } }, /must be "venue:SYMBOL"/],
    ['sources["okx:SOL USDT"].symbol', { sources: { ...three, 'okx:SOL USDT': 1 } }, /symbol must be the venue's symbol/],
    ['sources["okx:"].symbol', { sources: { 'okx:': 1 } }, /symbol must be the venue's symbol/],
    ['sources["okx:SOL-USDT"].weight', { sources: { ...three, 'okx:SOL-USDT': 0 } }, /weight must be an integer in \[1, 1000000\], got 0/],
    ['sources["okx:SOL-USDT"].weight', { sources: { ...three, 'okx:SOL-USDT': 1.5 } }, /weight must be an integer/],
    ['sources["okx:SOL-USDT"].weight', { sources: { ...three, 'okx:SOL-USDT': '1' } }, /weight must be an integer/],
    ['minSources', { sources: { 'binance:SOLUSDT': 1, 'okx:SOL-USDT': 1 } }, /minSources must be an integer in \[1, 2\], got undefined/],
    ['minSources', { sources: three, minSources: 4 }, /minSources must be an integer in \[1, 3\], got 4/],
    ['maxDeviationBps', { sources: three, maxDeviationBps: 0 }, /maxDeviationBps must be an integer in \[1, 10000\]/],
    ['weights', { sources: three, weights: [1] }, /weights is not a known field/],
  ];
  for (const [field, body, message] of cases) {
    assert.throws(() => venueSourcesOf(body, config, SOL), (e: unknown) => e instanceof OracleConfigError && e.field === field && message.test(e.message), `${field} ${JSON.stringify(body)}`);
  }
});
