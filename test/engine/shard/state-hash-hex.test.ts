// State hashes as operators read them: npm start prints them when it stops and perpx-restore prints them
// for a point (hash, verify), and the two must read the same, leading zeros included.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stateHashHex } from '../../../engine/shard/hash.js';

test('a state hash prints as 16 hex digits with its leading zeros, the way npm start and perpx-restore both print it', () => {
  assert.equal(stateHashHex(0x0b21ad35b896968an), '0b21ad35b896968a');
  assert.equal(stateHashHex(0n), '0000000000000000');
  assert.equal(stateHashHex(0xffffffffffffffffn), 'ffffffffffffffff');
});
