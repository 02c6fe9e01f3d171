// A world the no-frozen property found (SEED=182620534, test/fixtures/no-frozen): after its stream and the
// quiet period, account 4 is still liquidating. Open: the cause is not traced yet (it fails on the code
// before this session's liquidation changes too). When fixed, drop the todo.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { World } from '../property/exchange-actions.js';
import { liquidatingAfterQuiet } from '../property/quiet-period.js';
import { fixture } from '../support/paths.js';

const { world } = JSON.parse(readFileSync(fixture('no-frozen', 'quiet-period-182620534.json'), 'utf8')) as { world: World };

test('the world of SEED=182620534 leaves no scope liquidating after the quiet period', { todo: 'open: a scope still liquidating after the quiet period' }, () => {
  assert.deepEqual(liquidatingAfterQuiet(world), []);
});
