// Token buckets in integer milli-tokens: the same times give the same decisions, a refusal says exactly
// when the weight will be there, and both the key's and the address's buckets must hold it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from '../../gateway/server/rate-limiter.js';

const limits = { perKey: { capacity: 10, refillPerSecond: 5 }, perIp: { capacity: 100, refillPerSecond: 100 } };

test('a burst up to the capacity passes, the next request is refused with the exact wait', () => {
  const r = new RateLimiter(limits);
  const left = Array.from({ length: 10 }, () => r.take('k', 'ip', 1, 1_000).remaining);
  assert.deepEqual(left, [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  const refused = r.take('k', 'ip', 1, 1_000);
  assert.equal(refused.ok, false);
  assert.equal(refused.retryAfterMs, 200, 'one token at 5 per second');
  assert.equal(r.take('k', 'ip', 1, 1_199).ok, false);
  assert.equal(r.take('k', 'ip', 1, 1_200).ok, true);
});

test('a heavy request waits for its whole weight; a refusal takes nothing', () => {
  const r = new RateLimiter(limits);
  r.take('k', 'ip', 10, 0);
  const refused = r.take('k', 'ip', 5, 0);
  assert.equal(refused.retryAfterMs, 1_000);
  assert.equal(r.take('k', 'ip', 5, 1_000).ok, true, 'the refused request took nothing');
});

test('the address bucket limits every key behind one address, and requests before login', () => {
  const r = new RateLimiter({ perKey: { capacity: 1_000, refillPerSecond: 1 }, perIp: { capacity: 3, refillPerSecond: 1 } });
  assert.equal(r.take('a', 'ip', 1, 0).ok, true);
  assert.equal(r.take('b', 'ip', 1, 0).ok, true);
  assert.equal(r.take(undefined, 'ip', 1, 0).ok, true);
  assert.equal(r.take('c', 'ip', 1, 0).ok, false);
  assert.equal(r.take('c', 'other', 1, 0).ok, true);
});

test('refill stops at the capacity', () => {
  const r = new RateLimiter(limits);
  r.take('k', 'ip', 1, 0);
  assert.equal(r.take('k', 'ip', 1, 1_000_000).remaining, 9);
});

test('a sweep forgets only buckets that are full again', () => {
  const r = new RateLimiter(limits);
  r.take('k', 'ip', 10, 0);
  r.sweep(1_000);
  assert.equal(r.take('k', 'ip', 1, 1_000).remaining, 4, 'the half-refilled key bucket was kept');
  r.sweep(10_000);
  assert.equal(r.take('k', 'ip', 1, 10_000).remaining, 9, 'a full bucket forgotten is the same as a full one');
});
