// InputEndMarker: a market shard's stream towards a risk shard, where every record tells whether the
// same input wrote another record after it on this stream (HeaderFlag.MORE). One input (a taker order, a
// sweep, a cancel-all) can write many records to a risk shard, and a risk shard reading several market
// streams at once may get another market's record between two of them. The risk shard's liquidation runs
// take their steps only when no market stream is in the middle of one input's records
// (risk/shard/escalation-order.ts): a step never depends on whether the rest of an input already arrived.
//
// The last record written is held back until the next one (which sets MORE on it) or the end of the
// input (endInput: written as it is), so the flag is set before the record is visible and never after.
// Between inputs nothing is held: the stream's nextSeq is the inner output's. A record without the flag
// ends its input, so a journal written before the flag existed reads as one record per input.
//
// Thread contract: the market shard's thread, inside and between handle() calls.

import { HeaderFlag, RecordBuffer } from '../ring/record.js';
import type { EventOutput } from './event-output.js';

export class InputEndMarker implements EventOutput {
  private readonly held = RecordBuffer.allocate(1);
  private holding = false;

  constructor(private readonly inner: EventOutput) {}

  get nextSeq(): number {
    return this.inner.nextSeq + (this.holding ? 1 : 0);
  }

  set nextSeq(seq: number) {
    this.inner.nextSeq = seq;
  }

  append(src: RecordBuffer, at: number): void {
    if (this.holding) {
      this.held.setFlags(0, this.held.flags(0) | HeaderFlag.MORE);
      this.inner.append(this.held, 0);
    }
    this.held.copyFrom(src, at, 0);
    this.holding = true;
  }

  /** The input wrote its last record: the one held goes out without MORE. */
  endInput(): void {
    if (!this.holding) return;
    this.holding = false;
    this.inner.append(this.held, 0);
  }

  flush(): void {
    this.endInput();
    this.inner.flush();
  }
}
