import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { applyFill } from '../../risk/position.js';
import { applyFillNumber, FillNumbers } from '../../risk/position-number.js';
import { testSeed } from '../support/seed.js';
import { magnitude, positive, signedMagnitude } from './number-arbitraries.js';

const TWO_49 = 1n << 49n;

test('a fill applied on numbers gives applyFill\'s position, entry cost, realized PnL and closed lots', () => {
  const seed = testSeed('position-number');
  const out = new FillNumbers();
  fc.assert(
    fc.property(signedMagnitude(44), magnitude(52), signedMagnitude(44), magnitude(30), positive(12), (q, cost, fill, price, a) => {
      const ok = applyFillNumber(Number(q), Number(cost), Number(fill), Number(price), Number(a), out);
      const lots = (v: bigint): bigint => (v < 0n ? -v : v);
      const biggest = [lots(fill), lots(q), lots(fill) + lots(q)].reduce((m, v) => (v > m ? v : m), 0n) * price * a;
      if (!ok) {
        assert.ok(biggest >= TWO_49 || cost >= 1n << 51n || (cost * lots(fill)) / (lots(q) === 0n ? 1n : lots(q)) >= TWO_49, 'refused inside the range');
        return;
      }
      const r = applyFill({ qtyLots: q, entryCostAtoms: cost }, fill, price, a);
      assert.equal(BigInt(out.qtyLots), r.qtyLots);
      assert.equal(BigInt(out.entryCostAtoms), r.entryCostAtoms);
      assert.equal(BigInt(out.realizedPnlAtoms), r.realizedPnlAtoms);
      assert.equal(BigInt(out.closedLots), r.closedLots);
    }),
    { seed, numRuns: 20_000 },
  );
});

test('partial closes of large positions round the removed cost as applyFill does', () => {
  const seed = testSeed('position-number partial');
  const out = new FillNumbers();
  fc.assert(
    fc.property(positive(30), positive(50), fc.boolean(), positive(20), (open, cost, long, price) => {
      const q = long ? open : -open;
      const k = open > 1n ? open / 3n + 1n : 1n;
      const fill = long ? -k : k;
      if (!applyFillNumber(Number(q), Number(cost), Number(fill), Number(price), 1, out)) return;
      const r = applyFill({ qtyLots: q, entryCostAtoms: cost }, fill, price, 1n);
      assert.equal(BigInt(out.entryCostAtoms), r.entryCostAtoms);
      assert.equal(BigInt(out.realizedPnlAtoms), r.realizedPnlAtoms);
    }),
    { seed, numRuns: 10_000 },
  );
});

test('a position or cost kept in bigint (NaN in its number slot) refuses the number fill', () => {
  const out = new FillNumbers();
  assert.equal(applyFillNumber(NaN, 0, 1, 600_000, 100, out), false);
  assert.equal(applyFillNumber(1, NaN, 1, 600_000, 100, out), false);
  assert.equal(applyFillNumber(1, 60_000_000, 1, 600_000, NaN, out), false);
});
