// InProcessExchange: the same state machines as the threaded exchange (market shards, risk shards), wired
// on one thread through in-memory streams and pumped in a fixed order. Deterministic end to end: the
// same gateway commands give the same events and state hashes every run. Used by integration,
// property and flash-crash tests, by benchmarks of the state machines without thread hand-offs, and as
// the replay engine for recovery.
//
//   gateway ──▶ risk r (input 0) ──▶ market s (input 1+r) ──▶ risk r (input 1+s) ──▶ gateway
//   gateway ──▶ market s (input 0: index and timer ticks)                      └──▶ gateway
//
// pump() delivers every pending record, stream by stream in a fixed order, until nothing is pending.

import { buildScanSnapshot, type ScanSnapshot } from '../risk/stress/scan-snapshot.js';
import type { Layout } from '../engine/ring/layouts/layout.js';
import { encodeRecord, type RecordHeaderInput } from '../engine/ring/layouts/index.js';
import { RECORD_BYTES, RecordBuffer } from '../engine/ring/record.js';
import { readSnapshotStreams } from '../engine/snapshot/shard-streams.js';
import { RecordType } from '../engine/ring/types.js';
import { fastBook, MarketShard } from '../engine/shard/market-shard.js';
import type { PricingConfig } from '../engine/shard/market-pricing.js';
import type { RecordHandler } from '../engine/shard/event-processor.js';
import { LiquidationEngine } from '../risk/shard/liquidation-engine.js';
import { RiskShard } from '../risk/shard/risk-shard.js';
import { DEFAULT_POOL, type RiskMarketConfig, type RiskPoolConfig } from '../risk/shard/config.js';
import { QueueOutput } from './queue-output.js';
import { Topology } from './topology.js';

/** Where a gateway-bound record came from. */
export interface GatewaySource {
  kind: 'market' | 'risk';
  shard: number;
}

export type GatewayListener = (buf: RecordBuffer, at: number, from: GatewaySource) => void;

interface Link {
  queue: QueueOutput;
  consumer: RecordHandler;
  input: number;
}

/** Commands the gateway sends to market shards directly (input 0); everything else goes through risk. */
const MARKET_INPUTS: ReadonlySet<number> = new Set([RecordType.UpdateIndexPrice]);

export interface InProcessOptions {
  readonly topology: Topology;
  readonly riskMarkets: readonly RiskMarketConfig[];
  readonly pool?: RiskPoolConfig;
  /** Mark and funding settings per market id, as MarketShard takes them; markets without one use defaultPricing(). */
  readonly pricing?: ReadonlyMap<number, PricingConfig>;
}

/** Snapshots to restore an exchange from (InProcessExchange's constructor). */
export interface InProcessRestore {
  readonly marketShards: readonly Uint8Array[];
  readonly riskShards: readonly Uint8Array[];
  /** inFlight() of the exchange the snapshots were taken from, at the same moment. */
  readonly inFlight?: readonly Uint8Array[];
}

export class InProcessExchange {
  readonly topology: Topology;
  readonly marketShards: MarketShard[] = [];
  readonly riskShards: RiskShard[] = [];
  private readonly toRisk: QueueOutput[];
  private readonly toMarket: QueueOutput[];
  private readonly links: Link[] = [];
  private readonly gatewayQueues: { queue: QueueOutput; from: GatewaySource }[] = [];
  private readonly listeners: GatewayListener[] = [];
  private readonly scratch = RecordBuffer.allocate(1);
  /** Records delivered between state machines (and to the gateway) since start. */
  delivered = 0;

