// The loader of the real Bitfinex feed (test/support/bitfinex-l3.ts): exact number conversion and the
// shape of what it delivers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { jsonNumberToDecimal, L3Kind, loadBitfinexL3, parseJsonKeepingNumbers } from '../../support/bitfinex-l3.js';

test('JSON numbers in exponent form become exact decimals without float arithmetic', () => {
  const cases: [string, string][] = [
    ['1e-05', '0.00001'],
    ['-1.5e-06', '-0.0000015'],
    ['6.0945e4', '60945'],
    ['1E+2', '100'],
    ['60940.35136398', '60940.35136398'],
    ['0.10000000', '0.1'],
    ['007', '7'],
  ];
  for (const [text, decimal] of cases) assert.equal(jsonNumberToDecimal(text), decimal, text);
});

test('the JSON reader keeps each number’s source text', () => {
  const v = parseJsonKeepingNumbers('[1, [0.1, -2e-8], {"a": "x", "b": true}]') as unknown[];
  assert.deepEqual(JSON.parse(JSON.stringify(v)), [{ text: '1' }, [{ text: '0.1' }, { text: '-2e-8' }], { a: 'x', b: true }]);
});

test('the feed loads as the 50-order snapshot then every update, in integer ticks and lots', () => {
  const feed = loadBitfinexL3();
  assert.equal(feed.snapshotCount, 50);
  assert.equal(feed.events.length, 50 + 99_998);
  const first = feed.events[0]!;
  // [60504777678, 60945, 0.246386]: a bid of 0.246386 BTC at 60,945 USD.
  assert.deepEqual([first.kind, first.orderId, first.side, first.priceTicks, first.qtyLots], [L3Kind.ADD, 60504777678, Side.BUY, 6_094_500_000_000, 24_638_600]);
  const kinds = [0, 0, 0];
  for (const e of feed.events) kinds[e.kind]!++;
  assert.deepEqual(kinds, [37_059, 25_968, 37_021]);
});

test('an amount written with an exponent converts exactly', () => {
  const feed = loadBitfinexL3();
  // Frame 24,943 of the file is [8047, [60505150696, 60990.4633503, -1.5e-07]]: an ask of 15 satoshi.
  const e = feed.events.find((x) => x.frame === 24_943)!;
  assert.deepEqual([e.orderId, e.side, e.priceTicks, e.qtyLots], [60505150696, Side.SELL, 6_099_046_335_030, 15]);
});

test('only the two updates that would cross the book are delivered late, right after the uncrossing update', () => {
  const feed = loadBitfinexL3();
  assert.equal(feed.deferred, 2);
  const late: [number, number][] = [];
  let maxFrame = 0;
  feed.events.forEach((e, i) => {
    if (e.frame < maxFrame) late.push([e.frame, feed.events[i - 1]!.frame]);
    maxFrame = Math.max(maxFrame, e.frame);
  });
  assert.deepEqual(late, [
    [33_249, 33_255],
    [61_965, 61_980],
  ]);
});

test('in file order the loader delivers every update where the file has it', () => {
  const feed = loadBitfinexL3({ order: 'feed' });
  assert.equal(feed.deferred, 0);
  feed.events.forEach((e, i) => i > 0 && assert.ok(e.frame >= feed.events[i - 1]!.frame));
});
