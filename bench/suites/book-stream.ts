// book-stream: how many operations per second one book sustains on a realistic mixed stream, ours
// against the npm peer nodejs-order-book in the same process run.
//
//   generateOrderStream (untimed) ──▶ typed arrays ──┬─▶ OrderBook         (fresh book per run) ─┬─▶ medians, ratio
//                                                    ├─▶ nodejs-order-book  (fresh book per run) ─┤
//                                                    └─▶ MinimalBook        (fresh book per run) ─┘
//
// Stream: 70% limit orders (a quarter of them priced through the touch), 25% cancels of open orders, 5%
// market orders with a slippage limit, around a random-walking mid (order-stream.ts). Latency is sampled
// per batch of BATCH_OPS operations (batch-timer.ts). After each run the engines must agree: no
// rejection, no missed cancel, traded lots equal to the generator's price-time model, and identical
// resting depth (price and quantity per level) in both books. Goals: OrderBook ≥ 5M ops/s and ≥ 20×
// the peer. MinimalBook (minimal-book.ts) is the yardstick from the machine's side: bare price-time
// matching on typed arrays with nothing a venue needs (no validation, events, accounts or STP), so the
// ratio to it says what all of that costs. ReferenceBook is left out: it sorts its whole book per command (a test oracle), so a
// million operations on a 20,000-order book would take hours.
//
// Options after `--`: --seed <n> (default 1), --ops <n>.

import { intOption, median, type CaseResult, type Suite } from '../harness.js';
import { opsPerSec, summarize, timeBatches, type BatchTiming } from '../lib/batch-timer.js';
import { BookKind, newBook } from '../lib/book-factory.js';
import { newRequest, runBookRange } from '../lib/book-runner.js';
import { CountingSink } from '../lib/counting-sink.js';
import { bookDepth, depthDifference, type Depth } from '../lib/depth.js';
import { newMinimalBook, runMinimalRange } from '../lib/minimal-book.js';
import { generateOrderStream, type OrderStream } from '../lib/order-stream.js';
import { newPeerBook, newTally, peerDepth, peerOrderIds, runPeerRange, type StreamTally } from '../lib/peer-book.js';

const SUITE = 'book-stream';
const BATCH_OPS = 1_000;
const GOAL_OPS_PER_SEC = 5_000_000;
const GOAL_RATIO = 20;

interface RunOutcome {
  timing: BatchTiming;
  tally: StreamTally;
  depth: Depth;
  openAtEnd: number;
  trades: number;
  events: number;
}

function runOurs(kind: BookKind, stream: OrderStream): RunOutcome {
  const sink = new CountingSink();
  const book = newBook(kind, sink);
  const req = newRequest();
  const tally = newTally();
  const timing = timeBatches(stream.length, BATCH_OPS, (from, to) => runBookRange(book, req, stream, from, to, tally));
  tally.tradedLots = sink.tradedLots;
  return { timing, tally, depth: bookDepth(book), openAtEnd: book.orderCount(), trades: sink.trades, events: sink.events };
}

function runPeer(stream: OrderStream, ids: readonly string[]): RunOutcome {
  const book = newPeerBook();
  const tally = newTally();
  const timing = timeBatches(stream.length, BATCH_OPS, (from, to) => runPeerRange(book, stream, ids, from, to, tally));
  const depth = peerDepth(book);
  return { timing, tally, depth, openAtEnd: -1, trades: -1, events: -1 };
}

function runMinimal(stream: OrderStream): RunOutcome {
  const book = newMinimalBook(stream);
  const tally = newTally();
  const timing = timeBatches(stream.length, BATCH_OPS, (from, to) => {
    tally.cancelMisses += runMinimalRange(book, stream, from, to);
  });
  tally.tradedLots = book.tradedLots;
  return { timing, tally, depth: book.depth(), openAtEnd: -1, trades: -1, events: -1 };
}

