// An EventOutput that stamps seqs and keeps nothing: benchmarks that build large shard states do not
// want millions of event records in memory.

import type { RecordBuffer } from '../../engine/ring/record.js';
import type { EventOutput } from '../../engine/shard/event-output.js';

export class DiscardOutput implements EventOutput {
  constructor(public nextSeq = 1) {}

  append(_src: RecordBuffer, _at: number): void {
    this.nextSeq++;
  }

  flush(): void {}
}
