// MarketListings against a scripted exchange: what it offers (the whole group, once, to the shard with the
// fewest markets), that it answers only once every risk shard and the owner said MarketListed, and every
// other way a call ends: a shard's refusal, back-pressure and a halted exchange (nothing offered or
// reserved), the timeout (the listing stays reserved and still lands), shutdown while waiting, two calls
// for one symbol at once, and the most markets the exchange holds.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { decodeListing, MAX_MARKETS } from '../../../engine/market/listing.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { encodeRecord } from '../../../engine/ring/layouts/index.js';
import { ListedBy, MarketListedLayout } from '../../../engine/ring/layouts/market-listed.js';
import { OrderRejectedLayout } from '../../../engine/ring/layouts/order-rejected.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { RecordType } from '../../../engine/ring/types.js';
import { ListingAssembly } from '../../../engine/shard/listing-assembly.js';
import { MarketRegistry } from '../../../gateway/markets/market-registry.js';
import { MarketListings, type ListingExchange } from '../../../gateway/operator/market-listings.js';
import { testListing } from '../../support/listing.js';

const SOL = { market: { symbol: 'SOL-PERP', tickSize: '0.01', lotSize: '0.1' } };

/** An exchange of 2 market shards (BTC on 0, ETH on 1) and 2 risk shards that records what it is offered. */
function scripted(o: { take?: () => boolean } = {}) {
  const offered: { requestId: number; marketId: number; shard: number; bytes: Uint8Array }[] = [];
  const owners = new Map([[1, 0], [2, 1]]);
  const x: ListingExchange & { halted: boolean; flushes: number } = {
    halted: false,
    failure: undefined,
    journalFailure: undefined,
    flushes: 0,
    offerListing(buf, at, count) {
      if (this.halted || !(o.take?.() ?? true)) return false;
      const a = new ListingAssembly();
      let done;
      for (let i = 0; i < count; i++) done = a.take(buf, at + i * 128, 0).complete;
      assert.ok(done, 'the whole group, in order');
      offered.push({ requestId: done.requestId, marketId: done.marketId, shard: done.shard, bytes: done.data });
      return true;
    },
    flush() {
      this.flushes++;
    },
    topology: { marketShards: 2, riskShards: 2, marketShardOf: (id: number) => owners.get(id) ?? -1 },
  };
  return { x, offered, owners };
}

const rec = RecordBuffer.allocate(1);
function listed(l: MarketListings, requestId: number, marketId: number, by: number, byShard: number): void {
  encodeRecord(rec, 0, MarketListedLayout, { marketId, timeUs: 1 }, { requestId, shard: 0, by, byShard, markets: 3 });
  l.listener(rec, 0);
}
function rejected(l: MarketListings, requestId: number, code: number): void {
  encodeRecord(rec, 0, OrderRejectedLayout, { marketId: 3, timeUs: 1 }, { orderId: requestId, code, commandType: RecordType.ListMarket });
  l.listener(rec, 0);
}
const tick = () => new Promise((r) => setImmediate(r));

test('a listing is offered whole to the emptiest shard and answered once every risk shard and the owner listed it', async () => {
  const { x, offered } = scripted();
  const markets = new MarketRegistry(DEFAULT_MARKETS);
  const l = new MarketListings({ exchange: () => x, markets, nowUs: () => 5 });
  let settled = false;
  const call = l.create(SOL).then((r) => ((settled = true), r));
  await tick();
  assert.equal(offered.length, 1);
  const o = offered[0]!;
  assert.equal(x.flushes, 1);
  assert.deepEqual([o.marketId, o.shard], [3, 0], 'the lowest free id, on the lowest of the shards with fewest markets');
  const c = decodeListing(o.bytes);
  assert.ok(c.ok && c.listing.market.symbol === 'SOL-PERP');
  listed(l, o.requestId, 3, ListedBy.RISK_SHARD, 0);
  listed(l, o.requestId, 3, ListedBy.MARKET_SHARD, 1); // not the owner: does not count
  listed(l, o.requestId, 3, ListedBy.RISK_SHARD, 0); // a repeat: does not count twice
  listed(l, o.requestId, 3, ListedBy.MARKET_SHARD, 0);
  await tick();
  assert.equal(settled, false, 'risk shard 1 has not answered');
  assert.equal(markets.has(3), false, 'not open to traders before every answer');
  listed(l, o.requestId, 3, ListedBy.RISK_SHARD, 1);
  const r = await call;
  assert.ok(r.ok);
  assert.deepEqual([r.spec.symbol, r.shard], ['SOL-PERP', 0]);
  assert.equal(markets.bySymbolOf('SOL-PERP')?.marketId, 3);
  assert.equal(l.inFlight, 0);
  assert.deepEqual(await l.create(SOL), { ok: false, status: 409, code: Code.MARKET_EXISTS, field: 'market.symbol', message: 'market.symbol SOL-PERP (market 3) exists' });
});

test("a shard's refusal is the answer, with the shard's code; nothing is listed", async () => {
  const { x, offered } = scripted();
  const markets = new MarketRegistry(DEFAULT_MARKETS);
  const l = new MarketListings({ exchange: () => x, markets, nowUs: () => 5 });
  const call = l.create(SOL);
  await tick();
  rejected(l, offered[0]!.requestId + 1, Code.INVALID_MARKET_SPEC); // another request's: not this one
  rejected(l, offered[0]!.requestId, Code.INVALID_MARKET_SPEC);
  const r = await call;
  assert.deepEqual(r.ok ? undefined : [r.status, r.code], [422, Code.INVALID_MARKET_SPEC]);
  assert.equal(markets.size, 2);
  assert.equal(l.inFlight, 0);
  // A shard that died on the listing answers it SHARD_FAILED: 503, like any command of a halted exchange.
  const died = l.create(SOL);
  await tick();
  rejected(l, offered[1]!.requestId, Code.SHARD_FAILED);
  const d = await died;
  assert.deepEqual(d.ok ? undefined : [d.status, d.code], [503, Code.SHARD_FAILED]);
});

