// Reads what `loadgen.js --trace DIR` left in DIR (the client's answers, the gateway target's ring stamps:
// ring-trace.ts) and says, per run, where an order's time went hop by hop: each stage's p50 and p99, and
// for the slowest 1% of orders (by the client's latency) each stage's median, so the hop that owns the
// tail stands out.
//
//   node dist/bench/loadgen/trace-report.js DIR [--json] [--worst N]
//
// --worst N lists the N slowest orders of each run with every stage and when (ms into the run) they were
// offered: a tail made of one stall shows as many orders offered within a few ms of each other.
//
// Stages (µs; the gateway's clock except `outside`):
//   gate     rx → offer        the gateway's handler up to the offer (idempotency reservation included)
//   flush    offer → g2r pub   until the turn's flush published it to the risk shard
//   risk     g2r pub → released by risk (woken, handled)
//   r→m      risk released its input → its PlaceOrder published to the market shard
//   market   r2m pub → released by the market shard (woken, matched)
//   m→g      market released → its answer published to the gateway ring
//   release  m2g pub → the gateway's poll took it (its wake-up; with a journal, the wait for durable)
//   answer   poll → tx         the gateway's answer path (idempotency result write included); the poll
//                              is stamped when it releases the slots, after its listeners ran, so an
//                              answer sent from inside the poll reads a few µs negative
//   in       sent → rx         the request's way in: loopback, the target's event loop reaching it
//   out      tx → answered     the answer's way out: the socket write, the generator's event loop
// With a journal also: writer (market tap copy → the writer took it), sync (taken → watermark covered it),
// wake (max(covered, m2g pub) → the gateway took it).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OrderStamps, TraceDump } from './ring-trace.js';

const dir = process.argv[2];
if (dir === undefined) {
  console.error('usage: trace-report.js DIR [--json]');
  process.exit(2);
}
const json = process.argv.includes('--json');
const worstAt = process.argv.indexOf('--worst');
const worst = worstAt > 0 ? Number(process.argv[worstAt + 1]) : 0;
const files = readdirSync(dir);
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/** One traced order: the client's [sent, answered, rx, tx, order id] and the tracer's stamps. */
interface Row {
  lat: number;
  a: number[];
  o: OrderStamps;
}
type Stage = [string, (r: Row) => number];

const STAGES: Stage[] = [
  ['gate', (r) => r.o.offer - r.a[2]!],
  ['flush', (r) => r.o.g2rPub - r.o.offer],
  ['risk', (r) => r.o.g2rCon - r.o.g2rPub],
  ['r→m', (r) => r.o.r2mPub - r.o.g2rCon],
  ['market', (r) => r.o.r2mCon - r.o.r2mPub],
  ['m→g', (r) => r.o.m2gPub - r.o.r2mCon],
  ['release', (r) => r.o.m2gCon - r.o.m2gPub],
  ['answer', (r) => r.a[3]! - r.o.m2gCon],
];
/** With a journal; NaN for an order whose copy the tracer did not see covered. */
const DURABLE: Stage[] = [
  ['writer', (r) => (r.o.cut !== 0 ? r.o.mktTapCon - r.o.mktTapPub : NaN)],
  ['sync', (r) => (r.o.cut !== 0 ? r.o.cut - r.o.mktTapCon : NaN)],
  ['wake', (r) => (r.o.cut !== 0 ? r.o.m2gCon - Math.max(r.o.cut, r.o.m2gPub) : NaN)],
];

