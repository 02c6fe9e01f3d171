// The journal and replay parts of a shard worker's data, and how a worker entry wires them. Both market
// and risk workers take them the same way:
//
//   journal: the tap ring the worker copies its inputs into, the reader's doorbell, the first position
//   replay:  records (and their input indexes) to handle before the loop starts, and per output stream
//            the first seq its consumer has not consumed (replay.ts); the records may still be arriving
//            while the worker replays them (replay-feed.ts)
//
// Everything here is shared memory made by whoever assembles the exchange; the engine does not know who
// reads the tap or where the replayed records came from.

import { Doorbell } from '../ring/doorbell.js';
import { Counter, type ControlBlock } from './control-block.js';
import { RecordBuffer } from '../ring/record.js';
import type { WaitStrategy } from '../ring/wait-strategy.js';
import type { EventOutput } from './event-output.js';
import type { JournalOptions, RecordHandler } from './event-processor.js';
import { DurableCut, InputStamp } from './input-stamp.js';
import { RingTap, TapRing } from './input-tap.js';
import { ReplayFeed } from './replay-feed.js';
import { ReplayOutput, replayRecords } from './replay.js';

export interface ShardJournalData {
  tapRing: SharedArrayBuffer;
  tapInputs: SharedArrayBuffer;
  /** The tap reader's doorbell, rung when copies are published. */
  readerBell: SharedArrayBuffer;
  /** Where the journal publishes this shard's durable cut (a word of `cuts` at `cutIndex`): the gateway output reads it. */
  cuts: SharedArrayBuffer;
  cutIndex: number;
}

/** The durable cut a gateway-bound output rings by (ring-output.ts), when the shard journals. */
export function durableCut(journal: ShardJournalData | undefined): DurableCut | undefined {
  return journal && new DurableCut(journal.cuts, journal.cutIndex);
}

export interface ShardReplayData {
  /** count × 128-byte records. */
  records: SharedArrayBuffer;
  /** count × u16 input indexes. */
  inputs: SharedArrayBuffer;
  count: number;
  firstPosition: number;
  /** Per output stream, in the worker's output order (gateway first): first seq to re-deliver. Infinity: none. */
  deliverFrom: number[];
  /** The state codec bytes the shard starts from (decoded instead of constructed); records follow from firstPosition. */
  snapshot?: Uint8Array;
  /** When the records are still being read: how many are in so far (replay-feed.ts). Absent: all of them. */
  feed?: SharedArrayBuffer;
}

/** The stamp every output of the worker shares, and the processor's journal options. */
export function journalOptions(journal: ShardJournalData | undefined, replay: ShardReplayData | undefined, wait: WaitStrategy): JournalOptions & { stamp: InputStamp } {
  const stamp = new InputStamp();
  const firstPosition = replay ? replay.firstPosition + replay.count : 0;
  if (journal === undefined) return { stamp, firstPosition };
  const tap = new RingTap(TapRing.attach(journal.tapRing, journal.tapInputs), Doorbell.attach(journal.readerBell), wait);
  return { stamp, firstPosition, tap };
}

/**
 * Wraps the worker's outputs for a replay (identity when there is none); call finish() after replayLog.
 * `firstSeqs` (worker output order) are a snapshot's next seqs: the replay continues the streams from there.
 */
export function replayOutputs<T extends EventOutput>(outputs: readonly T[], replay: ShardReplayData | undefined, firstSeqs?: readonly number[]): { outputs: EventOutput[]; finish: () => void } {
  if (replay === undefined) return { outputs: [...outputs], finish: () => {} };
  const wrapped = outputs.map((o, i) => {
    const from = replay.deliverFrom[i] ?? Infinity;
    if (Number.isFinite(from)) o.nextSeq = from;
    return new ReplayOutput(o, from, firstSeqs?.[i] ?? 1);
  });
  return { outputs: wrapped, finish: () => wrapped.forEach((w) => w.finish()) };
}

/**
 * Handles the replay's records through the shard (outputs stamped with their positions), waiting by `wait`
 * for records still being read. False when the shard was asked to stop first (its read failed, or the
 * exchange stops): the replay is then incomplete, and the worker must not report it replayed.
 */
export function replayLog(handler: RecordHandler, stamp: InputStamp, replay: ShardReplayData | undefined, control: ControlBlock, wait: WaitStrategy): boolean {
  if (replay === undefined || replay.count === 0) return true;
  const progress = (done: number) => control.set(Counter.REPLAYED, done);
  const feed = replay.feed && ReplayFeed.attach(replay.feed);
  const running = () => control.running();
  const waitFor = feed && ((count: number) => feed.waitFor(count, running, wait));
  return replayRecords(handler, stamp, { records: new RecordBuffer(replay.records), inputs: new Uint16Array(replay.inputs), count: replay.count, firstPosition: replay.firstPosition, waitFor }, undefined, progress) >= 0;
}
