import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { testSeed } from '../support/seed.js';
import { Side } from '../../engine/enums.js';
import { planSweep } from '../../engine/shard/sweep-plan.js';
import { insuranceBudgetAtoms, settleFullClose, stepDownCloseLots, SurplusPolicy } from '../../risk/liquidation.js';
import { bankruptcyPrice } from '../../risk/liquidation-price.js';
import { adlPriceTicks } from '../../risk/shard/liquidation-prices.js';
import type { Position } from '../../risk/position.js';
import { DEFAULT_TIERS } from '../../risk/tiers.js';
import { RATE_PERCENT } from '../../risk/units.js';
import { BTC, btc, btcTicks, usdt } from './markets.js';

const A = BTC.atomsPerTickLot;

function btcPosition(qtyLots: bigint, entryUsdt: bigint): Position {
  return { qtyLots, entryCostAtoms: (qtyLots < 0n ? -qtyLots : qtyLots) * btcTicks(entryUsdt) * A };
}

test('step-down closes enough to fit under the next lower tier\'s cap', () => {
  // long 100 BTC marked 30,000: N 3,000,000 (tier 4). Tier 3's cap 1,000,000 holds 33.333 BTC (999,990):
  // close 66.667 BTC
  assert.equal(stepDownCloseLots(btcPosition(btc(100n), 30_000n), btcTicks(30_000n), A, DEFAULT_TIERS), 66_667n);
});

test('step-down from tier 2 targets tier 1\'s cap of 50,000', () => {
  // long 2 BTC marked 60,000: keep 0.833 BTC (49,980), close 1.167 BTC
  assert.equal(stepDownCloseLots(btcPosition(btc(2n), 60_000n), btcTicks(60_000n), A, DEFAULT_TIERS), 1_167n);
});

test('step-down above the top tier targets the top tier\'s cap', () => {
  // short 400 BTC marked 60,000: N 24,000,000; keep 333.333 BTC (19,999,980), close 66.667 BTC
  assert.equal(stepDownCloseLots(btcPosition(-btc(400n), 60_000n), btcTicks(60_000n), A, DEFAULT_TIERS), 66_667n);
});

test('step-down has nothing to do in tier 1 and nothing to say without a mark', () => {
  assert.equal(stepDownCloseLots(btcPosition(btc(1n), 40_000n), btcTicks(40_000n), A, DEFAULT_TIERS), 0n);
  assert.equal(stepDownCloseLots(btcPosition(btc(1n), 40_000n), 0n, A, DEFAULT_TIERS), undefined);
});

test('the insurance budget is the smaller of the fund and the per-event cap, never negative', () => {
  assert.equal(insuranceBudgetAtoms(usdt(1_000n), usdt(500n)), usdt(500n));
  assert.equal(insuranceBudgetAtoms(usdt(300n), usdt(500n)), usdt(300n));
  assert.equal(insuranceBudgetAtoms(-5n, usdt(500n)), 0n);
});

// Long 1 BTC at 60,000 with 1,000 USDT isolated margin: BP 59,000.
const long1 = btcPosition(btc(1n), 60_000n);
const margin1 = usdt(1_000n);

// Fills 0.5 at 59,500 and 0.5 at 59,100: proceeds 59,300, equity after 1,000 + 59,300 − 60,000 = 300 (surplus).
const surplusFills = { bookLots: btc(1n), bookNotionalAtoms: usdt(59_300n), adlLots: 0n, adlPriceTicks: 0n };

test('CAPPED_FEE gives the IF no more than the surplus', () => {
  // 1% of 59,300 = 593 > 300: the IF takes 300, the trader keeps 0
  const s = settleFullClose(long1, margin1, A, surplusFills, SurplusPolicy.CAPPED_FEE, RATE_PERCENT, usdt(1_000n))!;
  assert.deepEqual(s, { equityAfterAtoms: usdt(300n), insuranceFeeAtoms: usdt(300n), traderKeepsAtoms: 0n, insuranceCostAtoms: 0n, uncoveredLossAtoms: 0n });
});

test('CAPPED_FEE refunds the trader what the fee leaves of the surplus', () => {
  // 0.5% of 59,300 = 296.5: the trader keeps 3.5
  const s = settleFullClose(long1, margin1, A, surplusFills, SurplusPolicy.CAPPED_FEE, RATE_PERCENT / 2n, usdt(1_000n))!;
  assert.equal(s.insuranceFeeAtoms, 296_500_000n);
  assert.equal(s.traderKeepsAtoms, 3_500_000n);
});

test('ALL_TO_IF gives the whole surplus to the IF', () => {
  const s = settleFullClose(long1, margin1, A, surplusFills, SurplusPolicy.ALL_TO_IF, RATE_PERCENT / 2n, usdt(1_000n))!;
  assert.equal(s.insuranceFeeAtoms, usdt(300n));
  assert.equal(s.traderKeepsAtoms, 0n);
});

