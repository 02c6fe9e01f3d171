// DrainedRingOutput: a market shard's gateway output as it runs (a RingOutput into a real ring, claimed
// and published in batches) with the ring's consumers released on the same thread after every batch, so
// a single-threaded benchmark times what the producer pays per record without a consumer thread. With
// `consumers` 2 the ring has the surveillance worker's cursor too (the producer's gate reads both): what
// matching pays for surveillance since it reads the gateway ring instead of a copy.

import { Doorbell } from '../../../engine/ring/doorbell.js';
import type { RecordBuffer } from '../../../engine/ring/record.js';
import { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import { RingConsumer } from '../../../engine/ring/ring-consumer.js';
import { defaultWaitStrategy } from '../../../engine/ring/wait-strategy.js';
import type { EventOutput } from '../../../engine/shard/event-output.js';
import { RingOutput } from '../../../engine/shard/ring-output.js';

/** Records between publishes: the RingOutput's own claim batch, as a shard's batches are. */
const BATCH = 256;

export class DrainedRingOutput implements EventOutput {
  private readonly out: RingOutput;
  private readonly consumers: RingConsumer[];
  private pending = 0;

  constructor(consumers: 1 | 2, capacity = 4_096) {
    const ring = RingBuffer.create(capacity, consumers);
    const bells = Array.from({ length: consumers }, () => Doorbell.create());
    this.out = new RingOutput(ring, consumers === 1 ? bells[0]! : bells, defaultWaitStrategy());
    this.consumers = [new RingConsumer(ring), ...(consumers === 2 ? [new RingConsumer(RingBuffer.attach(ring.sab, 1))] : [])];
  }

  get nextSeq(): number {
    return this.out.nextSeq;
  }

  set nextSeq(v: number) {
    this.out.nextSeq = v;
  }

  append(src: RecordBuffer, at: number): void {
    this.out.append(src, at);
    if (++this.pending === BATCH) this.flush();
  }

  flush(): void {
    this.out.flush();
    this.pending = 0;
    for (const c of this.consumers) c.release(c.available());
  }
}
