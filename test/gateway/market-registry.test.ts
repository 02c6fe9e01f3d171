// The gateway's market registry: configured markets first, listed ones added (each subscriber told once,
// in order), ids and symbols unique, the live id set and the sorted list follow every addition, and a
// recovered exchange's listing bytes add their markets.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeListing } from '../../engine/market/listing.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { MarketRegistry, registryOf } from '../../gateway/markets/market-registry.js';
import { testListing } from '../support/listing.js';

const SOL = testListing(7, 'SOL-PERP').market;
const DOGE = testListing(3, 'DOGE-PERP').market;

test('configured markets are there from the start, sorted by id; a listed one is added, announced and marked listed', () => {
  const r = new MarketRegistry([DEFAULT_MARKETS[1]!, DEFAULT_MARKETS[0]!]);
  assert.deepEqual(r.list().map((m) => m.symbol), ['BTC-PERP', 'ETH-PERP']);
  const ids = r.ids;
  const heard: string[][] = [[], []];
  r.onAdd((m) => heard[0]!.push(m.symbol));
  const stop = r.onAdd((m) => heard[1]!.push(m.symbol));
  assert.ok(r.add(SOL));
  stop();
  assert.ok(r.add(DOGE));
  assert.deepEqual(r.list().map((m) => m.marketId), [1, 2, 3, 7]);
  assert.deepEqual(heard, [['SOL-PERP', 'DOGE-PERP'], ['SOL-PERP']], 'each subscriber once per market, none after its removal');
  assert.ok(ids.has(7) && ids.has(3), 'the id set given out before grows with the registry');
  assert.equal(r.size, 4);
  assert.equal(r.bySymbolOf('SOL-PERP')?.marketId, 7);
  assert.equal(r.get(3)?.symbol, 'DOGE-PERP');
  assert.deepEqual([r.isListed(1), r.isListed(7)], [false, true]);
});

test('a taken id or symbol adds nothing and tells nobody', () => {
  const r = new MarketRegistry(DEFAULT_MARKETS);
  let told = 0;
  r.onAdd(() => told++);
  assert.equal(r.add({ ...SOL, marketId: 1 }), false);
  assert.equal(r.add({ ...SOL, symbol: 'BTC-PERP' }), false);
  assert.ok(r.add(SOL));
  assert.equal(r.add(SOL), false);
  assert.equal(told, 1);
  assert.deepEqual(r.list().map((m) => m.symbol), ['BTC-PERP', 'ETH-PERP', 'SOL-PERP']);
  assert.throws(() => new MarketRegistry([DEFAULT_MARKETS[0]!, DEFAULT_MARKETS[0]!]), /configured twice/);
});

test("a recovered exchange's listings add their markets once; bytes that are not a listing are refused", () => {
  const r = new MarketRegistry(DEFAULT_MARKETS);
  const listed = [{ listing: encodeListing(testListing(7, 'SOL-PERP')) }, { listing: encodeListing(testListing(3, 'DOGE-PERP')) }];
  assert.equal(r.addListings(listed), 2);
  assert.equal(r.addListings(listed), 0, 'a market the registry holds is passed by');
  assert.deepEqual(r.list().map((m) => [m.marketId, m.symbol, m.tickSize]), [[1, 'BTC-PERP', '0.1'], [2, 'ETH-PERP', '0.01'], [3, 'DOGE-PERP', '0.1'], [7, 'SOL-PERP', '0.1']]);
  assert.throws(() => r.addListings([{ listing: new TextEncoder().encode('{}') }]), /does not decode/);
});

test('registryOf shares a registry and wraps a list', () => {
  const r = new MarketRegistry(DEFAULT_MARKETS);
  assert.equal(registryOf(r), r);
  assert.deepEqual(registryOf(DEFAULT_MARKETS).list().map((m) => m.marketId), [1, 2]);
});
