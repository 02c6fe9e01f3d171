// Snapshots written by an earlier build: the risk shard's in-memory layout changed (positions in a
// PositionMap, lazy order-id windows and order maps, IdSet request ids, bigint overflow slots in one
// array) while the snapshot format stayed at version 1, so a snapshot written before the change must
// still decode, pass its state-hash check and re-encode to the very same bytes. A snapshot of a format
// version this build does not read is refused by recovery's check, which then passes over it to an older
// snapshot or the journal (exchange/snapshots/recovery-base.ts).
//
// The fixture (test/fixtures/snapshots/risk-v1-b3e741a.json) holds both risk shards of a fixed random
// world (fast-check seed 20261207, worldArb({ shards: true, jumpPercent: 40 }, 80, 80) through
// ActionDriver), encoded by the build at b3e741a; this build encodes the same world to the same bytes.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { readSnapshotStreams } from '../../../engine/snapshot/shard-streams.js';
import { FORMAT_VERSION } from '../../../engine/snapshot/snapshot-format.js';
import { refusal } from '../../../exchange/snapshots/recovery-base.js';
import type { Topology } from '../../../exchange/topology.js';
import type { SnapshotInfo } from '../../../persistence/snapshot-store.js';
import { RiskShard } from '../../../risk/shard/risk-shard.js';
import { fixture } from '../../support/paths.js';

interface Fixture {
  readonly shards: readonly { readonly hash: string; readonly bytes: string }[];
}

const written = (JSON.parse(readFileSync(fixture('snapshots', 'risk-v1-b3e741a.json'), 'utf8')) as Fixture).shards.map((s) => ({ hash: BigInt(`0x${s.hash}`), bytes: new Uint8Array(Buffer.from(s.bytes, 'base64')) }));

function decode(bytes: Uint8Array): RiskShard {
  const { streams } = readSnapshotStreams(bytes);
  return RiskShard.decode(bytes, new MemoryOutput(1, streams.gatewayNextSeq), streams.outputNextSeqs.map((s) => new MemoryOutput(1, s)));
}

test('a risk snapshot written by the build before the heap-layout change decodes with its hash checked and re-encodes to the same bytes', () => {
  assert.equal(written.length, 2);
  for (const { hash, bytes } of written) {
    const shard = decode(bytes);
    assert.equal(shard.stateHash(), hash);
    assert.deepEqual(shard.encodeState(), bytes);
    let orders = 0;
    let placed = 0;
    for (const a of shard.state.accounts.values()) {
      for (const p of a.positions.values()) orders += p.orderCount;
      placed += a.placedOrderIds.size;
    }
    assert.ok(orders > 0 && placed > 0, 'the fixture exercises open orders and order-id windows');
  }
});

test('a snapshot of a format version this build does not read is refused by recovery with SNAPSHOT_VERSION_UNSUPPORTED', () => {
  const bytes = written[0]!.bytes.slice();
  new DataView(bytes.buffer).setUint16(4, FORMAT_VERSION + 1, true);
  assert.throws(() => decode(bytes), /SNAPSHOT_VERSION_UNSUPPORTED|format version/);
  const info = { version: 1, shard: 2, position: 1, lastSeq: [], outputNextSeqs: [], stateHash: '0' } as unknown as SnapshotInfo;
  const why = refusal({ marketShards: 2 } as unknown as Topology, 2, info, bytes);
  assert.match(why ?? '', /format version 2; this build reads version 1/);
});
