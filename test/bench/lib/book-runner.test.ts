import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BookKind, newBook } from '../../../bench/lib/book-factory.js';
import { newRequest, runBookRange } from '../../../bench/lib/book-runner.js';
import { CountingSink } from '../../../bench/lib/counting-sink.js';
import { bookDepth, depthDifference } from '../../../bench/lib/depth.js';
import { newMinimalBook, runMinimalRange } from '../../../bench/lib/minimal-book.js';
import { generateOrderStream } from '../../../bench/lib/order-stream.js';
import { newPeerBook, newTally, peerDepth, peerOrderIds, runPeerRange } from '../../../bench/lib/peer-book.js';
import { testSeed } from '../../support/seed.js';

const OPS = 20_000;

test('OrderBook and nodejs-order-book driven by the same stream trade the same lots and keep the same depth', () => {
  const seed = testSeed('book-runner agreement');
  const stream = generateOrderStream({ seed, ops: OPS });
  const sink = new CountingSink();
  const ours = newBook(BookKind.FAST, sink);
  const oursTally = newTally();
  runBookRange(ours, newRequest(), stream, 0, stream.length, oursTally);
  oursTally.tradedLots = sink.tradedLots;
  const peer = newPeerBook();
  const peerTally = newTally();
  runPeerRange(peer, stream, peerOrderIds(stream), 0, stream.length, peerTally);

  assert.deepEqual(oursTally, { tradedLots: stream.tradedLots, rejected: 0, cancelMisses: 0 });
  assert.deepEqual(peerTally, oursTally);
  assert.equal(ours.orderCount(), stream.openAtEnd);
  assert.equal(depthDifference(bookDepth(ours), peerDepth(peer)), undefined);
});

test('a stream split into batches leaves the book as one pass does', () => {
  const seed = testSeed('book-runner batches');
  const stream = generateOrderStream({ seed, ops: OPS });
  const whole = newBook(BookKind.FAST, new CountingSink());
  runBookRange(whole, newRequest(), stream, 0, stream.length, newTally());
  const split = newBook(BookKind.FAST, new CountingSink());
  const req = newRequest();
  for (let from = 0; from < stream.length; from += 777) runBookRange(split, req, stream, from, Math.min(stream.length, from + 777), newTally());
  assert.equal(split.stateHash(), whole.stateHash());
});

test('the MinimalBook yardstick trades the same lots and keeps the same depth as OrderBook on the stream', () => {
  const seed = testSeed('book-runner minimal');
  const stream = generateOrderStream({ seed, ops: OPS });
  const sink = new CountingSink();
  const ours = newBook(BookKind.FAST, sink);
  runBookRange(ours, newRequest(), stream, 0, stream.length, newTally());
  const minimal = newMinimalBook(stream);
  let misses = 0;
  for (let from = 0; from < stream.length; from += 1_000) misses += runMinimalRange(minimal, stream, from, Math.min(stream.length, from + 1_000));
  assert.equal(misses, 0, 'every cancel names an open order');
  assert.equal(minimal.tradedLots, sink.tradedLots);
  assert.equal(minimal.tradedLots, stream.tradedLots);
  assert.equal(depthDifference(minimal.depth(), bookDepth(ours)), undefined);
});
