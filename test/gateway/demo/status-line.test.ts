// The demo's once-a-second status line: rates per second over the interval, requests (orders and the
// requoting market makers' cancels, so more than --rate) apart from the orders --rate counts, and the
// refusals of the interval by name.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { statusLine, type StatusSample } from '../../../gateway/demo/status-line.js';

test('the status line says requests per second (not orders: cancels are among them), answers, trades and the interval\'s refusals', () => {
  const last: StatusSample = { sent: 1_000, answered: 900, trades: 50, refused: new Map([['ORDER_NOT_FOUND', 3]]) };
  const now: StatusSample = { sent: 3_500, answered: 3_400, trades: 250, refused: new Map([['ORDER_NOT_FOUND', 5], ['POST_ONLY_WOULD_TAKE', 7]]) };
  const line = statusLine(now, last, 1, undefined, [10, 20]);
  assert.equal(line, 'requests 2,500/s · answered 2,500/s · trades 200/s · shard inputs 10/20 · refused ORDER_NOT_FOUND×2 POST_ONLY_WOULD_TAKE×7');
  assert.match(statusLine(now, last, 2, undefined, [1]), /^requests 1,250\/s · answered 1,250\/s · trades 100\/s/);
});
