import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { testSeed } from '../support/seed.js';
import {
  crossMargin,
  initialMarginAtoms,
  isolatedMargin,
  marginRatioRate,
  unrealizedPnlAtoms,
  type MarkedPosition,
} from '../../risk/margin.js';
import { DEFAULT_TIERS } from '../../risk/tiers.js';
import { RATE_ONE, RATE_PERCENT } from '../../risk/units.js';
import { BTC, btc, btcTicks, ETH, usdt } from './markets.js';

const A = BTC.atomsPerTickLot;

function btcPosition(qtyLots: bigint, entryUsdt: bigint, markUsdt: bigint, leverage = 10n): MarkedPosition {
  const lots = qtyLots < 0n ? -qtyLots : qtyLots;
  return {
    qtyLots,
    entryCostAtoms: lots * btcTicks(entryUsdt) * A,
    markTicks: btcTicks(markUsdt),
    atomsPerTickLot: A,
    tiers: DEFAULT_TIERS,
    leverage,
  };
}

test('UPnL is q·(MP − EP): a long loses and a short gains when the mark falls', () => {
  // 2 BTC at 60,000, mark 58,000: ∓4,000
  const long = btcPosition(btc(2n), 60_000n, 58_000n);
  const short = btcPosition(-btc(2n), 60_000n, 58_000n);
  assert.equal(unrealizedPnlAtoms(long, long.markTicks, A), -usdt(4_000n));
  assert.equal(unrealizedPnlAtoms(short, short.markTicks, A), usdt(4_000n));
});

test('IM is N over the leverage, capped by the tier\'s maximum', () => {
  // N = 116,000 (tier 2, 25x max): 10x → 11,600; 50x is capped at 25x → 4,640
  assert.equal(initialMarginAtoms(DEFAULT_TIERS, usdt(116_000n), 10n), usdt(11_600n));
  assert.equal(initialMarginAtoms(DEFAULT_TIERS, usdt(116_000n), 50n), usdt(4_640n));
});

test('an isolated long whose equity fell below MM is liquidatable', () => {
  // long 2 BTC at 60,000 with 5,000 USDT isolated margin, mark 58,000:
  // N = 116,000 (tier 2), MM = 116,000·2% − 500 = 1,820; equity = 5,000 − 4,000 = 1,000 ≤ 1,820;
  // margin ratio 1,820/1,000 = 182%
  const m = isolatedMargin(usdt(5_000n), btcPosition(btc(2n), 60_000n, 58_000n))!;
  assert.equal(m.equityAtoms, usdt(1_000n));
  assert.equal(m.maintenanceAtoms, usdt(1_820n));
  assert.equal(m.liquidatable, true);
  assert.equal(m.marginRatioRate, 182n * RATE_PERCENT);
});

test('the same isolated long at 59,500 is healthy', () => {
  // N = 119,000, MM = 2,380 − 500 = 1,880; equity = 5,000 − 1,000 = 4,000; ratio 47%
  const m = isolatedMargin(usdt(5_000n), btcPosition(btc(2n), 60_000n, 59_500n))!;
  assert.equal(m.maintenanceAtoms, usdt(1_880n));
  assert.equal(m.liquidatable, false);
  assert.equal(m.marginRatioRate, 47n * RATE_PERCENT);
});

test('liquidation is inclusive: equity exactly equal to MM liquidates, one atom more does not', () => {
  // long 1 BTC at 60,000, mark 50,000: N = 50,000 (tier 1), MM = 500; M_iso = 10,500 → equity 500
  const pos = btcPosition(btc(1n), 60_000n, 50_000n);
  assert.equal(isolatedMargin(usdt(10_500n), pos)!.liquidatable, true);
  assert.equal(isolatedMargin(usdt(10_500n) + 1n, pos)!.liquidatable, false);
});

