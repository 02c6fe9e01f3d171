import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adlPriceTicks, clampToBand, liquidationBand, stepDownLimitTicks } from '../../../risk/shard/liquidation-prices.js';
import { RATE_PERCENT } from '../../../risk/units.js';
import { BTC, btcTicks, usdt } from '../markets.js';

const A = BTC.atomsPerTickLot;
const wide = liquidationBand(btcTicks(59_500n), 50n * RATE_PERCENT);

test('the band rounds inward: its low edge up, its high edge down', () => {
  // 10% around 59,500.3 (595,003 ticks): 535,502.7 → 535,503 and 654,503.3 → 654,503
  assert.deepEqual(liquidationBand(595_003n, 10n * RATE_PERCENT), { loTicks: 535_503n, hiTicks: 654_503n });
});

test('the band never reaches below one tick', () => {
  assert.equal(liquidationBand(5n, 100n * RATE_PERCENT).loTicks, 1n);
});

test('a closing limit is pulled inside the band, and is refused when it lies beyond the far edge', () => {
  const band = { loTicks: 100n, hiTicks: 200n };
  assert.equal(clampToBand(true, 50n, band), 100n);
  assert.equal(clampToBand(true, 150n, band), 150n);
  assert.equal(clampToBand(true, 250n, band), undefined);
  assert.equal(clampToBand(false, 250n, band), 200n);
  assert.equal(clampToBand(false, 50n, band), undefined);
});

test('the step-down limit is BP rounded toward safety', () => {
  // 0.3 BTC at cost 18,000 with 250: (18,000 − 250)/0.3 = 59,166.67 → long up to 591,667; short down from
  // (18,000 + 250)/0.3 = 60,833.33 to 608,333
  const collateral = usdt(250n);
  assert.equal(stepDownLimitTicks({ qtyLots: 300n, entryCostAtoms: usdt(18_000n) }, collateral, A, wide), 591_667n);
  assert.equal(stepDownLimitTicks({ qtyLots: -300n, entryCostAtoms: usdt(18_000n) }, collateral, A, wide), 608_333n);
});

test('ADL happens at BP, never below one tick', () => {
  assert.equal(adlPriceTicks(590_000n), 590_000n);
  assert.equal(adlPriceTicks(0n), 1n);
  assert.equal(adlPriceTicks(-40n), 1n);
});
