import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { testSeed } from '../support/seed.js';
import {
  bankruptcyPrice,
  crossLiquidationPrice,
  isolatedLiquidationPrice,
  liquidationNotionalInTier,
  liquidationPrice,
} from '../../risk/liquidation-price.js';
import { isolatedMargin } from '../../risk/margin.js';
import type { Position } from '../../risk/position.js';
import { DEFAULT_TIERS, maintenanceMarginAtoms, marginTierIndexOf, tierIndexOf } from '../../risk/tiers.js';
import { ceilRational, RATE_ONE } from '../../risk/units.js';
import { BTC, btc, btcTicks, usdt } from './markets.js';

const A = BTC.atomsPerTickLot;

function btcPosition(qtyLots: bigint, entryUsdt: bigint): Position {
  return { qtyLots, entryCostAtoms: (qtyLots < 0n ? -qtyLots : qtyLots) * btcTicks(entryUsdt) * A };
}

// Long 1 BTC at 60,000 (N = 60,000: tier 2) with 12,000 USDT isolated margin (5x).
// Tier 1 (MMR 1%, cum 0):   12,000 + X − 60,000 = 1%·X            → X = 48,000/0.99 = 48,484.8484…  (in tier 1: kept)
// Tier 2 (MMR 2%, cum 500): 12,000 + X − 60,000 = 2%·X − 500      → X = 47,500/0.98 = 48,469.3877…  (not in tier 2)
// LP = 48,484.8484… rounded up to the tick: 48,484.9.
const tierDrop = btcPosition(btc(1n), 60_000n);
const tierDropMargin = usdt(12_000n);

test('a long\'s liquidation price is solved in the lower tier its own notional falls in', () => {
  const lp = isolatedLiquidationPrice(tierDrop, tierDropMargin, A, DEFAULT_TIERS)!;
  assert.equal(lp.priceTicks, 484_849n);
  assert.equal(lp.tierIndex, 0);
  assert.equal(tierIndexOf(DEFAULT_TIERS, usdt(60_000n)), 1); // the entry tier
});

test('solving in the entry tier instead gives a different price at which the position is already liquidatable', () => {
  const wrong = liquidationNotionalInTier(tierDrop, tierDropMargin, 0n, DEFAULT_TIERS[1]!);
  // 48,469.3877… → 48,469.4 when rounded up like a long's LP
  const wrongTicks = ceilRational({ num: wrong.num, den: wrong.den * btc(1n) * A });
  assert.equal(wrongTicks, 484_694n);
  // At 48,480.0, above the wrong LP: equity 12,000 + 48,480 − 60,000 = 480 ≤ MM 484.8 — liquidatable all the same.
  const at = isolatedMargin(tierDropMargin, { ...tierDrop, markTicks: 484_800n, atomsPerTickLot: A, tiers: DEFAULT_TIERS, leverage: 5n })!;
  assert.ok(484_800n > wrongTicks);
  assert.equal(at.equityAtoms, usdt(480n));
  assert.equal(at.maintenanceAtoms, 484_800_000n);
  assert.equal(at.liquidatable, true);
});

test('a short\'s liquidation price rounds down to the tick', () => {
  // short 1 BTC at 60,000 with 6,000: tier 2: 6,000 + 60,000 − X = 2%·X − 500 → X = 66,500/1.02 = 65,196.078…
  // (tier 1 would give 66,000/1.01 = 65,346.5, not in tier 1). LP 65,196.0: there equity 804 > MM 803.92;
  // at 65,196.1 equity 803.9 ≤ MM 803.922.
  const lp = isolatedLiquidationPrice(btcPosition(-btc(1n), 60_000n), usdt(6_000n), A, DEFAULT_TIERS)!;
  assert.equal(lp.priceTicks, 651_960n);
  assert.equal(lp.tierIndex, 1);
});

test('an over-collateralised long has no liquidation price', () => {
  // long 1 BTC at 60,000 with 61,000: equity > MM at every positive price
  assert.equal(isolatedLiquidationPrice(btcPosition(btc(1n), 60_000n), usdt(61_000n), A, DEFAULT_TIERS), undefined);
});

test('a flat position has neither a liquidation nor a bankruptcy price', () => {
  assert.equal(liquidationPrice({ qtyLots: 0n, entryCostAtoms: 0n }, usdt(1n), 0n, A, DEFAULT_TIERS), undefined);
  assert.equal(bankruptcyPrice({ qtyLots: 0n, entryCostAtoms: 0n }, usdt(1n), A), undefined);
});

test('a cross position\'s liquidation price holds the rest of the account at its marks', () => {
  // WB 20,000; short 10 ETH (UPnL −1,000, MM 310 at its mark) held fixed; long 1 BTC at 60,000:
  // 20,000 − 1,000 + X − 60,000 = 310 + 1%·X → X = 41,310/0.99 = 41,727.2727… (tier 1) → LP 41,727.3.
  // At 41,727.3: equity 727.3 > MM 417.273 + 310; at 41,727.2: 727.2 ≤ 727.272.
  const lp = crossLiquidationPrice(btcPosition(btc(1n), 60_000n), usdt(20_000n), -usdt(1_000n), usdt(310n), A, DEFAULT_TIERS)!;
  assert.equal(lp.priceTicks, 417_273n);
  assert.equal(lp.tierIndex, 0);
});

