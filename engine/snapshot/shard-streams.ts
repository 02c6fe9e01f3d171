// The STRM section both shard kinds carry right after their configuration: where the shard stands in
// each of its streams, which is what a restarted exchange needs before anything else. Its outputs must
// continue the sequences the shard had written (their consumers deduplicate and detect gaps on seq), so a
// caller reads these first (readSnapshotStreams), builds each output at its next seq, then decodes.
//
//   inputs     count, last seq consumed per input (uint)     duplicates, handled (monitoring)
//   gateway    next seq of the gateway stream                outputs   count, next seq of each
//   surveillance   next seq of a market shard's surveillance stream, 0 when none is wired (risk: 0)
//   clock      the shard's time: the latest time a record moved it to (engine/shard/shard-clock.ts)
//   counters   count, then kind-specific monitoring counters (market: events written; risk: events to
//              the gateway, commands to markets)

import { Code } from '../codes.js';
import { MAX_TIME_US } from '../ring/record.js';
import type { EventOutput } from '../shard/event-output.js';
import { openSnapshot, readHeader, type SnapshotHeader } from './snapshot-envelope.js';
import { malformed, SnapshotError } from './snapshot-error.js';
import type { SnapshotReader } from './snapshot-reader.js';
import type { SnapshotWriter } from './snapshot-writer.js';

export interface ShardStreams {
  /** Last seq consumed per input stream (0: none yet). */
  readonly inputs: readonly number[];
  readonly duplicates: number;
  readonly handled: number;
  /** The seq the next record to the gateway stream carries. */
  readonly gatewayNextSeq: number;
  /** The seq the next record of each other output stream carries (risk streams, or market streams). */
  readonly outputNextSeqs: readonly number[];
  /** A market shard's surveillance stream's next seq; 0: no such stream. */
  readonly surveillanceNextSeq: number;
  /** The shard's clock (ShardClock.nowUs). */
  readonly clockUs: number;
  readonly counters: readonly number[];
}

export function writeStreams(w: SnapshotWriter, s: ShardStreams): void {
  w.uint(s.inputs.length);
  for (const seq of s.inputs) w.uint(seq);
  w.uint(s.duplicates);
  w.uint(s.handled);
  w.uint(s.gatewayNextSeq);
  w.uint(s.outputNextSeqs.length);
  for (const seq of s.outputNextSeqs) w.uint(seq);
  w.uint(s.surveillanceNextSeq);
  w.uint(s.clockUs);
  w.uint(s.counters.length);
  for (const c of s.counters) w.uint(c);
}

export function readStreams(r: SnapshotReader): ShardStreams {
  const inputs = Array.from({ length: r.count(1) }, () => r.uint());
  const duplicates = r.uint();
  const handled = r.uint();
  const gatewayNextSeq = r.uint();
  const outputNextSeqs = Array.from({ length: r.count(1) }, () => r.uint());
  const surveillanceNextSeq = r.uint();
  const clockUs = r.uint();
  const counters = Array.from({ length: r.count(1) }, () => r.uint());
  r.done();
  if (gatewayNextSeq < 1 || outputNextSeqs.some((s) => s < 1)) throw malformed(`${r.what}: an output stream's next seq is 0`);
  // Inputs are the gateway and one stream per shard of the other kind, as many as this shard writes to.
  if (inputs.length > outputNextSeqs.length + 1) throw malformed(`${r.what}: ${inputs.length} inputs for ${outputNextSeqs.length} output streams`);
  if (clockUs > MAX_TIME_US) throw malformed(`${r.what}: clock ${clockUs} past the largest time`);
  return { inputs, duplicates, handled, gatewayNextSeq, outputNextSeqs, surveillanceNextSeq, clockUs, counters };
}

/** The header and stream positions of a snapshot of either kind (CRC checked; nothing else decoded). */
export function readSnapshotStreams(bytes: Uint8Array): { header: SnapshotHeader; streams: ShardStreams } {
  const { header, sections } = openSnapshot(bytes, readHeader(bytes).kind);
  sections.next('CONF', 'configuration');
  return { header, streams: readStreams(sections.next('STRM', 'streams')) };
}

/** The outputs a decoded shard is given must continue its streams exactly. */
export function checkOutputs(s: ShardStreams, gateway: EventOutput, outputs: readonly EventOutput[], outputName: string, surveillance?: EventOutput): void {
  const wrong: string[] = [];
  if ((surveillance?.nextSeq ?? 0) !== s.surveillanceNextSeq) wrong.push(s.surveillanceNextSeq === 0 ? 'a surveillance stream the snapshot has none of' : `surveillance stream at seq ${surveillance?.nextSeq ?? 'none'}, snapshot at ${s.surveillanceNextSeq}`);
  if (gateway.nextSeq !== s.gatewayNextSeq) wrong.push(`gateway stream at seq ${gateway.nextSeq}, snapshot at ${s.gatewayNextSeq}`);
  if (outputs.length !== s.outputNextSeqs.length) wrong.push(`${outputs.length} ${outputName} streams, snapshot has ${s.outputNextSeqs.length}`);
  else outputs.forEach((o, i) => o.nextSeq !== s.outputNextSeqs[i] && wrong.push(`${outputName} stream ${i} at seq ${o.nextSeq}, snapshot at ${s.outputNextSeqs[i]}`));
  if (wrong.length > 0) throw new SnapshotError(Code.SNAPSHOT_STREAM_MISMATCH, `outputs do not continue the snapshot's streams: ${wrong.join('; ')}`);
}
