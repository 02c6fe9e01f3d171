// Has every record written into a shard been handled, and what it produced been published? The explicit
// "drained" condition a caller waits on (tests comparing the threaded exchange with the in-process one,
// after each command) instead of guessing from a quiet period, which a loaded machine breaks.
//
// Per shard: every input ring is empty (producer cursor = consumer cursor) and the shard's handled counter
// covers every record its rings delivered. The counter is published when the shard's loop goes idle, after
// its outputs were flushed, so a shard between releasing a batch and flushing its outputs is not drained.
// One collect reads the shards one after another while they run, so it takes two: every cursor and
// counter only grows, so two equal collects mean that at an instant between them all values were these,
// and a drained state stays drained until someone writes into a ring again.
//
// Thread contract: any thread (cursors and counters are read with Atomics); the rings' own threads go on.

import { PRODUCER_CURSOR_INDEX } from '../engine/ring/ring-buffer-descriptor.js';
import type { RingBuffer } from '../engine/ring/ring-buffer.js';
import type { ShardStats } from '../engine/shard/shard-worker.js';

export interface WatchedShard {
  readonly inputs: readonly RingBuffer[];
  stats(): ShardStats;
}

/** Every shard's ring cursors and handled count, or undefined as soon as one shard is not drained. */
function collect(shards: readonly WatchedShard[]): number[] | undefined {
  const values: number[] = [];
  for (const shard of shards) {
    let consumed = 0;
    for (const ring of shard.inputs) {
      const produced = Atomics.load(ring.header, PRODUCER_CURSOR_INDEX);
      // The shard's own cursor: a ring read by two consumers (surveillance's inputs) has two.
      const taken = Atomics.load(ring.header, ring.consumerCursorIndex);
      if (produced !== taken) return undefined;
      consumed = (consumed + taken) | 0;
      values.push(taken);
    }
    // Cursors are 32-bit and wrap: compare the handled count modulo 2^32.
    const handled = Number(shard.stats().handled);
    if (((handled - consumed) | 0) !== 0) return undefined;
    values.push(handled);
  }
  return values;
}

export function shardsDrained(shards: readonly WatchedShard[]): boolean {
  const first = collect(shards);
  if (first === undefined) return false;
  const second = collect(shards);
  return second !== undefined && second.every((v, i) => v === first[i]);
}