  /**
   * A fresh exchange, or, with `restore`, one whose shards are decoded from snapshots (docs/SNAPSHOTS.md)
   * and whose streams continue where the snapshots' did, with the records that were in flight between the
   * state machines when they were taken (inFlight()) queued again. `riskMarkets`, `pool` and `pricing`
   * then come from the snapshots.
   */
  constructor(o: InProcessOptions, restore?: InProcessRestore) {
    const t = (this.topology = o.topology);
    const R = t.riskShards;
    const S = t.marketShards;
    if (restore !== undefined && (restore.marketShards.length !== S || restore.riskShards.length !== R)) throw new RangeError(`restore: ${restore.marketShards.length} market and ${restore.riskShards.length} risk snapshots for ${S} and ${R} shards`);
    const ms = restore?.marketShards.map((b) => readSnapshotStreams(b).streams);
    const rs = restore?.riskShards.map((b) => readSnapshotStreams(b).streams);
    const inFlight = restore?.inFlight ?? [];
    let q = 0;
    // Each queue continues its producer's stream: its first record (in flight, or the next one written)
    // carries the producer's next seq less what is still in flight.
    const queue = (producerNextSeq: (pending: number) => number): QueueOutput => {
      const pending = inFlight[q++];
      const n = pending === undefined ? 0 : pending.length / RECORD_BYTES;
      const out = new QueueOutput(256, restore === undefined ? 1 : producerNextSeq(n) - n);
      if (pending !== undefined) {
        const b = new RecordBuffer(pending.buffer, pending.byteOffset, pending.byteLength);
        for (let i = 0; i < n; i++) out.append(b, b.at(i));
      }
      return out;
    };
    this.toRisk = Array.from({ length: R }, (_, r) => queue((n) => (rs?.[r]!.inputs[0] ?? 0) + 1 + n));
    this.toMarket = Array.from({ length: S }, (_, s) => queue((n) => (ms?.[s]!.inputs[0] ?? 0) + 1 + n));
    const riskToMarket = Array.from({ length: R }, (_, r) => Array.from({ length: S }, (_, s) => queue(() => rs?.[r]!.outputNextSeqs[s] ?? 1)));
    const marketToRisk = Array.from({ length: S }, (_, s) => Array.from({ length: R }, (_, r) => queue(() => ms?.[s]!.outputNextSeqs[r] ?? 1)));
    const marketToGateway = Array.from({ length: S }, (_, s) => queue(() => ms?.[s]!.gatewayNextSeq ?? 1));
    const riskToGateway = Array.from({ length: R }, (_, r) => queue(() => rs?.[r]!.gatewayNextSeq ?? 1));
    if (q < inFlight.length) throw new RangeError(`restore: ${inFlight.length} in-flight queues for ${q}`);

    const marketShardOf = (marketId: number): number => t.marketShardOf(marketId);
    for (let s = 0; s < S; s++) {
      this.marketShards.push(
        restore === undefined ? new MarketShard(t.config.marketShards[s]!, marketToGateway[s]!, marketToRisk[s]!, fastBook, o.pricing, s) : MarketShard.decode(restore.marketShards[s]!, marketToGateway[s]!, marketToRisk[s]!),
      );
    }
    const byId = new Map(o.riskMarkets.map((m) => [m.market.marketId, m]));
    const riskMarkets = restore === undefined ? t.markets().map((m) => byId.get(m.marketId) ?? missing(m.marketId)) : [];
    for (let r = 0; r < R; r++) {
      this.riskShards.push(
        restore === undefined
          ? new RiskShard(r, R, riskMarkets, o.pool ?? DEFAULT_POOL, marketShardOf, riskToGateway[r]!, riskToMarket[r]!, (state, effects) => new LiquidationEngine(state, effects, o.pool ?? DEFAULT_POOL))
          : RiskShard.decode(restore.riskShards[r]!, riskToGateway[r]!, riskToMarket[r]!, { marketShardOf }),
      );
    }

    // Fixed delivery order: gateway inputs, then orders towards markets, then market events towards risk.
    for (let r = 0; r < R; r++) this.links.push({ queue: this.toRisk[r]!, consumer: this.riskShards[r]!, input: 0 });
    for (let s = 0; s < S; s++) this.links.push({ queue: this.toMarket[s]!, consumer: this.marketShards[s]!, input: 0 });
    for (let r = 0; r < R; r++) for (let s = 0; s < S; s++) this.links.push({ queue: riskToMarket[r]![s]!, consumer: this.marketShards[s]!, input: 1 + r });
    for (let s = 0; s < S; s++) for (let r = 0; r < R; r++) this.links.push({ queue: marketToRisk[s]![r]!, consumer: this.riskShards[r]!, input: 1 + s });
    for (let s = 0; s < S; s++) this.gatewayQueues.push({ queue: marketToGateway[s]!, from: { kind: 'market', shard: s } });
    for (let r = 0; r < R; r++) this.gatewayQueues.push({ queue: riskToGateway[r]!, from: { kind: 'risk', shard: r } });
  }

