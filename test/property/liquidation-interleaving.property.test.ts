// Property (issue 7, part 4, the liquidation half): several scopes liquidated at once on one risk shard,
// their cancels and orders answered by two market shards, end in the same state (every shard's hash)
// whether the in-process exchange delivers records in its fixed order or one record at a time from
// streams picked at random, as worker threads would interleave them. The escalating scopes share the
// insurance fund, the ADL candidates and the books; they escalate in trigger order, one at a time
// (risk/shard/escalation-order.ts), so which market shard answered first changes nothing. Before that,
// the scope whose last cancel was answered first escalated first. The worked case is
// test/exchange/liquidation-interleaving.test.ts.
//
// The worlds are cascades: traders on cross margin with positions and resting orders in both markets
// (so their cancels go to both market shards), a thin insurance fund (so who reserves first matters),
// then an index jump, a few times over. Timer ticks are left out: one tick reaches both market shards,
// and the ADL quintile cache's refresh still depends on which shard's mark arrives first (docs/RISK.md,
// "Order independence"), a separate gap from the one this property pins.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { below, rng, testSeed } from '../support/seed.js';
import { ActionDriver } from './action-driver.js';
import type { Action, Population, World } from './exchange-actions.js';

/**
 * Every shard's state without its stream positions: how many records a shard published depends on the
 * arrival order (a position's published values are sent again whenever a fill changed them, and fills
 * from two markets come in either order), the state they leave does not.
 */
function stateOf(d: ActionDriver): bigint[] {
  return [...d.h.exchange.marketShards, ...d.h.exchange.riskShards].map((s) => s.stateHashExcludingStreams());
}

const RUNS = Number(process.env.INTERLEAVING_RUNS ?? 120);

const trader = fc.record({
  depositUsdt: fc.integer({ min: 300, max: 20_000 }),
  isolated: fc.constant([false, false] as const),
  leverage: fc.array(fc.integer({ min: 5, max: 50 }), { minLength: 2, maxLength: 2 }),
});

const population: fc.Arbitrary<Population> = fc.record({
  traders: fc.array(trader, { minLength: 3, maxLength: 8 }),
  insuranceTopUpUsdt: fc.integer({ min: 0, max: 500 }),
  perEventCapUsdt: fc.integer({ min: 1, max: 300 }),
  markets: fc.constant(2 as const),
  marketShards: fc.constant(2 as const),
  riskShards: fc.constant(1 as const),
});

/** Every trader opens in both markets and leaves an order resting in each; the makers quote; then an index jump. */
function cascade(traders: number): fc.Arbitrary<Action[]> {
  const open = fc.tuple(fc.boolean(), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 20, max: 250 }), fc.integer({ min: 1, max: 4 }));
  return fc
    .record({
      opens: fc.array(fc.tuple(open, open), { minLength: traders, maxLength: traders }),
      quotes: fc.array(fc.record({ mm: fc.integer({ min: 0, max: 1 }), market: fc.integer({ min: 0, max: 1 }), levels: fc.integer({ min: 1, max: 5 }), stepBps: fc.integer({ min: 2, max: 150 }), lots: fc.integer({ min: 1, max: 2_000 }) }), { minLength: 1, maxLength: 4 }),
      jumps: fc.array(fc.record({ market: fc.integer({ min: 0, max: 1 }), moveBps: fc.oneof(fc.integer({ min: -3_000, max: -300 }), fc.integer({ min: 300, max: 2_000 })) }), { minLength: 1, maxLength: 2 }),
    })
    .map(({ opens, quotes, jumps }) => {
      const actions: Action[] = [];
      opens.forEach((byMarket, t) =>
        byMarket.forEach(([buy, eighths, offsetBps, restEighths], market) => {
          actions.push({ kind: 'market', trader: t, market, buy, eighths, reduceOnly: false });
          actions.push({ kind: 'limit', trader: t, market, buy: !buy, offsetBps, eighths: restEighths, tif: 'GTC', reduceOnly: false });
        }),
      );
      for (const q of quotes) actions.push({ kind: 'quote', ...q });
      for (const j of jumps) actions.push({ kind: 'index', ...j });
      return actions;
    });
}

const worlds: fc.Arbitrary<World> = population.chain((p) =>
  fc.array(cascade(p.traders.length), { minLength: 1, maxLength: 4 }).map((blocks) => ({ population: p, actions: blocks.flat() })),
);

/** Every world of the seed, run in the fixed delivery order and in a seeded random one: the same state after every action. */
function checkInterleavings(seed: number): void {
  let liquidations = 0;
  fc.assert(
    fc.property(worlds, fc.nat(), (world, pickSeed) => {
      const fixed = new ActionDriver(world.population);
      const r = rng(pickSeed);
      const interleaved = new ActionDriver(world.population, {}, (ready) => below(r, ready));
      fixed.setup();
      interleaved.setup();
      world.actions.forEach((a, i) => {
        fixed.apply(a);
        interleaved.apply(a);
        assert.deepEqual(stateOf(interleaved), stateOf(fixed), `after action ${i} (${a.kind}), interleaving ${pickSeed} (seed ${seed})`);
      });
      liquidations += fixed.h.log.traceOrder.length;
    }),
    { seed, numRuns: RUNS, includeErrorInReport: true, endOnFailure: true },
  );
  console.log(`# seed ${seed}: ${RUNS} worlds, ${liquidations} liquidations`);
  assert.ok(liquidations > RUNS, `too few liquidations to race (${liquidations}, seed ${seed})`);
}

// Seeds 2-5 failed before the escalation order (every one of them), and pass with it: a regression guard.
test('concurrent liquidations on two market shards end in the same state in any interleaving of their answers (seeds 2-5)', () => {
  for (const seed of [2, 3, 4, 5]) checkInterleavings(seed);
});

// A fresh seed every run. Seeds 473893658 (after action 84) and 271848155 (after action 30) found the
// last order dependence, about one fresh seed in ten: a run stepped at the end of one market shard's
// cancel answer while the other market shard's fills of one taker order, which triggered more scopes,
// were still arriving. Runs now step only when no market stream is in the middle of one input's records
// (HeaderFlag.MORE, risk/shard/escalation-order.ts).
test('the same with a fresh seed', () => {
  checkInterleavings(testSeed('liquidation interleaving'));
});

test('the two seeds that found a run stepping in the middle of another market\'s fills (473893658, 271848155)', () => {
  for (const seed of [473893658, 271848155]) checkInterleavings(seed);
});
