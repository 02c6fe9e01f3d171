import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PARK_TIMEOUT_MS, DEFAULT_SPINS, SpinThenPark } from '../../../engine/ring/spin-then-park.js';
import { defaultWaitStrategy } from '../../../engine/ring/wait-strategy.js';

test('the default strategy is spin-then-park with the default budget and timeout', () => {
  const wait = defaultWaitStrategy();
  assert.ok(wait instanceof SpinThenPark);
  assert.equal(wait.spins, DEFAULT_SPINS);
  assert.equal(wait.parkTimeoutMs, DEFAULT_PARK_TIMEOUT_MS);
});

test('each call to defaultWaitStrategy gives a fresh instance, since strategies hold per-loop state', () => {
  assert.notEqual(defaultWaitStrategy(), defaultWaitStrategy());
});
