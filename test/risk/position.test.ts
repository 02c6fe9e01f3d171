import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { testSeed } from '../support/seed.js';
import { applyFill, averageEntryTicks, FLAT, type Position } from '../../risk/position.js';
import { compareRational, ratio } from '../../risk/units.js';
import { BTC, btc, btcTicks, usdt } from './markets.js';

const A = BTC.atomsPerTickLot;

test('opening a long records its entry notional as cost', () => {
  // buy 2 BTC at 60,000: cost 120,000 USDT
  const r = applyFill(FLAT, btc(2n), btcTicks(60_000n), A);
  assert.deepEqual(r, { qtyLots: btc(2n), entryCostAtoms: usdt(120_000n), realizedPnlAtoms: 0n, closedLots: 0n });
});

test('adding to a position averages the entry price exactly', () => {
  // 2 BTC at 60,000 + 1 BTC at 63,000: cost 183,000, average 61,000
  const r = applyFill({ qtyLots: btc(2n), entryCostAtoms: usdt(120_000n) }, btc(1n), btcTicks(63_000n), A);
  assert.equal(r.entryCostAtoms, usdt(183_000n));
  assert.equal(compareRational(averageEntryTicks(r, A)!, ratio(btcTicks(61_000n), 1n)), 0);
});

test('reducing a long realizes the PnL of the closed part at the average entry', () => {
  // 3 BTC at an average of 61,000, sell 1 at 62,000: removes 61,000 of cost, realizes +1,000
  const r = applyFill({ qtyLots: btc(3n), entryCostAtoms: usdt(183_000n) }, -btc(1n), btcTicks(62_000n), A);
  assert.deepEqual(r, { qtyLots: btc(2n), entryCostAtoms: usdt(122_000n), realizedPnlAtoms: usdt(1_000n), closedLots: btc(1n) });
});

test('a partial close of a long rounds the realized PnL down and keeps the remainder of the cost', () => {
  // 3 lots bought at 100, 101 and 101 ticks: cost (100 + 101 + 101)·100 = 30,200 atoms.
  // Sell 1 lot at 110: exact share 10,066.67 → removed 10,067 (up), PnL 11,000 − 10,067 = 933 (exact 933.33).
  const r = applyFill({ qtyLots: 3n, entryCostAtoms: 30_200n }, -1n, 110n, A);
  assert.deepEqual(r, { qtyLots: 2n, entryCostAtoms: 20_133n, realizedPnlAtoms: 933n, closedLots: 1n });
});

test('a partial close of a short rounds the realized PnL down too', () => {
  // short 3 lots, cost 30,200 atoms; buy 1 back at 90: removed 10,066 (down), PnL 10,066 − 9,000 = 1,066 (exact 1,066.67)
  const r = applyFill({ qtyLots: -3n, entryCostAtoms: 30_200n }, 1n, 90n, A);
  assert.deepEqual(r, { qtyLots: -2n, entryCostAtoms: 20_134n, realizedPnlAtoms: 1_066n, closedLots: 1n });
});

test('closing in steps realizes exactly what closing at once would', () => {
  // continuing the 3-lot long: sell the last 2 at 110 → 22,000 − 20,133 = 1,867; 933 + 1,867 = 2,800 = 33,000 − 30,200
  const first = applyFill({ qtyLots: 3n, entryCostAtoms: 30_200n }, -1n, 110n, A);
  const second = applyFill(first, -2n, 110n, A);
  assert.equal(second.realizedPnlAtoms, 1_867n);
  assert.equal(first.realizedPnlAtoms + second.realizedPnlAtoms, 2_800n);
  assert.deepEqual({ q: second.qtyLots, c: second.entryCostAtoms }, { q: 0n, c: 0n });
});

