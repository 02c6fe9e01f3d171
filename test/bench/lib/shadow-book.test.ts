import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ShadowBook } from '../../../bench/lib/shadow-book.js';

const BUY = 0;
const SELL = 1;

test('a taker fills the best price first and the oldest order first within it', () => {
  const b = new ShadowBook(90, 110, 10);
  b.place(1, SELL, 101, 5, true);
  b.place(2, SELL, 100, 5, true);
  b.place(3, SELL, 100, 5, true);
  b.place(4, BUY, 101, 8, true);
  assert.equal(b.tradedLots, 8);
  assert.deepEqual([b.isOpen(1), b.isOpen(2), b.isOpen(3), b.isOpen(4)], [true, false, true, false]);
  assert.equal(b.bestAskTicks(), 100);
});

test('the remainder of a crossing limit order rests at its price; an IOC remainder does not', () => {
  const b = new ShadowBook(90, 110, 10);
  b.place(1, SELL, 100, 5, true);
  b.place(2, BUY, 100, 7, true);
  assert.equal(b.bestBidTicks(), 100);
  assert.equal(b.bestAskTicks(), 0);
  b.place(3, SELL, 95, 9, false);
  assert.equal(b.tradedLots, 7);
  assert.equal(b.isOpen(3), false);
  assert.equal(b.openCount, 0);
});

test('cancelling a filled or cancelled order reports that it was not open', () => {
  const b = new ShadowBook(90, 110, 10);
  b.place(1, BUY, 99, 5, true);
  b.place(2, BUY, 98, 5, true);
  assert.equal(b.cancel(2), true);
  assert.equal(b.cancel(2), false);
  b.place(3, SELL, 99, 5, true);
  assert.equal(b.cancel(1), false);
  assert.equal(b.openCount, 0);
  assert.equal(b.bestBidTicks(), 0);
});

test('a price outside the window is refused', () => {
  assert.throws(() => new ShadowBook(90, 110, 10).place(1, BUY, 111, 1, true), RangeError);
});
