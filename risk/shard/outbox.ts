// Outbox: the risk shard's output stream towards a market shard, an EventOutput that never blocks.
//
//   append ──▶ ring has room and nothing is queued? ──yes──▶ ring slot (visible at flush)
//                       │ no
//                       ▼
//              RecordQueue (in memory, in order) ──flush()/drain(): as the market frees slots──▶ ring
//
// Risk and market shards feed each other (orders one way, fills the other), so if both blocked on a full
// ring they could deadlock (docs/ARCHITECTURE.md, "Back-pressure without deadlock"). The outbox keeps the
// risk shard consuming market events while the market is behind; the worker stops taking gateway
// commands while any outbox has pending records (EventProcessor's admission predicate), which bounds the
// queue to what market events themselves produce (liquidation orders, system cancels).
//
// While records wait, the ring's producer-parked flag is up (RingProducer.waitingForSpace) and the market
// shard's release of slots rings this thread's doorbell (RingConsumer's producerBell), so a risk worker
// that parked with a queued outbox wakes as soon as there is room.
//
// The seq is stamped at append, so the stream's content and numbering do not depend on whether a record
// waited in memory: only the time it becomes visible does. A record never overtakes one queued before it.
// Thread contract: the risk-shard thread only.

import type { Doorbell } from '../../engine/ring/doorbell.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import type { RingBuffer } from '../../engine/ring/ring-buffer.js';
import { RecordQueue } from '../../engine/ring/record-queue.js';
import { RingProducer } from '../../engine/ring/ring-producer.js';
import type { EventOutput } from '../../engine/shard/event-output.js';
import type { InputStamp } from '../../engine/shard/input-stamp.js';

const CLAIM_BATCH = 256;

export class Outbox implements EventOutput {
  private readonly producer: RingProducer;
  private readonly slots: RecordBuffer;
  private readonly queue = new RecordQueue();
  private claimed = 0;
  private written = 0;
  nextSeq: number;
  /** Records that had to wait in memory since start, for monitoring. */
  queuedTotal = 0;

  constructor(
    ring: RingBuffer,
    consumerBell: Doorbell,
    firstSeq = 1,
    /** When given, each record carries the position of the input that produced it, stamped at append. */
    private readonly stamp?: InputStamp,
  ) {
    this.producer = new RingProducer(ring, consumerBell);
    this.slots = ring.records;
    this.nextSeq = firstSeq;
  }

  append(src: RecordBuffer, at: number): void {
    // Behind a queued record every later one queues too: order is the stream's contract.
    if (this.queue.length === 0 && (this.written < this.claimed || this.claimMore())) {
      const to = this.producer.at(this.written++);
      this.slots.copyFrom(src, at, to);
      this.slots.setSeq(to, this.nextSeq++);
      if (this.stamp !== undefined) this.stamp.apply(this.slots, to);
      return;
    }
    // The first record to wait raises the producer-parked flag, before the worker's next look at the
    // ring: from then on every release by the market shard rings this thread's doorbell, so a worker
    // asleep with records queued wakes as soon as there is room (not at its park timeout).
    if (this.queue.length === 0) this.producer.waitingForSpace(true);
    this.queue.push(src, at, this.nextSeq++);
    if (this.stamp !== undefined) this.stamp.apply(this.queue.records, this.queue.backAt());
    this.queuedTotal++;
  }

  /** Publishes what was written to the ring, then moves as much of the queue as fits. */
  flush(): void {
    this.publish();
    this.drain();
  }

  /** Moves queued records into free slots and publishes them; true when nothing is left pending. */
  drain(): boolean {
    const q = this.queue;
    while (q.length > 0) {
      const n = this.producer.claim(q.length < CLAIM_BATCH ? q.length : CLAIM_BATCH);
      if (n === 0) break;
      for (let i = 0; i < n; i++) {
        this.slots.copyFrom(q.records, q.frontAt(), this.producer.at(i));
        q.shift();
      }
      this.producer.publish(n);
      if (q.length === 0) this.producer.waitingForSpace(false);
    }
    return q.length === 0;
  }

  /** Records appended but not yet in the ring. */
  pending(): number {
    return this.queue.length;
  }

  private publish(): void {
    if (this.written === 0) return;
    this.producer.publish(this.written);
    this.written = 0;
    this.claimed = 0;
  }

  /** Publishes what is written and claims a new batch of slots; false when the ring is full. */
  private claimMore(): boolean {
    this.publish();
    this.claimed = this.producer.claim(CLAIM_BATCH);
    return this.claimed > 0;
  }
}
