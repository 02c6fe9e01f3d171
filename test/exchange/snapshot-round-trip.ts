// The snapshot round trip on a whole exchange (docs/SNAPSHOTS.md, "What proves it"): a command stream runs
// through an InProcessExchange; at chosen points (a command, and how many records of it are delivered
// before the snapshot: 0 = just submitted, a few = liquidation orders and fills in flight between shards)
// every shard is encoded and decoded into a fresh exchange, which gets the records then in flight. From
// there both get the rest of the stream, and must agree:
//
//   at the point      re-encoding the decoded shards gives the same bytes (every map and set iterates
//                     as it did), and every shard has the same state hash
//   after each command   the same state hash in every shard
//   at the end        the same gateway records since the point, byte for byte, and the same hashes
//
// Thread: the test's own.

import assert from 'node:assert/strict';
import { InProcessExchange, type InProcessOptions } from '../../exchange/in-process-exchange.js';
import { RECORD_BYTES, RecordBuffer } from '../../engine/ring/record.js';
import type { LiquidationEngine } from '../../risk/shard/liquidation-engine.js';
import type { Cmd } from '../support/commands.js';

export interface SnapPoint {
  /** Index of the command during which the snapshot is taken. */
  readonly command: number;
  /** Records delivered after submitting it and before the snapshot. */
  readonly deliveredBefore: number;
}

/** Snapshots taken where the pipeline has something in flight, besides the fixed points. */
export interface Opportunistic {
  /** At most this many such snapshots in the run. */
  readonly max: number;
  /** Skip this many chances between two taken (spreads them over the run). */
  readonly spacing: number;
}

/** How many snapshots caught each kind of state in progress (so a test can require that it was covered). */
export interface Coverage {
  inFlightRecords: number;
  liquidationRuns: number;
  awaitedOrders: number;
  parkedScopes: number;
  pendingDeleverages: number;
  fundReservations: number;
  rankingJobs: number;
  queuedScopes: number;
  popPending: number;
  restingOrders: number;
  stopOrders: number;
}

export interface RoundTripStats {
  /** Snapshots taken and restored. */
  snapshots: number;
  /** Records that were in flight between state machines at a snapshot. */
  inFlightRecords: number;
  /** Gateway records compared after the points. */
  recordsCompared: number;
  /** Snapshot bytes, all shards, at the largest point. */
  maxBytes: number;
  readonly coverage: Coverage;
}

export function emptyCoverage(): Coverage {
  return { inFlightRecords: 0, liquidationRuns: 0, awaitedOrders: 0, parkedScopes: 0, pendingDeleverages: 0, fundReservations: 0, rankingJobs: 0, queuedScopes: 0, popPending: 0, restingOrders: 0, stopOrders: 0 };
}

/** Adds b's counts to a. */
export function addCoverage(a: Coverage, b: Coverage): void {
  for (const k of Object.keys(a) as (keyof Coverage)[]) a[k] += b[k];
}

/** What the exchange holds in progress now, as 0/1 per kind (books included when `books`). */
export function inProgress(x: InProcessExchange, inFlight: number, books = true): Coverage {
  const c = emptyCoverage();
  c.inFlightRecords = inFlight > 0 ? 1 : 0;
  for (const r of x.riskShards) {
    const e = r.liquidation as LiquidationEngine;
    if (e.runs.size > 0) c.liquidationRuns = 1;
    if (e.byOrderId.size > 0) c.awaitedOrders = 1;
    if (e.waiting.size > 0) c.parkedScopes = 1;
    if (e.adl.pendingCount > 0) c.pendingDeleverages = 1;
    if (e.insuranceFund.reservationCount > 0) c.fundReservations = 1;
    if (r.parts.quintiles.jobsUnderWay > 0) c.rankingJobs = 1;
    if (r.parts.monitor.queueLength > 0) c.queuedScopes = 1;
    if ([...r.parts.monitor.triggers.values()].some((t) => t.popPending)) c.popPending = 1;
  }
  if (!books) return c;
  for (const m of x.marketShards) {
    for (const id of m.marketIds) {
      const book = m.book(id)!;
      const resting = book.levels(0, Number.MAX_SAFE_INTEGER).length + book.levels(1, Number.MAX_SAFE_INTEGER).length;
      if (resting > 0) c.restingOrders = 1;
      if (book.orders().some((o) => o.triggerPriceTicks > 0 && o.orderType >= 2 && !book.levels(o.side, Number.MAX_SAFE_INTEGER).some((l) => l.priceTicks === o.priceTicks))) c.stopOrders = 1;
    }
  }
  return c;
}

