import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BookKind, benchSpec, newBook } from '../../../bench/lib/book-factory.js';
import { OrderBook } from '../../../engine/book/order-book.js';
import { EventWriter } from '../../../engine/shard/event-writer.js';
import { EPOCH_START_US, newRequest, runBookRange } from '../../../bench/lib/book-runner.js';
import { CopyingOutput } from '../../../bench/lib/surveillance/copying-output.js';
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

test('op i is stamped startUs + i × usPerOp, so a stream can carry epoch-µs times as a venue\'s do', () => {
  const seed = testSeed('book-runner start time');
  const stream = generateOrderStream({ seed, ops: 2_000 });
  const out = new CopyingOutput(stream.length * 4);
  const book = new OrderBook(benchSpec, new EventWriter(new CopyingOutput(), [], out));
  const tally = newTally();
  runBookRange(book, newRequest(), stream, 0, stream.length, tally, 1_000, EPOCH_START_US);
  assert.equal(tally.cancelMisses, 0);
  const buf = out.kept!;
  const times = new Set<number>();
  for (let i = 0; i < out.keptCount; i++) times.add(buf.timeUs(buf.at(i)));
  // Every op emits at least one event, each stamped with its op's time.
  assert.equal(times.size, stream.length);
  for (let i = 0; i < stream.length; i++) assert.ok(times.has(EPOCH_START_US + i * 1_000), `op ${i}`);
  assert.ok(EPOCH_START_US > 2 ** 31, 'beyond V8 small integers');
});
