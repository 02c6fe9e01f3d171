// Property (issue 7, part 4): funding of different markets commutes. One timer tick makes every market
// shard settle its markets' funding; with two market shards their FundingRateApplied records (and the
// tick itself, on the risk shard's gateway input) reach a risk shard in whatever order the threads ran.
//
// A random world runs on the in-process exchange (two markets on two market shards, one or two risk
// shards) while every risk shard's input records are copied. Each risk shard's inputs are then replayed
// into a fresh shard with each timer tick and the funding records it caused interleaved at random (each
// input keeps its own order, as a ring does). The replay must end in the state the original shard
// reached. Before the funding round (risk/shard/funding-settlement.ts) it did not: a scope evaluated
// between two markets' payments published, called margins and started liquidations in one order only.
// (The other race of one command, several liquidations answered by two market shards at once, is
// test/property/liquidation-interleaving.property.test.ts.)

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { InProcessExchange } from '../../exchange/in-process-exchange.js';
import { RECORD_BYTES, RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { below, rng, testSeed, type Rng } from '../support/seed.js';
import { ActionDriver } from './action-driver.js';
import { worldArb } from './exchange-actions.js';

const RUNS = 100;
const worlds = worldArb({ shards: true, jumpPercent: 45 }, 80, 200).map((w) => ({ ...w, population: { ...w.population, markets: 2 as const, marketShards: 2 as const } }));

interface Input {
  readonly input: number;
  readonly record: RecordBuffer;
}

/**
 * Each timer tick on the gateway input with the funding records that follow it (the funding that tick
 * settled), interleaved at random, each input's order kept; everything else where it was.
 */
function shuffleTicks(inputs: readonly Input[], r: Rng): { order: Input[]; mixedRuns: number } {
  const order: Input[] = [];
  let mixedRuns = 0;
  for (let i = 0; i < inputs.length; ) {
    if (inputs[i]!.record.type(0) !== RecordType.AdvanceTime) {
      order.push(inputs[i++]!);
      continue;
    }
    const byInput = new Map<number, Input[]>([[0, [inputs[i++]!]]]);
    for (; i < inputs.length && inputs[i]!.record.type(0) === RecordType.FundingRateApplied; i++) {
      const x = inputs[i]!;
      byInput.set(x.input, [...(byInput.get(x.input) ?? []), x]);
    }
    const queues = [...byInput.values()];
    if (queues.length > 2) mixedRuns++;
    while (queues.length > 0) {
      const k = below(r, queues.length);
      order.push(queues[k]!.shift()!);
      if (queues[k]!.length === 0) queues.splice(k, 1);
    }
  }
  return { order, mixedRuns };
}

test('funding records of one timer tick give the same risk-shard state in any arrival order', () => {
  const seed = testSeed('funding commutes');
  let mixed = 0;
  fc.assert(
    fc.property(worlds, fc.nat(), (world, shuffleSeed) => {
      const d = new ActionDriver(world.population);
      const copied: Input[][] = d.h.exchange.riskShards.map(() => []);
      d.h.exchange.riskShards.forEach((shard, r) => {
        const handle = shard.handle.bind(shard);
        shard.handle = (buf, at, input) => {
          copied[r]!.push({ input, record: new RecordBuffer(buf.u8.slice(at, at + RECORD_BYTES).buffer) });
          handle(buf, at, input);
        };
      });
      d.run(world);
      const fresh = new InProcessExchange(d.h.options);
      const r = rng(shuffleSeed);
      copied.forEach((inputs, k) => {
        const { order, mixedRuns } = shuffleTicks(inputs, r);
        mixed += mixedRuns;
        const replica = fresh.riskShards[k]!;
        for (const x of order) replica.handle(x.record, 0, x.input);
        assert.equal(replica.stateHash(), d.h.exchange.riskShards[k]!.stateHash(), `risk shard ${k}, shuffle ${shuffleSeed} (seed ${seed})`);
      });
    }),
    { seed, numRuns: RUNS, includeErrorInReport: true, endOnFailure: true },
  );
  assert.ok(mixed > 0, `no timer tick brought funding from both market shards (seed ${seed})`);
});
