// RingProducer: the one writer of a ring (the disruptor's single-producer sequencer).
//
// Which thread may call: exactly one thread per ring, the one that built this object. The cycle is
//   const n = producer.claim(max);          // free slots now, 0 = full; never blocks, never drops
//   for (let i = 0; i < n; i++) write records at ring.records, byte offset producer.at(i);
//   producer.publish(n);                    // one release store makes all n visible, then the doorbell
// Memory ordering: records are written with plain stores; the Atomics.store of the producer cursor is
// sequentially consistent, so every record write before it happens-before the consumer's Atomics.load
// that sees the new cursor. The consumer cursor is cached (agrona style) and only re-read when the cache
// says there is not room for the claim: while the ring has room the producer never touches the line the
// consumer writes.
//
// A ring of two consumers (the disruptor's multi-consumer pattern): the free space is what the consumer
// furthest behind left, so the producer reads both cursors when its cache runs out, and publish() rings
// both consumers' doorbells. Consumer 0 can be left out of that gate for a while (skipFirstConsumer):
// while a restarted shard replays, its follower (consumer 1) is given the replayed records and the
// first consumer, which must not see them, joins at the head afterwards (skipFirstConsumer(false)).

import type { Doorbell } from './doorbell.js';
import { RECORD_BYTES } from './record.js';
import { CONSUMER_CURSOR_INDEX, PRODUCER_CURSOR_INDEX, PRODUCER_PARKED_INDEX, SECOND_CONSUMER_CURSOR_INDEX } from './ring-buffer-descriptor.js';
import type { RingBuffer } from './ring-buffer.js';
import { RingSpaceParker } from './ring-space-parker.js';
import type { WaitStrategy } from './wait-strategy.js';

const ALWAYS = (): boolean => true;

export class RingProducer {
  private readonly header: Int32Array;
  private readonly capacity: number;
  private readonly mask: number;
  /** Whether consumer 0 gates the producer (every ring; off only while skipFirstConsumer is on). */
  private gateFirst = true;
  /** Whether consumer 1 gates the producer (rings of two consumers). */
  private readonly gateSecond: boolean;
  /** The header index of the cursor furthest behind, as last read: what the space parker sleeps on. */
  private lagging = CONSUMER_CURSOR_INDEX;
  private readonly consumerBell: Doorbell;
  private readonly secondBell: Doorbell | undefined;
  /** Producer cursor: records ever published, mod 2^32. Only this thread writes it, so it lives here too. */
  private cursor: number;
  /** Last consumer cursor read from shared memory; stale only in the safe direction (less room). */
  private cachedConsumer: number;
  private claimed = 0;
  private spaceNeeded = 0;
  private keepWaiting: () => boolean = ALWAYS;
  readonly spaceParker: RingSpaceParker;
  // Made once: awaitSpace must not allocate a closure per call.
  private readonly hasSpace = (): boolean => this.freeNow() >= this.spaceNeeded;
  /** What the parker re-checks before it sleeps: room, or a reason to stop waiting. */
  private readonly hasSpaceOrGiveUp = (): boolean => this.freeNow() >= this.spaceNeeded || !this.keepWaiting();

  /** consumerBells: each consumer's doorbell, one per consumer of the ring (a single one for one consumer). */
  constructor(
    readonly ring: RingBuffer,
    consumerBells: Doorbell | readonly Doorbell[],
  ) {
    this.header = ring.header;
    this.capacity = ring.capacity;
    this.mask = ring.mask;
    const bells = Array.isArray(consumerBells) ? (consumerBells as readonly Doorbell[]) : [consumerBells as Doorbell];
    if (bells.length !== ring.consumers) throw new RangeError(`${bells.length} doorbells for a ring of ${ring.consumers} consumers`);
    this.consumerBell = bells[0]!;
    this.secondBell = bells[1];
    this.gateSecond = ring.consumers > 1;
    // Read from the header, not assumed 0, so a producer can be rebuilt over a live ring.
    this.cursor = Atomics.load(this.header, PRODUCER_CURSOR_INDEX);
    this.cachedConsumer = this.slowestConsumer();
    this.spaceParker = new RingSpaceParker(this.header, () => this.lagging);
  }

  /**
   * Claims up to `max` slots and returns how many it got: min(max, free slots), 0 when the ring is full
   * (back-pressure: the caller retries later or awaits space; nothing is dropped, nothing changes).
   * A new claim replaces whatever was claimed and not published.
   */
  claim(max: number): number {
    const want = max < this.capacity ? max : this.capacity;
    let free = this.capacity - ((this.cursor - this.cachedConsumer) | 0);
    if (free < want) free = this.freeNow();
    const n = want <= 0 ? 0 : free < want ? free : want;
    this.claimed = n;
    return n;
  }

