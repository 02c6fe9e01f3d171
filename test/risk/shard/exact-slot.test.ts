// The number-or-bigint slot pair every integer field of the risk state is stored in: exact in the number
// slot up to ±(2^53 − 1), in the bigint slot past it, and read back the same either way. Tried on the
// helpers and through a field of each kind of state (a position, an account), across the boundary.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bigSlot, numberSlot, slotValue } from '../../../risk/shard/exact-slot.js';
import { AccountState, PositionState } from '../../../risk/shard/state.js';

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const VALUES = [0n, 1n, -1n, MAX - 1n, MAX, -MAX, MAX + 1n, -MAX - 1n, 2n ** 63n, -(2n ** 63n), 2n ** 80n];

test('a value is in exactly one slot, and the pair reads back as the value', () => {
  for (const v of VALUES) {
    const n = numberSlot(v);
    const big = bigSlot(v);
    const fits = v >= -MAX && v <= MAX;
    assert.equal(Number.isNaN(n), !fits, `${v}: number slot`);
    assert.equal(big, fits ? 0n : v, `${v}: bigint slot`);
    assert.equal(slotValue(n, big), v, `${v}: read back`);
  }
});

test('state fields keep their value across the number/bigint boundary, in both directions', () => {
  const pos = new PositionState(1, 1, 10n);
  const account = new AccountState(1);
  for (const v of [...VALUES, ...[...VALUES].reverse()]) {
    pos.entryCostAtoms = v;
    account.walletAtoms = v;
    assert.equal(pos.entryCostAtoms, v);
    assert.equal(account.walletAtoms, v);
    assert.equal(Number.isNaN(pos.entryCostN), !(v >= -MAX && v <= MAX), 'the fast paths see NaN past the range');
  }
});
