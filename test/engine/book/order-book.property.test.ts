// Property tests: random command streams (every order type and time-in-force, cancels by id and client
// id, cancel-all, amends, mark moves, STP settings, several accounts) drive the fast book against the
// reference book, and the fast book against its invariants. Seeds come from testSeed, so a failure
// prints its seed and replays with SEED=<n>; fast-check then shrinks to a short counterexample.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { OrderBook } from '../../../engine/book/order-book.js';
import { ReferenceBook } from '../../../engine/book/reference-book.js';
import type { MarketSpec } from '../../../engine/market/spec.js';
import { testSeed } from '../../support/seed.js';
import { apply, commandArb, PROPERTY_SPEC, Resolver, TIGHT_SPEC, type Cmd } from './command-stream.js';
import { INVARIANTS, InvariantChecker, type Invariant } from './invariants.js';
import { RecordingSink } from './recording-sink.js';

const RUNS = process.env.CI === 'true' ? 500 : 1_000;
const streams = fc.array(commandArb, { minLength: 1, maxLength: 120, size: 'max' });

function differential(spec: MarketSpec, cmds: Cmd[]): void {
  const fastSink = new RecordingSink();
  const refSink = new RecordingSink();
  const fast = new OrderBook(spec, fastSink);
  const ref = new ReferenceBook(spec, refSink);
  const resolver = new Resolver();
  cmds.forEach((cmd, i) => {
    const call = resolver.resolve(cmd, ref.orders());
    const expected = apply(ref, call);
    const actual = apply(fast, call);
    const label = `command ${i} ${JSON.stringify(call)}`;
    assert.deepEqual(fastSink.take(), refSink.take(), `${label}: events differ`);
    assert.equal(actual, expected, `${label}: results differ`);
    assert.equal(fast.stateHash(), ref.stateHash(), `${label}: state hashes differ`);
  });
  assert.deepEqual(fast.orders(), ref.orders());
}

function holds(spec: MarketSpec, cmds: Cmd[], invariant: Invariant): void {
  const sink = new RecordingSink();
  const book = new OrderBook(spec, sink);
  const checker = new InvariantChecker(book);
  const resolver = new Resolver();
  cmds.forEach((cmd, i) => {
    const call = resolver.resolve(cmd, book.orders());
    apply(book, call);
    checker.afterCommand(sink.take(), `command ${i} ${JSON.stringify(call)}`);
  });
  assert.equal(checker.violations.get(invariant), undefined);
}

describe('fast book against the reference book', () => {
  test('both emit the same events, results and state hashes after every command', () => {
    const seed = testSeed('order-book differential');
    fc.assert(
      fc.property(streams, (cmds) => differential(PROPERTY_SPEC, cmds)),
      { seed, numRuns: RUNS },
    );
  });

  test('they still agree when the book-full and per-account limits bite and there is no band', () => {
    const seed = testSeed('order-book differential, tight market');
    fc.assert(
      fc.property(streams, (cmds) => differential(TIGHT_SPEC, cmds)),
      { seed, numRuns: RUNS },
    );
  });
});

describe('fast book invariants', () => {
  const titles: Record<Invariant, string> = {
    uncrossed: 'the book is never crossed at rest',
    fifo: 'orders within a level keep the order in which they entered it',
    fillAccounting: 'filled plus remaining equals the order quantity, and positions equal the trades',
    postOnlyNeverTakes: 'a post-only order never takes liquidity',
    noSelfTrade: 'no trade is ever between an account and itself',
    endedNeverFill: 'an order that was cancelled, expired or filled never trades again',
    reduceOnlyOnlyReduces: 'a reduce-only fill never grows or flips a position',
  };
  for (const invariant of INVARIANTS) {
    test(titles[invariant], () => {
      const seed = testSeed(`order-book invariant ${invariant}`);
      fc.assert(
        fc.property(streams, fc.boolean(), (cmds, tight) => holds(tight ? TIGHT_SPEC : PROPERTY_SPEC, cmds, invariant)),
        { seed, numRuns: Math.ceil(RUNS / 2) },
      );
    });
  }
});
