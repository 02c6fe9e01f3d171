import assert from 'node:assert/strict';
import { test } from 'node:test';
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