for (const f of files.filter((n) => n.startsWith('client-')).sort((a, b) => Number(a.split('-').at(-1)!.slice(0, -5)) - Number(b.split('-').at(-1)!.slice(0, -5)))) {
  const c = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { target: string; rate: number; pid: number; answers: (number[] | null)[] };
  const stamps = new Map<number, OrderStamps>();
  const gaps: number[] = [];
  const gcAll: [number, number, number?][] = [];
  let offsetUs = 0;
  for (const t of files.filter((n) => n.startsWith(`target-${c.pid}-`))) {
    const d = JSON.parse(readFileSync(join(dir, t), 'utf8')) as TraceDump & { gc?: [number, number, number?][] };
    for (const o of d.orders) stamps.set(o.orderId, o);
    gaps.push(...d.gaps);
    gcAll.push(...(d.gc ?? []));
    offsetUs = d.offsetUs;
  }
  const rows: Row[] = [];
  for (const a of c.answers) {
    if (a === null || a.length < 5) continue;
    const o = stamps.get(a[4]!);
    if (o === undefined || o.g2rPub === 0 || o.r2mPub === 0 || o.m2gCon === 0) continue;
    rows.push({ lat: a[1]! - a[0]!, o, a });
  }
  if (rows.length === 0) continue;
  rows.sort((x, y) => x.lat - y.lat);
  const tail = rows.slice(Math.floor(rows.length * 0.99));
  // The main thread's GC pauses during this run (the target's files cover its whole life); an order "met"
  // one when a pause overlaps [tx − its client latency, tx], the widest window it can have spent inside.
  const from = Math.min(...rows.map((r) => r.a[3]! - r.lat));
  const to = Math.max(...rows.map((r) => r.a[3]!));
  const gc = gcAll.filter(([s, d]) => s < to && s + d > from);
  const metGc = (r: Row) => gc.some(([s, d]) => s < r.a[3]! && s + d > r.a[3]! - r.lat);
  const durable = rows.some((r) => r.o.cut !== 0);
  const all: Stage[] = [['client', (r) => r.lat], ['in', (r) => r.a[2]! - offsetUs - r.a[0]!], ...STAGES, ['out', (r) => r.a[1]! - (r.a[3]! - offsetUs)], ...(durable ? DURABLE : [])];
  const out = {
    target: c.target,
    rate: c.rate,
    orders: rows.length,
    tracerGapP50Us: Math.round(pct(gaps, 50)),
    tracerGapP99Us: Math.round(pct(gaps, 99)),
    tracerGapMaxUs: Math.round(pct(gaps, 100)),
    gcPauses: gc.length,
    gcPauseMaxUs: gc.reduce((m, [, d]) => Math.max(m, d), 0),
    /** Pauses and their longest by kind (1 minor, 4 major, 8 incremental, 16 weak callbacks). */
    gcByKind: Object.fromEntries([...new Set(gc.map((g) => g[2] ?? 0))].sort().map((k) => [k, { n: gc.filter((g) => (g[2] ?? 0) === k).length, maxUs: Math.max(...gc.filter((g) => (g[2] ?? 0) === k).map((g) => g[1])) }])),
    /** Share of the slowest 1% of orders, and of all orders, that met a main-thread GC pause. */
    tailMetGc: tail.filter(metGc).length / tail.length,
    allMetGc: rows.filter(metGc).length / rows.length,
    stages: Object.fromEntries(
      all.map(([n, fn]) => {
        const v = rows.map(fn).filter((x) => !Number.isNaN(x));
        const tv = tail.map(fn).filter((x) => !Number.isNaN(x));
        return [n, { p50: Math.round(pct(v, 50)), p99: Math.round(pct(v, 99)), tailP50: Math.round(pct(tv, 50)), tailMax: Math.round(pct(tv, 100)) }];
      }),
    ),
  };
  if (json) {
    console.log(JSON.stringify(out));
    continue;
  }
  console.log(`${c.target} at ${c.rate}/s: ${rows.length} orders traced; tracer poll gap p50 ${out.tracerGapP50Us} / p99 ${out.tracerGapP99Us} / max ${out.tracerGapMaxUs} µs`);
  console.log(`  main-thread GC: ${gc.length} pauses, longest ${out.gcPauseMaxUs} µs (by kind: ${JSON.stringify(out.gcByKind)}); met one: ${(out.tailMetGc * 100).toFixed(0)}% of the slowest 1%, ${(out.allMetGc * 100).toFixed(1)}% of all`);
  console.log(`  ${'stage'.padEnd(8)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'slowest 1%: p50'.padStart(16)} ${'max'.padStart(8)}`);
  for (const [n, s] of Object.entries(out.stages)) console.log(`  ${n.padEnd(8)} ${String(s.p50).padStart(8)} ${String(s.p99).padStart(8)} ${String(s.tailP50).padStart(16)} ${String(s.tailMax).padStart(8)}`);
  if (worst > 0) {
    const t0 = Math.min(...rows.map((r) => r.o.offer));
    console.log(`  slowest ${worst}: at (ms into the run) ${all.map(([n]) => n).join(' ')}`);
    for (const r of rows.slice(-worst).reverse()) console.log(`    ${((r.o.offer - t0) / 1000).toFixed(1).padStart(8)} ${all.map(([, fn]) => Math.round(fn(r))).join(' ')}`);
  }
}
