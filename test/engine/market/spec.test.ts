import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { Rounding } from '../../../engine/market/decimal.js';
import { DEFAULT_MARKETS, MarketSpec, type MarketConfig } from '../../../engine/market/spec.js';

const btc = new MarketSpec(DEFAULT_MARKETS[0]!);

test('prices and quantities convert on the market grid', () => {
  assert.deepEqual(btc.priceToTicks('60900.1'), { ok: true, units: 609001n });
  assert.deepEqual(btc.qtyToLots('0.25'), { ok: true, units: 250n });
  assert.equal(btc.ticksToPrice(609001), '60900.1');
  assert.equal(btc.lotsToQty(250), '0.250');
});

test('off-grid values get their own codes', () => {
  assert.deepEqual(btc.priceToTicks('60900.15'), { ok: false, code: Code.PRICE_NOT_ON_TICK });
  assert.deepEqual(btc.qtyToLots('0.0005'), { ok: false, code: Code.QTY_NOT_ON_LOT });
});

test('out-of-range values are refused after conversion', () => {
  assert.deepEqual(btc.priceToTicks('0'), { ok: false, code: Code.PRICE_OUT_OF_RANGE });
  assert.deepEqual(btc.priceToTicks('10000000.1'), { ok: false, code: Code.PRICE_OUT_OF_RANGE });
  assert.deepEqual(btc.qtyToLots('0.000', Rounding.EXACT), { ok: false, code: Code.QTY_BELOW_MIN });
  assert.deepEqual(btc.qtyToLots('1000.001'), { ok: false, code: Code.QTY_ABOVE_MAX });
});

test('notional in collateral atoms is exact: 0.1 USDT tick times 0.001 BTC lot is 100 atoms', () => {
  assert.equal(btc.atomsPerTickLot, 100n);
  // 2.5 BTC at 60,000.0 USDT = 150,000 USDT = 150,000,000,000 atoms
  assert.equal(btc.notionalAtoms(600_000, 2_500), 150_000_000_000n);
});

test('the band admits prices within the bps distance of the reference and nothing beyond', () => {
  // band 10% around 600,000 ticks: [540,000, 660,000]
  assert.ok(btc.withinBand(660_000, 600_000));
  assert.ok(btc.withinBand(540_000, 600_000));
  assert.ok(!btc.withinBand(660_001, 600_000));
  assert.ok(!btc.withinBand(539_999, 600_000));
  assert.ok(btc.withinBand(1, 0), 'no reference yet admits all');
});

test('the band check stays exact above 2^39 ticks', () => {
  const raw = new MarketSpec({ ...DEFAULT_MARKETS[0]!, tickSize: '0.00000001', lotSize: '0.00000001', collateralDecimals: 16, maxPriceTicks: 2 ** 52, maxQtyLots: 1_000_000, maxOrders: 1_000 });
  const ref = 6_094_035_136_398;
  const edge = ref + Math.floor((ref * 1_000) / 10_000);
  assert.ok(raw.withinBand(edge, ref));
  assert.ok(!raw.withinBand(edge + 1, ref));
});

test('a market whose tick times lot is finer than one atom is refused', () => {
  const bad: MarketConfig = { ...DEFAULT_MARKETS[0]!, tickSize: '0.0001', lotSize: '0.0001' };
  assert.throws(() => new MarketSpec(bad), /finer than one collateral atom/);
});

test('limits that could overflow a level total are refused', () => {
  assert.throws(() => new MarketSpec({ ...DEFAULT_MARKETS[0]!, maxQtyLots: 2 ** 40, maxOrders: 2 ** 20 }), /2\^53/);
});

test('bad identifiers and ranges are configuration errors', () => {
  assert.throws(() => new MarketSpec({ ...DEFAULT_MARKETS[0]!, symbol: 'btc perp' }), RangeError);
  assert.throws(() => new MarketSpec({ ...DEFAULT_MARKETS[0]!, marketId: 70_000 }), RangeError);
  assert.throws(() => new MarketSpec({ ...DEFAULT_MARKETS[0]!, minQtyLots: 0 }), RangeError);
});
