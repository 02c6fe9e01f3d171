// The risk state hash's two mixers (risk-state-hash.ts): version 1's StateHash (engine/book/state-hash.ts)
// and version 2's four-lane LaneHash (lane-hash.ts). LaneHash is checked against a plain transcription of
// its definition (word k to lane k mod 4, MurmurHash3_x86_32's body per lane, x86_128's finalization), and
// pinned to fixed digests: a version-2 snapshot in a data directory records this definition's value, so
// it must never drift. Both mixers: int is the two words of its 64-bit two's complement, and changing one
// word of a sequence changes the digest.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LaneHash } from '../../../risk/shard/lane-hash.js';
import { newHasher } from '../../../risk/shard/risk-hasher.js';
import { testSeed } from '../../support/seed.js';

/** The definition, word by word, with the lanes in an array (the class keeps them in fields). */
function reference(words: readonly number[]): bigint {
  const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
  const fmix = (h: number) => {
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return h ^ (h >>> 16);
  };
  const lanes = [0x9747b28c | 0, 0x2f6c9b3d, 0x4cf5ad43, 0x68e31da4];
  words.forEach((w, k) => {
    const m = Math.imul(rotl(Math.imul(w | 0, 0xcc9e2d51), 15), 0x1b873593);
    lanes[k % 4] = (Math.imul(rotl(lanes[k % 4]! ^ m, 13), 5) + 0xe6546b64) | 0;
  });
  let [h0, h1, h2, h3] = lanes.map((h) => h ^ words.length) as [number, number, number, number];
  h0 = (h0 + h1 + h2 + h3) | 0;
  [h1, h2, h3] = [(h1 + h0) | 0, (h2 + h0) | 0, (h3 + h0) | 0];
  [h0, h1, h2, h3] = [fmix(h0), fmix(h1), fmix(h2), fmix(h3)];
  h0 = (h0 + h1 + h2 + h3) | 0;
  h1 = (h1 + h0) | 0;
  return (BigInt(h0 >>> 0) << 32n) | BigInt(h1 >>> 0);
}

/** The two's-complement words of a safe integer, low first. */
function halves(n: number): [number, number] {
  const v = BigInt.asUintN(64, BigInt(n));
  return [Number(v & 0xffffffffn), Number(v >> 32n)];
}

type Step = { int: number } | { word: number };
const steps = fc.array(fc.oneof(fc.record({ int: fc.maxSafeInteger() }), fc.record({ word: fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }) })), { maxLength: 60 });

function wordsOf(s: readonly Step[]): number[] {
  return s.flatMap((x) => ('int' in x ? halves(x.int) : [x.word]));
}

function laneHash(s: readonly Step[]): bigint {
  const h = new LaneHash();
  h.begin();
  for (const x of s) if ('int' in x) h.int(x.int);
  else h.word(x.word);
  return h.digest();
}

test('LaneHash computes its definition: word k to lane k mod 4, whatever mix of int and word calls', () => {
  const seed = testSeed('lane hash against its definition');
  fc.assert(
    fc.property(steps, (s) => laneHash(s) === reference(wordsOf(s))),
    { seed, numRuns: 1_000 },
  );
});

test('LaneHash is pinned: fixed sequences give the digests version-2 snapshots were written with', () => {
  assert.equal(laneHash([]).toString(16), reference([]).toString(16));
  const pinned: [Step[], string][] = [
    [[], '67b9b16354c2214d'],
    [[{ word: 0x33534b52 }], '91f7f9f1fe12450b'],
    [[{ int: 1 }, { int: -1 }, { word: 7 }, { int: 2 ** 40 + 3 }, { int: -(2 ** 52) }], '962623b656b299e3'],
  ];
  for (const [s, hex] of pinned) assert.equal(laneHash(s).toString(16).padStart(16, '0'), hex, JSON.stringify(s));
});

for (const version of [1, 2]) {
  test(`definition ${version}: an int is the two words of its 64-bit two's complement`, () => {
    const seed = testSeed(`risk mixer int halves v${version}`);
    fc.assert(
      fc.property(fc.array(fc.maxSafeInteger(), { maxLength: 20 }), (ns) => {
        const a = newHasher(version);
        const b = newHasher(version);
        a.begin();
        b.begin();
        for (const n of ns) {
          a.int(n);
          for (const w of halves(n)) b.word(w);
        }
        return a.digest() === b.digest();
      }),
      { seed, numRuns: 500 },
    );
  });

  test(`definition ${version}: changing one word of a sequence, or its length, changes the digest`, () => {
    const seed = testSeed(`risk mixer one change v${version}`);
    const word = fc.integer({ min: 0, max: 2 ** 32 - 1 });
    const hashOf = (words: readonly number[]) => {
      const h = newHasher(version);
      h.begin();
      for (const w of words) h.word(w);
      return h.digest();
    };
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 40 }), fc.nat(), word, (words, at, value) => {
        const i = at % words.length;
        const changed = [...words];
        changed[i] = value;
        if (value !== words[i]) assert.notEqual(hashOf(changed), hashOf(words));
        assert.notEqual(hashOf([...words, 0]), hashOf(words));
      }),
      { seed, numRuns: 500 },
    );
  });
}

test('the two definitions differ on the same words', () => {
  const a = newHasher(1);
  const b = newHasher(2);
  a.begin();
  b.begin();
  a.int(42);
  b.int(42);
  assert.notEqual(a.digest(), b.digest());
  // Risk format 3 (listmarket) hashes in definition 2; a format this build does not know has none.
  const c = newHasher(3);
  c.begin();
  c.int(42);
  assert.equal(c.digest(), b.digest());
  assert.throws(() => newHasher(4), RangeError);
});
