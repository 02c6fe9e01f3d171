// CutTracker: the consistent cut over every shard's journal (docs/ARCHITECTURE.md, "Persistence").
//
// A shard's journal holds the records it consumed, in order. A record that came from another shard
// carries the low 32 bits of the producer's journal position of the input that produced it (its stamp),
// so it depends on (producer, position). The cut gives each shard X a prefix C_X of its journal such that
//
//   every record of X below C_X is durable, and every dependency (Y, q) of those records has q < C_Y
//
// (the largest such prefixes: a fixed point, found by advancing each shard's prefix over records whose
// dependency is already inside, until no shard moves). Recovery restores every shard to its cut prefix:
// outputs a consumer holds were then produced by inputs the producer also recovers, so nothing a consumer
// took is lost and anything released to a client (stamped below its shard's cut) is reproduced exactly.
//
// Prefixes only grow: durable prefixes grow and dependencies never change. Records between the cut and
// the durable end wait in a queue per shard, bounded by what the rings between shards can hold, which is
// far below 2^31, so 32-bit stamps compare without ambiguity (input-stamp.ts).
// Thread contract: the journal writer's thread.

import { stampBefore } from '../engine/shard/input-stamp.js';

/** Dependencies of records past the cut, first in first out, in typed arrays that grow by doubling. */
class PendingQueue {
  private inputs = new Uint16Array(1024);
  private seqs = new Float64Array(1024);
  private stamps = new Uint32Array(1024);
  private head = 0;
  length = 0;

  push(input: number, seq: number, stamp: number): void {
    if (this.length === this.inputs.length) this.grow();
    const i = (this.head + this.length) & (this.inputs.length - 1);
    this.inputs[i] = input;
    this.seqs[i] = seq;
    this.stamps[i] = stamp;
    this.length++;
  }

  get frontInput(): number {
    return this.inputs[this.head]!;
  }
  get frontSeq(): number {
    return this.seqs[this.head]!;
  }
  get frontStamp(): number {
    return this.stamps[this.head]!;
  }

  shift(): void {
    this.head = (this.head + 1) & (this.inputs.length - 1);
    this.length--;
  }

  private grow(): void {
    const n = this.inputs.length;
    const inputs = new Uint16Array(n * 2);
    const seqs = new Float64Array(n * 2);
    const stamps = new Uint32Array(n * 2);
    for (let k = 0; k < this.length; k++) {
      const i = (this.head + k) & (n - 1);
      inputs[k] = this.inputs[i]!;
      seqs[k] = this.seqs[i]!;
      stamps[k] = this.stamps[i]!;
    }
    this.inputs = inputs;
    this.seqs = seqs;
    this.stamps = stamps;
    this.head = 0;
  }
}

/** Where a cut stands: per shard, its cut position and, per input stream, the last seq inside it. */
export interface CutState {
  readonly positions: readonly number[];
  readonly lastSeq: readonly (readonly number[])[];
}

export class CutTracker {
  /** Cut position per shard. */
  readonly positions: number[];
  /** Journaled end per shard (records added so far). */
  readonly ends: number[];
  /** Per shard, per input, the last seq inside the cut. */
  readonly lastSeq: number[][];
  private readonly pending: PendingQueue[];

  /**
   * producerOf[x][i]: the shard that produces input i of shard x, or -1 for the gateway (no dependency).
   * `from`: where the cut stood (after recovery), or the beginning.
   */
  constructor(
    private readonly producerOf: readonly (readonly number[])[],
    from?: CutState,
  ) {
    const n = producerOf.length;
    this.positions = from ? [...from.positions] : new Array<number>(n).fill(0);
    this.ends = [...this.positions];
    this.lastSeq = producerOf.map((inputs, x) => inputs.map((_, i) => from?.lastSeq[x]?.[i] ?? 0));
    this.pending = producerOf.map(() => new PendingQueue());
  }

  get shards(): number {
    return this.producerOf.length;
  }

  /** Records the next journaled record of `shard` (at position ends[shard]). */
  add(shard: number, input: number, seq: number, stamp: number): void {
    this.pending[shard]!.push(input, seq, stamp);
    this.ends[shard]!++;
  }

  /** Advances every shard's cut as far as dependencies allow (the fixed point); true when any moved. */
  advance(): boolean {
    let movedAny = false;
    for (let moved = true; moved; ) {
      moved = false;
      for (let x = 0; x < this.pending.length; x++) {
        const q = this.pending[x]!;
        const producers = this.producerOf[x]!;
        const last = this.lastSeq[x]!;
        let advanced = 0;
        while (q.length > 0) {
          const input = q.frontInput;
          const producer = producers[input] ?? -1;
          if (producer >= 0 && !stampBefore(q.frontStamp, this.positions[producer]! >>> 0)) break;
          last[input] = q.frontSeq;
          q.shift();
          advanced++;
        }
        if (advanced > 0) {
          this.positions[x]! += advanced;
          moved = true;
          movedAny = true;
        }
      }
    }
    return movedAny;
  }

  /** Records journaled but not inside the cut, over all shards. */
  outstanding(): number {
    let n = 0;
    for (const q of this.pending) n += q.length;
    return n;
  }

  state(): CutState {
    return { positions: [...this.positions], lastSeq: this.lastSeq.map((l) => [...l]) };
  }
}