  /** Every shard's state as snapshot bytes, market shards first (docs/SNAPSHOTS.md). */
  encodeShards(): { marketShards: Uint8Array[]; riskShards: Uint8Array[] } {
    return { marketShards: this.marketShards.map((m) => m.encodeState()), riskShards: this.riskShards.map((r) => r.encodeState()) };
  }

  /**
   * Copies of the records not yet delivered, per queue in a fixed order: what a restore from snapshots
   * taken now must queue again (as recovery re-delivers what consumers had not consumed).
   */
  inFlight(): Uint8Array[] {
    const queues = [...this.toRisk, ...this.toMarket, ...this.links.slice(this.toRisk.length + this.toMarket.length).map((l) => l.queue), ...this.gatewayQueues.map((g) => g.queue)];
    return queues.map((queue) => {
      const out = new Uint8Array(queue.pending * RECORD_BYTES);
      for (let i = 0; i < queue.pending; i++) out.set(queue.records.u8.subarray(queue.offsetAt(i), queue.offsetAt(i) + RECORD_BYTES), i * RECORD_BYTES);
      return out;
    });
  }

  /** Every risk shard's open positions by scope (risk/stress/scan-snapshot.ts), as ThreadedExchange gives them. */
  scanSnapshots(): ScanSnapshot[] {
    return this.riskShards.map((s) => buildScanSnapshot(s.state));
  }

  /** Receives every record that reaches the gateway (acks, fills, positions, market data...). */
  onGateway(listener: GatewayListener): void {
    this.listeners.push(listener);
  }

  /**
   * Sends one gateway command, as the gateway would: account commands and orders to the account's risk
   * shard, index ticks to the market's shard, timer ticks to every shard. Does not pump.
   */
  submit(layout: Layout, header: RecordHeaderInput, body: Readonly<Record<string, number | bigint>>): void {
    encodeRecord(this.scratch, 0, layout, header, body);
    this.submitRecord(this.scratch, 0);
  }

  /** submit() for a record already encoded (its seq is replaced by the stream's). */
  submitRecord(buf: RecordBuffer, at: number): void {
    const type = buf.type(at);
    if (type === RecordType.AdvanceTime) {
      for (const q of this.toMarket) q.append(buf, at);
      for (const q of this.toRisk) q.append(buf, at);
      return;
    }
    if (MARKET_INPUTS.has(type)) {
      const s = this.topology.marketShardOf(buf.marketId(at));
      if (s < 0) throw new RangeError(`no market shard owns market ${buf.marketId(at)}`);
      this.toMarket[s]!.append(buf, at);
      return;
    }
    this.toRisk[this.topology.riskShardOf(buf.accountId(at))]!.append(buf, at);
  }

  /** Delivers pending records until every stream is empty; returns how many were delivered. */
  pump(maxRecords = Number.MAX_SAFE_INTEGER): number {
    let total = 0;
    for (;;) {
      let moved = 0;
      for (const link of this.links) {
        const q = link.queue;
        if (q.pending === 0) continue;
        while (q.pending > 0 && total + moved < maxRecords) {
          link.consumer.handle(q.records, q.frontAt(), link.input);
          q.shift();
          moved++;
        }
        link.consumer.flush();
      }
      for (const g of this.gatewayQueues) {
        const q = g.queue;
        while (q.pending > 0) {
          for (const l of this.listeners) l(q.records, q.frontAt(), g.from);
          q.shift();
          moved++;
        }
      }
      total += moved;
      this.delivered += moved;
      if (moved === 0 || total >= maxRecords) return total;
    }
  }

  /** Submit then pump: one command carried to quiescence. */
  send(layout: Layout, header: RecordHeaderInput, body: Readonly<Record<string, number | bigint>>): void {
    this.submit(layout, header, body);
    this.pump();
  }
}

function missing(marketId: number): never {
  throw new RangeError(`no risk configuration for market ${marketId}`);
}
