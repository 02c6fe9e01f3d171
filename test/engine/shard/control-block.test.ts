import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { ControlBlock, Counter } from '../../../engine/shard/control-block.js';

test('a fresh block runs, and a stop request clears the run flag for every view of it', () => {
  const main = ControlBlock.create();
  const worker = ControlBlock.attach(main.sab);
  assert.equal(worker.running(), true);
  main.requestStop();
  assert.equal(worker.running(), false);
});

test('asks are tickets; the worker serves the latest it saw, and asks made meanwhile stay pending', () => {
  const main = ControlBlock.create();
  const worker = ControlBlock.attach(main.sab);
  assert.equal(worker.pendingAsk(), 0);
  assert.equal(main.ask(), 1);
  assert.equal(main.ask(), 2);
  const seen = worker.pendingAsk();
  assert.equal(seen, 2, 'two asks coalesce into one service');
  assert.equal(main.ask(), 3, 'asked while being served');
  worker.served(seen);
  assert.equal(worker.pendingAsk(), 3);
  worker.served(3);
  assert.equal(worker.pendingAsk(), 0);
});

test('counters written by the worker read back on the main thread', () => {
  const main = ControlBlock.create();
  ControlBlock.attach(main.sab).set(Counter.HANDLED, 2 ** 40 + 3);
  assert.equal(main.get(Counter.HANDLED), 2 ** 40 + 3);
});

test('the record a worker failed on reads back, with its input, on the main thread', () => {
  const main = ControlBlock.create();
  assert.equal(main.failure(), undefined);
  const record = RecordBuffer.allocate(2);
  record.setAccountId(record.at(1), 7);
  record.setSeq(record.at(1), 99);
  ControlBlock.attach(main.sab).recordFailure(0, record, record.at(1));
  const f = main.failure()!;
  assert.equal(f.input, 0);
  assert.equal(f.record.accountId(0), 7);
  assert.equal(f.record.seq(0), 99);
});
