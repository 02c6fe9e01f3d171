import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Side } from '../../engine/enums.js';
import { numberTiers } from '../../risk/margin-number.js';
import { incrementalOrderCostAtoms, openOrdersCostAtoms, sideCostAtoms, type OpenOrder } from '../../risk/order-cost.js';
import { incrementalOrderCostNumber, NumberCostContext, openOrdersCostNumber, sideCostNumber, type NumberOrder } from '../../risk/order-cost-number.js';
import { DEFAULT_TIERS, type TierTable } from '../../risk/tiers.js';
import { testSeed } from '../support/seed.js';
import { positive, signedMagnitude, tierTable } from './number-arbitraries.js';

type Both = OpenOrder & NumberOrder;

const rarely = fc.integer({ min: 0, max: 9 }).map((v) => v === 0);

/** Orders around the mark (some far), a few reduce-only and some at equal prices: netting and loss both matter. */
const orders = fc.array(
  fc.record({ side: fc.constantFrom(Side.BUY, Side.SELL), offset: fc.integer({ min: -5_000, max: 5_000 }), qty: positive(20), reduceOnly: rarely }),
  { maxLength: 100 },
);

function build(spec: { side: Side; offset: number; qty: bigint; reduceOnly: boolean }[], mark: bigint): Both[] {
  return spec.map((o) => {
    const price = mark + BigInt(o.offset) > 0n ? mark + BigInt(o.offset) : 1n;
    return { side: o.side, priceTicks: price, qtyLots: o.qty, reduceOnly: o.reduceOnly, priceN: Number(price), remainingN: Number(o.qty) };
  });
}

function contexts(tiers: TierTable, q: bigint, mark: bigint, a: bigint, leverage: number, fee: bigint) {
  const big = { positionQtyLots: q, markTicks: mark, atomsPerTickLot: a, tiers, leverage: BigInt(leverage), takerFeeRate: fee };
  const num = new NumberCostContext();
  num.positionQtyLots = Number(q);
  num.markTicks = Number(mark);
  num.atomsPerTickLot = Number(a);
  num.tiers = numberTiers(tiers);
  num.leverage = leverage;
  num.takerFeeRate = Number(fee);
  return { big, num };
}

test('side costs, open-order margin and increments on numbers equal the bigint order costs', () => {
  const seed = testSeed('order-cost-number');
  let runs = 0;
  let answered = 0;
  fc.assert(
    fc.property(
      tierTable,
      orders,
      fc.record({ side: fc.constantFrom(Side.BUY, Side.SELL), offset: fc.integer({ min: -5_000, max: 5_000 }), qty: positive(20), reduceOnly: rarely }),
      signedMagnitude(22),
      fc.bigInt({ min: 6_000n, max: 10_000_000n }),
      fc.constantFrom(1n, 100n, 10_000n),
      fc.integer({ min: 1, max: 125 }),
      fc.bigInt({ min: 0n, max: 1_000_000n }),
      (tiers, spec, extraSpec, q, mark, a, leverage, fee) => {
        runs++;
        const list = build(spec, mark);
        const extra = build([extraSpec], mark)[0]!;
        const { big, num } = contexts(tiers, q, mark, a, leverage, fee);
        for (const side of [Side.BUY, Side.SELL]) {
          const n = sideCostNumber(list, side, num, extra);
          if (!Number.isNaN(n)) assert.equal(BigInt(n), sideCostAtoms(list, side, big, extra), `side ${side}`);
        }
        const open = openOrdersCostNumber(list, num);
        if (!Number.isNaN(open)) assert.equal(BigInt(open), openOrdersCostAtoms(list, big));
        const inc = incrementalOrderCostNumber(list, extra, num);
        if (!Number.isNaN(inc)) {
          answered++;
          assert.equal(BigInt(inc), incrementalOrderCostAtoms(list, extra, big));
        }
      },
    ),
    { seed, numRuns: 3_000 },
  );
  assert.ok(answered > runs / 2, `the number path answered ${answered} of ${runs}`);
});

test('the number order cost answers for ordinary orders and refuses a quantity kept in bigint', () => {
  const mark = 600_000n;
  const list = build([{ side: Side.BUY, offset: -100, qty: 10n, reduceOnly: false }, { side: Side.SELL, offset: 200, qty: 7n, reduceOnly: false }], mark);
  const { num } = contexts(DEFAULT_TIERS, 3n, mark, 100n, 20, 50_000n);
  assert.ok(!Number.isNaN(openOrdersCostNumber(list, num)));
  const huge: NumberOrder = { side: Side.BUY, priceN: 600_000, remainingN: NaN, reduceOnly: false };
  assert.ok(Number.isNaN(sideCostNumber([...list, huge], Side.BUY, num)));
});
