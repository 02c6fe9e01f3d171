// The circular wash-trading detector's per-half-window tables (detectors/frame-pairs.ts, u32-index.ts)
// must answer as the nested maps they replaced: the same pairs found with the same counts, visited in the
// same order (each low account in the order it first traded, within it each high account likewise),
// through the tables' growth and after a clear, for small, colliding and 32-bit-wide account ids.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FramePairs } from '../../../risk/surveillance/detectors/frame-pairs.js';
import { TradeView } from '../../../risk/surveillance/market-watch.js';
import { U32Index } from '../../../risk/surveillance/u32-index.js';
import { below, rng, testSeed } from '../../support/seed.js';

test('frame pairs: the counts, evidence and visiting order of nested maps, through growth and clears', () => {
  const seed = testSeed('frame pairs');
  const r = rng(seed);
  const pairs = new FramePairs();
  // The same trades into a table whose candidates are the pairs reaching 3 trades.
  const three = new FramePairs(3);
  const t = new TradeView();
  const account = (): number => (below(r, 3) === 0 ? 2 ** 32 - 1 - below(r, 50) : below(r, 400) * 1_024);
  for (let round = 0; round < 3; round++) {
    const model = new Map<number, Map<number, { trades: number; lots: number; evidence: string[] }>>();
    // Evidence: a pair's first trade and later ones while it holds fewer than maxEvidence (3 here).
    const maxEvidence = 3;
    const reached: string[] = [];
    const trades = round === 1 ? 200 : 30_000;
    for (let k = 0; k < trades; k++) {
      const a = account();
      const b = account();
      const low = Math.min(a, b);
      const high = Math.max(a, b);
      t.seq = k + 1;
      t.timeUs = 1_000 * (k + 1);
      t.tradeId = 10 * k + round;
      t.qtyLots = 1 + below(r, 9);
      t.priceTicks = 2 ** 40 + below(r, 1_000);
      t.takerAccountId = a;
      t.makerAccountId = b;
      t.takerSide = below(r, 2);
      pairs.note(t, low, high, maxEvidence);
      three.note(t, low, high, maxEvidence);
      let row = model.get(low);
      if (row === undefined) model.set(low, (row = new Map()));
      const e = row.get(high) ?? { trades: 0, lots: 0, evidence: [] };
      e.trades++;
      e.lots += t.qtyLots;
      if (e.trades === 3) reached.push(`${low}:${high}`);
      if (e.evidence.length < maxEvidence) e.evidence.push(JSON.stringify(t.evidence()));
      row.set(high, e);
    }
    const expected: string[] = [];
    for (const [low, row] of model) for (const [high, e] of row) expected.push(`${low}:${high}:${e.trades}:${e.lots}`);
    const seen: string[] = [];
    pairs.forEach((low, high, i) => {
      assert.equal(pairs.find(low, high), i);
      seen.push(`${low}:${high}:${pairs.trades(i)}:${pairs.lots(i)}`);
      assert.deepEqual(pairs.evidence(i).map((x) => JSON.stringify(x)), model.get(low)!.get(high)!.evidence, `seed ${seed}: evidence of ${low}:${high}`);
    });
    assert.deepEqual(seen, expected, `seed ${seed}, round ${round}`);
    // Every pair is a candidate at 1 trade, in the order pairs first traded; at 3, those reaching 3, in
    // that order; in visiting order, as forEach() visits them.
    assert.equal(pairs.candidates().length, seen.length);
    assert.deepEqual(three.candidates().map((i) => `${three.lowOf(i)}:${three.highOf(i)}`), reached, `seed ${seed}`);
    const visited = three.inVisitOrder(three.candidates()).map((i) => `${three.lowOf(i)}:${three.highOf(i)}:${three.trades(i)}:${three.lots(i)}`);
    assert.deepEqual(visited, expected.filter((x) => Number(x.split(':')[2]) >= 3), `seed ${seed}`);
    three.clear();
    assert.equal(three.candidates().length, 0);
    assert.equal(pairs.find(3, 5), -1);
    pairs.clear();
    let left = 0;
    pairs.forEach(() => left++);
    assert.equal(left, 0);
  }
});

test('u32 index: entries numbered in first-added order, found again, kept through growth and clear', () => {
  const seed = testSeed('u32 index');
  const r = rng(seed);
  const index = new U32Index(4);
  for (let round = 0; round < 2; round++) {
    const model = new Map<number, number>();
    for (let k = 0; k < 20_000; k++) {
      const key = below(r, 2) === 0 ? below(r, 5_000) : 2 ** 32 - 1 - below(r, 5_000);
      const e = index.intern(key);
      if (!model.has(key)) model.set(key, model.size);
      assert.equal(e, model.get(key), `seed ${seed}`);
    }
    assert.equal(index.size, model.size);
    for (const [key, e] of model) {
      assert.equal(index.find(key), e);
      assert.equal(index.keyAt(e), key);
    }
    assert.equal(index.find(123_456_789), -1);
    index.clear();
    assert.equal(index.size, 0);
    assert.equal(index.find([...model.keys()][0]!), -1);
  }
});