test('back-pressure, a stopping and a halted exchange refuse with 503 before anything is offered or reserved; a starting one 409', async () => {
  let take = false;
  const { x, offered } = scripted({ take: () => take });
  let up = false;
  const markets = new MarketRegistry(DEFAULT_MARKETS);
  const l = new MarketListings({ exchange: () => (up ? x : undefined), markets, nowUs: () => 5 });
  const starting = await l.create(SOL);
  assert.deepEqual(starting.ok ? undefined : [starting.status, starting.code], [409, Code.OPERATOR_UNAVAILABLE]);
  up = true;
  const busy = await l.create(SOL);
  assert.deepEqual(busy.ok ? undefined : [busy.status, busy.code], [503, Code.BACK_PRESSURE]);
  x.halted = true;
  const stopping = await l.create(SOL);
  assert.deepEqual(stopping.ok ? undefined : [stopping.status, stopping.code], [503, Code.OPERATOR_UNAVAILABLE], 'halted with no failure: stopping');
  x.journalFailure = new Error('disk full');
  const halted = await l.create(SOL);
  assert.deepEqual(halted.ok ? undefined : [halted.status, halted.code], [503, Code.SHARD_FAILED]);
  x.journalFailure = undefined;
  assert.deepEqual([offered.length, l.inFlight, markets.size], [0, 0, 2]);
  x.halted = false;
  take = true;
  const call = l.create(SOL);
  await tick();
  assert.equal(offered[0]!.marketId, 3, 'the refused calls reserved no id');
  for (const [by, s] of [[ListedBy.RISK_SHARD, 0], [ListedBy.RISK_SHARD, 1], [ListedBy.MARKET_SHARD, 0]] as const) listed(l, offered[0]!.requestId, 3, by, s);
  assert.ok((await call).ok);
});

test('a timeout answers 504 and keeps the listing reserved; its late answers still list it', async () => {
  const { x, offered } = scripted();
  const markets = new MarketRegistry(DEFAULT_MARKETS);
  const l = new MarketListings({ exchange: () => x, markets, nowUs: () => 5, timeoutMs: 1 });
  const r = await l.create(SOL);
  assert.deepEqual(r.ok ? undefined : [r.status, r.code], [504, Code.OPERATOR_TIMEOUT]);
  assert.equal(l.inFlight, 1);
  const again = await l.create(SOL);
  assert.deepEqual(again.ok ? undefined : [again.status, again.code, again.field], [409, Code.MARKET_EXISTS, 'market.symbol'], 'reserved while unanswered');
  const other = l.create({ market: { ...SOL.market, symbol: 'DOGE-PERP' } });
  await tick();
  assert.equal(offered[1]!.marketId, 4, 'the reserved id is not given again');
  assert.equal(offered[1]!.shard, 1, "the reserved listing counts on its shard's side");
  for (const [by, s] of [[ListedBy.RISK_SHARD, 0], [ListedBy.RISK_SHARD, 1], [ListedBy.MARKET_SHARD, 0]] as const) listed(l, offered[0]!.requestId, 3, by, s);
  assert.equal(markets.bySymbolOf('SOL-PERP')?.marketId, 3, 'listed when its answers came');
  await other;
});

test('shutdown while waiting answers at once (outcome unknown) and takes no more', async () => {
  const { x } = scripted();
  const l = new MarketListings({ exchange: () => x, markets: new MarketRegistry(DEFAULT_MARKETS), nowUs: () => 5, timeoutMs: 60_000 });
  const call = l.create(SOL);
  await tick();
  l.close();
  const r = await call;
  assert.deepEqual(r.ok ? undefined : [r.status, r.code], [504, Code.OPERATOR_TIMEOUT]);
  const after = await l.create({ market: { ...SOL.market, symbol: 'DOGE-PERP' } });
  assert.deepEqual(after.ok ? undefined : [after.status, after.code], [503, Code.OPERATOR_UNAVAILABLE]);
});

test('two calls for one symbol at once: the first lists it, the second finds it taken', async () => {
  const { x, offered } = scripted();
  const markets = new MarketRegistry(DEFAULT_MARKETS);
  const l = new MarketListings({ exchange: () => x, markets, nowUs: () => 5 });
  const a = l.create(SOL);
  const b = l.create(SOL);
  await tick();
  assert.equal(offered.length, 1, 'the second waits for the first');
  for (const [by, s] of [[ListedBy.RISK_SHARD, 0], [ListedBy.RISK_SHARD, 1], [ListedBy.MARKET_SHARD, 0]] as const) listed(l, offered[0]!.requestId, 3, by, s);
  const [ra, rb] = await Promise.all([a, b]);
  assert.ok(ra.ok);
  assert.deepEqual(rb.ok ? undefined : [rb.status, rb.code], [409, Code.MARKET_EXISTS]);
  assert.equal(offered.length, 1);
});

test('an exchange holding the most markets refuses another (TOO_MANY_MARKETS) without offering it', async () => {
  const { x, offered } = scripted();
  const markets = new MarketRegistry(DEFAULT_MARKETS);
  for (let id = 3; id <= MAX_MARKETS; id++) assert.ok(markets.add(testListing(id, `M${id}-PERP`).market));
  const l = new MarketListings({ exchange: () => x, markets, nowUs: () => 5 });
  const r = await l.create(SOL);
  assert.deepEqual(r.ok ? undefined : [r.status, r.code], [409, Code.TOO_MANY_MARKETS]);
  assert.equal(offered.length, 0);
});