/** Why a run disagrees with the generator's model or with the first run of another engine, if it does. */
function disagreement(name: string, r: RunOutcome, stream: OrderStream, depth: Depth | undefined): string | undefined {
  if (r.tally.rejected > 0) return `${name}: ${r.tally.rejected} orders rejected`;
  if (r.tally.cancelMisses > 0) return `${name}: ${r.tally.cancelMisses} cancels missed`;
  if (r.tally.tradedLots !== stream.tradedLots) return `${name}: traded ${r.tally.tradedLots} lots, model ${stream.tradedLots}`;
  if (r.openAtEnd >= 0 && r.openAtEnd !== stream.openAtEnd) return `${name}: ${r.openAtEnd} open orders, model ${stream.openAtEnd}`;
  const d = depth === undefined ? undefined : depthDifference(r.depth, depth);
  return d === undefined ? undefined : `${name} depth differs: ${d}`;
}

const suite: Suite = {
  description: 'mixed order stream (70% limit, 25% cancel, 5% market): OrderBook vs nodejs-order-book, ops/s and ratio',
  async run(ctx) {
    const seed = intOption(ctx.args, '--seed', 1);
    const ops = intOption(ctx.args, '--ops', ctx.quick ? 100_000 : 1_000_000);
    const fastRuns = ctx.quick ? 3 : 7;
    const slowRuns = ctx.quick ? 2 : 5;
    const stream = generateOrderStream({ seed, ops });
    const ids = peerOrderIds(stream);

    // Warm-up (untimed) so the measured runs see optimised code: OrderBook keeps speeding up for about
    // three million operations, the peer settles within its first pass.
    for (let w = 0; w < (ctx.quick ? 3 : 2); w++) runOurs(BookKind.FAST, stream);
    runPeer(stream, ids);
    for (let w = 0; w < 2; w++) runMinimal(stream);

    const runs: Record<'fast' | 'peer' | 'minimal', RunOutcome[]> = { fast: [], peer: [], minimal: [] };
    const problems: string[] = [];
    let depth: Depth | undefined;
    for (let r = 0; r < fastRuns; r++) {
      // Interleaved, so drift in machine load touches every engine alike.
      const fast = runOurs(BookKind.FAST, stream);
      runs.fast.push(fast);
      depth ??= fast.depth;
      const p1 = disagreement('OrderBook', fast, stream, depth);
      if (p1) problems.push(p1);
      const minimal = runMinimal(stream);
      runs.minimal.push(minimal);
      const p3 = disagreement('MinimalBook', minimal, stream, depth);
      if (p3) problems.push(p3);
      if (r >= slowRuns) continue;
      const peer = runPeer(stream, ids);
      runs.peer.push(peer);
      const p2 = disagreement('nodejs-order-book', peer, stream, depth);
      if (p2) problems.push(p2);
    }
    for (const p of new Set(problems)) console.error(`${SUITE}: engines disagree: ${p}`);

    const rate = (list: RunOutcome[]): number => median(list.map((o) => opsPerSec(ops, o.timing.totalNs)));
    const fastRate = rate(runs.fast);
    const peerRate = rate(runs.peer);
    const minimalRate = rate(runs.minimal);
    const first = runs.fast[0]!;
    const common = {
      seed,
      ops,
      batchOps: BATCH_OPS,
      tradedLots: stream.tradedLots,
      openOrdersAtEnd: stream.openAtEnd,
      enginesAgree: problems.length === 0,
    };
    const caseOf = (name: string, list: RunOutcome[], extra: Record<string, string | number | boolean>): CaseResult => ({
      suite: SUITE,
      case: name,
      opsPerSec: rate(list),
      ...summarize(list.map((o) => o.timing)),
      runs: list.length,
      ...common,
      ...extra,
    });
    const ratio = Math.round((fastRate / peerRate) * 10) / 10;
    const ofMinimal = Math.round((fastRate / minimalRate) * 100) / 100;
    return [
      caseOf('OrderBook', runs.fast, {
        peerOpsPerSec: peerRate,
        ratioVsPeer: ratio,
        minimalOpsPerSec: minimalRate,
        ratioVsMinimal: ofMinimal,
        trades: first.trades,
        eventsPerOp: Math.round((first.events / ops) * 100) / 100,
        meetsOpsGoal: fastRate >= GOAL_OPS_PER_SEC,
        meetsRatioGoal: ratio >= GOAL_RATIO,
      }),
      caseOf('nodejs-order-book (peer)', runs.peer, { oursOpsPerSec: fastRate, ratioVsPeer: ratio }),
      caseOf('MinimalBook (yardstick)', runs.minimal, { oursOpsPerSec: fastRate, ratioVsMinimal: ofMinimal }),
    ];
  },
};

export default suite;
