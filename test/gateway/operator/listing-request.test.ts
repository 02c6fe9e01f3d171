// POST /operator/markets's body read into a listing (gateway/operator/listing-request.ts): defaults for
// what the operator leaves out, every wrong field refused by name through the shards' own reader, a taken
// id or symbol refused 409, and the placement rule.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeListing } from '../../../engine/market/listing.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { listingFromRequest, marketShardForListing } from '../../../gateway/operator/listing-request.js';
import { DEFAULT_TIER_ROWS } from '../../../risk/tiers.js';

const SOL = { symbol: 'SOL-PERP', tickSize: '0.001', lotSize: '0.1' };

function refusal(body: unknown): { status: number; field: string; message: string } {
  const r = listingFromRequest(body, DEFAULT_MARKETS);
  assert.equal(r.ok, false, `refused: ${JSON.stringify(body)}`);
  return r as { status: number; field: string; message: string };
}

test('a body with only the symbol and the price and size steps lists a market with the documented defaults', () => {
  const r = listingFromRequest({ market: SOL }, DEFAULT_MARKETS);
  assert.ok(r.ok, r.ok ? '' : r.message);
  const m = r.listing.market;
  assert.equal(m.marketId, 3, 'the lowest id no market holds');
  assert.deepEqual([m.symbol, m.baseAsset, m.quoteAsset, m.tickSize, m.lotSize], ['SOL-PERP', 'SOL', 'USDT', '0.001', '0.1']);
  assert.equal(m.collateralDecimals, DEFAULT_MARKETS[0]!.collateralDecimals);
  assert.equal(m.maxOrders, 1 << 16);
  assert.deepEqual(r.listing.risk.tiers, DEFAULT_TIER_ROWS);
  assert.equal(r.listing.risk.defaultLeverage, 20n);
  assert.equal(r.listing.pricing.fundingIntervalUs, 8 * 3_600_000_000);
});

test('a field the operator gives overrides its default, and a funding field alone keeps the others', () => {
  const r = listingFromRequest({ market: { ...SOL, marketId: 40, maxQtyLots: 5_000 }, pricing: { funding: { capRate: '100000' } }, risk: { defaultLeverage: '5' } }, DEFAULT_MARKETS);
  assert.ok(r.ok, r.ok ? '' : r.message);
  assert.equal(r.listing.market.marketId, 40);
  assert.equal(r.listing.market.maxQtyLots, 5_000);
  assert.equal(r.listing.pricing.funding.capRate, 100_000n);
  const plain = listingFromRequest({ market: SOL }, DEFAULT_MARKETS);
  assert.ok(plain.ok);
  assert.equal(r.listing.pricing.funding.hardCapRate, plain.listing.pricing.funding.hardCapRate);
  assert.equal(r.listing.risk.defaultLeverage, 5n);
});

test('the listing read from a body is the one its canonical bytes hold', () => {
  const r = listingFromRequest({ market: SOL }, DEFAULT_MARKETS);
  assert.ok(r.ok);
  const again = listingFromRequest(JSON.parse(new TextDecoder().decode(encodeListing(r.listing))), DEFAULT_MARKETS);
  assert.ok(again.ok, again.ok ? '' : again.message);
  assert.deepEqual(encodeListing(again.listing), encodeListing(r.listing));
});

test('every field of the listing given a wrong type is refused 400 naming that field', () => {
  const r = listingFromRequest({ market: SOL }, DEFAULT_MARKETS);
  assert.ok(r.ok);
  const canonical = JSON.parse(new TextDecoder().decode(encodeListing(r.listing))) as Record<string, Record<string, unknown>>;
  let checked = 0;
  for (const section of ['market', 'pricing', 'risk'] as const) {
    for (const k of Object.keys(canonical[section]!)) {
      const body = { market: { ...SOL }, [section]: { ...(section === 'market' ? SOL : {}), [k]: true } };
      const f = refusal(body);
      assert.equal(f.status, 400);
      assert.equal(f.field, `${section}.${k}`, `${section}.${k}: ${f.message}`);
      checked++;
    }
  }
  for (const k of ['interestRate', 'premiumClampRate', 'capRate', 'hardCapRate']) assert.equal(refusal({ market: SOL, pricing: { funding: { [k]: 1 } } }).field, `pricing.funding.${k}`);
  for (const k of ['hiNotionalAtoms', 'maxLeverage', 'imrRate', 'mmrRate']) {
    const tiers = DEFAULT_TIER_ROWS.map((t) => ({ hiNotionalAtoms: String(t.hiNotionalAtoms), maxLeverage: String(t.maxLeverage), imrRate: String(t.imrRate), mmrRate: String(t.mmrRate) }));
    assert.equal(refusal({ market: SOL, risk: { tiers: tiers.map((t, i) => (i === 1 ? { ...t, [k]: '0' } : t)) } }).field, `risk.tiers[1].${k}`);
  }
  assert.ok(checked >= 14 + 9 + 3, `every field tried (${checked})`);
});

