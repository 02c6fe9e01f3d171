// CopyingOutput: an EventOutput that does what a RingOutput does per record (copy the 128 bytes into a
// slot, stamp the seq) into a fixed circular buffer, and never waits: the matching-path cost of one
// more output stream, without a consumer thread. Optionally keeps the first `keep` records for a replay.

import { RecordBuffer } from '../../../engine/ring/record.js';
import type { EventOutput } from '../../../engine/shard/event-output.js';

export class CopyingOutput implements EventOutput {
  private readonly ring = RecordBuffer.allocate(4_096);
  private slot = 0;
  nextSeq = 1;
  readonly kept: RecordBuffer | undefined;
  keptCount = 0;

  constructor(keep = 0) {
    this.kept = keep > 0 ? RecordBuffer.allocate(keep) : undefined;
  }

  append(src: RecordBuffer, at: number): void {
    const to = this.ring.at(this.slot);
    this.ring.copyFrom(src, at, to);
    this.ring.setSeq(to, this.nextSeq);
    this.slot = (this.slot + 1) & 4_095;
    if (this.kept !== undefined && this.keptCount < this.kept.capacity) {
      const k = this.kept.at(this.keptCount++);
      this.kept.copyFrom(src, at, k);
      this.kept.setSeq(k, this.nextSeq);
    }
    this.nextSeq++;
  }

  flush(): void {}
}
