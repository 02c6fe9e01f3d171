import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BusySpin } from '../../../engine/ring/busy-spin.js';
import { Park } from '../../../engine/ring/park.js';
import { DEFAULT_PARK_TIMEOUT_MS, DEFAULT_SPINS, SpinThenPark } from '../../../engine/ring/spin-then-park.js';
import { isWaitStrategyName, waitStrategyByName } from '../../../engine/ring/wait-strategy-by-name.js';

test('each name makes its strategy', () => {
  assert.ok(waitStrategyByName('busy-spin') instanceof BusySpin);
  assert.ok(waitStrategyByName('spin-then-park') instanceof SpinThenPark);
  assert.ok(waitStrategyByName('park') instanceof Park);
});

test('options reach the strategy and missing ones take the defaults', () => {
  const tuned = waitStrategyByName('spin-then-park', { spins: 9, parkTimeoutMs: 4 }) as SpinThenPark;
  assert.equal(tuned.spins, 9);
  assert.equal(tuned.parkTimeoutMs, 4);
  const plain = waitStrategyByName('spin-then-park') as SpinThenPark;
  assert.equal(plain.spins, DEFAULT_SPINS);
  assert.equal(plain.parkTimeoutMs, DEFAULT_PARK_TIMEOUT_MS);
  assert.equal((waitStrategyByName('park', { parkTimeoutMs: 6 }) as Park).parkTimeoutMs, 6);
});

test('only the known names are wait strategy names', () => {
  assert.equal(isWaitStrategyName('park'), true);
  assert.equal(isWaitStrategyName('yield'), false);
});