/** Whether `now` holds a kind of work in progress that `seen` has no snapshot of. */
function novel(seen: Coverage, now: Coverage): boolean {
  return (Object.keys(seen) as (keyof Coverage)[]).some((k) => now[k] > 0 && seen[k] === 0);
}

/** Whether the pipeline has something in flight worth a snapshot. */
function pipelineBusy(x: InProcessExchange): boolean {
  return x.riskShards.some((r) => {
    const e = r.liquidation as LiquidationEngine;
    return e.byOrderId.size > 0 || e.adl.pendingCount > 0 || e.waiting.size > 0 || r.parts.quintiles.jobsUnderWay > 0;
  });
}

interface Follower {
  readonly point: SnapPoint;
  readonly exchange: InProcessExchange;
  /** Index into the leader's records where this follower's begin. */
  readonly from: number;
  readonly records: Uint8Array[];
}

function recorder(into: Uint8Array[]): (buf: RecordBuffer, at: number, from: { kind: string; shard: number }) => void {
  return (buf, at, from) => {
    const r = new Uint8Array(RECORD_BYTES + 2);
    r.set(buf.u8.subarray(at, at + RECORD_BYTES));
    r[RECORD_BYTES] = from.kind === 'market' ? 1 : 2;
    r[RECORD_BYTES + 1] = from.shard;
    into.push(r);
  };
}

/** Records by the stream they came on ("market 0", "risk 1"). */
function byStream(records: readonly Uint8Array[]): Map<string, Uint8Array[]> {
  const out = new Map<string, Uint8Array[]>();
  for (const r of records) {
    const key = `${r[RECORD_BYTES] === 1 ? 'market' : 'risk'} ${r[RECORD_BYTES + 1]}`;
    let list = out.get(key);
    if (list === undefined) out.set(key, (list = []));
    list.push(r);
  }
  return out;
}

function typeOf(r: Uint8Array): number {
  return new DataView(r.buffer, r.byteOffset).getUint16(16, true);
}

function hashes(x: InProcessExchange): bigint[] {
  return [...x.marketShards.map((s) => s.stateHash()), ...x.riskShards.map((s) => s.stateHash())];
}

/** A gateway command: built by the test helpers, or a record as a generator wrote it (time stamped). */
export type StreamCommand = Cmd | Uint8Array;

function submit(x: InProcessExchange, cmd: StreamCommand): void {
  if (cmd instanceof Uint8Array) x.submitRecord(new RecordBuffer(cmd.buffer, cmd.byteOffset, cmd.byteLength), 0);
  else x.submit(cmd.layout, cmd.header, cmd.body);
}

/**
 * Runs `commands` with snapshots at `points` (and opportunistic ones) and checks every restored exchange
 * against the original; state hashes are compared after every `hashEvery`-th command and at the end.
 */
