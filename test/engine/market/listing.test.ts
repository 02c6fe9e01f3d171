// The listing's byte form (engine/market/listing.ts): one listing, one byte form; every field checked
// and named when refused; no input throws.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkListing, decodeListing, encodeListing, MAX_LISTING_BYTES, type MarketListing } from '../../../engine/market/listing.js';
import { below, rng, testSeed } from '../../support/seed.js';
import { testListing } from '../../support/listing.js';

const SOL = testListing(7, 'SOL-PERP');
const encoder = new TextEncoder();

function fault(r: ReturnType<typeof decodeListing>): { field: string; message: string } {
  assert.equal(r.ok, false, 'refused');
  return r as { field: string; message: string };
}

test('a listing decodes from its bytes to the same listing, and encodes back to the same bytes', () => {
  const bytes = encodeListing(SOL);
  const r = decodeListing(bytes);
  assert.ok(r.ok);
  assert.deepEqual(encodeListing(r.listing), bytes);
  assert.equal(r.spec.symbol, 'SOL-PERP');
  assert.equal(r.tiers.length, SOL.risk.tiers.length);
});

test('bytes that are not the canonical form (spacing, another key order) are refused, though they say the same', () => {
  const json = JSON.parse(new TextDecoder().decode(encodeListing(SOL))) as Record<string, unknown>;
  assert.equal(fault(decodeListing(encoder.encode(JSON.stringify(json, null, 1)))).message, 'is not in canonical form');
  const reordered = { risk: json.risk, market: json.market, pricing: json.pricing };
  assert.equal(fault(decodeListing(encoder.encode(JSON.stringify(reordered)))).message, 'is not in canonical form');
});

test('a field out of its range is refused naming the field', () => {
  const cases: [MarketListing, string][] = [
    [{ ...SOL, market: { ...SOL.market, symbol: 'sol perp' } }, 'market.symbol'],
    [{ ...SOL, market: { ...SOL.market, marketId: 0 } }, 'market.marketId'],
    [{ ...SOL, market: { ...SOL.market, minQtyLots: 10, maxQtyLots: 5 } }, 'market.minQtyLots'],
    [{ ...SOL, market: { ...SOL.market, priceBandBps: 10_001 } }, 'market.priceBandBps'],
    [{ ...SOL, market: { ...SOL.market, tickSize: '0.1e3' } }, 'market.tickSize'],
    [{ ...SOL, pricing: { ...SOL.pricing, fundingIntervalUs: 0 } }, 'pricing.fundingIntervalUs'],
    [{ ...SOL, pricing: { ...SOL.pricing, markBandRate: 0n } }, 'pricing.markBandRate'],
    [{ ...SOL, pricing: { ...SOL.pricing, funding: { ...SOL.pricing.funding, hardCapRate: -1n } } }, 'pricing.funding.hardCapRate'],
    [{ ...SOL, risk: { ...SOL.risk, tiers: [] } }, 'risk.tiers'],
    [{ ...SOL, risk: { ...SOL.risk, tiers: [{ ...SOL.risk.tiers[0]!, mmrRate: 0n }] } }, 'risk.tiers[0].mmrRate'],
    [{ ...SOL, risk: { ...SOL.risk, defaultLeverage: 51n } }, 'risk.defaultLeverage'],
  ];
  for (const [listing, field] of cases) {
    const r = checkListing(listing);
    assert.equal(r.ok, false, field);
    assert.equal((r as { field: string }).field, field);
    assert.equal(fault(decodeListing(encodeListing(listing))).field, field, 'the shards refuse the bytes the same way');
  }
});

test('tiers the tier rules refuse (MMR above IMR) are refused as risk.tiers', () => {
  const tiers = [{ ...SOL.risk.tiers[0]!, mmrRate: SOL.risk.tiers[0]!.imrRate + 1n }];
  assert.equal(fault(decodeListing(encodeListing({ ...SOL, risk: { ...SOL.risk, tiers } }))).field, 'risk.tiers');
});

test('a spec MarketSpec refuses (a tick·lot finer than one atom) is refused as market', () => {
  const r = checkListing({ ...SOL, market: { ...SOL.market, tickSize: '0.0001', lotSize: '0.0001' } });
  assert.equal(r.ok, false);
  assert.equal((r as { field: string }).field, 'market');
});

test('an unknown field, a missing one, and a field of the wrong type are refused naming it', () => {
  const json = JSON.parse(new TextDecoder().decode(encodeListing(SOL))) as { market: Record<string, unknown> };
  const withExtra = { ...json, market: { ...json.market, colour: 'red' } };
  assert.equal(fault(decodeListing(encoder.encode(JSON.stringify(withExtra)))).field, 'market.colour');
  const { symbol: _, ...missing } = json.market;
  assert.equal(fault(decodeListing(encoder.encode(JSON.stringify({ ...json, market: missing })))).field, 'market.symbol');
  assert.equal(fault(decodeListing(encoder.encode(JSON.stringify({ ...json, market: { ...json.market, maxOrders: '7' } })))).field, 'market.maxOrders');
});

test('empty, oversized, non-UTF-8 and non-JSON bytes are refused without a throw', () => {
  assert.equal(fault(decodeListing(new Uint8Array(0))).field, 'listing');
  assert.equal(fault(decodeListing(new Uint8Array(MAX_LISTING_BYTES + 1))).field, 'listing');
  assert.equal(fault(decodeListing(Uint8Array.of(0xff, 0xfe))).message, 'is not UTF-8 JSON');
  assert.equal(fault(decodeListing(encoder.encode('{"market":'))).message, 'is not UTF-8 JSON');
  assert.equal(fault(decodeListing(encoder.encode('[1,2]'))).field, 'listing');
});

test('random corruption of a listing\'s bytes never throws, and whatever is accepted re-encodes to those bytes', () => {
  const r = rng(testSeed('listing corruption'));
  const good = encodeListing(SOL);
  for (let i = 0; i < 2_000; i++) {
    const b = Uint8Array.from(good);
    const flips = 1 + below(r, 4);
    for (let k = 0; k < flips; k++) b[below(r, b.length)] = below(r, 256);
    const out = decodeListing(b);
    if (out.ok) assert.deepEqual(encodeListing(out.listing), b);
  }
});
