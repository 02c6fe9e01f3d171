// A consumer thread with nothing to do must sleep, not spin, and a publish must wake it.

import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Doorbell } from '../../../engine/ring/doorbell.js';
import { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import { RingProducer } from '../../../engine/ring/ring-producer.js';
import { runWorker } from './run-worker.js';
import type { ParkedConsumerJob, ParkedConsumerResult } from './parked-consumer.worker.js';

const script = new URL('./parked-consumer.worker.js', import.meta.url);

async function parkThenPublish(t: TestContext, parkTimeoutMs: number | undefined): Promise<ParkedConsumerResult> {
  const ring = RingBuffer.create(8);
  const bell = Doorbell.create();
  const job: ParkedConsumerJob = { ringSab: ring.sab, bellSab: bell.sab };
  if (parkTimeoutMs !== undefined) job.parkTimeoutMs = parkTimeoutMs;
  const result = runWorker<ParkedConsumerResult>(t, script, job);
  while (!bell.isParked()) await sleep(5);
  const producer = new RingProducer(ring, bell);
  assert.equal(producer.claim(1), 1);
  ring.records.setI32(producer.at(0), 0, 4242);
  producer.publish(1);
  return result;
}

test('an idle consumer with the default strategy parks, and a publish delivers its record', { timeout: 20_000 }, async (t) => {
  const got = await parkThenPublish(t, undefined);
  assert.equal(got.value, 4242);
  assert.ok(got.parks >= 1);
});

test('a parked consumer is woken by the publish, not by its park timeout', { timeout: 20_000 }, async (t) => {
  // The park timeout far exceeds the test's: only the doorbell can end the wait in time.
  const got = await parkThenPublish(t, 60_000);
  assert.equal(got.value, 4242);
  assert.equal(got.parks, 1);
});
