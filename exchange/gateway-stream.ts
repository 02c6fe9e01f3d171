// GatewayStream: one stream the gateway (main thread) writes into a shard's input ring. It stamps seq,
// claims slots in batches and publishes on flush(): one release store per batch of commands. A full ring
// is back-pressure: offer() returns false and the command is not taken (the gateway answers the client
// BACK_PRESSURE); the main thread never waits on a ring.

import type { Doorbell } from '../engine/ring/doorbell.js';
import type { RecordBuffer } from '../engine/ring/record.js';
import type { RingBuffer } from '../engine/ring/ring-buffer.js';
import { RingProducer } from '../engine/ring/ring-producer.js';

const CLAIM_BATCH = 256;

export class GatewayStream {
  private readonly producer: RingProducer;
  private claimed = 0;
  private written = 0;
  nextSeq = 1;

  constructor(readonly ring: RingBuffer, consumerBell: Doorbell) {
    this.producer = new RingProducer(ring, consumerBell);
  }

  /** Room for one more record now (claims a batch when needed). */
  hasRoom(): boolean {
    return this.hasRoomFor(1);
  }

  /** Room for n more records now, so a group that must stay together goes in whole or not at all. */
  hasRoomFor(n: number): boolean {
    if (this.claimed - this.written >= n) return true;
    this.flush();
    this.claimed = this.producer.claim(Math.max(CLAIM_BATCH, n));
    return this.claimed >= n;
  }

  /** Copies the record in and stamps its seq; false (nothing taken) when the ring is full. */
  offer(src: RecordBuffer, at: number): boolean {
    if (!this.hasRoom()) return false;
    const to = this.producer.at(this.written++);
    this.ring.records.copyFrom(src, at, to);
    this.ring.records.setSeq(to, this.nextSeq++);
    return true;
  }

  flush(): void {
    if (this.written === 0) return;
    this.producer.publish(this.written);
    this.written = 0;
    this.claimed = 0;
  }
}
