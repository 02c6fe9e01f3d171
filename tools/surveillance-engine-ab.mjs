// Surveillance engine alone, two builds: the book-stream suite's seeded stream through the newer build's
// book records the surveillance stream once (op i at i ms from an epoch-µs start, times as large as a
// venue's); then the older and the newer engine (their dist/ directories) take turns on it, in process
// CPU time, after a warm-up, with both state hashes (they must match). The turns alternate which build goes first (the second of a pair ran faster by ~8% in an A/A run when the
// old one always went first), and the speedup is the median of the rounds' paired ratios; with
// --expose-gc each turn starts after a full collection, so neither pays for the other's garbage. The
// quick before/after for a change to the engine; tools/surveillance-before-after.mjs also times matching.
//
//   node --expose-gc tools/surveillance-engine-ab.mjs <old dist> <new dist> [ops=1000000] [runs=5]

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [base, cur] = process.argv.slice(2, 4).map((p) => pathToFileURL(resolve(p)).href);
if (!base || !cur) throw new Error('usage: node tools/surveillance-engine-ab.mjs <old dist> <new dist> [ops] [runs]');
const ops = Number(process.argv[4] ?? 1000000), runs = Number(process.argv[5] ?? 5);
const r = cur;
const OrderBook = (await import(r + '/engine/book/order-book.js')).OrderBook;
const EventWriter = (await import(r + '/engine/shard/event-writer.js')).EventWriter;
const runner = await import(r + '/bench/lib/book-runner.js');
const spec = (await import(r + '/bench/lib/book-factory.js')).benchSpec;
const gen = (await import(r + '/bench/lib/order-stream.js')).generateOrderStream;
const tally = (await import(r + '/bench/lib/peer-book.js')).newTally;
const Copying = (await import(r + '/bench/lib/surveillance/copying-output.js')).CopyingOutput;
const E = { old: (await import(base + '/risk/surveillance/surveillance-engine.js')).SurveillanceEngine, new: (await import(cur + '/risk/surveillance/surveillance-engine.js')).SurveillanceEngine };
const stream = gen({ seed: 1, ops });
const surv = new Copying(Math.ceil(ops * 2.7));
const book = new OrderBook(spec, new EventWriter(new Copying(), [], surv));
runner.runBookRange(book, runner.newRequest(), stream, 0, stream.length, tally(), 1000, runner.EPOCH_START_US);
const b = surv.kept, n = surv.keptCount;
const t = { old: [], new: [] }; const hash = {};
for (let k = 0; k <= runs; k++) for (const key of k % 2 === 0 ? ['old', 'new'] : ['new', 'old']) {
  globalThis.gc?.();
  const e = new E[key](() => {});
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) e.handle(b, b.at(i), 1);
  const c = process.cpuUsage(c0);
  if (k > 0) t[key].push((c.user + c.system) * 1000);
  hash[key] = e.stateHash().toString(16);
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const evs = (k) => Math.round(n / med(t[k]) * 1e9);
const ratios = t.old.map((o, i) => o / t.new[i]);
console.log(JSON.stringify({ events: n, runs, oldEvPerCpuS: evs('old'), newEvPerCpuS: evs('new'), speedup: +med(ratios).toFixed(3), rounds: ratios.map((r) => +r.toFixed(3)).join(' '), hashOld: hash.old, hashNew: hash.new, sameHash: hash.old === hash.new }));
