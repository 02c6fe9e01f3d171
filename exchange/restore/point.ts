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

/** Each shard's record limit at the point (how many of its log's records, from its first, may be restored); `names` name shards in refusals as the tables do ("risk 0"). */
function limits(logs: readonly ShardLog[], point: Point, names: readonly string[]): number[] {
  if (point.kind === 'end') return logs.map((l) => l.count);
  let timeUs = point.kind === 'time' ? point.timeUs : -1;
  const out = logs.map(() => -1);
  if (point.kind === 'seq') {
    const l = logs[point.shard];
    if (l === undefined) throw new RangeError(`no shard ${point.shard}`);
    const name = names[point.shard]!;
    const recs = new RecordBuffer(l.records);
    const inputs = new Uint16Array(l.inputs);
    if (point.seq <= (l.startLastSeq[0] ?? 0)) throw new RangeError(`${name} took gateway command ${point.seq} before its oldest kept snapshot (position ${l.firstPosition}, gateway seq ${l.startLastSeq[0]}): that point is no longer restorable`);
    for (let i = 0; i < l.count; i++) {
      if (inputs[i] === 0 && recs.seq(recs.at(i)) === point.seq) {
        out[point.shard] = i + 1;
        timeUs = recs.timeUs(recs.at(i));
        break;
      }
    }
    if (out[point.shard] === -1) throw new RangeError(`${name} never took gateway command ${point.seq} (its last is ${l.lastSeq[0]})`);
  }
  return logs.map((l, x) => {
    if (out[x]! >= 0) return out[x]!;
    if (l.firstPosition > 0 && timeUs < l.startTimeUs) throw new RangeError(`${names[x]}'s oldest kept snapshot (position ${l.firstPosition}) is later than the point: the journal before it was pruned, so the point is no longer restorable`);
    const recs = new RecordBuffer(l.records);
    let n = 0;
    while (n < l.count && recs.timeUs(recs.at(n)) <= timeUs) n++;
    return n;
  });
}

/** The largest consistent cut within the point's limits (logs may start at a snapshot: the cut never goes below it). */
export function cutAt(logs: readonly ShardLog[], producers: readonly (readonly number[])[], point: Point, names: readonly string[]): CutState {
  const lim = limits(logs, point, names);
  const c = new CutTracker(producers, { positions: logs.map((l) => l.firstPosition), lastSeq: logs.map((l) => [...l.startLastSeq]) });
  logs.forEach((l, x) => {
    const recs = new RecordBuffer(l.records);
    const inputs = new Uint16Array(l.inputs);
    for (let i = 0; i < lim[x]!; i++) c.add(x, inputs[i]!, recs.seq(recs.at(i)), stampOf(recs, recs.at(i)));
  });
  c.advance();
  return c.state();
}
