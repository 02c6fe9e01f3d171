// EventProcessor: the consumer loop of a worker thread (the disruptor's BatchEventProcessor), shared by
// market and risk shards.
//
//   for each input ring in index order: take up to BATCH available records, hand each to the handler
//   with the ring's index, release the batch, let the handler publish its outputs;
//   if nothing was found anywhere: wait.idle(bell, hasWork) (spin, then park on the thread's doorbell);
//   stop when the control block says so (the main thread rings the doorbell after clearing the flag).
//
// Round-robin over inputs in a fixed index order with a bounded batch keeps one busy producer from
// starving the others. The order records are taken in is the state machine's input order (its journal,
// once persistence lands, records exactly that order).
//
// A record whose handling throws ends the loop: the processor copies it into the control block (with its
// input index) and rethrows, and the thread dies of the error; whoever watches the thread reports it.
//
// Requests (optional): a ticket asked through the control block is served at the top of loop turns,
// between batches, so it sees the state after whole records only, a slice per turn until done; a parked
// loop wakes for it. One server per request kind (control-block.ts RequestKind), each served on its own.
//
// Journal tap and stamp (optional): every record taken is copied, with its input index, into the tap
// before any of its batch is handled, and each handle() runs with the stamp holding the record's journal
// position (input-stamp.ts, input-tap.ts), so outputs name the input that produced them.
//
// Admission (optional): admit(i) is asked before each poll of input i, and by the idle check; an input it
// refuses is left alone for now (its records wait in its ring). The risk worker refuses the gateway while
// an outbox towards a market holds records, and always admits market inputs (docs/ARCHITECTURE.md,
// "Back-pressure without deadlock"). The predicate may do work of its own (the risk worker drains its
// outboxes in it), so it runs once per loop turn, on the processor's thread.

import type { Doorbell } from '../ring/doorbell.js';
import { RingConsumer } from '../ring/ring-consumer.js';
import type { RingBuffer } from '../ring/ring-buffer.js';
import type { RecordBuffer } from '../ring/record.js';
import type { WaitStrategy } from '../ring/wait-strategy.js';
import { Counter, type ControlBlock, type RequestKind } from './control-block.js';
import { InputStamp } from './input-stamp.js';
import type { InputTap } from './input-tap.js';

export interface RecordHandler {
  handle(buf: RecordBuffer, at: number, input: number): void;
  /** Publishes what the handled records produced: called once per batch, after the batch is released. */
  flush(): void;
  /** Records written to output streams so far (for the control block). */
  readonly eventCount: number;
  readonly duplicates: number;
}

const DEFAULT_BATCH = 256;

/** Serves one request a slice at a time: true once the ticket is answered. */
export type RequestServer = (ticket: number) => boolean;

/**
 * A RequestServer that builds its answer a slice per call (a loop turn): `begin` starts a copy, `step`
 * copies one slice (true once whole), `reply` sends the copy for the ticket it started for. A ticket asked
 * while a copy runs is still pending when it is sent, so it gets a copy of its own next.
 */
export function slicedServer<B>(begin: () => B, step: (copy: B) => boolean, reply: (copy: B, ticket: number) => void): RequestServer {
  let current: { ticket: number; copy: B } | undefined;
  return (ticket) => {
    current ??= { ticket, copy: begin() };
    if (!step(current.copy)) return false;
    const done = current.ticket;
    reply(current.copy, done);
    current = undefined;
    return done === ticket;
  };
}

export interface JournalOptions {
  /** Where every taken record is copied before it is handled (absent: nothing is copied). */
  readonly tap?: InputTap;
  /** The stamp the shard's outputs read; the processor keeps its position current. */
  readonly stamp?: InputStamp;
  /** Journal position of the first record this loop takes (after a replay: where the replay ended). */
  readonly firstPosition?: number;
}
const COUNTER_REFRESH_BATCHES = 1024;
/** A busy loop looks for a request every this many turns (a power of two). */
const SERVE_EVERY = 64;

export class EventProcessor {
  private readonly consumers: RingConsumer[];
  private readonly buffers: RecordBuffer[];
  /** True when a wait should end at once: work in an admitted input, a pending request, or stop. */
  readonly hasWork: () => boolean;
  handled = 0;
  private batchesSincePublish = 0;
  /** Per request kind: a request is being served in slices. */
  private readonly serving: boolean[];
  private anyServing = false;
  private turns = 0;
  private readonly servers: readonly (RequestServer | undefined)[];
  /** Journal position of the next record taken. */
  position: number;
  private readonly tap: InputTap | undefined;
  private readonly stamp: InputStamp;
  private readonly isRunning: () => boolean;

