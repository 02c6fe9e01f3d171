// Risk-shard worker entry: wires shared memory to a RiskShard and runs its loop. Nothing else.
//
//   input 0: gateway ring ──┐   RingConsumer × (1 + S), one Doorbell for this thread
//   input 1+s: market ring s┘
//        ▼
//   EventProcessor ──admit(0) only while every outbox is empty──▶ RiskShard
//        │                                                           ├─▶ RingOutput ──▶ gateway ring
//        │                                                           └─▶ Outbox × S ──▶ market ring s
//        └─ admit() drains the outboxes first, so queued orders leave as soon as the market frees slots
//
// The gateway-bound output may block (the gateway always drains it); market-bound ones never do: a full
// market ring queues in the outbox, and the gateway input waits (docs/ARCHITECTURE.md, "Back-pressure
// without deadlock"). Started by RiskShardHost (risk-shard-host.ts), which creates every
// SharedArrayBuffer below. Replies on the control port only at the edges: 'ready' once wired,
// {stopped, stateHash, handled, abandoned} after the loop ends, and {reply, ticket, ScanSnapshot} when the main thread asks
// for a scan snapshot through the control block (copied between batches, a slice per loop turn;
// risk/stress/), and {reply, kind: STATE, ticket, RiskShardState} for a restarted gateway's read models.

import { parentPort, workerData } from 'node:worker_threads';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { assertLittleEndian } from '../../engine/ring/record.js';
import { RingBuffer } from '../../engine/ring/ring-buffer.js';
import { waitStrategyByName, type WaitStrategyName } from '../../engine/ring/wait-strategy-by-name.js';
import { ControlBlock, RequestKind } from '../../engine/shard/control-block.js';
import { readSnapshotStreams } from '../../engine/snapshot/shard-streams.js';
import { EventProcessor, slicedServer } from '../../engine/shard/event-processor.js';
import type { StreamEnd } from '../../engine/shard/market-shard-worker.js';
import { RingOutput } from '../../engine/shard/ring-output.js';
import { durableCut, journalOptions, replayLog, replayOutputs, type ShardJournalData, type ShardReplayData } from '../../engine/shard/worker-journal.js';
import type { RiskMarketConfig, RiskPoolConfig } from './config.js';
import { LiquidationEngine } from './liquidation-engine.js';
import { Outbox } from './outbox.js';
import { RiskShard } from './risk-shard.js';
import { ScanSnapshotBuilder } from '../stress/scan-snapshot.js';
import { RiskShardStateBuilder } from './risk-shard-state.js';

export interface RiskShardWorkerData {
  shardId: number;
  shardCount: number;
  markets: RiskMarketConfig[];
  pool: RiskPoolConfig;
  /** [marketId, market-shard index] for every configured market. */
  marketShardOf: [number, number][];
  /** Input rings: the gateway's, then one per market shard. */
  inputs: SharedArrayBuffer[];
  bell: SharedArrayBuffer;
  gateway: StreamEnd;
  /** One output stream per market shard. */
  marketStreams: StreamEnd[];
  control: SharedArrayBuffer;
  wait: WaitStrategyName;
  /** Copy every input into this tap before handling it (engine/shard/worker-journal.ts). */
  journal?: ShardJournalData;
  /** Records to handle before the loop starts (recovery), and what to re-deliver. */
  replay?: ShardReplayData;
}

