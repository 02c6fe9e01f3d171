// RingOutput: an EventOutput that writes into an SPSC ring (a worker thread's output stream).
//
// Appends go into slots claimed in batches and become visible at flush(), one release store per batch.
// When the ring is full the output first publishes what it holds (so the consumer can make progress)
// and then waits for space with the thread's wait strategy: back-pressure stalls this producer, it never
// drops a record and never grows without bound. Only consumers that never wait on this thread may be
// fed this way (see docs/ARCHITECTURE.md, "Back-pressure without deadlock").
//
// The one exception is shutdown: the wait gives up once keepWaiting() is false (the shard's run flag is
// cleared), since the consumer may be a thread that has died or stopped. The output is then abandoned:
// the record that found no room and every later one are dropped and counted (`abandoned`), so a stopping
// shard never blocks on a ring nobody reads and never leaves a hole in the middle of its stream.
//
// Released by the journal (optional `durable`): a gateway-bound output of a journaling shard, whose
// records the gateway hands out only once the input that produced them is inside the durable cut. The
// journal writer rings the gateway after every synced batch, so this output rings only when its batch is
// releasable at once (its first stamp, the lowest, already below the cut); otherwise a wake-up now would
// find nothing the gateway may take, and costs this thread a notify. No wake-up is lost: the output
// publishes (store cursor) and then loads the cut; the writer stores the cut and then rings. If the load
// comes before the writer's store, the writer's ring comes after the publish, and the gateway's check
// after it sees both (every step is a sequentially consistent Atomics operation: doorbell.ts).

import type { Doorbell } from '../ring/doorbell.js';
import type { RingBuffer } from '../ring/ring-buffer.js';
import { RingProducer } from '../ring/ring-producer.js';
import type { RecordBuffer } from '../ring/record.js';
import type { WaitStrategy } from '../ring/wait-strategy.js';
import type { EventOutput } from './event-output.js';
import { stampBefore, stampOf, type DurableCut, type InputStamp } from './input-stamp.js';

const CLAIM_BATCH = 256;

export class RingOutput implements EventOutput {
  private readonly producer: RingProducer;
  private readonly records: RecordBuffer;
  private claimed = 0;
  private written = 0;
  nextSeq: number;
  /** Times this output found its ring full, for monitoring. */
  stalls = 0;
  /** Records dropped because the shard stopped while this output waited for space (0 in a clean run). */
  abandoned = 0;

  constructor(
    ring: RingBuffer,
    /** The consumer's doorbell (one per consumer on a ring of two: ring-producer.ts). */
    consumerBell: Doorbell | readonly Doorbell[],
    private readonly wait: WaitStrategy,
    firstSeq = 1,
    /** Whether to keep waiting for space in a full ring: the shard's run flag. */
    private readonly keepWaiting: () => boolean = () => true,
    /** When given, each record carries the position of the input that produced it (input-stamp.ts). */
    private readonly stamp?: InputStamp,
    /** The shard's durable cut when the consumer releases records by it (above): ring only if releasable. */
    private readonly durable?: DurableCut,
  ) {
    this.producer = new RingProducer(ring, consumerBell);
    this.records = ring.records;
    this.nextSeq = firstSeq;
  }

  append(src: RecordBuffer, at: number): void {
    if (this.written === this.claimed && !this.claimMore()) {
      this.abandoned++;
      return;
    }
    const to = this.producer.at(this.written++);
    this.records.copyFrom(src, at, to);
    this.records.setSeq(to, this.nextSeq++);
    if (this.stamp !== undefined) this.stamp.apply(this.records, to);
  }

  /** The last record is unpublished while written > 0: appends publish only before writing, and at flush. */
  markLast(flag: number): void {
    if (this.written === 0) return;
    const at = this.producer.at(this.written - 1);
    this.records.setFlags(at, this.records.flags(at) | flag);
  }

  flush(): void {
    if (this.written === 0) return;
    const durable = this.durable;
    if (durable === undefined) this.producer.publish(this.written);
    else {
      // Stamps rise along the ring: the batch's first is its lowest.
      const first = stampOf(this.records, this.producer.at(0));
      this.producer.publishSilently(this.written);
      if (stampBefore(first, durable.low())) this.producer.wakeConsumer();
    }
    this.written = 0;
    this.claimed = 0;
  }

  /**
   * On a ring of two consumers, leaves the first out of the back-pressure gate (on), or has it join at
   * everything published so far (off, after publishing what was appended): ring-producer.ts. For a
   * replay whose records only the second consumer is to read.
   */
  skipFirstConsumer(on: boolean): void {
    this.flush();
    this.producer.skipFirstConsumer(on);
  }

  /** Claims a batch of slots, waiting for space when the ring is full; false once abandoned. */
  private claimMore(): boolean {
    if (this.abandoned > 0) return false;
    this.flush();
    let n = this.producer.claim(CLAIM_BATCH);
    if (n === 0) {
      this.stalls++;
      if (!this.producer.awaitSpace(1, this.wait, this.keepWaiting)) return false;
      n = this.producer.claim(CLAIM_BATCH);
    }
    this.claimed = n;
    return true;
  }
}