export function checkRoundTrip(options: InProcessOptions, commands: readonly StreamCommand[], points: readonly SnapPoint[], label: string, opportunistic: Opportunistic = { max: 0, spacing: 0 }, hashEvery = 1): RoundTripStats {
  const stats: RoundTripStats = { snapshots: 0, inFlightRecords: 0, recordsCompared: 0, maxBytes: 0, coverage: emptyCoverage() };
  let chances = 0;
  let taken = 0;
  const leader = new InProcessExchange(options);
  const records: Uint8Array[] = [];
  leader.onGateway(recorder(records));
  const followers: Follower[] = [];
  const byCommand = new Map<number, SnapPoint[]>();
  for (const p of points) byCommand.set(p.command, [...(byCommand.get(p.command) ?? []), p]);

  commands.forEach((cmd, i) => {
    for (const f of followers) submit(f.exchange, cmd);
    submit(leader, cmd);
    let delivered = 0;
    for (const p of [...(byCommand.get(i) ?? [])].sort((a, b) => a.deliveredBefore - b.deliveredBefore)) {
      if (p.deliveredBefore > delivered) delivered += leader.pump(p.deliveredBefore - delivered);
      followers.push(restoreFrom(leader, options, p, records.length, stats, label));
    }
    // Record by record through the command, snapshotting (now and then) where the pipeline is mid-way.
    while (opportunistic.max > 0) {
      // A kind of work in progress no snapshot has caught yet is taken at once (once per kind); otherwise
      // every so often, up to max.
      if (pipelineBusy(leader)) {
        const fresh = novel(stats.coverage, inProgress(leader, 1, false));
        if (fresh || (taken < opportunistic.max && chances++ % (opportunistic.spacing + 1) === 0)) {
          if (!fresh) taken++;
          followers.push(restoreFrom(leader, options, { command: i, deliveredBefore: delivered }, records.length, stats, label));
        }
      }
      const moved = leader.pump(1);
      if (moved === 0) break;
      delivered += moved;
    }
    leader.pump();
    for (const f of followers) f.exchange.pump();
    if (i % hashEvery !== 0 && i !== commands.length - 1) return;
    const expected = hashes(leader);
    for (const f of followers) {
      assert.deepEqual(hashes(f.exchange), expected, `${label}: state hashes differ after command ${i} (restored at command ${f.point.command}, ${f.point.deliveredBefore} delivered)`);
    }
  });

  for (const f of followers) {
    // Each gateway-bound stream is its own sequence; how the pumps interleave them is not the shards'.
    const mine = byStream(f.records);
    const theirs = byStream(records.slice(f.from));
    const where = `${label}: after the snapshot at command ${f.point.command} (${f.point.deliveredBefore} delivered)`;
    assert.deepEqual([...mine.keys()].filter((k) => mine.get(k)!.length > 0).sort(), [...theirs.keys()].filter((k) => theirs.get(k)!.length > 0).sort(), `${where}: different gateway streams carry records`);
    for (const [stream, list] of theirs) {
      const got = mine.get(stream) ?? [];
      for (let k = 0; k < Math.min(got.length, list.length); k++) {
        if (Buffer.compare(got[k]!, list[k]!) !== 0) assert.fail(`${where}: record ${k} of gateway stream ${stream} differs (type ${typeOf(got[k]!)} vs ${typeOf(list[k]!)})`);
      }
      assert.equal(got.length, list.length, `${where}: gateway stream ${stream} has ${got.length} records, ${list.length} in the original`);
      stats.recordsCompared += list.length;
    }
  }
  return stats;
}

function restoreFrom(leader: InProcessExchange, options: InProcessOptions, point: SnapPoint, from: number, stats: RoundTripStats, label: string): Follower {
  const snap = leader.encodeShards();
  const inFlight = leader.inFlight();
  const exchange = new InProcessExchange(options, { ...snap, inFlight, pumpAt: leader.pumpAt() });
  const again = exchange.encodeShards();
  const where = `${label}: snapshot at command ${point.command} after ${point.deliveredBefore} records`;
  snap.marketShards.forEach((b, s) => assert.ok(Buffer.from(again.marketShards[s]!).equals(Buffer.from(b)), `${where}: market shard ${s} re-encodes differently`));
  snap.riskShards.forEach((b, r) => assert.ok(Buffer.from(again.riskShards[r]!).equals(Buffer.from(b)), `${where}: risk shard ${r} re-encodes differently`));
  assert.deepEqual(hashes(exchange), hashes(leader), `${where}: state hashes differ right after the restore`);
  stats.snapshots++;
  const pending = inFlight.reduce((n, q) => n + q.length / RECORD_BYTES, 0);
  stats.inFlightRecords += pending;
  addCoverage(stats.coverage, inProgress(leader, pending));
  stats.maxBytes = Math.max(stats.maxBytes, [...snap.marketShards, ...snap.riskShards].reduce((n, b) => n + b.length, 0));
  const records: Uint8Array[] = [];
  exchange.onGateway(recorder(records));
  return { point, exchange, from, records };
}

/** `count` random points of a stream of n commands, each some records into its command. */
export function pointsOf(next: () => number, n: number, count: number): SnapPoint[] {
  return Array.from({ length: count }, () => ({ command: next() % n, deliveredBefore: next() % 9 }));
}
