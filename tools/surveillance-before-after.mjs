// Surveillance before and after: two builds of perpx (their dist/ directories) measured in one process,
// interleaved, in CPU time, medians of `runs` after a warm-up: matching the book-stream stream with and
// without the surveillance output, and the surveillance engine on that stream's events. The peer for
// bench/RESULTS.md's before/after table (a build of an older commit made beside this one).
//
//   node tools/surveillance-before-after.mjs <old dist> <new dist> [ops=1000000] [runs=3]

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [oldRoot, newRoot] = process.argv.slice(2, 4).map((p) => pathToFileURL(resolve(p)).href);
if (!oldRoot || !newRoot) throw new Error("usage: node tools/surveillance-before-after.mjs <old dist> <new dist> [ops] [runs]");
const roots = { old: oldRoot, new: newRoot };
const ops = Number(process.argv[4] ?? 1000000), runs = Number(process.argv[5] ?? 3);
const mods = {};
for (const [k, r] of Object.entries(roots)) {
  mods[k] = {
    OrderBook: (await import(r + '/engine/book/order-book.js')).OrderBook,
    EventWriter: (await import(r + '/engine/shard/event-writer.js')).EventWriter,
    Engine: (await import(r + '/risk/surveillance/surveillance-engine.js')).SurveillanceEngine,
    runner: await import(r + '/bench/lib/book-runner.js'),
    spec: (await import(r + '/bench/lib/book-factory.js')).benchSpec,
    gen: (await import(r + '/bench/lib/order-stream.js')).generateOrderStream,
    tally: (await import(r + '/bench/lib/peer-book.js')).newTally,
    Copying: (await import(r + '/bench/lib/surveillance/copying-output.js')).CopyingOutput,
  };
}
const cpu = (f) => { const c0 = process.cpuUsage(); f(); const c = process.cpuUsage(c0); return (c.user + c.system) * 1000; };
const stream = mods.new.gen({ seed: 1, ops });
function match(m, on, keep = 0) {
  const surv = on ? new m.Copying(keep) : undefined;
  const book = new m.OrderBook(m.spec, new m.EventWriter(new m.Copying(), [], surv));
  // The newer build's stream driver for both (it is bench code, not what is compared): op i at i ms from an epoch-µs start.
  const run = mods.new.runner;
  const ns = cpu(() => run.runBookRange(book, run.newRequest(), stream, 0, stream.length, m.tally(), 1000, run.EPOCH_START_US));
  return { ns, surv };
}
const rec = match(mods.new, true, Math.ceil(ops * 2.7)).surv;
function engine(m) { const e = new m.Engine(() => {}); const b = rec.kept; return cpu(() => { for (let i = 0; i < rec.keptCount; i++) e.handle(b, b.at(i), 1); }); }
const t = { oldOff: [], oldOn: [], newOff: [], newOn: [], oldEngine: [], newEngine: [] };
for (let r = 0; r < runs + 1; r++) {
  const x = { oldOff: match(mods.old, false).ns, oldOn: match(mods.old, true).ns, newOff: match(mods.new, false).ns, newOn: match(mods.new, true).ns, oldEngine: engine(mods.old), newEngine: engine(mods.new) };
  if (r > 0) for (const k in x) t[k].push(x[k]);
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const events = rec.keptCount;
const out = {
  ops, events, runs,
  matchingOpsPerCpuSec: { oldOff: Math.round(ops / med(t.oldOff) * 1e9), oldOn: Math.round(ops / med(t.oldOn) * 1e9), newOff: Math.round(ops / med(t.newOff) * 1e9), newOn: Math.round(ops / med(t.newOn) * 1e9) },
  onOverOff: { old: +(med(t.oldOff) / med(t.oldOn)).toFixed(3), new: +(med(t.newOff) / med(t.newOn)).toFixed(3) },
  engineEventsPerCpuSec: { old: Math.round(events / med(t.oldEngine) * 1e9), new: Math.round(events / med(t.newEngine) * 1e9) },
  matchingEventsPerCpuSecWithSurveillance: { old: Math.round(events / med(t.oldOn) * 1e9), new: Math.round(events / med(t.newOn) * 1e9) },
};
out.engineSpeedup = +(out.engineEventsPerCpuSec.new / out.engineEventsPerCpuSec.old).toFixed(2);
out.engineOverMatching = { old: +(out.engineEventsPerCpuSec.old / out.matchingEventsPerCpuSecWithSurveillance.old).toFixed(3), new: +(out.engineEventsPerCpuSec.new / out.matchingEventsPerCpuSecWithSurveillance.new).toFixed(3) };
console.log(JSON.stringify(out, null, 1));
