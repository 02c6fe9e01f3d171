// Each venue adapter reads the venue's real format (the Binance recording, the others' documented
// examples) served from a local HTTP server through the venue's undici pool, and its price becomes ticks
// once, with the stated rounding.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { positiveDecimal } from '../../../engine/market/decimal.js';
import { VENUE_ADAPTERS } from '../../../gateway/oracle/adapters/index.js';
import { isoToUs } from '../../../gateway/oracle/adapters/coinbase.js';
import { PriceField, quoteToTicks } from '../../../gateway/oracle/quote-ticks.js';
import { VenueClient } from '../../../gateway/oracle/venue-client.js';
import { BadBodyError } from '../../../gateway/oracle/venue-quote.js';
import { binanceRecordings, fixtureBody, type VenueName } from '../../support/venue-bodies.js';
import { VenueServer } from '../../support/venue-server.js';

const servers: VenueServer[] = [];
const clients: VenueClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(servers.map((s) => s.close()));
});

async function fetchFixture(venue: VenueName, symbol: string, body = fixtureBody(venue)) {
  const server = await VenueServer.start({ body });
  servers.push(server);
  const client = new VenueClient({ baseUrl: server.url, connections: 1, timeoutMs: 2_000, retries: 0, retryBaseMs: 1, retryMaxMs: 1, maxBodyBytes: 1 << 20 });
  clients.push(client);
  const adapter = VENUE_ADAPTERS.get(venue)!;
  const answer = await client.getJson(adapter.path(symbol));
  return { quote: adapter.parse(answer.body, symbol), server, adapter };
}

test('Binance: the recorded depth gives the top of book and the transaction time', async () => {
  const { quote, server } = await fetchFixture('binance', 'SUSHIUSDT');
  assert.deepEqual(quote, { bid: '7.6110', ask: '7.6120', venueTimeUs: 1_626_992_741_261_000 });
  assert.equal(server.paths[0], '/api/v3/depth?symbol=SUSHIUSDT&limit=5');
  // mid 7.6115 on a 0.001 grid is a tie: half to even, 7.612
  assert.equal(quoteToTicks(quote, PriceField.MID, positiveDecimal('0.001', 't'), 'binance'), 7_612n);
  assert.equal(quoteToTicks(quote, PriceField.MID, positiveDecimal('0.0001', 't'), 'binance'), 76_115n);
});

test('Binance: every recorded symbol parses', async () => {
  for (const [symbol, body] of binanceRecordings()) {
    const { quote } = await fetchFixture('binance', symbol, body);
    assert.ok(quote.bid && quote.ask && quote.venueTimeUs! > 1_626_992_000_000_000, symbol);
  }
});

test('Coinbase: the documented ticker gives bid, ask, last and a µs time', async () => {
  const { quote, server } = await fetchFixture('coinbase', 'BTC-USD');
  assert.deepEqual(quote, { bid: '333.98', ask: '333.99', last: '333.99', venueTimeUs: Date.UTC(2015, 10, 14, 20, 46, 3) * 1000 + 511_254 });
  assert.equal(server.paths[0], '/products/BTC-USD/ticker');
  // mid 333.985 → 3,339.85 ticks of 0.1 → 3,340; last 333.99 → 3,339.9 → 3,340
  assert.equal(quoteToTicks(quote, PriceField.MID, positiveDecimal('0.1', 't'), 'coinbase'), 3_340n);
  assert.equal(quoteToTicks(quote, PriceField.MID, positiveDecimal('0.01', 't'), 'coinbase'), 33_398n);
});

test('Kraken: the documented ticker is found under its own pair name', async () => {
  const { quote, server } = await fetchFixture('kraken', 'XBTUSD');
  assert.deepEqual(quote, { ask: '30300.10000', bid: '30300.00000', last: '30303.20000' });
  assert.equal(server.paths[0], '/0/public/Ticker?pair=XBTUSD');
  assert.equal(quoteToTicks(quote, PriceField.LAST, positiveDecimal('0.1', 't'), 'kraken'), 303_032n);
});