// The walk above: 0.5 at 59,200 + 0.4 at 58,500 + 0.1 by ADL at 59,000 = 29,600 + 23,400 + 5,900 = 58,900;
// equity after 1,000 + 58,900 − 60,000 = −100.
const shortfallFills = { bookLots: 900n, bookNotionalAtoms: usdt(53_000n), adlLots: 100n, adlPriceTicks: btcTicks(59_000n) };

test('the IF pays a shortfall within its budget and the scope ends at zero', () => {
  const s = settleFullClose(long1, margin1, A, shortfallFills, SurplusPolicy.CAPPED_FEE, RATE_PERCENT, usdt(100n))!;
  assert.deepEqual(s, { equityAfterAtoms: -usdt(100n), insuranceFeeAtoms: 0n, traderKeepsAtoms: 0n, insuranceCostAtoms: usdt(100n), uncoveredLossAtoms: 0n });
});

test('a shortfall beyond the IF budget is reported as uncovered', () => {
  const s = settleFullClose(long1, margin1, A, shortfallFills, SurplusPolicy.CAPPED_FEE, RATE_PERCENT, usdt(60n))!;
  assert.equal(s.insuranceCostAtoms, usdt(60n));
  assert.equal(s.uncoveredLossAtoms, usdt(40n));
});

test('fills that do not close the whole position cannot be settled as a full close', () => {
  assert.equal(settleFullClose(long1, margin1, A, { ...surplusFills, bookLots: 999n }, SurplusPolicy.CAPPED_FEE, RATE_PERCENT, 0n), undefined);
});

test('a sweep planned at the rounded bankruptcy price never costs the IF more than its budget and leaves no loss uncovered', () => {
  const seed = testSeed('risk/liquidation budget');
  fc.assert(
    fc.property(
      fc.bigInt({ min: 1n, max: btc(50n) }),
      fc.boolean(),
      fc.bigInt({ min: btcTicks(50_000n), max: btcTicks(70_000n) }),
      fc.bigInt({ min: 0n, max: 20n }),
      fc.array(fc.tuple(fc.bigInt({ min: 1n, max: btcTicks(2_000n) }), fc.bigInt({ min: 1n, max: btc(20n) })), { maxLength: 8 }),
      fc.bigInt({ min: 0n, max: usdt(50_000n) }),
      (lots, long, entryTicks, marginPct, steps, budget) => {
        const pos: Position = { qtyLots: long ? lots : -lots, entryCostAtoms: lots * entryTicks * A };
        const collateral = (pos.entryCostAtoms * marginPct) / 100n;
        // levels worsen from the entry price outward, as a book side does
        let p = entryTicks;
        const levels = steps.map(([gap, qty]) => {
          p = long ? p - gap : p + gap;
          return { priceTicks: p > 0n ? p : 1n, qtyLots: qty };
        });
        // What the risk shard sends: BP rounded toward the fund; ADL at that BP, at least one tick.
        const bp = bankruptcyPrice(pos, collateral, A)!.priceTicks;
        const order = { side: long ? Side.SELL : Side.BUY, qtyLots: lots, bankruptcyPriceTicks: bp, budgetAtoms: budget, atomsPerTickLot: A };
        const band = (p: number): boolean => (long ? BigInt(p) * 10n >= entryTicks * 9n : BigInt(p) * 10n <= entryTicks * 11n);
        const swept = planSweep(order, levels.map((l) => ({ priceTicks: Number(l.priceTicks), qtyLots: Number(l.qtyLots) })), band);
        const plan = { bookLots: swept.lots, adlLots: lots - swept.lots, adlPriceTicks: adlPriceTicks(bp) };
        assert.ok(swept.costAtoms <= budget);
        let left = plan.bookLots;
        let notional = 0n;
        for (const l of levels) {
          const k = l.qtyLots < left ? l.qtyLots : left;
          notional += k * l.priceTicks * A;
          left -= k;
        }
        const fills = { bookLots: plan.bookLots, bookNotionalAtoms: notional, adlLots: plan.adlLots, adlPriceTicks: plan.adlPriceTicks };
        const s = settleFullClose(pos, collateral, A, fills, SurplusPolicy.CAPPED_FEE, RATE_PERCENT, budget)!;
        assert.equal(s.uncoveredLossAtoms, 0n);
        assert.ok(s.insuranceCostAtoms <= budget);
        assert.equal(s.traderKeepsAtoms + s.insuranceFeeAtoms - s.insuranceCostAtoms, s.equityAfterAtoms);
        assert.ok(s.traderKeepsAtoms >= 0n && s.insuranceFeeAtoms >= 0n);
      },
    ),
    { seed },
  );
});
