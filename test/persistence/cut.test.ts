// The consistent cut: a shard's prefix grows only over records whose producing input is inside the
// producer's prefix; dependencies chain across shards; gateway inputs depend on nothing; the last seq per
// input follows the cut.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CutTracker } from '../../persistence/cut.js';
import { rng, testSeed } from '../support/seed.js';

// Shard 0 (market): input 0 gateway, input 1 from shard 1. Shard 1 (risk): input 0 gateway, input 1 from shard 0.
const producers = [
  [-1, 1],
  [-1, 0],
];

test('gateway inputs enter the cut at once; a record from another shard waits for its producing input', () => {
  const c = new CutTracker(producers);
  c.add(1, 0, 1, 0); // risk takes a gateway command at position 0
  c.add(0, 1, 1, 0); // market takes the order risk produced from position 0
  c.advance();
  assert.deepEqual(c.positions, [1, 1]);
  c.add(0, 1, 2, 1); // an order risk produced from position 1, which risk has not journaled yet
  c.advance();
  assert.deepEqual(c.positions, [1, 1]);
  assert.equal(c.outstanding(), 1);
  c.add(1, 0, 2, 0);
  c.advance();
  assert.deepEqual(c.positions, [2, 2]);
  assert.deepEqual(c.lastSeq, [[0, 2], [2, 0]]);
});

test('a chain of dependencies resolves in one advance (the fixed point)', () => {
  const c = new CutTracker(producers);
  // market position 0 depends on risk position 0, which depends on market... (risk input 1 from market 0)
  c.add(0, 1, 1, 0); // market@0 needs risk@0
  c.add(1, 1, 1, 0); // risk@0 needs market@0: a cycle, never inside
  c.advance();
  assert.deepEqual(c.positions, [0, 0]);
  const d = new CutTracker(producers);
  d.add(0, 0, 1, 0); // market@0 gateway
  d.add(1, 1, 1, 0); // risk@0 needs market@0
  d.add(0, 1, 1, 0); // market@1 needs risk@0
  d.add(1, 1, 2, 1); // risk@1 needs market@1
  d.advance();
  assert.deepEqual(d.positions, [2, 2]);
});

test('the cut never contains a record whose dependency is outside it (random streams)', () => {
  const seed = testSeed('cut closure');
  const r = rng(seed);
  const c = new CutTracker(producers);
  // What each shard handled, in order (input, seq, producer, dep), and how much of it is journaled: the
  // writer sees a shard's records later than the shard handled them, and shard by shard.
  const handled: { input: number; seq: number; producer: number; dep: number }[][] = [[], []];
  const journaled = [0, 0];
  const seqs = [[0, 0], [0, 0]];
  for (let step = 0; step < 4_000; step++) {
    const x = r() % 2;
    if (r() % 3 !== 0) {
      const input = r() % 2;
      const producer = producers[x]![input]!;
      // A record from another shard was produced by an input that shard had already handled.
      if (producer >= 0 && handled[producer]!.length === 0) continue;
      const dep = producer < 0 ? 0 : handled[producer]!.length - 1 - (r() % Math.min(4, handled[producer]!.length));
      handled[x]!.push({ input, seq: ++seqs[x]![input]!, producer, dep });
    } else {
      const upTo = Math.min(handled[x]!.length, journaled[x]! + (r() % 16));
      for (; journaled[x]! < upTo; journaled[x]!++) {
        const h = handled[x]![journaled[x]!]!;
        c.add(x, h.input, h.seq, h.dep);
      }
      c.advance();
    }
    if (step % 97 === 0) {
      for (let s = 0; s < 2; s++) {
        for (let p = 0; p < c.positions[s]!; p++) {
          const h = handled[s]![p]!;
          if (h.producer >= 0) assert.ok(h.dep < c.positions[h.producer]!, `shard ${s} position ${p} depends on ${h.producer}@${h.dep} outside ${c.positions[h.producer]}`);
        }
      }
    }
  }
  // Journal everything: with every record durable, the cut covers it all.
  for (let x = 0; x < 2; x++) for (; journaled[x]! < handled[x]!.length; journaled[x]!++) c.add(x, handled[x]![journaled[x]!]!.input, handled[x]![journaled[x]!]!.seq, handled[x]![journaled[x]!]!.dep);
  c.advance();
  assert.deepEqual(c.positions, [handled[0]!.length, handled[1]!.length]);
  assert.deepEqual(c.lastSeq, seqs);
});
