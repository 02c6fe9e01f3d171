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
import { RECORD_BYTES, type RecordBuffer } from '../../engine/ring/record.js';
import type { Cmd } from '../support/commands.js';

export interface SnapPoint {
  /** Index of the command during which the snapshot is taken. */
  readonly command: number;
  /** Records delivered after submitting it and before the snapshot. */
  readonly deliveredBefore: number;
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

function hashes(x: InProcessExchange): bigint[] {
  return [...x.marketShards.map((s) => s.stateHash()), ...x.riskShards.map((s) => s.stateHash())];
}

/** Runs `commands` with snapshots at `points` and checks every restored exchange against the original. */
export function checkRoundTrip(options: InProcessOptions, commands: readonly Cmd[], points: readonly SnapPoint[], label: string): RoundTripStats {
  const stats: RoundTripStats = { snapshots: 0, inFlightRecords: 0, recordsCompared: 0, maxBytes: 0 };
  const leader = new InProcessExchange(options);
  const records: Uint8Array[] = [];
  leader.onGateway(recorder(records));
  const followers: Follower[] = [];
  const byCommand = new Map<number, SnapPoint[]>();
  for (const p of points) byCommand.set(p.command, [...(byCommand.get(p.command) ?? []), p]);

  commands.forEach((cmd, i) => {
    for (const f of followers) f.exchange.submit(cmd.layout, cmd.header, cmd.body);
    leader.submit(cmd.layout, cmd.header, cmd.body);
    let delivered = 0;
    for (const p of [...(byCommand.get(i) ?? [])].sort((a, b) => a.deliveredBefore - b.deliveredBefore)) {
      if (p.deliveredBefore > delivered) delivered += leader.pump(p.deliveredBefore - delivered);
      followers.push(restoreFrom(leader, options, p, records.length, stats, label));
    }
    leader.pump();
    const expected = hashes(leader);
    for (const f of followers) {
      f.exchange.pump();
      assert.deepEqual(hashes(f.exchange), expected, `${label}: state hashes differ after command ${i} (restored at command ${f.point.command}, ${f.point.deliveredBefore} delivered)`);
    }
  });

  for (const f of followers) {
    const mine = f.records;
    const theirs = records.slice(f.from);
    const n = Math.min(mine.length, theirs.length);
    for (let k = 0; k < n; k++) {
      if (Buffer.compare(mine[k]!, theirs[k]!) !== 0) assert.fail(`${label}: gateway record ${k} after the snapshot at command ${f.point.command} differs (type ${new DataView(mine[k]!.buffer).getUint16(16, true)} vs ${new DataView(theirs[k]!.buffer).getUint16(16, true)})`);
    }
    assert.equal(mine.length, theirs.length, `${label}: ${mine.length} gateway records after the restore at command ${f.point.command}, ${theirs.length} in the original`);
    stats.recordsCompared += n;
  }
  return stats;
}

function restoreFrom(leader: InProcessExchange, options: InProcessOptions, point: SnapPoint, from: number, stats: RoundTripStats, label: string): Follower {
  const snap = leader.encodeShards();
  const inFlight = leader.inFlight();
  const exchange = new InProcessExchange(options, { ...snap, inFlight });
  const again = exchange.encodeShards();
  const where = `${label}: snapshot at command ${point.command} after ${point.deliveredBefore} records`;
  snap.marketShards.forEach((b, s) => assert.ok(Buffer.from(again.marketShards[s]!).equals(Buffer.from(b)), `${where}: market shard ${s} re-encodes differently`));
  snap.riskShards.forEach((b, r) => assert.ok(Buffer.from(again.riskShards[r]!).equals(Buffer.from(b)), `${where}: risk shard ${r} re-encodes differently`));
  assert.deepEqual(hashes(exchange), hashes(leader), `${where}: state hashes differ right after the restore`);
  stats.snapshots++;
  stats.inFlightRecords += inFlight.reduce((n, q) => n + q.length / RECORD_BYTES, 0);
  stats.maxBytes = Math.max(stats.maxBytes, [...snap.marketShards, ...snap.riskShards].reduce((n, b) => n + b.length, 0));
  const records: Uint8Array[] = [];
  exchange.onGateway(recorder(records));
  return { point, exchange, from, records };
}
