// Replay: how a shard worker rebuilds its state from its own input log before it starts its loop, and
// re-delivers what its consumers had not yet consumed. Generic: the records come from whoever started
// the worker (persistence recovers them from the journal); the engine only feeds them through the same
// handle() the loop uses.
//
//   replayRecords(log) ──▶ shard.handle × count ──▶ ReplayOutput (one per output stream)
//                                                      seq < deliverFrom: dropped (the consumer has it);
//                                                      skip() tells a writer so before it composes one
//                                                      seq ≥ deliverFrom: appended to the real stream
//   finish() on every ReplayOutput: from now on everything passes through
//
// The gateway's stream passes nothing during a replay (deliverFrom = Infinity): responses to inputs
// before a restart were either acknowledged already or never will be (the client retries).
// Thread contract: the shard's thread.

import type { RecordBuffer } from '../ring/record.js';
import type { EventOutput } from './event-output.js';
import type { RecordHandler } from './event-processor.js';
import type { InputStamp } from './input-stamp.js';

export class ReplayOutput implements EventOutput {
  nextSeq: number;
  private replaying = true;
  /** The last record appended went to the inner stream (not skipped as already delivered). */
  private forwarded = false;

  /** `inner.nextSeq` must be `deliverFrom` when it is finite (the inner stream stamps the same numbers). */
  constructor(
    private readonly inner: EventOutput,
    private readonly deliverFrom: number,
    firstSeq = 1,
  ) {
    this.nextSeq = firstSeq;
  }

  append(src: RecordBuffer, at: number): void {
    if (this.replaying && this.nextSeq < this.deliverFrom) {
      this.nextSeq++;
      this.forwarded = false;
      return;
    }
    this.nextSeq++;
    this.inner.append(src, at);
    this.forwarded = true;
  }

  /** The record append() would drop, numbered without being composed. */
  skip(): boolean {
    if (!this.replaying || this.nextSeq >= this.deliverFrom) return false;
    this.nextSeq++;
    this.forwarded = false;
    return true;
  }

  markLast(flag: number): void {
    if (this.forwarded) this.inner.markLast?.(flag);
  }

  flush(): void {
    this.inner.flush();
  }

  /** The replay is over: the inner stream continues from this stream's next seq. */
  finish(): void {
    this.replaying = false;
    this.inner.nextSeq = this.nextSeq;
  }
}

/** Where a replay's records are: a record array, each record's input index, and the first one's position. */
export interface ReplayLog {
  readonly records: RecordBuffer;
  readonly inputs: Uint16Array;
  readonly count: number;
  readonly firstPosition: number;
  /**
   * For a log still being read (replay-feed.ts): blocks until at least `count` records are in and returns
   * how many are, or -1 when the replay is to stop. Absent: all `count` records are in.
   */
  readonly waitFor?: (count: number) => number;
}

/**
 * Feeds a log through the handler, stamping outputs with each record's position; returns the position after
 * it, or -1 when the log's waitFor said to stop first. `progress` hears how many records are done at every
 * flush and at the end. Before waiting for more of a log, what was handled is flushed.
 */
export function replayRecords(handler: RecordHandler, stamp: InputStamp, log: ReplayLog, flushEvery = 256, progress?: (done: number) => void): number {
  let position = log.firstPosition;
  let available = log.waitFor ? 0 : log.count;
  for (let i = 0; i < log.count; i++) {
    if (i === available) {
      handler.flush();
      progress?.(i);
      available = Math.min(log.count, log.waitFor!(i + 1));
      if (available < 0) return -1;
    }
    stamp.position = position++;
    handler.handle(log.records, log.records.at(i), log.inputs[i]!);
    if ((i + 1) % flushEvery === 0) {
      handler.flush();
      progress?.(i + 1);
    }
  }
  handler.flush();
  progress?.(log.count);
  return position;
}
