// The main thread's handle on a shard worker: it notices a death from the moment the worker exists (an
// error, or an exit without 'stopped'), names the record a shard died on, and stop() always returns,
// terminating a worker that does not end its loop in time.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Doorbell } from '../../../engine/ring/doorbell.js';
import { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import { RingProducer } from '../../../engine/ring/ring-producer.js';
import { ControlBlock } from '../../../engine/shard/control-block.js';
import { ShardWorker, type ShardDeath } from '../../../engine/shard/shard-worker.js';
import type { TestShardData } from './test-shard.worker.js';

const script = new URL('./test-shard.worker.js', import.meta.url);

async function start(mode: TestShardData['mode'], inputs: RingBuffer[] = []): Promise<{ handle: ShardWorker; control: ControlBlock; bell: Doorbell }> {
  const control = ControlBlock.create();
  const bell = Doorbell.create();
  const data: TestShardData = { control: control.sab, bell: bell.sab, inputs: inputs.map((r) => r.sab), mode };
  return { handle: await ShardWorker.start(script, `test-shard-${mode}`, data, control, bell), control, bell };
}

test('a worker stuck in a loop is terminated once stop\'s time limit passes, and stop rejects saying so', { timeout: 30_000 }, async () => {
  const { handle } = await start('spin');
  await assert.rejects(handle.stop(200), /test-shard-spin did not stop within 200 ms and was terminated/);
  while (handle.death === undefined) await sleep(5);
  assert.match(handle.death.error.message, /did not stop within 200 ms/);
  assert.equal(handle.stop(), handle.stop(), 'the same promise every call');
});

test('a worker that exits without a word is dead, also for a listener that subscribes afterwards', { timeout: 30_000 }, async () => {
  const { handle } = await start('exit');
  while (handle.death === undefined) await sleep(5);
  const heard = await new Promise<ShardDeath>((resolve) => handle.onDeath(resolve));
  assert.equal(heard, handle.death);
  assert.match(heard.error.message, /test-shard-exit exited with code 3 before stopping/);
  assert.equal(heard.input, -1);
  assert.equal(heard.record, undefined);
  await assert.rejects(handle.stop(), /exited with code 3/);
  await assert.rejects(handle.request(), /exited with code 3/, 'a request to a dead worker fails at once');
});

test('a record whose handling throws kills the worker, and the death names that record and its input', { timeout: 30_000 }, async () => {
  const inputs = [RingBuffer.create(8), RingBuffer.create(8)];
  const { handle, bell } = await start('processor', inputs);
  const deaths: ShardDeath[] = [];
  handle.onDeath((d) => deaths.push(d));
  const producer = new RingProducer(inputs[1]!, bell);
  const n = producer.claim(3);
  for (let i = 0; i < n; i++) {
    inputs[1]!.records.clear(producer.at(i));
    inputs[1]!.records.setSeq(producer.at(i), i + 1);
    inputs[1]!.records.setAccountId(producer.at(i), 6 + i);
  }
  producer.publish(n);
  while (deaths.length === 0) await sleep(5);
  const d = deaths[0]!;
  assert.equal(d.error.message, 'boom on account 7');
  assert.equal(d.input, 1);
  assert.equal(d.record!.accountId(0), 7);
  assert.equal(d.record!.seq(0), 2);
  assert.equal(deaths.length, 1, 'told once');
  await assert.rejects(handle.stop(), /boom on account 7/);
});
