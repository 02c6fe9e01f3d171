// Issue 7, part 4, beyond funding: with one risk shard and two market shards, one command must end in the
// same state whichever thread ran first. An index drop triggers several scopes at once; a cross account
// holding both markets cancels its orders on both market shards, and their answers arrive in either order
// relative to the other scopes' answers from one market shard. Escalating scopes share the insurance
// fund's unreserved balance, the ADL candidates (a scope in the pipeline is none) and the book. Before the
// escalation order (risk/shard/escalation-order.ts) the scope that finished cancelling first escalated
// first and took them; now scopes step in trigger order, one in flight at a time, at the end of a record.
// This world failed before that (a todo test then); test/property/liquidation-interleaving.property.test.ts
// checks random cascades.
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

/** stateOf: what must agree (the whole hash, or without stream positions where the record counts may differ). */
function sameStateInBothOrders(name: string, stateOf: (d: ActionDriver) => bigint[]): void {
  const { world, pickSeed } = JSON.parse(readFileSync(fixture('interleaving', name), 'utf8')) as { world: World; pickSeed: number };
  const fixed = new ActionDriver(world.population);
  fixed.run(world);
  const r = rng(pickSeed);
  const interleaved = new ActionDriver(world.population, {}, (ready) => below(r, ready));
  interleaved.run(world);
  assert.ok(fixed.h.log.traceOrder.length > 1, 'several liquidations');
  assert.deepEqual(stateOf(interleaved), stateOf(fixed));
}

test('concurrent liquidations answered by two market shards end in the same state in any interleaving', () => {
  sameStateInBothOrders('cross-liquidation-race.json', (d) => d.h.stateHash());
});

// One taker order's fills on one market shard trigger several scopes; the first one's cancel, answered by
// the other market shard, arrived between two of those fills, and that run swept before the later scopes
// were triggered (their resting orders were taken instead of cancelled). Runs now wait for the last record
// of a market's input (HeaderFlag.MORE). Failed before that.
test('a run does not step between the fills of one taker order that trigger other scopes', () => {
  // Without stream positions, as the property compares: a position's values are published again whenever
  // fills from either market changed them, so how many records a shard published depends on arrival.
  sameStateInBothOrders('taker-fills-race.json', (d) => [...d.h.exchange.marketShards, ...d.h.exchange.riskShards].map((s) => s.stateHashExcludingStreams()));
});
