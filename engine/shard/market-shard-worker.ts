// Market-shard worker entry: wires shared memory to a MarketShard and runs its loop. Nothing else.
//
//   input rings (one per producer: each risk shard, or the gateway while no risk shard runs)
//        │  RingConsumer × N, one Doorbell for this thread
//        ▼
//   EventProcessor ──▶ MarketShard ──▶ EventWriter ──▶ RingOutput ──▶ gateway ring ──▶ main thread (consumer 0)
//                                                  │                            └──▶ surveillance (consumer 1, when wired)
//                                                  └─▶ RingOutput × R ──▶ risk ring r
//
// Surveillance reads the gateway stream itself, as the ring's second consumer: every event is written
// once, and the ring holds a slot until both have read it. After a restart the replay regenerates the
// stream from its start for surveillance alone (the gateway already had it): the gateway's consumer is
// left out of the ring's gate meanwhile and joins at its head once the replay is done.
//
// With journal data, every input is copied into a tap ring before it is handled and outputs carry the
// position of the input that produced them; with replay data, the shard first handles the records of its
// log (worker-journal.ts), then posts 'replayed'.
// Started by MarketShardHost (market-shard-host.ts), which creates every SharedArrayBuffer below. Replies
// on the control port only at the edges: 'ready' once wired, {stopped, stateHash, handled, abandoned}
// after the loop ends, and {reply, kind: STATE, ticket, MarketShardState} when the main thread asks for
// the shard's state through the control block (a restarted gateway's read models). A record whose handling throws kills the thread (the processor leaves the record
// in the control block first); the host sees the death (shard-worker.ts).
//
// Several shards on one thread (MarketShardHost.startGroup, for a machine with fewer cores than busy
// threads): each is still its own state machine with its own rings, control block, tap and journal
// stream; they share this thread's doorbell, and ProcessorGroup interleaves their loop turns. A reply
// names its member (the shard's index here). A shard waiting for space in a full output ring holds up
// the others on the thread; that wait always ends, because every consumer of a market shard's output
// (the gateway, risk shards through their outboxes, surveillance) drains it without waiting on a market
// shard.

import { parentPort, workerData } from 'node:worker_threads';
import type { MarketConfig } from '../market/spec.js';
import { Doorbell } from '../ring/doorbell.js';
import { assertLittleEndian } from '../ring/record.js';
import { RingBuffer } from '../ring/ring-buffer.js';
import { ControlBlock, RequestKind } from './control-block.js';
import { MarketShardStateBuilder, transferables } from './market-shard-state.js';
import { EventProcessor, slicedServer } from './event-processor.js';
import type { DurableCut } from './input-stamp.js';
import { ProcessorGroup } from './processor-group.js';
import type { PricingConfig } from './market-pricing.js';
import { MarketShard } from './market-shard.js';
import { RingOutput } from './ring-output.js';
import { waitStrategyByName, type WaitStrategyName } from '../ring/wait-strategy-by-name.js';
import { readSnapshotStreams } from '../snapshot/shard-streams.js';
import { durableCut, journalOptions, replayLog, replayOutputs, type ShardJournalData, type ShardReplayData } from './worker-journal.js';

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
  /** Copy every input into this tap before handling it (worker-journal.ts). */
  journal?: ShardJournalData;
  /** Records to handle before the loop starts (recovery), and what to re-deliver. */
  replay?: ShardReplayData;
  /** When surveillance runs: its worker's doorbell. It reads the gateway ring as that ring's consumer 1. */
  surveillanceBell?: SharedArrayBuffer;
}

/** What the worker is started with: the shards it runs, all sharing one doorbell and wait strategy. */
export interface MarketWorkerData {
  shards: MarketShardWorkerData[];
}

interface Wired {
  processor: EventProcessor;
  shard: MarketShard;
  outputs: RingOutput[];
  /** False when the shard was asked to stop before its replay was complete. */
  replay: () => boolean;
}

assertLittleEndian();
const group = (workerData as MarketWorkerData).shards;
const controls = group.map((d) => ControlBlock.attach(d.control));
// A full output ring is waited on while the shards run, and given up once they are asked to stop (the
// consumer may be a thread that died): every blocking wait of this thread observes every run flag.
const running = (): boolean => controls.every((c) => c.running());
const wired = group.map((d, i) => wire(d, controls[i]!, i));
parentPort!.postMessage({ type: 'ready' });
// After 'ready': re-delivery may wait on a full ring whose consumer is another worker still starting.
// A replay the stop flag cut short (its journal read failed) is never reported: the loop then ends at once.
// With the markets each shard holds from listings: the main thread routes their index ticks by them.
if (wired.every((w) => w.replay())) parentPort!.postMessage({ type: 'replayed', listed: wired.map((w) => w.shard.markets.listedMarkets()) });
if (wired.length === 1) wired[0]!.processor.run();
else new ProcessorGroup(wired.map((w) => w.processor), Doorbell.attach(group[0]!.bell), waitStrategyByName(group[0]!.wait)).run();
const members = wired.map((w) => ({ stateHash: w.shard.stateHash().toString(), handled: w.processor.handled, abandoned: w.outputs.reduce((sum, o) => sum + o.abandoned, 0) }));
parentPort!.postMessage({ type: 'stopped', ...members[0]!, members });

