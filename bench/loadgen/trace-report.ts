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

const STAGES: [string, (o: OrderStamps, a: number[]) => number][] = [
  ['gate', (o, a) => o.offer - a[2]!],
  ['flush', (o) => o.g2rPub - o.offer],
  ['risk', (o) => o.g2rCon - o.g2rPub],
  ['r→m', (o) => o.r2mPub - o.g2rCon],
  ['market', (o) => o.r2mCon - o.r2mPub],
  ['m→g', (o) => o.m2gPub - o.r2mCon],
  ['release', (o) => o.m2gCon - o.m2gPub],
  ['answer', (o, a) => a[3]! - o.m2gCon],
];
const DURABLE: [string, (o: OrderStamps) => number][] = [
  ['writer', (o) => o.mktTapCon - o.mktTapPub],
  ['sync', (o) => o.cut - o.mktTapCon],
  ['wake', (o) => o.m2gCon - Math.max(o.cut, o.m2gPub)],
];

for (const f of files.filter((n) => n.startsWith('client-')).sort((a, b) => Number(a.split('-').at(-1)!.slice(0, -5)) - Number(b.split('-').at(-1)!.slice(0, -5)))) {
  const c = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { target: string; rate: number; pid: number; answers: (number[] | null)[] };
  const stamps = new Map<number, OrderStamps>();
  const gaps: number[] = [];
  const gc: [number, number, number?][] = [];
  let offsetUs = 0;
  for (const t of files.filter((n) => n.startsWith(`target-${c.pid}-`))) {
    const d = JSON.parse(readFileSync(join(dir, t), 'utf8')) as TraceDump & { gc?: [number, number, number?][] };
    for (const o of d.orders) stamps.set(o.orderId, o);
    gaps.push(...d.gaps);
    gc.push(...(d.gc ?? []));
    offsetUs = d.offsetUs;
  }
  // An order "met a GC pause" when a main-thread pause overlaps [tx − its client latency, tx]: the widest
  // window it can have spent in the target.
  const metGc = (r: { lat: number; a: number[] }) => gc.some(([s, d]) => s < r.a[3]! && s + d > r.a[3]! - r.lat);
  const rows: { lat: number; o: OrderStamps; a: number[] }[] = [];
  for (const a of c.answers) {
    if (a === null || a.length < 5) continue;
    const o = stamps.get(a[4]!);
    if (o === undefined || o.g2rPub === 0 || o.r2mPub === 0 || o.m2gCon === 0) continue;
    rows.push({ lat: a[1]! - a[0]!, o, a });
  }
  if (rows.length === 0) continue;
  rows.sort((x, y) => x.lat - y.lat);
  const tail = rows.slice(Math.floor(rows.length * 0.99));
  const durable = rows.some((r) => r.o.cut !== 0);
  const all: [string, (r: { o: OrderStamps; a: number[] }) => number][] = [
    ['client', (r) => r.a[1]! - r.a[0]!],
    ['in', (r) => r.a[2]! - offsetUs - r.a[0]!],
    ...STAGES.map(([n, fn]) => [n, (r: { o: OrderStamps; a: number[] }) => fn(r.o, r.a)] as [string, (r: { o: OrderStamps; a: number[] }) => number]),
    ['out', (r) => r.a[1]! - (r.a[3]! - offsetUs)],
    ...(durable ? DURABLE.filter(() => true).map(([n, fn]) => [n, (r: { o: OrderStamps }) => (r.o.cut !== 0 ? fn(r.o) : NaN)] as [string, (r: { o: OrderStamps; a: number[] }) => number]) : []),
  ];
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
