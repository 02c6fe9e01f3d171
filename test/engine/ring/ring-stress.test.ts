// Stress: real producer and consumer threads push sequenced records through a small ring with each wait
// strategy, batched and unbatched. The ring wraps hundreds of thousands of times and is full most of the
// time, so back-pressure, parking on both sides and cursor wrap-around all happen constantly.

import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { Doorbell } from '../../../engine/ring/doorbell.js';
import { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import { CONSUMER_CURSOR_INDEX, PRODUCER_CURSOR_INDEX, SECOND_CONSUMER_CURSOR_INDEX } from '../../../engine/ring/ring-buffer-descriptor.js';
import { WAIT_STRATEGY_NAMES, type WaitStrategyName } from '../../../engine/ring/wait-strategy-by-name.js';
import { testSeed } from '../../support/seed.js';
import { runWorker } from './run-worker.js';
import type { ConsumerResult, ProducerResult, StressJob } from './stress.worker.js';

const CAPACITY = 64;
// Records per run. Busy-spinning threads starve each other when the machine's cores are shared (each
// hand-off then waits for a time slice), so busy-spin moves fewer records to keep the file's runtime
// bounded on 2 shared CI cores; the parking strategies move millions.
const RECORDS: Record<WaitStrategyName, { batched: number; unbatched: number }> = {
  'busy-spin': { batched: 500_000, unbatched: 200_000 },
  'spin-then-park': { batched: 2_000_000, unbatched: 1_000_000 },
  park: { batched: 2_000_000, unbatched: 1_000_000 },
};
const MAX_BATCH = 48;
const script = new URL('./stress.worker.js', import.meta.url);

async function stress(t: TestContext, strategy: WaitStrategyName, total: number, maxBatch: number, seed: number): Promise<void> {
  const ring = RingBuffer.create(CAPACITY);
  const bell = Doorbell.create();
  const job = { ringSab: ring.sab, bellSab: bell.sab, strategy, total, maxBatch, seed };
  const consumer = runWorker<ConsumerResult>(t, script, { ...job, role: 'consumer' } satisfies StressJob);
  const producer = runWorker<ProducerResult>(t, script, { ...job, role: 'producer' } satisfies StressJob);
  const [sent, got] = await Promise.all([producer, consumer]);

  assert.equal(got.firstError, '');
  assert.equal(got.errors, 0);
  assert.equal(sent.sent, total);
  assert.equal(got.received, total);
  assert.equal(got.leftover, 0);
  assert.equal(Atomics.load(ring.header, PRODUCER_CURSOR_INDEX), total | 0);
  assert.equal(Atomics.load(ring.header, CONSUMER_CURSOR_INDEX), total | 0);
  assert.ok(sent.fullClaims > 0, 'the producer never met a full ring: back-pressure was not exercised');
}

const seed = testSeed('ring-stress');

test(`1000000 records in random batches reach both consumers of a ${CAPACITY}-slot ring intact, once and in order, each at its own pace`, async (t) => {
  const ring = RingBuffer.create(CAPACITY, 2);
  const bells = [Doorbell.create(), Doorbell.create()];
  const total = 1_000_000;
  const job = { ringSab: ring.sab, bellSab: bells[0]!.sab, secondBellSab: bells[1]!.sab, strategy: 'spin-then-park' as const, total, maxBatch: MAX_BATCH, seed };
  const consumers = [0, 1].map((consumer) => runWorker<ConsumerResult>(t, script, { ...job, role: 'consumer', consumer } satisfies StressJob));
  const producer = runWorker<ProducerResult>(t, script, { ...job, role: 'producer' } satisfies StressJob);
  const [sent, ...got] = await Promise.all([producer, ...consumers]);
  assert.equal(sent.sent, total);
  for (const g of got) {
    assert.equal(g.firstError, '');
    assert.equal(g.errors, 0);
    assert.equal(g.received, total);
    assert.equal(g.leftover, 0);
  }
  assert.equal(Atomics.load(ring.header, CONSUMER_CURSOR_INDEX), total | 0);
  assert.equal(Atomics.load(ring.header, SECOND_CONSUMER_CURSOR_INDEX), total | 0);
  assert.ok(sent.fullClaims > 0, 'the producer never met a full ring: back-pressure was not exercised');
});

for (const strategy of WAIT_STRATEGY_NAMES) {
  const { batched, unbatched } = RECORDS[strategy];
  test(`${batched} records in random batches cross a ${CAPACITY}-slot ring intact, once and in order with ${strategy}`, async (t) => {
    await stress(t, strategy, batched, MAX_BATCH, seed);
  });

  test(`${unbatched} records published one at a time cross a ${CAPACITY}-slot ring intact, once and in order with ${strategy}`, async (t) => {
    await stress(t, strategy, unbatched, 1, seed);
  });
}