function wire(data: MarketShardWorkerData, control: ControlBlock, member: number): Wired {
  const journal = journalOptions(data.journal, data.replay, waitStrategyByName(data.wait));
  const stamp = data.journal || data.replay ? journal.stamp : undefined;
  // The gateway releases this shard's records by its durable cut, and the journal writer wakes it for that
  // (the surveillance follower of the gateway ring is woken on every publish).
  const outputOf = (end: StreamEnd, follower?: SharedArrayBuffer, durable?: DurableCut) =>
    new RingOutput(RingBuffer.attach(end.ring), follower ? [Doorbell.attach(end.bell), Doorbell.attach(follower)] : Doorbell.attach(end.bell), waitStrategyByName(data.wait), 1, running, stamp, durable);
  const gatewayOut = outputOf(data.gateway, data.surveillanceBell, durableCut(data.journal));
  const riskOut = data.risk.map((end) => outputOf(end));
  const outputs = [gatewayOut, ...riskOut];
  // From a snapshot: its streams continue at the snapshot's next seqs.
  const streams = data.replay?.snapshot ? readSnapshotStreams(data.replay.snapshot).streams : undefined;
  const firstSeqs = streams && [streams.gatewayNextSeq, ...streams.outputNextSeqs];
  // Surveillance is not journaled: a fresh surveillance worker after a restart is given every event the
  // replay regenerates, so it rebuilds the state it had (and raises its old alerts again). It reads the
  // gateway stream, so that stream carries the replay, with the gateway's own consumer left out of it.
  const surveilled = data.surveillanceBell !== undefined && data.replay !== undefined;
  const replay = data.replay && (surveilled ? { ...data.replay, deliverFrom: [firstSeqs?.[0] ?? 1, ...data.replay.deliverFrom.slice(1)] } : data.replay);
  if (surveilled) gatewayOut.skipFirstConsumer(true);
  const replaying = replayOutputs(outputs, replay, firstSeqs);
  const [gatewayReplay, ...riskReplays] = replaying.outputs;
  const shard = replay?.snapshot
    ? MarketShard.decode(replay.snapshot, gatewayReplay!, riskReplays)
    : new MarketShard(data.markets, gatewayReplay!, riskReplays, undefined, new Map(data.pricing), undefined, data.timeHorizonUs, data.shardId);
  // Input 1 + r is risk shard r's, and a risk shard waits for space in it on its own doorbell (its outbox):
  // releasing those slots rings that doorbell. The gateway (input 0) never waits for space.
  const riskBells = data.risk.map((end) => Doorbell.attach(end.bell));

  /**
   * The shard's state for a restarted gateway (market-shard-state.ts), a slice of a book per loop turn,
   * each market with the gateway-stream seq its copy stands at.
   */
  const serveState = slicedServer(
    () => new MarketShardStateBuilder(shard, data.shardId, () => gatewayReplay!.nextSeq - 1),
    (builder) => builder.step(),
    (builder, ticket) => {
      const payload = builder.finish(processor.position);
      parentPort!.postMessage({ type: 'reply', member, kind: RequestKind.STATE, ticket, payload }, transferables(payload));
    },
  );

  const processor = new EventProcessor(
    data.inputs.map((sab) => RingBuffer.attach(sab)),
    Doorbell.attach(data.bell),
    shard,
    waitStrategyByName(data.wait),
    control,
    undefined,
    () => outputs.reduce((sum, o) => sum + o.stalls, 0),
    undefined,
    [undefined, serveState],
    [undefined, ...riskBells],
    journal,
  );
  const replayAll = () => {
    if (!replayLog(shard, journal.stamp, replay, control, waitStrategyByName(data.wait))) return false;
    replaying.finish();
    // Published before 'replayed': the main thread builds its consumer of the gateway ring after it.
    if (surveilled) gatewayOut.skipFirstConsumer(false);
    return true;
  };
  return { processor, shard, outputs, replay: replayAll };
}
