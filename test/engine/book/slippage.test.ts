import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { defaultMarketLimit } from '../../../engine/book/slippage.js';
import { MarketSpec } from '../../../engine/market/spec.js';
import { CONTRACT_SPEC } from './contract/harness.js';

const wide = new MarketSpec({ ...CONTRACT_SPEC, maxPriceTicks: Number.MAX_SAFE_INTEGER, maxQtyLots: 1, marketSlippageBps: 1 });

test('a buy limit adds the slippage distance rounded up', () => {
  assert.equal(defaultMarketLimit(CONTRACT_SPEC, Side.BUY, 1_000), 1_050);
  assert.equal(defaultMarketLimit(CONTRACT_SPEC, Side.BUY, 1_001), 1_052);
});

test('a sell limit subtracts the slippage distance rounded up', () => {
  assert.equal(defaultMarketLimit(CONTRACT_SPEC, Side.SELL, 1_001), 950);
});

test('a sell limit never goes below one tick', () => {
  assert.equal(defaultMarketLimit(CONTRACT_SPEC, Side.SELL, 1), 1);
});

test('a buy limit is capped at maxPriceTicks', () => {
  assert.equal(defaultMarketLimit(CONTRACT_SPEC, Side.BUY, 999_990), 1_000_000);
});

test('prices past 2^39 ticks use exact integer arithmetic', () => {
  // 1 bp of 2^50 + 1 ticks, rounded up, computed here in bigint.
  const best = 2 ** 50 + 1;
  const d = Number((BigInt(best) + 9_999n) / 10_000n);
  assert.equal(defaultMarketLimit(wide, Side.SELL, best), best - d);
  assert.equal(defaultMarketLimit(wide, Side.BUY, best), best + d);
});
