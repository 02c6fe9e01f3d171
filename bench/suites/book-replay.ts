// book-replay: events per second of the real Bitfinex BTCUSD L3 feed (100,048 events: the 50-order
// snapshot, then order-by-order adds, modifies and deletes) replayed through OrderBook, fresh book per
// run, median of the runs. Loading and preparing the feed is untimed (l3-replay.ts); latency is sampled
// per batch of BATCH_OPS events. Every call must return Code.OK and the book must end with the feed's
// own final depth, or the suite fails: a replay that silently rejects measures nothing.

import { codeName } from '../../engine/codes.js';
import { median, type CaseResult, type Suite } from '../harness.js';
import { opsPerSec, summarize, timeBatches, type BatchTiming } from '../lib/batch-timer.js';
import { BookKind, newBook } from '../lib/book-factory.js';
import { newRequest } from '../lib/book-runner.js';
import { CountingSink } from '../lib/counting-sink.js';
import { bookDepth, depthDifference } from '../lib/depth.js';
import { prepareL3Replay, runReplayRange, type L3Replay } from '../lib/l3-replay.js';
import { loadBitfinexL3 } from '../../test/support/bitfinex-l3.js';
import type { MarketSpec } from '../../engine/market/spec.js';

const SUITE = 'book-replay';
const BATCH_OPS = 1_000;
// The JIT keeps improving this loop for about twenty replays (2M events).
const WARM_UP_RUNS = 20;

function replayOnce(spec: MarketSpec, replay: L3Replay): BatchTiming {
  const sink = new CountingSink();
  const book = newBook(BookKind.FAST, sink, spec);
  const req = newRequest();
  const tally = { failures: 0, lastFailureCode: 0 };
  const timing = timeBatches(replay.length, BATCH_OPS, (from, to) => runReplayRange(book, req, replay, from, to, tally));
  if (tally.failures > 0) throw new Error(`${SUITE}: ${tally.failures} book calls failed, the last ${codeName(tally.lastFailureCode)}`);
  const diff = depthDifference(bookDepth(book), replay.expectedDepth);
  if (diff !== undefined || book.orderCount() !== replay.expectedOpen) throw new Error(`${SUITE}: the replayed book differs from the feed's: ${diff ?? `${book.orderCount()} orders`}`);
  return timing;
}

const suite: Suite = {
  description: 'Bitfinex BTCUSD L3 feed (100k adds/modifies/deletes) replayed through OrderBook, events/s',
  async run(ctx) {
    const feed = loadBitfinexL3();
    const replay = prepareL3Replay(feed);
    for (let w = 0; w < WARM_UP_RUNS; w++) replayOnce(feed.spec, replay);
    const timings: BatchTiming[] = [];
    for (let r = 0; r < (ctx.quick ? 5 : 30); r++) timings.push(replayOnce(feed.spec, replay));
    const result: CaseResult = {
      suite: SUITE,
      case: 'OrderBook',
      opsPerSec: median(timings.map((t) => opsPerSec(replay.length, t.totalNs))),
      ...summarize(timings),
      runs: timings.length,
      events: replay.length,
      restingAtEnd: replay.expectedOpen,
      deferredUpdates: feed.deferred,
      batchOps: BATCH_OPS,
    };
    return [result];
  },
};

export default suite;
