// A point to restore to, and the consistent cut at it. A point is a time (--to-time: every record stamped
// at or before it) or a gateway sequence of one shard (--to-seq N: just after that shard took its gateway
// command N; every other shard up to that command's time). Either gives each shard a limit; the cut is
// then the largest consistent one within the limits (persistence/cut.ts), so the restored state is one
// the exchange could have been in: no shard holds an input whose producing input is not restored too.

import { RecordBuffer } from '../../engine/ring/record.js';
import { stampOf } from '../../engine/shard/input-stamp.js';
import { CutTracker, type CutState } from '../../persistence/cut.js';
import type { ShardLog } from '../../persistence/journal-reader.js';

export type Point = { readonly kind: 'end' } | { readonly kind: 'time'; readonly timeUs: number } | { readonly kind: 'seq'; readonly shard: number; readonly seq: number };

/** Each shard's record limit at the point (how many of its records may be restored). */
function limits(logs: readonly ShardLog[], point: Point): number[] {
  if (point.kind === 'end') return logs.map((l) => l.count);
  let timeUs = point.kind === 'time' ? point.timeUs : -1;
  const out = logs.map(() => -1);
  if (point.kind === 'seq') {
    const l = logs[point.shard];
    if (l === undefined) throw new RangeError(`no shard ${point.shard}`);
    const recs = new RecordBuffer(l.records);
    const inputs = new Uint16Array(l.inputs);
    for (let i = 0; i < l.count; i++) {
      if (inputs[i] === 0 && recs.seq(recs.at(i)) === point.seq) {
        out[point.shard] = i + 1;
        timeUs = recs.timeUs(recs.at(i));
        break;
      }
    }
    if (out[point.shard] === -1) throw new RangeError(`shard ${point.shard} never took gateway command ${point.seq} (its last is ${l.lastSeq[0]})`);
  }
  return logs.map((l, x) => {
    if (out[x]! >= 0) return out[x]!;
    const recs = new RecordBuffer(l.records);
    let n = 0;
    while (n < l.count && recs.timeUs(recs.at(n)) <= timeUs) n++;
    return n;
  });
}

/** The largest consistent cut within the point's limits. */
export function cutAt(logs: readonly ShardLog[], producers: readonly (readonly number[])[], point: Point): CutState {
  const lim = limits(logs, point);
  const c = new CutTracker(producers);
  logs.forEach((l, x) => {
    const recs = new RecordBuffer(l.records);
    const inputs = new Uint16Array(l.inputs);
    for (let i = 0; i < lim[x]!; i++) c.add(x, inputs[i]!, recs.seq(recs.at(i)), stampOf(recs, recs.at(i)));
  });
  c.advance();
  return c.state();
}
