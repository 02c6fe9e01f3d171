// Surveillance worker entry: wires shared memory to a SurveillanceEngine and runs its loop. Nothing else.
//
//   input 0: control ring (operator links, timer ticks) ──┐  RingConsumer × (1 + S), one Doorbell
//   input 1+s: market shard s's surveillance ring ────────┘
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
import { EventProcessor } from '../../engine/shard/event-processor.js';
import type { Alert } from './alert.js';
import type { IntegrityReport } from './integrity/integrity-stats.js';
import { SurveillanceEngine, type SurveillanceConfig } from './surveillance-engine.js';

export interface SurveillanceWorkerData {
  /** Input rings: the control ring, then one per market shard. */
  inputs: SharedArrayBuffer[];
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
const processor = new EventProcessor(
  data.inputs.map((sab) => RingBuffer.attach(sab)),
  Doorbell.attach(data.bell),
  engine,
  waitStrategyByName(data.wait),
  control,
);
parentPort!.postMessage({ type: 'ready' });
processor.run();
parentPort!.postMessage({ type: 'stopped', stateHash: engine.stateHash().toString(), handled: processor.handled, abandoned: 0 });