test('a fill larger than the position closes it and opens the rest on the other side at the fill price', () => {
  // long 1 BTC at 60,000, sell 3 at 61,000: +1,000 realized, then short 2 at 61,000 (cost 122,000)
  const r = applyFill({ qtyLots: btc(1n), entryCostAtoms: usdt(60_000n) }, -btc(3n), btcTicks(61_000n), A);
  assert.deepEqual(r, { qtyLots: -btc(2n), entryCostAtoms: usdt(122_000n), realizedPnlAtoms: usdt(1_000n), closedLots: btc(1n) });
});

test('a short closed above its entry realizes a loss', () => {
  // short 1 BTC at 60,000, buy back at 61,000: −1,000
  const r = applyFill({ qtyLots: -btc(1n), entryCostAtoms: usdt(60_000n) }, btc(1n), btcTicks(61_000n), A);
  assert.deepEqual(r, { qtyLots: 0n, entryCostAtoms: 0n, realizedPnlAtoms: -usdt(1_000n), closedLots: btc(1n) });
});

test('a zero fill changes nothing', () => {
  const pos = { qtyLots: btc(1n), entryCostAtoms: usdt(60_000n) };
  assert.deepEqual(applyFill(pos, 0n, btcTicks(1n), A), { ...pos, realizedPnlAtoms: 0n, closedLots: 0n });
});

test('a flat position has no average entry price', () => {
  assert.equal(averageEntryTicks(FLAT, A), undefined);
});

const fillsArb = fc.array(fc.tuple(fc.bigInt({ min: -5_000n, max: 5_000n }), fc.bigInt({ min: 1n, max: 2_000_000n })), { minLength: 1, maxLength: 40 });

test('any fill sequence closed out realizes exactly Σ sells − Σ buys, never losing an atom of cost', () => {
  const seed = testSeed('risk/position conservation');
  fc.assert(
    fc.property(fillsArb, fc.bigInt({ min: 1n, max: 2_000_000n }), (fills, closeTicks) => {
      let pos: Position = FLAT;
      let realized = 0n;
      let cash = 0n; // + sells, − buys, in atoms
      const step = (qty: bigint, price: bigint): void => {
        const r = applyFill(pos, qty, price, A);
        // flat means no cost; open means an average entry of at least one tick
        if (r.qtyLots === 0n) assert.equal(r.entryCostAtoms, 0n);
        else assert.ok(r.entryCostAtoms >= (r.qtyLots < 0n ? -r.qtyLots : r.qtyLots) * A);
        realized += r.realizedPnlAtoms;
        cash -= qty * price * A;
        pos = r;
      };
      for (const [qty, price] of fills) step(qty, price);
      step(-pos.qtyLots, closeTicks);
      assert.equal(realized, cash);
    }),
    { seed },
  );
});

test('the PnL of a partial close is the exact pro-rata PnL rounded down', () => {
  const seed = testSeed('risk/position rounding');
  fc.assert(
    fc.property(
      fc.bigInt({ min: 2n, max: 100_000n }),
      fc.bigInt({ min: 1n, max: 10n ** 12n }),
      fc.bigInt({ min: 1n, max: 2_000_000n }),
      fc.boolean(),
      fc.integer({ min: 1, max: 1_000 }),
      (lots, costExtra, exitTicks, long, share) => {
        const cost = lots + costExtra; // at least one atom per lot, as any real entry has
        const k = 1n + (BigInt(share) * (lots - 2n)) / 1_000n; // 1 ≤ k < lots
        const q = long ? lots : -lots;
        const r = applyFill({ qtyLots: q, entryCostAtoms: cost }, long ? -k : k, exitTicks, A);
        // exact PnL · lots = side·(k·exit·A·lots − cost·k)
        const exactScaled = (long ? 1n : -1n) * (k * exitTicks * A * lots - cost * k);
        assert.ok(r.realizedPnlAtoms * lots <= exactScaled);
        assert.ok((r.realizedPnlAtoms + 1n) * lots > exactScaled);
        assert.equal(r.closedLots, k);
      },
    ),
    { seed },
  );
});