test('values out of range and rules across fields are refused naming the field', () => {
  const cases: [unknown, string][] = [
    [{ market: { ...SOL, symbol: 'sol perp' } }, 'market.symbol'],
    [{ market: { ...SOL, tickSize: '-1' } }, 'market.tickSize'],
    [{ market: { ...SOL, marketId: 0 } }, 'market.marketId'],
    [{ market: { ...SOL, minQtyLots: 9, maxQtyLots: 3 } }, 'market.minQtyLots'],
    [{ market: { ...SOL, quoteAsset: 'usd' } }, 'market.quoteAsset'],
    [{ market: SOL, pricing: { sampleIntervalUs: 9 * 3_600_000_000 } }, 'pricing.sampleIntervalUs'],
    [{ market: SOL, risk: { tiers: [] } }, 'risk.tiers'],
    [{ market: SOL, risk: { defaultLeverage: '1000' } }, 'risk.defaultLeverage'],
  ];
  for (const [body, field] of cases) assert.equal(refusal(body).field, field, JSON.stringify(body));
});

test('a missing required field, a missing or ill-shaped section, or a field no listing has is refused 400 by name', () => {
  for (const k of ['symbol', 'tickSize', 'lotSize'] as const) {
    const market: Record<string, unknown> = { ...SOL };
    delete market[k];
    assert.equal(refusal({ market }).field, `market.${k}`);
  }
  assert.equal(refusal({}).field, 'market');
  assert.equal(refusal([SOL]).field, 'listing');
  assert.equal(refusal(null).field, 'listing');
  assert.equal(refusal({ market: 'SOL-PERP' }).field, 'market');
  assert.equal(refusal({ market: SOL, pricing: [] }).field, 'pricing');
  assert.equal(refusal({ market: SOL, pricing: { funding: 3 } }).field, 'pricing.funding');
  assert.equal(refusal({ market: SOL, risk: 'none' }).field, 'risk');
  assert.equal(refusal({ market: { ...SOL, leverage: 5 } }).field, 'market.leverage');
  assert.equal(refusal({ market: SOL, fees: {} }).field, 'fees');
  assert.equal(refusal({ market: SOL, toString: 1 }).field, 'toString');
  assert.equal(refusal(JSON.parse(`{"market": ${JSON.stringify(SOL)}, "__proto__": {}}`)).field, '__proto__');
  assert.equal(refusal({ market: JSON.parse(`{"symbol": "SOL-PERP", "tickSize": "0.1", "lotSize": "1", "__proto__": {}}`) }).field, 'market.__proto__');
  assert.equal(refusal({ market: { ...SOL, baseAsset: 'x'.repeat(6_000) } }).field, 'listing');
});

test('a symbol or an id some market holds is refused 409 naming the field', () => {
  const bySymbol = refusal({ market: { ...SOL, symbol: 'ETH-PERP' } });
  assert.deepEqual([bySymbol.status, bySymbol.field], [409, 'market.symbol']);
  const byId = refusal({ market: { ...SOL, marketId: 1 } });
  assert.deepEqual([byId.status, byId.field], [409, 'market.marketId']);
});

test('a new market goes to the market shard holding the fewest, the lowest index on ties', () => {
  assert.equal(marketShardForListing([1]), 0);
  assert.equal(marketShardForListing([2, 1, 1]), 1);
  assert.equal(marketShardForListing([1, 1, 0]), 2);
  assert.equal(marketShardForListing([3, 3, 3]), 0);
});