assertLittleEndian();
const data = workerData as RiskShardWorkerData;
const control = ControlBlock.attach(data.control);
// The gateway-bound output waits while the ring is full and the shard runs; it gives up once the shard is
// asked to stop, so no wait of this thread outlives the run flag.
const journal = journalOptions(data.journal, data.replay, waitStrategyByName(data.wait));
const stamp = data.journal || data.replay ? journal.stamp : undefined;
// The gateway releases this shard's records by its durable cut, and the journal writer wakes it for that.
const gatewayOut = new RingOutput(RingBuffer.attach(data.gateway.ring), Doorbell.attach(data.gateway.bell), waitStrategyByName(data.wait), 1, () => control.running(), stamp, durableCut(data.journal));
const outboxes = data.marketStreams.map((end) => new Outbox(RingBuffer.attach(end.ring), Doorbell.attach(end.bell), 1, stamp));
const startFrom = data.replay?.snapshot;
const streams = startFrom ? readSnapshotStreams(startFrom).streams : undefined;
const replaying = replayOutputs([gatewayOut, ...outboxes], data.replay, streams && [streams.gatewayNextSeq, ...streams.outputNextSeqs]);
const shardOf = new Map(data.marketShardOf);
const pool = data.pool;
const marketShardOf = (m: number) => shardOf.get(m) ?? -1;
const liquidation = (state: ConstructorParameters<typeof LiquidationEngine>[0], effects: ConstructorParameters<typeof LiquidationEngine>[1]) => new LiquidationEngine(state, effects, pool);
const shard = startFrom
  ? RiskShard.decode(startFrom, replaying.outputs[0]!, replaying.outputs.slice(1), { marketShardOf, liquidation })
  : new RiskShard(data.shardId, data.shardCount, data.markets, pool, marketShardOf, replaying.outputs[0]!, replaying.outputs.slice(1), liquidation);

/** Drains every outbox as far as the rings allow; true when none holds a record. */
function outboxesEmpty(): boolean {
  let empty = true;
  for (const o of outboxes) if (!o.drain()) empty = false;
  return empty;
}

/**
 * The scan snapshot, a slice of SNAPSHOT_ACCOUNTS_PER_TURN accounts per loop turn (a fraction of a
 * millisecond), so a shard of a million positions keeps handling records while it copies. The reply
 * answers the ticket the copy started for; a ticket asked meanwhile gets a copy of its own next.
 */
const SNAPSHOT_ACCOUNTS_PER_TURN = 2_048;
const serveSnapshot = slicedServer(
  () => new ScanSnapshotBuilder(shard.state),
  (builder) => builder.step(SNAPSHOT_ACCOUNTS_PER_TURN),
  (builder, ticket) => parentPort!.postMessage({ type: 'reply', ticket, payload: builder.finish() }),
);

/**
 * The shard's state for a restarted gateway (risk-shard-state.ts), sliced like the scan snapshot, each
 * account with the gateway-stream seq of its slice.
 */
const gatewaySeq = (): number => replaying.outputs[0]!.nextSeq - 1;
const serveState = slicedServer(
  () => new RiskShardStateBuilder(shard.parts, gatewaySeq),
  (builder) => builder.step(SNAPSHOT_ACCOUNTS_PER_TURN),
  (builder, ticket) => parentPort!.postMessage({ type: 'reply', kind: RequestKind.STATE, ticket, payload: builder.finish(data.shardId, processor.position) }),
);

const processor = new EventProcessor(
  data.inputs.map((sab) => RingBuffer.attach(sab)),
  Doorbell.attach(data.bell),
  shard,
  waitStrategyByName(data.wait),
  control,
  undefined,
  () => gatewayOut.stalls + outboxes.reduce((sum, o) => sum + o.queuedTotal, 0),
  (input) => input !== 0 || outboxesEmpty(),
  [serveSnapshot, serveState],
  [],
  journal,
);
parentPort!.postMessage({ type: 'ready' });
// Re-delivery towards markets queues in the outboxes and never waits; the gateway stream passes nothing.
// A replay the stop flag cut short (its journal read failed) is never reported: the loop then ends at once.
if (replayLog(shard, journal.stamp, data.replay, control, waitStrategyByName(data.wait))) {
  replaying.finish();
  parentPort!.postMessage({ type: 'replayed' });
}
processor.run();
shard.flush();
parentPort!.postMessage({ type: 'stopped', stateHash: shard.stateHash().toString(), handled: processor.handled, abandoned: gatewayOut.abandoned });
