// InputEndMarker: a market shard's stream towards a risk shard, where every record tells whether the
// same input wrote another record after it on this stream (HeaderFlag.MORE). One input (a taker order, a
// sweep, a cancel-all) can write many records to a risk shard, and a risk shard reading several market
// streams at once may get another market's record between two of them. The risk shard's liquidation runs
// take their steps only when no market stream is in the middle of one input's records
// (risk/shard/escalation-order.ts): a step never depends on whether the rest of an input already arrived.
//
// When an input writes its next record, the flag goes on the previous one first (EventOutput.markLast):
// outputs publish only at flush (between inputs) or at the start of an append, so the previous record is
// not visible yet and the flag is never set on a record a consumer may read. No copy is added. A record
// without the flag ends its input, so a journal written before the flag existed, or an output without
// markLast, reads as one record per input (the runs then step as they did before the flag).
//
// Thread contract: the market shard's thread, inside and between handle() calls.

import { HeaderFlag, type RecordBuffer } from '../ring/record.js';
import type { EventOutput } from './event-output.js';

export class InputEndMarker implements EventOutput {
  /** The current input wrote a record here already. */
  private writing = false;

  constructor(private readonly inner: EventOutput) {}

  get nextSeq(): number {
    return this.inner.nextSeq;
  }

  set nextSeq(seq: number) {
    this.inner.nextSeq = seq;
  }

  append(src: RecordBuffer, at: number): void {
    if (this.writing) this.inner.markLast?.(HeaderFlag.MORE);
    this.inner.append(src, at);
    this.writing = true;
  }

  /** The input wrote its last record: the next one starts a new input. */
  endInput(): void {
    this.writing = false;
  }

  flush(): void {
    this.writing = false;
    this.inner.flush();
  }
}
