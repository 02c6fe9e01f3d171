// Where a margin call fires (docs/RISK-SHARD.md, "Choices the rules left open"): at or past the pool's
// margin-call ratio r, the ratio being the published one, ceil(Σ MM · 10^8 / Equity). So a scope whose
// MM·10^8 is exactly (r − 1)·Equity publishes r − 1 and is not called, one atom of MM more publishes r and
// is. Pinned at that boundary on both paths of ScopeFigures.calledAt: numbers, and bigint for figures past
// 2^53.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScopeFigures } from '../../../risk/shard/scope-figures.js';
import { DEFAULT_POOL } from '../../../risk/shard/config.js';

const R = DEFAULT_POOL.marginCallRatioRate; // 80%: 80,000,000 of 10^8
const RN = Number(R);

function figures(equityAtoms: bigint, maintenanceAtoms: bigint, open = true): ScopeFigures {
  const s = new ScopeFigures();
  s.equityAtoms = equityAtoms;
  s.maintenanceAtoms = maintenanceAtoms;
  s.open = open;
  return s;
}

test('a scope whose ratio rounds up to just below the call ratio is not called; one atom more of MM is', () => {
  for (const k of [1n, 3n, 1_000n, 100_000_000n]) {
    // Equity = 10^8·k, MM = (r − 1)·k: MM·10^8 = (r − 1)·Equity exactly, ratio r − 1.
    const equity = 100_000_000n * k;
    const mm = (R - 1n) * k;
    const path = equity > BigInt(Number.MAX_SAFE_INTEGER) ? 'bigint' : 'number';
    assert.equal(figures(equity, mm).calledAt(R, RN), false, `${path} path, k = ${k}: ratio r − 1`);
    assert.equal(figures(equity, mm + 1n).calledAt(R, RN), true, `${path} path, k = ${k}: ratio r`);
    assert.equal(BigInt(figures(equity, mm).marginRatioOrMinusOne()), R - 1n, 'the published ratio of the first');
    assert.equal(BigInt(figures(equity, mm + 1n).marginRatioOrMinusOne()), R, 'the published ratio of the second');
  }
});

test('the bigint path decides the same boundary as the number path', () => {
  // Equity past 2^53 sends calledAt to its bigint comparison.
  const equity = 100_000_000n * 200_000_000n;
  assert.ok(equity > BigInt(Number.MAX_SAFE_INTEGER));
  const mm = (R - 1n) * 200_000_000n;
  assert.equal(figures(equity, mm).calledAt(R, RN), false);
  assert.equal(figures(equity, mm + 1n).calledAt(R, RN), true);
});

test('an open scope with no equity left is called when it has maintenance margin, a flat one never', () => {
  assert.equal(figures(0n, 1n).calledAt(R, RN), true);
  assert.equal(figures(-5n, 1n).calledAt(R, RN), true);
  assert.equal(figures(0n, 0n).calledAt(R, RN), false, 'no maintenance margin: nothing to call');
  assert.equal(figures(-(2n ** 60n), 1n).calledAt(R, RN), true, 'bigint path');
  assert.equal(figures(-(2n ** 60n), 0n).calledAt(R, RN), false, 'bigint path, no maintenance margin');
  assert.equal(figures(1n, 10n ** 9n, false).calledAt(R, RN), false, 'a flat scope');
});

test('the published ratio is kept per figures and follows every way they change (setters, finish, finishNumber)', () => {
  const s = figures(100_000_000n, 5_000_000n);
  assert.equal(s.marginRatioOrMinusOne(), 5_000_000, 'MM 5% of equity');
  assert.equal(s.marginRatioOrMinusOne(), 5_000_000, 'asked again: the kept value');
  s.maintenanceAtoms = 10_000_000n;
  assert.equal(s.marginRatioOrMinusOne(), 10_000_000, 'after a setter');
  // The number path's writers: the slots, then finishNumber (scope-margin.ts, scope-evaluator.ts).
  s.collateralN = 50_000_000;
  s.unrealizedPnlN = 0;
  s.initialN = 0;
  s.orderInitialN = 0;
  assert.equal(s.finishNumber(), true);
  assert.equal(s.marginRatioOrMinusOne(), 20_000_000, 'after finishNumber');
  // The bigint path's: the setters, then finish().
  s.collateralAtoms = 1n << 60n;
  s.unrealizedPnlAtoms = 0n;
  s.finish();
  assert.equal(BigInt(s.marginRatioOrMinusOne()), (10_000_000n * 100_000_000n + (1n << 60n) - 1n) / (1n << 60n), 'after finish, equity past 2^53');
  s.collateralN = -1;
  s.unrealizedPnlN = 0;
  assert.equal(s.finishNumber(), true);
  assert.equal(s.marginRatioOrMinusOne(), -1, 'equity ≤ 0 with MM: −1');
});
