// The valuation memo of scope-margin.ts (valuePositionNumbersMemo): a memo of a pure function keyed by all
// its inputs, so after any sequence of valuations, with repeats, slots shared by several positions, marks
// and tier tables changing and inputs the number path refuses, each answer must be what
// valuePositionNumber computes afresh.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { numberTiers, PositionNumbers, valuePositionNumber, type NumberTiers } from '../../../risk/margin-number.js';
import { valuePositionNumbersMemo } from '../../../risk/shard/scope-margin.js';
import type { MarketRiskState, PositionState } from '../../../risk/shard/state.js';
import { DEFAULT_TIERS } from '../../../risk/tiers.js';
import { testSeed } from '../../support/seed.js';
import { tierTable } from '../number-arbitraries.js';

interface FakePosition {
  accountId: number;
  marketId: number;
  qtyN: number;
  entryCostN: number;
  leverageN: number;
}

interface FakeMarket {
  markN: number;
  atomsPerTickLotN: number;
  numberTiers: NumberTiers;
}

test('the memo answers as a fresh valuation after every step of a random stream (property)', () => {
  const seed = testSeed('scope-margin valuation memo');
  const qty = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -2_000_000, max: 2_000_000 }), fc.constant(NaN), fc.constant(2 ** 52));
  // Few marks, multipliers and leverages, so that a position meets the inputs it was valued with again,
  // with one of them changed.
  const step = fc.record({
    // Accounts far apart and close together: 512 slots, so some share one.
    account: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constantFrom(1 + 512, 7 * 1024, 2 ** 31)),
    market: fc.integer({ min: 1, max: 2 }),
    change: fc.constantFrom('none', 'none', 'qty', 'cost', 'leverage'),
    qty,
    cost: fc.oneof(fc.integer({ min: 0, max: 5_000_000 }), fc.constant(NaN)),
    leverage: fc.constantFrom(1, 5, 20, 125, NaN),
    mark: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 50_000, 600_000) }, fc.integer({ min: 0, max: 700_000 }), fc.constant(NaN)),
    a: fc.constantFrom(100, 7),
    table: fc.integer({ min: 0, max: 2 }),
  });
  fc.assert(
    fc.property(tierTable, fc.array(step, { maxLength: 200 }), (random, steps) => {
      const tables = [numberTiers(DEFAULT_TIERS), numberTiers(random), numberTiers(DEFAULT_TIERS.slice(0, 2))];
      const positions = new Map<string, FakePosition>();
      const got = new PositionNumbers();
      const want = new PositionNumbers();
      for (const s of steps) {
        const key = `${s.account}/${s.market}`;
        const pos = positions.get(key) ?? { accountId: s.account, marketId: s.market, qtyN: 1_000, entryCostN: 100_000, leverageN: 20 };
        positions.set(key, pos);
        if (s.change === 'qty') pos.qtyN = s.qty;
        else if (s.change === 'cost') pos.entryCostN = s.cost;
        else if (s.change === 'leverage') pos.leverageN = s.leverage;
        const market: FakeMarket = { markN: s.mark, atomsPerTickLotN: s.a, numberTiers: tables[s.table]! };
        const ok = valuePositionNumbersMemo(pos as unknown as PositionState, market as unknown as MarketRiskState, got);
        const fresh = valuePositionNumber(pos.qtyN, pos.entryCostN, market.markN, market.atomsPerTickLotN, pos.leverageN, market.numberTiers, want);
        assert.equal(ok, fresh, `${key} accepted`);
        if (ok) assert.deepEqual({ ...got }, { ...want }, `${key} figures`);
      }
    }),
    { seed, numRuns: 500 },
  );
});
