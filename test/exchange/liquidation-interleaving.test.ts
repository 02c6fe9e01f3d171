// Known gap (issue 7, part 4, beyond funding): with one risk shard and two market shards, one command can
// still end in a state that depends on which thread ran first. An index drop triggers several scopes at
// once; a cross account holding both markets cancels its orders on both market shards, and their answers
// arrive in either order relative to the other scopes' answers from one market shard. The scope that
// finishes cancelling first escalates first, and escalating scopes share the insurance fund's unreserved
// balance, the ADL candidates (a scope in the pipeline is none) and the book: the first to ask gets them.
// Funding of different markets commutes (test/property/funding-commutes.property.test.ts); this does not
// yet. A fix makes the escalation order a function of state (for example, scopes escalate in trigger
// order, one at a time per shared resource); then drop the todo.
//
// The world (test/fixtures/interleaving) runs twice: in the in-process exchange's fixed delivery order, and
// one record at a time from streams picked by a seeded random source (InProcessExchange's interleave).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ActionDriver } from '../property/action-driver.js';
import type { World } from '../property/exchange-actions.js';
import { fixture } from '../support/paths.js';
import { below, rng } from '../support/seed.js';

const { world, pickSeed } = JSON.parse(readFileSync(fixture('interleaving', 'cross-liquidation-race.json'), 'utf8')) as { world: World; pickSeed: number };

test('concurrent liquidations answered by two market shards end in the same state in any interleaving', { todo: 'escalation order of concurrent scopes depends on answer arrival' }, () => {
  const fixed = new ActionDriver(world.population);
  fixed.run(world);
  const r = rng(pickSeed);
  const interleaved = new ActionDriver(world.population, {}, (ready) => below(r, ready));
  interleaved.run(world);
  assert.ok(fixed.h.log.traceOrder.length > 1, 'several liquidations');
  assert.deepEqual(interleaved.h.stateHash(), fixed.h.stateHash());
});