test('cross margin sums equity, MM and IM over positions in several markets', () => {
  // WB 20,000; long 1 BTC at 60,000 marked 58,000 (UPnL −2,000; N 58,000 tier 2: MM 1,160 − 500 = 660; IM 10x 5,800);
  // short 10 ETH at 3,000 marked 3,100 (UPnL −1,000; N 31,000 tier 1: MM 310; IM 3,100); open orders' IM 500.
  // Equity 17,000; Σ MM 970; Σ IM 8,900; Available 17,000 − 8,900 − 500 = 7,600; Withdrawable min(20,000, 7,600);
  // margin ratio 970/17,000 = 5.70588…% → 5,705,883 (up)
  const eth: MarkedPosition = {
    qtyLots: -1_000n, // 10 ETH
    entryCostAtoms: 1_000n * 300_000n * ETH.atomsPerTickLot,
    markTicks: 310_000n,
    atomsPerTickLot: ETH.atomsPerTickLot,
    tiers: DEFAULT_TIERS,
    leverage: 10n,
  };
  const m = crossMargin(usdt(20_000n), [btcPosition(btc(1n), 60_000n, 58_000n), eth], usdt(500n))!;
  assert.deepEqual(m, {
    equityAtoms: usdt(17_000n),
    maintenanceAtoms: usdt(970n),
    initialAtoms: usdt(8_900n),
    availableAtoms: usdt(7_600n),
    withdrawableAtoms: usdt(7_600n),
    liquidatable: false,
    marginRatioRate: 5_705_883n,
  });
});

test('unrealized profit backs trades but is never withdrawable', () => {
  // WB 1,000; long 1 BTC at 50,000 marked 60,000: UPnL 10,000, equity 11,000; IM at 50x capped to tier 2's 25x: 2,400;
  // Available 8,600, Withdrawable min(1,000, 8,600) = 1,000
  const m = crossMargin(usdt(1_000n), [btcPosition(btc(1n), 50_000n, 60_000n, 50n)], 0n)!;
  assert.equal(m.availableAtoms, usdt(8_600n));
  assert.equal(m.withdrawableAtoms, usdt(1_000n));
});

test('an isolated position can release margin only down to its IM and never its profit', () => {
  // long 1 BTC at 60,000 with 12,000, 5x, marked 66,000: equity 18,000, IM 13,200 → Available 4,800 ≤ M_iso
  const m = isolatedMargin(usdt(12_000n), btcPosition(btc(1n), 60_000n, 66_000n, 5n))!;
  assert.equal(m.withdrawableAtoms, usdt(4_800n));
});

test('a position without a mark leaves the margin undefined', () => {
  const pos = { ...btcPosition(btc(1n), 60_000n, 60_000n), markTicks: 0n };
  assert.equal(crossMargin(usdt(1_000n), [pos], 0n), undefined);
  assert.equal(isolatedMargin(usdt(1_000n), pos), undefined);
});

test('an account without positions is never liquidatable and shows a 0 margin ratio', () => {
  const m = crossMargin(0n, [btcPosition(0n, 60_000n, 60_000n)], 0n)!;
  assert.equal(m.liquidatable, false);
  assert.equal(m.marginRatioRate, 0n);
});

test('the margin ratio is undefined (infinite) when equity is not positive', () => {
  assert.equal(marginRatioRate(usdt(1n), 0n), undefined);
  assert.equal(marginRatioRate(usdt(1n), -usdt(1n)), undefined);
});

test('liquidatable implies a margin ratio of at least 100%, healthy at most 100%, and Withdrawable ≤ WB', () => {
  const seed = testSeed('risk/margin ratio');
  const pos = fc.record({
    qtyLots: fc.bigInt({ min: -btc(500n), max: btc(500n) }),
    entryTicks: fc.bigInt({ min: 1n, max: btcTicks(200_000n) }),
    markTicks: fc.bigInt({ min: 1n, max: btcTicks(200_000n) }),
    leverage: fc.bigInt({ min: 1n, max: 50n }),
  });
  fc.assert(
    fc.property(fc.bigInt({ min: -usdt(100_000n), max: usdt(10_000_000n) }), fc.array(pos, { maxLength: 4 }), (wb, ps) => {
      const marked = ps.map((p) => ({
        qtyLots: p.qtyLots,
        entryCostAtoms: (p.qtyLots < 0n ? -p.qtyLots : p.qtyLots) * p.entryTicks * A,
        markTicks: p.markTicks,
        atomsPerTickLot: A,
        tiers: DEFAULT_TIERS,
        leverage: p.leverage,
      }));
      const m = crossMargin(wb, marked, 0n)!;
      if (m.liquidatable) assert.ok(m.marginRatioRate === undefined || m.marginRatioRate >= RATE_ONE);
      else if (m.maintenanceAtoms > 0n) assert.ok(m.marginRatioRate !== undefined && m.marginRatioRate <= RATE_ONE);
      assert.ok(m.withdrawableAtoms <= (wb > 0n ? wb : 0n) && m.withdrawableAtoms <= m.availableAtoms);
    }),
    { seed },
  );
});