test('OKX: the documented ticker gives bid, ask, last and ts', async () => {
  const { quote, server } = await fetchFixture('okx', 'BTC-USD-SWAP');
  assert.deepEqual(quote, { bid: '8888.88', ask: '9999.99', last: '9999.99', venueTimeUs: 1_597_026_383_085_000 });
  assert.equal(server.paths[0], '/api/v5/market/ticker?instId=BTC-USD-SWAP');
});

test('Bybit: the documented spot ticker gives bid, ask, last and the answer time', async () => {
  const { quote, server } = await fetchFixture('bybit', 'BTCUSDT');
  assert.deepEqual(quote, { bid: '20517.96', ask: '20527.77', last: '20533.13', venueTimeUs: 1_673_859_087_947_000 });
  assert.equal(server.paths[0], '/v5/market/tickers?category=spot&symbol=BTCUSDT');
  // mid 20,522.865 → 205,228.65 ticks of 0.1 → 205,229
  assert.equal(quoteToTicks(quote, PriceField.MID, positiveDecimal('0.1', 't'), 'bybit'), 205_229n);
});

test('an answer each venue marks as an error, or a body of another shape, is a BadBodyError', () => {
  const bad: [VenueName, unknown][] = [
    ['binance', { code: -1121, msg: 'Invalid symbol.' }],
    ['binance', { lastUpdateId: 1, bids: [], asks: [['1', '1']] }],
    ['coinbase', { message: 'NotFound' }],
    ['kraken', { error: ['EQuery:Unknown asset pair'] }],
    ['kraken', { error: [], result: { A: {}, B: {} } }],
    ['okx', { code: '51001', msg: 'Instrument ID does not exist', data: [] }],
    ['bybit', { retCode: 10001, retMsg: 'params error', result: {}, time: 1 }],
    ['bybit', { retCode: 0, retMsg: 'OK', result: { list: [{ bid1Price: 1 }] }, time: 1 }],
  ];
  for (const [venue, body] of bad) assert.throws(() => VENUE_ADAPTERS.get(venue)!.parse(body, 'X'), BadBodyError, `${venue} ${JSON.stringify(body)}`);
  for (const venue of VENUE_ADAPTERS.keys()) for (const body of [null, 'text', 42, []]) assert.throws(() => VENUE_ADAPTERS.get(venue)!.parse(body, 'X'), BadBodyError);
});

test('a price that is no number, not positive or beyond the market is refused, never rounded into range', () => {
  const tick = positiveDecimal('0.1', 't');
  assert.throws(() => quoteToTicks({ last: '1e5' }, PriceField.LAST, tick, 'v'), BadBodyError);
  assert.throws(() => quoteToTicks({ last: '0.04' }, PriceField.LAST, tick, 'v'), BadBodyError);
  assert.throws(() => quoteToTicks({ last: '-1' }, PriceField.LAST, tick, 'v'), BadBodyError);
  assert.throws(() => quoteToTicks({ last: '10000001' }, PriceField.LAST, tick, 'v', 100_000_000n), BadBodyError);
  assert.throws(() => quoteToTicks({ bid: '1' }, PriceField.MID, tick, 'v'), BadBodyError);
  // 0.05 is half a tick: to even is 0, which is no price; 0.15 is 1.5 ticks: to even is 2
  assert.throws(() => quoteToTicks({ last: '0.05' }, PriceField.LAST, tick, 'v'), BadBodyError);
  assert.equal(quoteToTicks({ last: '0.15' }, PriceField.LAST, tick, 'v'), 2n);
});

test('ISO times keep their microseconds', () => {
  assert.equal(isoToUs('2015-11-14T20:46:03.511254Z', 'v', 't') % 1_000_000, 511_254);
  assert.equal(isoToUs('2015-11-14T20:46:03Z', 'v', 't') % 1_000_000, 0);
  assert.equal(isoToUs('2015-11-14T20:46:03.5Z', 'v', 't') % 1_000_000, 500_000);
  assert.throws(() => isoToUs('2015-11-14 20:46:03', 'v', 't'), BadBodyError);
});
