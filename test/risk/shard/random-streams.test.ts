import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { decodeAll } from '../../support/commands.js';
import { testSeed } from '../../support/seed.js';
import { drive } from './random-stream.js';

test('random streams keep open interest, conservation, the insurance fund and reduce-only intact after every record', () => {
  const seed = testSeed('risk-shard random streams');
  const run = drive(seed, (x, step) => {
    const violations = x.risk.checkInvariants({ allAccountsHere: true });
    assert.deepEqual(violations, [], `seed ${seed}, step ${step}`);
  });
  for (const code of run.blockedWithdrawals) assert.equal(code, Code.WITHDRAWALS_BLOCKED_NEGATIVE_EQUITY, `seed ${seed}`);
  // The stream exercised what it was meant to: trades settled, marks moved.
  const types = new Set(decodeAll(run.exchange.riskGateway).map((e) => e.type));
  for (const t of ['FillSettled', 'PositionUpdated', 'AccountUpdated', 'FundingPaid']) assert.ok(types.has(t), `${t} never happened (seed ${seed})`);
});

test('the same input records give the same output records and state hash', () => {
  const seed = testSeed('risk-shard determinism');
  const a = drive(seed, () => {}).exchange;
  const b = drive(seed, () => {}).exchange;
  assert.equal(a.riskGateway.length, b.riskGateway.length);
  assert.deepEqual(decodeAll(a.riskGateway), decodeAll(b.riskGateway));
  assert.equal(a.risk.stateHash(), b.risk.stateHash());
  assert.equal(a.market.stateHash(), b.market.stateHash());
  const c = drive(seed + 1, () => {}).exchange;
  assert.notEqual(c.risk.stateHash(), a.risk.stateHash());
});