  constructor(
    inputs: readonly RingBuffer[],
    private readonly bell: Doorbell,
    private readonly handler: RecordHandler,
    private readonly wait: WaitStrategy,
    private readonly control: ControlBlock,
    private readonly batch = DEFAULT_BATCH,
    private readonly stalls: () => number = () => 0,
    private readonly admit?: (input: number) => boolean,
    /**
     * Serves requests asked through the control block (ControlBlock.ask), between batches, in slices:
     * called once per loop turn until it returns true (the ticket is then served). One server, for the
     * first kind (RequestKind.SCAN), or one per kind indexed by RequestKind.
     */
    serve?: RequestServer | readonly (RequestServer | undefined)[],
    /**
     * The doorbell of input i's producer when that producer waits for space on its own doorbell (a risk
     * shard's outbox feeding a market shard): releasing slots of input i then wakes it.
     */
    producerBells: readonly (Doorbell | undefined)[] = [],
    journal: JournalOptions = {},
  ) {
    this.tap = journal.tap;
    this.stamp = journal.stamp ?? new InputStamp();
    this.position = journal.firstPosition ?? 0;
    this.isRunning = () => control.running();
    const servers = (this.servers = serve === undefined ? [] : typeof serve === 'function' ? [serve] : serve);
    this.serving = servers.map(() => false);
    const kinds = servers.flatMap((f, k) => (f === undefined ? [] : [k as RequestKind]));
    this.consumers = inputs.map((r, i) => new RingConsumer(r, producerBells[i]));
    this.buffers = inputs.map((r) => r.records);
    const consumers = this.consumers;
    const ctl = control;
    this.hasWork = () => {
      if (!ctl.running()) return true;
      for (let k = 0; k < kinds.length; k++) if (ctl.pendingAsk(kinds[k]!) !== 0) return true;
      for (let i = 0; i < consumers.length; i++) if ((admit === undefined || admit(i)) && consumers[i]!.available() > 0) return true;
      return false;
    };
  }

  /** Runs until the control block's run flag is cleared; then drains nothing more and returns. */
  run(): void {
    while (this.control.running()) {
      if (this.turn() > 0) this.wait.busy();
      else {
        this.quiet();
        this.wait.idle(this.bell, this.hasWork);
      }
    }
    this.publishCounters();
  }

  /**
   * One loop turn: serves pending requests' slices, then takes one bounded batch from each admitted input
   * in index order and handles it. Returns the records taken (0: nothing anywhere). A worker that runs
   * several shards (processor-group.ts) interleaves their turns and waits only when all found nothing,
   * calling quiet() on each first.
   */
  turn(): number {
    const consumers = this.consumers;
    const buffers = this.buffers;
    const handler = this.handler;
    const admit = this.admit;
    // Requests: looked for on an idle turn (the wait wakes for them) and every SERVE_EVERY busy turns,
    // so a loaded loop pays two atomic loads per SERVE_EVERY turns, not per turn; one being served gets
    // a slice every turn.
    if (this.servers.length > 0 && (this.anyServing || (this.turns++ & (SERVE_EVERY - 1)) === 0)) this.serveAll();
    let found = 0;
    for (let i = 0; i < consumers.length; i++) {
      if (admit !== undefined && !admit(i)) continue;
      const c = consumers[i]!;
      let n = c.available();
      if (n === 0) continue;
      if (n > this.batch) n = this.batch;
      const buf = buffers[i]!;
      const tap = this.tap;
      if (tap !== undefined) {
        // Copied before handled: the journal writer can write the batch while the shard works on it.
        n = tap.reserve(n, this.isRunning);
        if (n === 0) break;
        for (let k = 0; k < n; k++) tap.copy(buf, c.at(k), i);
        tap.publish();
      }
      const stamp = this.stamp;
      let k = 0;
      try {
        for (; k < n; k++) {
          stamp.position = this.position++;
          handler.handle(buf, c.at(k), i);
        }
      } catch (e) {
        // The thread dies of it: leave word of which record it was, so its command gets an answer.
        this.control.recordFailure(i, buf, c.at(k));
        throw e;
      }
      // Release before flush: the flush rings the consumers of our outputs, and one of them may be the
      // producer of this input waiting for space (the gateway). Woken after the release, it finds room.
      c.release(n);
      handler.flush();
      found += n;
    }
    if (found > 0) {
      this.handled += found;
      // Counters are for monitoring: refresh them every so many batches and whenever the loop goes idle,
      // not per batch (each store boxes a bigint).
      if (++this.batchesSincePublish === COUNTER_REFRESH_BATCHES) this.publishCounters();
    }
    return found;
  }

  /** Before the loop waits (a turn found nothing): publishes the counters and serves pending requests. */
  quiet(): void {
    if (this.batchesSincePublish !== 0) this.publishCounters();
    if (this.servers.length > 0) this.serveAll();
    this.turns = 1;
  }

  /** The run flag of this shard's control block. */
  running(): boolean {
    return this.control.running();
  }

  /** Publishes the counters one last time (after the loop). */
  finish(): void {
    this.publishCounters();
  }

  private serveAll(): void {
    for (let k = 0; k < this.servers.length; k++) {
      const serve = this.servers[k];
      if (serve === undefined) continue;
      const kind = k as RequestKind;
      const ticket = this.control.pendingAsk(kind);
      if (ticket === 0) continue;
      this.serving[k] = !serve(ticket);
      if (!this.serving[k]) this.control.served(ticket, kind);
    }
    this.anyServing = this.serving.includes(true);
  }

  private publishCounters(): void {
    this.batchesSincePublish = 0;
    this.control.set(Counter.HANDLED, this.handled);
    this.control.set(Counter.OUTPUTS, this.handler.eventCount);
    this.control.set(Counter.DUPLICATES, this.handler.duplicates);
    this.control.set(Counter.STALLS, this.stalls());
  }
}
