// InputPositions: the last sequence a state machine consumed from each input stream. accept() is the
// one place re-deliveries are told apart from gaps: at or below the last → a duplicate to skip (false);
// the next one → take it (true); beyond → the transport lost records, which is fatal.

import { Code } from '../codes.js';

export class StreamGapError extends Error {
  readonly code = Code.JOURNAL_GAP;
  constructor(readonly input: number, readonly lastSeq: number, readonly seq: number) {
    super(`input stream ${input}: expected seq ${lastSeq + 1}, got ${seq}`);
  }
}

export class InputPositions {
  private readonly last: number[] = [];
  /** Re-delivered records skipped, for monitoring. */
  duplicates = 0;

  accept(input: number, seq: number): boolean {
    const last = this.last[input] ?? 0;
    if (seq <= last) {
      this.duplicates++;
      return false;
    }
    if (seq !== last + 1) throw new StreamGapError(input, last, seq);
    this.last[input] = seq;
    return true;
  }

  lastSeq(input: number): number {
    return this.last[input] ?? 0;
  }

  /** Snapshot decode: the positions snapshot() gave, and the duplicate count. */
  restore(lastSeqs: readonly number[], duplicates: number): void {
    this.last.length = 0;
    for (const seq of lastSeqs) this.last.push(seq);
    this.duplicates = duplicates;
  }

  /** Positions of inputs 0..n-1 (0 for an input never seen), for state hashes and snapshots. */
  snapshot(): number[] {
    return Array.from({ length: this.last.length }, (_, i) => this.last[i] ?? 0);
  }
}