test('an isolated long\'s bankruptcy price is EP − M_iso/Q', () => {
  // long 1 BTC at 60,000 with 5,000: BP 55,000
  assert.equal(bankruptcyPrice(btcPosition(btc(1n), 60_000n), usdt(5_000n), A)!.priceTicks, btcTicks(55_000n));
});

test('a long\'s bankruptcy price rounds up so a sale at BP leaves equity ≥ 0', () => {
  // long 3 lots (0.003 BTC) at 60,000, cost 180 USDT, M_iso 1 USDT: BP = 179/0.003 = 59,666.66… → 59,666.7.
  // Selling 3 lots at 596,667 ticks: 179,000,100 atoms → equity +100 atoms; at 596,666: −200 atoms.
  const bp = bankruptcyPrice(btcPosition(3n, 60_000n), usdt(1n), A)!;
  assert.equal(bp.priceTicks, 596_667n);
  assert.equal(usdt(1n) + 3n * 596_667n * A - usdt(180n), 100n);
});

test('a short\'s bankruptcy price rounds down so a purchase at BP leaves equity ≥ 0', () => {
  // short 3 lots at 60,000 with 1 USDT: BP = 181/0.003 = 60,333.33… → 60,333.3
  assert.equal(bankruptcyPrice(btcPosition(-3n, 60_000n), usdt(1n), A)!.priceTicks, 603_333n);
});

test('a cross short whose account is under water at any price has a bankruptcy price ≤ 0', () => {
  // short 1 BTC at 60,000; WB 1,000 and other positions −62,000: no purchase price keeps equity ≥ 0
  assert.ok(bankruptcyPrice(btcPosition(-btc(1n), 60_000n), usdt(1_000n) - usdt(62_000n), A)!.priceTicks <= 0n);
});

test('at the displayed LP equity ≥ MM within one tick of notional, and one tick further the scope is liquidatable (I12)', () => {
  const seed = testSeed('risk/liquidation-price I12');
  fc.assert(
    fc.property(
      fc.oneof(fc.bigInt({ min: 1n, max: btc(2n) }), fc.bigInt({ min: 1n, max: btc(400n) })),
      fc.boolean(),
      fc.bigInt({ min: btcTicks(100n), max: btcTicks(200_000n) }),
      fc.bigInt({ min: -50n, max: 150n }),
      fc.bigInt({ min: 0n, max: usdt(100_000n) }),
      (lots, long, entryTicks, collateralPct, otherMm) => {
        const pos: Position = { qtyLots: long ? lots : -lots, entryCostAtoms: lots * entryTicks * A };
        // collateral from −50% to 150% of the entry notional: every tier gets its share of cases
        const collateral = (pos.entryCostAtoms * collateralPct) / 100n;
        const lp = liquidationPrice(pos, collateral, otherMm, A, DEFAULT_TIERS);
        if (lp === undefined || lp.priceTicks < 2n) return;
        const equity = (p: bigint): bigint => collateral + (long ? lots * p * A - pos.entryCostAtoms : pos.entryCostAtoms - lots * p * A);
        const mm = (p: bigint): bigint => otherMm + maintenanceMarginAtoms(DEFAULT_TIERS, lots * p * A);
        const at = lp.priceTicks;
        const beyond = long ? at - 1n : at + 1n;
        assert.ok(equity(at) >= mm(at));
        const mmr = DEFAULT_TIERS[lp.tierIndex]!.mmrRate;
        assert.ok((equity(at) - mm(at)) * RATE_ONE <= lots * A * (RATE_ONE + mmr));
        assert.ok(equity(beyond) <= mm(beyond));
        // the exact LP's own notional lies in the reported tier
        const exactNotional = { num: lp.exactTicks.num * lots * A, den: lp.exactTicks.den };
        assert.equal(marginTierIndexOf(DEFAULT_TIERS, ceilRational(exactNotional)), lp.tierIndex);
      },
    ),
    { seed },
  );
});

test('a liquidation fill at the bankruptcy price never leaves negative equity, one tick worse does', () => {
  const seed = testSeed('risk/liquidation-price BP');
  fc.assert(
    fc.property(
      fc.bigInt({ min: 1n, max: btc(400n) }),
      fc.boolean(),
      fc.bigInt({ min: 1n, max: btcTicks(200_000n) }),
      fc.bigInt({ min: 0n, max: usdt(5_000_000n) }),
      (lots, long, entryTicks, collateral) => {
        const pos: Position = { qtyLots: long ? lots : -lots, entryCostAtoms: lots * entryTicks * A };
        const bp = bankruptcyPrice(pos, collateral, A)!.priceTicks;
        const equity = (p: bigint): bigint => collateral + (long ? lots * p * A - pos.entryCostAtoms : pos.entryCostAtoms - lots * p * A);
        if (bp < 2n) return;
        assert.ok(equity(bp) >= 0n);
        assert.ok(equity(long ? bp - 1n : bp + 1n) < 0n);
      },
    ),
    { seed },
  );
});
