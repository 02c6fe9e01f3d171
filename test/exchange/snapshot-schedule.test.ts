// The snapshotter's schedule (exchange/snapshots/snapshot-schedule.ts) over a fake replica and a fake
// journal writer: a snapshot is stored where it falls due, and only once the replica's consumers have
// durably taken what it wrote there; under a steady flow whose consumer lags by more than a tick's worth
// of records, the replica holds at the due point instead of running on (where it would never be settled).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordBuffer } from '../../engine/ring/record.js';
import { BlockBuilder, type JournalBlock } from '../../persistence/journal-block.js';
import type { SnapshotInfo } from '../../persistence/snapshot-store.js';
import { SnapshotSchedule, stepAll, type ScheduledReplica, type SnapshotIo } from '../../exchange/snapshots/snapshot-schedule.js';

/** The replica's shard writes one record to shard 2's input 1 per journal record it takes. */
const CONSUMERS = [{ shard: 2, input: 1 }];

class FakeReplica implements ScheduledReplica {
  position = 0;
  constructor(readonly shard = 0) {}
  apply(block: JournalBlock, durable: number, pause?: () => boolean): number {
    let n = 0;
    for (let i = this.position - block.firstPosition; i < block.count && this.position < durable; i++) {
      if (pause?.()) break;
      this.position++;
      n++;
    }
    return n;
  }
  outputNextSeqs(): number[] {
    return [this.position + 1];
  }
  encode(takenAtMs: number): { info: SnapshotInfo; bytes: Uint8Array } {
    const info = { version: 1, shard: this.shard, position: this.position, lastSeq: [], outputNextSeqs: this.outputNextSeqs(), clockUs: 0, takenAtMs, stateHash: '0'.repeat(16), bytes: 0, pieces: 1 } as const;
    return { info, bytes: new Uint8Array(0) };
  }
}

const record = RecordBuffer.allocate(1);
function blockAt(first: number, size: number): Uint8Array {
  const b = new BlockBuilder();
  b.begin(first, size);
  for (let i = 0; i < size; i++) b.add(record.u8, 0, 0);
  return b.finish();
}

/**
 * A shard whose durable journal grows by `perTick` records a tick, and a consumer whose durable last seq
 * of the replica's outputs trails the shard's durable position by `lag` records.
 */
function world(perTick: number, lag: number, o: { block?: number; perRead?: number } = {}) {
  const block = o.block ?? 100;
  let durable = 0;
  const stored: { position: number; consumed: number }[] = [];
  let consumed = 0;
  let reads = 0;
  const io: SnapshotIo = {
    // Blocks from the one holding `from`, until `maxRecords` are covered (as the writer's service reads).
    read: async (_shard, from, maxRecords) => {
      if (++reads > 500) throw new Error('the schedule kept reading: it never returned');
      durable += o.perRead ?? 0;
      consumed = Math.max(0, durable - lag);
      const blocks: Uint8Array[] = [];
      let records = 0;
      for (let first = Math.floor(from / block) * block; first < durable && records < maxRecords; first += block, records += block) blocks.push(blockAt(first, block));
      return { blocks, durable, durableLastSeq: [[], [], [0, consumed]] };
    },
    store: async (info) => {
      stored.push({ position: info.position, consumed });
      return { prunedSnapshots: 0, journalBefore: 0 };
    },
    stored: () => {},
    nowMs: () => 0,
    running: () => true,
  };
  return {
    io,
    stored,
    tick(): void {
      durable += perTick;
      consumed = Math.max(0, durable - lag);
    },
  };
}

test('a due snapshot waits for its consumers and is stored where it fell due, though the flow never pauses', async () => {
  // The consumer trails by 800 records, more than the 500 a tick brings: a replica that ran on to the
  // shard's front at every tick would never find its outputs consumed.
  const w = world(500, 800);
  const replica = new FakeReplica();
  const s = new SnapshotSchedule(replica, CONSUMERS, { everyRecords: 1_000, everyMs: 1e12 }, w.io);
  for (let t = 0; t < 40; t++) {
    w.tick();
    await s.step();
  }
  assert.ok(w.stored.length >= 15, `snapshots stored under a steady flow (${w.stored.length})`);
  for (const [i, x] of w.stored.entries()) {
    assert.equal(x.position, (i + 1) * 1_000, 'each one where it fell due');
    assert.ok(x.consumed >= x.position, `settled when stored: the consumer had taken ${x.consumed} of the ${x.position} records written`);
  }
  // Held at most until the consumer caught up: the replica is never far behind the shard.
  assert.ok(replica.position >= 40 * 500 - 1_000 - 800, `the replica kept up (${replica.position})`);
});

test('with consumers caught up a snapshot is stored at every everyRecords, the replica running to the durable front between them', async () => {
  const w = world(2_500, 0);
  const replica = new FakeReplica();
  const s = new SnapshotSchedule(replica, CONSUMERS, { everyRecords: 1_000, everyMs: 1e12 }, w.io);
  for (let t = 0; t < 4; t++) {
    w.tick();
    await s.step();
    assert.equal(replica.position, (t + 1) * 2_500, 'caught up with the durable front');
  }
  assert.deepEqual(w.stored.map((x) => x.position), [1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000, 10_000]);
});

test('by time: a snapshot falls due after everyMs once a record came, not before and not without one', async () => {
  const w = world(0, 0);
  let now = 0;
  w.io.nowMs = () => now;
  const replica = new FakeReplica();
  const s = new SnapshotSchedule(replica, CONSUMERS, { everyRecords: 1e9, everyMs: 60_000 }, w.io);
  now = 120_000;
  await s.step();
  assert.equal(w.stored.length, 0, 'no record since the start: nothing to snapshot');
  w.tick();
  await s.step();
  assert.equal(w.stored.length, 0, 'no record yet');
  const grow = world(300, 0);
  grow.io.nowMs = () => now;
  const r2 = new FakeReplica();
  const s2 = new SnapshotSchedule(r2, CONSUMERS, { everyRecords: 1e9, everyMs: 60_000 }, grow.io);
  grow.tick();
  await s2.step();
  assert.equal(grow.stored.length, 0, 'records came, but everyMs has not passed since the start');
  now += 60_000;
  grow.tick();
  await s2.step();
  assert.deepEqual(grow.stored.map((x) => x.position), [300], 'due at the first step after everyMs passed, where the replica stood');
});

test('a replica that cannot catch up with its shard does not starve the others: each round takes one slice of each', async () => {
  // Shard 0's journal grows by more than one read's worth at every read, as a saturated risk shard's can
  // while its replica replays about as fast as it runs; shard 1 grows 500 records a tick.
  const a = world(0, 0, { block: 8_192, perRead: 70_000 });
  const b = world(500, 0);
  const ra = new FakeReplica(0);
  const rb = new FakeReplica(1);
  const policy = { everyRecords: 1_000, everyMs: 1e12 };
  const schedules = [new SnapshotSchedule(ra, CONSUMERS, policy, a.io), new SnapshotSchedule(rb, CONSUMERS, policy, b.io)];
  for (let round = 0; round < 10; round++) {
    b.tick();
    assert.equal(await stepAll(schedules, () => true), true, 'shard 0 still has records to take: no sleep');
  }
  assert.ok(rb.position === 5_000 && b.stored.length >= 4, `shard 1's replica kept up and was snapshotted (${rb.position}, ${b.stored.length} snapshots)`);
  assert.ok(ra.position > 0 && a.stored.length > 0, `shard 0 moved on too (${ra.position})`);
});