// Watermark: the durable cut published in shared memory, one word per shard, so the gateway (main thread)
// can release a response the moment the input that produced it is durable, without a message.
//
//   word 0..n-1   low 32 bits of shard x's cut position (input-stamp.ts compares stamps to it)
//   word n        batches published (bumped and notified after each synced batch: waiters wake on it)
//
// Written only by the journal writer's thread, after the batch holding that cut is synced; read by anyone.

export class Watermark {
  private readonly words: Int32Array;

  private constructor(readonly sab: SharedArrayBuffer, readonly shards: number) {
    this.words = new Int32Array(sab);
  }

  static create(shards: number, initial: readonly number[] = []): Watermark {
    const w = new Watermark(new SharedArrayBuffer((shards + 1) * 4), shards);
    for (let x = 0; x < shards; x++) w.words[x] = (initial[x] ?? 0) | 0;
    return w;
  }

  static attach(sab: SharedArrayBuffer): Watermark {
    return new Watermark(sab, sab.byteLength / 4 - 1);
  }

  /** Low 32 bits of shard x's durable cut. */
  cutLow(x: number): number {
    return Atomics.load(this.words, x) >>> 0;
  }

  batches(): number {
    return Atomics.load(this.words, this.shards);
  }

  /** Writer: publishes every shard's cut, then wakes waiters. */
  publish(positions: readonly number[]): void {
    for (let x = 0; x < this.shards; x++) Atomics.store(this.words, x, positions[x]! | 0);
    Atomics.add(this.words, this.shards, 1);
    Atomics.notify(this.words, this.shards);
  }
}
