// Surveillance worker entry: wires shared memory to a SurveillanceEngine and runs its loop. Nothing else.
//
//   input 0: control ring (operator links, timer ticks) ──┐  RingConsumer × (1 + n), one Doorbell
//   input 1+i: a market shard's gateway ring ─────────────┘  (the engine knows it as stream streams[1+i]),
//              read as its second consumer
//        ▼
//   EventProcessor ──▶ SurveillanceEngine ──▶ alert, daily integrity report ──postMessage──▶ main thread
//
// Off the matching path: market shards publish into its rings like into any other; it never writes into a
// ring anyone waits on, so it cannot stall a shard except by falling a whole ring behind (then the
// shard's RingOutput waits, as for any consumer: nothing is dropped). Alerts are rare and variable in
// size, so they leave by postMessage (which needs no event loop on this side), not by ring.
// Started by SurveillanceHost (surveillance-host.ts). Replies 'ready' once wired and {stopped,
// stateHash, handled} after the loop ends.

import { parentPort, workerData } from 'node:worker_threads';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { assertLittleEndian } from '../../engine/ring/record.js';
import { RingBuffer } from '../../engine/ring/ring-buffer.js';
import { waitStrategyByName, type WaitStrategyName } from '../../engine/ring/wait-strategy-by-name.js';
import { ControlBlock } from '../../engine/shard/control-block.js';
import { EventProcessor, type RecordHandler } from '../../engine/shard/event-processor.js';
import type { Alert } from './alert.js';
import type { IntegrityReport } from './integrity/integrity-stats.js';
import { SurveillanceEngine, type SurveillanceConfig } from './surveillance-engine.js';

export interface SurveillanceWorkerData {
  /** Input rings: the control ring, then one per market shard this worker watches. */
  inputs: SharedArrayBuffer[];
  /** Per input, which consumer of its ring this worker reads as (a market shard's gateway ring: 1). */
  readers: number[];
  /** Per input, the stream number the engine knows it by (0 for the control ring; market shard s is 1 + s). */
  streams: number[];
  bell: SharedArrayBuffer;
  control: SharedArrayBuffer;
  wait: WaitStrategyName;
  config: SurveillanceConfig;
}

export interface AlertMessage {
  type: 'alert';
  alert: Alert;
}

export interface IntegrityMessage {
  type: 'integrity';
  report: IntegrityReport;
}

assertLittleEndian();
const data = workerData as SurveillanceWorkerData;
const control = ControlBlock.attach(data.control);
const engine = new SurveillanceEngine(
  (alert) => parentPort!.postMessage({ type: 'alert', alert } satisfies AlertMessage),
  data.config,
  (report) => parentPort!.postMessage({ type: 'integrity', report } satisfies IntegrityMessage),
);
// A worker watching some of the market shards hands the engine each record under its shard's stream
// number, so alert ids and the engine's input positions are those a single worker would have.
const streams = data.streams;
const handler: RecordHandler = {
  handle: (buf, at, input) => engine.handle(buf, at, streams[input]!),
  flush: () => engine.flush(),
  get eventCount() {
    return engine.eventCount;
  },
  get duplicates() {
    return engine.duplicates;
  },
};
const processor = new EventProcessor(
  data.inputs.map((sab, i) => RingBuffer.attach(sab, data.readers[i])),
  Doorbell.attach(data.bell),
  handler,
  waitStrategyByName(data.wait),
  control,
);
parentPort!.postMessage({ type: 'ready' });
processor.run();
parentPort!.postMessage({ type: 'stopped', stateHash: engine.stateHash().toString(), handled: processor.handled, abandoned: 0 });
