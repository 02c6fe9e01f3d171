// A market's status after a restart: unknown to a fresh process until the market shard's copy of its
// state is loaded (gateway/main.ts after the gateway opens), then what the shard holds; a status this
// process set since wins over the copy.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OperatorCommands } from '../../../gateway/operator/operator-commands.js';

test('a restarted process says unknown until it loads the shard’s status, and keeps what it set itself', () => {
  const commands = new OperatorCommands({ offer: () => false, flush: () => {}, halted: false }, () => 1, 5_000, 'unknown');
  assert.equal(commands.statusOf(1), 'unknown');
  commands.loadStatus(1, true);
  commands.loadStatus(2, false);
  assert.equal(commands.statusOf(1), 'halted');
  assert.equal(commands.statusOf(2), 'open');
  commands.loadStatus(1, false);
  assert.equal(commands.statusOf(1), 'halted', 'a copy does not overwrite what is known');
});
