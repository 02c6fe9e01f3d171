// Market-shard worker entry: wires shared memory to a MarketShard and runs its loop. Nothing else.
//
//   input rings (one per producer: each risk shard, or the gateway while no risk shard runs)
//        │  RingConsumer × N, one Doorbell for this thread
//        ▼
//   EventProcessor ──▶ MarketShard ──▶ EventWriter ──▶ RingOutput ──▶ gateway ring
//                                                  ├─▶ RingOutput × R ──▶ risk ring r
//                                                  └─▶ RingOutput ──▶ surveillance ring (when wired)
//
// Started by MarketShardHost (market-shard-host.ts), which creates every SharedArrayBuffer below. Replies
// on the control port only at the edges: 'ready' once wired, {stopped, stateHash, handled, abandoned}
// after the loop ends. A record whose handling throws kills the thread (the processor leaves the record
// in the control block first); the host sees the death (shard-worker.ts).

import { parentPort, workerData } from 'node:worker_threads';
import type { MarketConfig } from '../market/spec.js';
import { Doorbell } from '../ring/doorbell.js';
import { assertLittleEndian } from '../ring/record.js';
import { RingBuffer } from '../ring/ring-buffer.js';
import { ControlBlock } from './control-block.js';
import { EventProcessor } from './event-processor.js';
import type { PricingConfig } from './market-pricing.js';
import { MarketShard } from './market-shard.js';
import { RingOutput } from './ring-output.js';
import { waitStrategyByName, type WaitStrategyName } from '../ring/wait-strategy-by-name.js';

export interface StreamEnd {
  ring: SharedArrayBuffer;
  /** The consuming thread's doorbell. */
  bell: SharedArrayBuffer;
}

export interface MarketShardWorkerData {
  shardId: number;
  markets: MarketConfig[];
  inputs: SharedArrayBuffer[];
  bell: SharedArrayBuffer;
  gateway: StreamEnd;
  /** Output stream r, to risk shard r; its bell is also the doorbell of input 1 + r's producer. */
  risk: StreamEnd[];
  control: SharedArrayBuffer;
  wait: WaitStrategyName;
  /** [marketId, pricing] pairs (structured clone carries bigint fields). */
  pricing: [number, PricingConfig][];
  timeHorizonUs?: number;
  /** The surveillance worker's input ring from this shard, when surveillance runs. */
  surveillance?: StreamEnd;
}

assertLittleEndian();
const data = workerData as MarketShardWorkerData;
const control = ControlBlock.attach(data.control);
// A full output ring is waited on while the shard runs, and given up once it is asked to stop (the
// consumer may be a thread that died): every blocking wait of this thread observes the run flag.
const running = (): boolean => control.running();
const outputOf = (end: StreamEnd) => new RingOutput(RingBuffer.attach(end.ring), Doorbell.attach(end.bell), waitStrategyByName(data.wait), 1, running);
const gatewayOut = outputOf(data.gateway);
const riskOut = data.risk.map(outputOf);
const surveillanceOut = data.surveillance ? outputOf(data.surveillance) : undefined;
const outputs = [gatewayOut, ...riskOut, ...(surveillanceOut ? [surveillanceOut] : [])];
const shard = new MarketShard(data.markets, gatewayOut, riskOut, undefined, new Map(data.pricing), surveillanceOut, data.timeHorizonUs);
// Input 1 + r is risk shard r's, and a risk shard waits for space in it on its own doorbell (its outbox):
// releasing those slots rings that doorbell. The gateway (input 0) never waits for space.
const riskBells = data.risk.map((end) => Doorbell.attach(end.bell));
const processor = new EventProcessor(
  data.inputs.map((sab) => RingBuffer.attach(sab)),
  Doorbell.attach(data.bell),
  shard,
  waitStrategyByName(data.wait),
  control,
  undefined,
  () => outputs.reduce((sum, o) => sum + o.stalls, 0),
  undefined,
  undefined,
  [undefined, ...riskBells],
);
parentPort!.postMessage({ type: 'ready' });
processor.run();
const abandoned = outputs.reduce((sum, o) => sum + o.abandoned, 0);
parentPort!.postMessage({ type: 'stopped', stateHash: shard.stateHash().toString(), handled: processor.handled, abandoned });
