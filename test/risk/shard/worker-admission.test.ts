import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Doorbell } from '../../../engine/ring/doorbell.js';
import type { RecordBuffer } from '../../../engine/ring/record.js';
import { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import { RingProducer } from '../../../engine/ring/ring-producer.js';
import type { Parker, WaitStrategy } from '../../../engine/ring/wait-strategy.js';
import { ControlBlock } from '../../../engine/shard/control-block.js';
import { EventProcessor, type RecordHandler } from '../../../engine/shard/event-processor.js';

class Recorder implements RecordHandler {
  readonly seen: [input: number, mark: number][] = [];
  eventCount = 0;
  duplicates = 0;
  handle(buf: RecordBuffer, at: number, input: number): void {
    this.seen.push([input, buf.accountId(at)]);
  }
  flush(): void {}
}

/** Stops the loop the first time it finds nothing to do (so run() returns on this thread). */
class StopWhenIdle implements WaitStrategy {
  constructor(private readonly control: ControlBlock) {}
  idle(_bell: Parker, _hasWork: () => boolean): void {
    this.control.requestStop();
  }
  busy(): void {}
}

function publish(ring: RingBuffer, marks: readonly number[]): void {
  const producer = new RingProducer(ring, Doorbell.create());
  const n = producer.claim(marks.length);
  for (let i = 0; i < n; i++) ring.records.setAccountId(producer.at(i), marks[i]!);
  producer.publish(n);
}

function run(rings: RingBuffer[], handler: Recorder, admit?: (input: number) => boolean): void {
  const control = ControlBlock.create();
  new EventProcessor(rings, Doorbell.create(), handler, new StopWhenIdle(control), control, 256, () => 0, admit).run();
}

test('an input the admission predicate refuses is left in its ring while the others are taken', () => {
  const gateway = RingBuffer.create(8);
  const market = RingBuffer.create(8);
  publish(gateway, [1, 2, 3]);
  publish(market, [11, 12]);
  const handler = new Recorder();
  run([gateway, market], handler, (input) => input !== 0);
  assert.deepEqual(handler.seen, [[1, 11], [1, 12]]);
  run([gateway, market], handler);
  assert.deepEqual(handler.seen.slice(2), [[0, 1], [0, 2], [0, 3]]);
});

test('without a predicate every input is taken in index order', () => {
  const a = RingBuffer.create(8);
  const b = RingBuffer.create(8);
  publish(a, [1]);
  publish(b, [2]);
  const handler = new Recorder();
  run([a, b], handler);
  assert.deepEqual(handler.seen, [[0, 1], [1, 2]]);
});