  /** Byte offset in ring.records of the i-th claimed slot, 0 ≤ i < claimed (not checked: hot path). */
  at(i: number): number {
    return ((this.cursor + i) & this.mask) * RECORD_BYTES;
  }

  /**
   * Makes the first n claimed slots visible to the consumer with one release store, then rings the
   * consumer's doorbell (a load only, unless the consumer is parked). The remaining claimed slots stay
   * claimed: at(0) is now the first of them.
   */
  publish(n: number): void {
    if (this.publishSilently(n)) this.consumerBell.ring();
  }

  /**
   * publish() without consumer 0's doorbell (a second consumer's is still rung), for a producer whose
   * first consumer is woken by someone else (a gateway-bound output the journal writer wakes the gateway
   * for: ring-output.ts); the producer may wakeConsumer() itself later. False when n is 0.
   */
  publishSilently(n: number): boolean {
    if ((n | 0) !== n || n < 0 || n > this.claimed) throw new RangeError(`publish(${n}) with ${this.claimed} claimed`);
    if (n === 0) return false;
    this.cursor = (this.cursor + n) | 0;
    this.claimed -= n;
    Atomics.store(this.header, PRODUCER_CURSOR_INDEX, this.cursor);
    this.secondBell?.ring();
    return true;
  }

  /** Rings consumer 0's doorbell (a load only, unless the consumer is parked). */
  wakeConsumer(): void {
    this.consumerBell.ring();
  }

  /**
   * Rings of two consumers: consumer 0 stops gating the producer (on) or, off, joins at the producer's
   * cursor: its cursor is set to everything published so far, which it will never read. Only while
   * consumer 0 has no RingConsumer yet (it is built after, and reads its cursor then): a restarted shard
   * replays into its gateway stream for its follower alone before the gateway starts reading.
   */
  skipFirstConsumer(on: boolean): void {
    if (!this.gateSecond) throw new RangeError('only a ring of two consumers can leave its first one out');
    if (!on) Atomics.store(this.header, CONSUMER_CURSOR_INDEX, this.cursor);
    this.gateFirst = !on;
    this.cachedConsumer = this.slowestConsumer();
  }

  /**
   * Worker threads only: waits until at least n slots are free (1 ≤ n ≤ capacity) and returns true, or
   * returns false, without claiming, once keepWaiting() is false (the shard is stopping: its consumer may
   * be gone for good). Spins and then parks as `wait` decides; the consumer's release() wakes a parked
   * producer, and so does RingBuffer.wakeProducer() (stop). Then claim(n) gets ≥ n.
   */
  awaitSpace(n: number, wait: WaitStrategy, keepWaiting: () => boolean = ALWAYS): boolean {
    if ((n | 0) !== n || n < 1 || n > this.capacity) throw new RangeError(`awaitSpace(${n}) on a ring of ${this.capacity}`);
    this.spaceNeeded = n;
    this.keepWaiting = keepWaiting;
    if (this.hasSpace()) return true;
    wait.busy();
    while (!this.hasSpace()) {
      if (!keepWaiting()) return false;
      wait.idle(this.spaceParker, this.hasSpaceOrGiveUp);
    }
    return true;
  }

  /**
   * Raises (true) or lowers the producer-parked flag without blocking, for a producer that waits for
   * space on its own thread's doorbell rather than in awaitSpace (the risk shard's outbox): while the
   * flag is up, the consumer's release() rings that doorbell (RingConsumer's producerBell). Raise it
   * before the last look at free space ahead of a sleep: ring-space-parker.ts has the handshake, with
   * the doorbell's (doorbell.ts) on top of it.
   */
  waitingForSpace(waiting: boolean): void {
    Atomics.store(this.header, PRODUCER_PARKED_INDEX, waiting ? 1 : 0);
  }

  /** Free slots, re-reading the consumer cursors (a load of each consumer's line: only when needed). */
  private freeNow(): number {
    this.cachedConsumer = this.slowestConsumer();
    return this.capacity - ((this.cursor - this.cachedConsumer) | 0);
  }

  /** The cursor of the gating consumer furthest behind (the one whose distance to ours is largest). */
  private slowestConsumer(): number {
    if (!this.gateSecond) return Atomics.load(this.header, CONSUMER_CURSOR_INDEX);
    const second = Atomics.load(this.header, SECOND_CONSUMER_CURSOR_INDEX);
    if (!this.gateFirst) {
      this.lagging = SECOND_CONSUMER_CURSOR_INDEX;
      return second;
    }
    const first = Atomics.load(this.header, CONSUMER_CURSOR_INDEX);
    if (((this.cursor - second) | 0) > ((this.cursor - first) | 0)) {
      this.lagging = SECOND_CONSUMER_CURSOR_INDEX;
      return second;
    }
    this.lagging = CONSUMER_CURSOR_INDEX;
    return first;
  }
}
