import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scopeKey } from '../../../risk/shard/liquidation-scope.js';
import { WaitingScopes } from '../../../risk/shard/liquidation-waiting.js';
import { CROSS_SCOPE } from '../../../risk/shard/seams.js';

test('scope keys order by account, then the cross scope before isolated markets', () => {
  const keys = [scopeKey(2, 1), scopeKey(1, 5), scopeKey(2, CROSS_SCOPE), scopeKey(1, CROSS_SCOPE)];
  assert.deepEqual([...keys].sort((a, b) => a - b), [scopeKey(1, CROSS_SCOPE), scopeKey(1, 5), scopeKey(2, CROSS_SCOPE), scopeKey(2, 1)]);
});

test('parked scopes are retried round-robin in ascending order, whatever order they were parked in', () => {
  const w = new WaitingScopes();
  for (const k of [30, 10, 20]) w.add(k);
  assert.deepEqual([w.next(-1), w.next(-1), w.next(-1), w.next(-1)], [10, 20, 30, 10]);
});

test('the retry skips the scope the call already handled', () => {
  const w = new WaitingScopes();
  w.add(10);
  w.add(20);
  assert.equal(w.next(10), 20);
  assert.equal(w.next(10), 20);
});

test('a scope parked twice is held once, and a removed one is not retried', () => {
  const w = new WaitingScopes();
  w.add(10);
  w.add(10);
  w.add(20);
  w.remove(10);
  assert.equal(w.size, 1);
  assert.equal(w.next(-1), 20);
  w.remove(20);
  assert.equal(w.next(-1), undefined);
});
