// book-memory: bytes per resting order with 1,000,000 resting orders in OrderBook (goal ≤ 128), and
// ReferenceBook for context. Each measurement runs in a child process with --expose-gc
// (lib/memory-child.ts): memory (heapUsed + external) after GC before and after resting the orders,
// divided by their count. opsPerSec and p50/p99 describe the insertion itself (batches of 1,000
// resting orders, no matching).
//
// ReferenceBook rests only REFERENCE_ORDERS orders: it sorts its whole book on every command (it is the
// test oracle), so inserting n orders costs O(n² log n) and 1M would take days. Its per-order figure
// is plain-object size and does not depend much on n, but read it as context, not as a peer result.
//
// Options after `--`: --orders <n> (OrderBook; default 1,000,000, quick 200,000).

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, type CaseResult, type Suite } from '../harness.js';
import { opsPerSec, summarize } from '../lib/batch-timer.js';
import { BookKind } from '../lib/book-factory.js';
import type { MemoryReport } from '../lib/memory-child.js';

const SUITE = 'book-memory';
const GOAL_BYTES_PER_ORDER = 128;
const GOAL_ORDERS = 1_000_000;
const REFERENCE_ORDERS = 5_000;
const child = fileURLToPath(new URL('../lib/memory-child.js', import.meta.url));

function measureOnce(kind: BookKind, orders: number): MemoryReport {
  const out = execFileSync(process.execPath, ['--expose-gc', child, kind, String(orders)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out) as MemoryReport;
}

function caseOf(kind: BookKind, reports: MemoryReport[]): CaseResult {
  const orders = reports[0]!.orders;
  const timings = reports.map((r) => ({ totalNs: r.insertTotalNs, perOpNs: Float64Array.from(r.insertNs) }));
  const bytesPerOrder = median(reports.map((r) => r.bytesPerOrder));
  return {
    suite: SUITE,
    case: kind === BookKind.FAST ? 'OrderBook' : 'ReferenceBook',
    opsPerSec: median(timings.map((t) => opsPerSec(orders, t.totalNs))),
    ...summarize(timings),
    orders,
    runs: reports.length,
    bytesPerOrder,
    heapUsedPerOrder: median(reports.map((r) => r.heapUsedPerOrder)),
    arrayBuffersPerOrder: median(reports.map((r) => r.arrayBuffersPerOrder)),
    doubleCountedBytesPerOrder: median(reports.map((r) => r.doubleCountedBytesPerOrder)),
    // The goal is stated at 1M orders; at other counts the pool's doubling slack moves the figure.
    ...(kind === BookKind.FAST && orders === GOAL_ORDERS ? { goalBytesPerOrder: GOAL_BYTES_PER_ORDER, meetsGoal: bytesPerOrder <= GOAL_BYTES_PER_ORDER } : {}),
  };
}

const suite: Suite = {
  description: 'bytes per resting order with 1M resting orders (child process, --expose-gc): OrderBook vs ReferenceBook',
  async run(ctx) {
    const i = ctx.args.indexOf('--orders');
    const orders = i >= 0 ? Number(ctx.args[i + 1]) : ctx.quick ? 200_000 : GOAL_ORDERS;
    if (!Number.isSafeInteger(orders) || orders <= 0) throw new RangeError('--orders needs a positive integer');
    const fast: MemoryReport[] = [];
    for (let r = 0; r < (ctx.quick ? 1 : 3); r++) fast.push(measureOnce(BookKind.FAST, orders));
    const reference = [measureOnce(BookKind.REFERENCE, ctx.quick ? 1_000 : REFERENCE_ORDERS)];
    return [caseOf(BookKind.FAST, fast), caseOf(BookKind.REFERENCE, reference)];
  },
};

export default suite;
