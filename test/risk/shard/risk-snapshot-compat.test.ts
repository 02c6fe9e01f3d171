// Snapshots written by an earlier build: the risk shard's in-memory layout changed (positions in a
// PositionMap, lazy order-id windows and order maps, IdSet request ids, bigint overflow slots in one
// array) while the snapshot format stayed at version 1, so a snapshot written before the change must
// still decode, pass its state-hash check and re-encode to the very same bytes. A snapshot of a format
// version this build does not read is refused by recovery's check, which then passes over it to an older
// snapshot or the journal (exchange/snapshots/recovery-base.ts).
//
// The fixture (test/fixtures/snapshots/risk-v1-b3e741a.json) holds both risk shards of a fixed random
// world (fast-check seed 20261207, worldArb({ shards: true, jumpPercent: 40 }, 80, 80) through
// ActionDriver), encoded by the build at b3e741a; this build encodes the same world to the same sections.
//
// Format version 2 (risksnap8) changed the state hash's definition only (risk-state-hash.ts: the
// four-lane mixer): a version-1 snapshot is still read and its hash checked with the old mixer, and it
// re-encodes as version 2 with the same sections. risk-v2-risksnap8.json holds those version-2 bytes of
// the same two shards, written by the build that introduced version 2; it pins the new definition.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { readSnapshotStreams } from '../../../engine/snapshot/shard-streams.js';
import { readHeader } from '../../../engine/snapshot/snapshot-envelope.js';
import { HEADER_BYTES, TRAILER_BYTES } from '../../../engine/snapshot/snapshot-format.js';
import { refusal } from '../../../exchange/snapshots/recovery-base.js';
import type { Topology } from '../../../exchange/topology.js';
import type { SnapshotInfo } from '../../../persistence/snapshot-store.js';
import { RiskShard } from '../../../risk/shard/risk-shard.js';
import { fixture } from '../../support/paths.js';

interface Fixture {
  readonly shards: readonly { readonly hash: string; readonly bytes: string }[];
}

const load = (name: string) => (JSON.parse(readFileSync(fixture('snapshots', name), 'utf8')) as Fixture).shards.map((s) => ({ hash: BigInt(`0x${s.hash}`), bytes: new Uint8Array(Buffer.from(s.bytes, 'base64')) }));
const written = load('risk-v1-b3e741a.json');
const writtenV2 = load('risk-v2-risksnap8.json');

function decode(bytes: Uint8Array): RiskShard {
  const { streams } = readSnapshotStreams(bytes);
  return RiskShard.decode(bytes, new MemoryOutput(1, streams.gatewayNextSeq), streams.outputNextSeqs.map((s) => new MemoryOutput(1, s)));
}

/** The sections: what a version-2 snapshot shares with version 1 (the header's version and hash differ, and so the CRC). */
const sections = (bytes: Uint8Array) => bytes.subarray(HEADER_BYTES, bytes.length - TRAILER_BYTES);

test('a risk snapshot written by the build before the heap-layout change decodes with its hash checked (version 1: the old mixer) and re-encodes to the same sections', () => {
  assert.equal(written.length, 2);
  for (const { hash, bytes } of written) {
    assert.equal(readHeader(bytes).version, 1);
    const shard = decode(bytes);
    assert.equal(shard.stateHashAs(1), hash);
    assert.notEqual(shard.stateHash(), hash, 'the live hash is version 2\'s definition');
    const again = shard.encodeState();
    assert.equal(readHeader(again).version, 2);
    assert.equal(readHeader(again).stateHash, shard.stateHash());
    assert.deepEqual(sections(again), sections(bytes));
    let orders = 0;
    let placed = 0;
    for (const a of shard.state.accounts.values()) {
      for (const p of a.positions.values()) orders += p.orderCount;
      placed += a.placedOrderIds.size;
    }
    assert.ok(orders > 0 && placed > 0, 'the fixture exercises open orders and order-id windows');
  }
});

test('a version-2 risk snapshot written by the build that introduced it decodes with its hash checked and re-encodes to the same bytes; same sections as version 1', () => {
  assert.equal(writtenV2.length, written.length);
  writtenV2.forEach(({ hash, bytes }, i) => {
    assert.equal(readHeader(bytes).version, 2);
    assert.equal(readHeader(bytes).stateHash, hash);
    const shard = decode(bytes);
    assert.equal(shard.stateHash(), hash);
    assert.equal(shard.stateHashAs(1), written[i]!.hash, 'the same state in the old definition');
    assert.deepEqual(shard.encodeState(), bytes);
    assert.deepEqual(sections(bytes), sections(written[i]!.bytes));
  });
});

test('a snapshot of a format version this build does not read is refused by recovery with SNAPSHOT_VERSION_UNSUPPORTED', () => {
  const bytes = written[0]!.bytes.slice();
  new DataView(bytes.buffer).setUint16(4, 4, true);
  assert.throws(() => decode(bytes), /SNAPSHOT_VERSION_UNSUPPORTED|format version/);
  const info = { version: 1, shard: 2, position: 1, lastSeq: [], outputNextSeqs: [], stateHash: '0' } as unknown as SnapshotInfo;
  const why = refusal({ marketShards: 2 } as unknown as Topology, 2, info, bytes);
  assert.match(why ?? '', /format version 4; this build reads versions 1 to 3/);
});
