import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InsuranceReason } from '../../../risk/shard/events.js';
import { InsuranceFund } from '../../../risk/shard/insurance-fund.js';
import { CROSS_SCOPE } from '../../../risk/shard/seams.js';
import { usdt } from '../markets.js';
import { addAccount, makeState, RecordingEffects } from './liquidation-sim.js';

function fund(balanceUsdt: bigint, capUsdt: bigint): { fund: InsuranceFund; effects: RecordingEffects } {
  const state = makeState({}, usdt(balanceUsdt));
  addAccount(state, 1, usdt(1_000n));
  const effects = new RecordingEffects(state);
  return { fund: new InsuranceFund(state, effects, usdt(capUsdt)), effects };
}

test('an event\'s budget is the smaller of its need, the unreserved balance and the per-event cap', () => {
  assert.equal(fund(300n, 500n).fund.reserve(1, usdt(1_000_000n)), usdt(300n));
  assert.equal(fund(3_000n, 500n).fund.reserve(1, usdt(1_000_000n)), usdt(500n));
});

test('a second event in progress only counts on what the first has not reserved', () => {
  const { fund: f } = fund(800n, 500n);
  assert.equal(f.reserve(1, usdt(1_000_000n)), usdt(500n));
  assert.equal(f.reserve(2, usdt(1_000_000n)), usdt(300n));
  assert.equal(f.unreservedAtoms(), 0n);
});

test('reserving again with the same need keeps the same budget', () => {
  const { fund: f } = fund(800n, 500n);
  f.reserve(1, usdt(1_000_000n));
  assert.equal(f.reserve(1, usdt(1_000_000n)), usdt(500n));
  assert.equal(f.unreservedAtoms(), usdt(300n));
});

test('an event reserves only what it needs, so the next one in a cascade is not starved', () => {
  const { fund: f } = fund(1_000n, 1_000n);
  assert.equal(f.reserve(1, usdt(120n)), usdt(120n));
  assert.equal(f.reserve(2, usdt(400n)), usdt(400n));
  assert.equal(f.unreservedAtoms(), usdt(480n));
});

test('a reservation grows when the event\'s need grows, within the cap and the free balance, and never shrinks', () => {
  const { fund: f } = fund(1_000n, 500n);
  f.reserve(2, usdt(700n));
  assert.equal(f.reserve(1, usdt(100n)), usdt(100n));
  assert.equal(f.reserve(1, usdt(250n)), usdt(250n));
  assert.equal(f.reserve(1, usdt(900n)), usdt(500n), 'capped');
  assert.equal(f.reserve(1, usdt(50n)), usdt(500n), 'never lowered');
  const { fund: g } = fund(600n, 500n);
  g.reserve(2, usdt(500n));
  assert.equal(g.reserve(1, usdt(400n)), usdt(100n), 'only what no other event holds');
});

test('a released reservation is available again', () => {
  const { fund: f } = fund(800n, 500n);
  f.reserve(1, usdt(1_000_000n));
  f.release(1);
  assert.equal(f.budgetAtoms(1), 0n);
  assert.equal(f.unreservedAtoms(), usdt(800n));
});

test('a shortfall is covered up to the event\'s budget and published as one transfer', () => {
  const { fund: f, effects } = fund(800n, 500n);
  f.reserve(7, usdt(1_000_000n));
  assert.equal(f.cover(1, CROSS_SCOPE, usdt(650n), InsuranceReason.SHORTFALL, 7, 5), usdt(500n));
  assert.deepEqual(effects.of('transferInsurance'), [[1, CROSS_SCOPE, -usdt(500n), InsuranceReason.SHORTFALL, 7, 5]]);
  assert.equal(f.balanceAtoms(), usdt(300n));
});

test('an event without a reservation gets nothing from the fund', () => {
  const { fund: f, effects } = fund(800n, 500n);
  assert.equal(f.cover(1, CROSS_SCOPE, usdt(10n), InsuranceReason.SHORTFALL, 7, 5), 0n);
  assert.deepEqual(effects.of('transferInsurance'), []);
});

test('the fund never pays below zero, even when its balance fell under a reservation', () => {
  const { fund: f, effects } = fund(400n, 500n);
  f.reserve(7, usdt(1_000_000n));
  effects.transferInsurance(1, CROSS_SCOPE, -usdt(350n), InsuranceReason.SHORTFALL, 6, 1);
  assert.equal(f.cover(1, CROSS_SCOPE, usdt(400n), InsuranceReason.SHORTFALL, 7, 5), usdt(50n));
  assert.equal(f.balanceAtoms(), 0n);
  assert.equal(f.unreservedAtoms(), 0n);
});

test('fees flow in through one published transfer, and nothing is sent for a zero amount', () => {
  const { fund: f, effects } = fund(0n, 500n);
  assert.equal(f.collect(1, CROSS_SCOPE, usdt(3n), InsuranceReason.LIQUIDATION_FEE, 2, 9), usdt(3n));
  assert.equal(f.collect(1, CROSS_SCOPE, 0n, InsuranceReason.LIQUIDATION_FEE, 2, 9), 0n);
  assert.deepEqual(effects.of('transferInsurance'), [[1, CROSS_SCOPE, usdt(3n), InsuranceReason.LIQUIDATION_FEE, 2, 9]]);
  assert.equal(f.balanceAtoms(), usdt(3n));
});
