// Journal lag, the back-pressure metric: records a shard has copied into its tap minus records inside the
// durable cut, per shard, read from shared memory (the exchange refuses gateway commands past a bound).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { defaultWaitStrategy } from '../../engine/ring/wait-strategy.js';
import { RingTap } from '../../engine/shard/input-tap.js';
import { JournalHost } from '../../persistence/journal-host.js';

test('lag counts what a shard copied into its tap and the durable cut does not cover yet', () => {
  // A host at a recovered cut (shard 0 at 1,000, shard 1 at 7), its writer not started: nothing drains.
  const host = new JournalHost({ dir: '/unused', producerOf: [[-1, 1], [-1, 0]], from: { version: 1, batch: 3, positions: [1_000, 7], lastSeq: [[0, 0], [0, 0]] }, gatewayBell: Doorbell.create(), tapCapacity: 64 });
  assert.deepEqual([host.lag(0), host.lag(1)], [0, 0]);
  const tap = new RingTap(host.taps[0]!, host.bell, defaultWaitStrategy());
  const rec = RecordBuffer.allocate(1);
  const n = tap.reserve(5, () => true);
  assert.equal(n, 5);
  for (let i = 0; i < n; i++) tap.copy(rec, 0, 0);
  tap.publish();
  assert.deepEqual([host.lag(0), host.lag(1)], [5, 0]);
  // The writer made 3 of them durable: the watermark moves, the lag shrinks.
  host.watermark.publish([1_003, 7]);
  assert.deepEqual([host.lag(0), host.lag(1)], [2, 0]);
  host.watermark.publish([1_005, 7]);
  assert.equal(host.lag(0), 0);
});

test('a full tap makes the shard wait, and a stop ends the wait with nothing reserved', () => {
  const host = new JournalHost({ dir: '/unused', producerOf: [[-1]], from: { version: 1, batch: 0, positions: [0], lastSeq: [[0]] }, gatewayBell: Doorbell.create(), tapCapacity: 4 });
  const tap = new RingTap(host.taps[0]!, host.bell, defaultWaitStrategy());
  assert.equal(tap.reserve(8, () => true), 4, 'no more than the ring holds');
  const rec = RecordBuffer.allocate(1);
  for (let i = 0; i < 4; i++) tap.copy(rec, 0, 0);
  tap.publish();
  let asked = 0;
  // Nobody drains the tap: reserve waits, asking whether to keep running, and gives up when told to stop.
  assert.equal(tap.reserve(1, () => ++asked < 3), 0);
  assert.ok(asked >= 3);
  assert.equal(tap.stalls, 1);
});
