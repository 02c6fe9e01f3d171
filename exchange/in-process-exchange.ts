// InProcessExchange: the same state machines as the threaded exchange (market shards, risk shards), wired
// on one thread through in-memory streams and pumped in a fixed order. Deterministic end to end: the
// same gateway commands give the same events and state hashes every run. Used by integration,
// property and flash-crash tests, by benchmarks of the state machines without thread hand-offs, and as
// the replay engine for recovery.
//
//   gateway ──▶ risk r (input 0) ──▶ market s (input 1+r) ──▶ risk r (input 1+s) ──▶ gateway
//   gateway ──▶ market s (input 0: index and timer ticks)                      └──▶ gateway
//   market s ──▶ surveillance (input 1+s)     gateway ──▶ surveillance (input 0: links, timer ticks)
//
// pump() delivers every pending record, stream by stream in a fixed order, until nothing is pending. With
// the `interleave` option it delivers one record at a time from a stream the option picks at random, as
// worker threads would interleave them: tests of whether a command's outcome depends on which thread ran
// first (test/exchange/liquidation-interleaving.test.ts).
//
// A record whose handling throws kills its shard here as it would kill its worker thread (shard-failure.ts):
// the exchange halts. That pump() delivers the SHARD_FAILED answer to the command and throws the
// ShardFailedError; every later pump() or submit() throws it again and delivers nothing. The record is
// never re-delivered (the shard would skip it as already seen and carry on from half-handled state).

import type { ShardSetOptions } from './exchange-config.js';
import { buildScanSnapshot, type ScanSnapshot } from '../risk/stress/scan-snapshot.js';
import type { Layout } from '../engine/ring/layouts/layout.js';
import { encodeRecord, type RecordHeaderInput } from '../engine/ring/layouts/index.js';
import { RECORD_BYTES, RecordBuffer } from '../engine/ring/record.js';
import { readSnapshotStreams } from '../engine/snapshot/shard-streams.js';
import { RecordType } from '../engine/ring/types.js';
import { fastBook } from '../engine/shard/market-listings.js';
import { MarketShard } from '../engine/shard/market-shard.js';
import type { RecordHandler } from '../engine/shard/event-processor.js';
import { QueueOutput } from '../engine/shard/event-output.js';
import { LiquidationEngine } from '../risk/shard/liquidation-engine.js';
import { RiskShard } from '../risk/shard/risk-shard.js';
import { DEFAULT_POOL } from '../risk/shard/config.js';
import type { AlertSink, IntegritySink, SurveillanceConfig } from '../risk/surveillance/surveillance-engine.js';
import { SurveillanceEngine } from '../risk/surveillance/surveillance-engine.js';
import { ShardFailedError } from './shard-failure.js';
import type { ShardStates } from './shard-states.js';
import { MarketShardStateBuilder } from '../engine/shard/market-shard-state.js';
import { RiskShardStateBuilder } from '../risk/shard/risk-shard-state.js';
import { Topology } from './topology.js';

/** Where a gateway-bound record came from. */
export interface GatewaySource {
  /** 'surveillance' only names the surveillance worker when it dies (it sends the gateway nothing). */
  kind: 'market' | 'risk' | 'surveillance';
  shard: number;
}

export type GatewayListener = (buf: RecordBuffer, at: number, from: GatewaySource) => void;

interface Link {
  queue: QueueOutput;
  consumer: RecordHandler;
  input: number;
  /** The consuming shard. */
  shard: GatewaySource;
}

/** Commands the gateway sends to market shards directly (input 0); everything else goes through risk. */
const MARKET_INPUTS: ReadonlySet<number> = new Set([RecordType.UpdateIndexPrice, RecordType.RecordIndexSource, RecordType.SetMarketStatus]);

export interface InProcessOptions extends ShardSetOptions {
  /** Runs the surveillance state machine on every market shard's events (absent: none). */
  readonly surveillance?: { readonly config?: SurveillanceConfig; readonly onAlert: AlertSink; readonly onIntegrity?: IntegritySink };
  /** Tests: picks which of `ready` streams (an index below it) the next record comes from (absent: fixed order). */
  readonly interleave?: (ready: number) => number;
}

/** Snapshots to restore an exchange from (InProcessExchange's constructor, docs/SNAPSHOTS.md). */
export interface InProcessRestore {
  readonly marketShards: readonly Uint8Array[];
  readonly riskShards: readonly Uint8Array[];
  /** inFlight() of the exchange the snapshots were taken from, at the same moment. */
  readonly inFlight?: readonly Uint8Array[];
  /** pumpAt() of that exchange at the same moment (default: the start of a round). */
  readonly pumpAt?: PumpPosition;
}

/** Where pump() stands in a round: the link it is at, and the records delivered so far in the round. */
export interface PumpPosition {
  readonly link: number;
  readonly moved: number;
}

export class InProcessExchange {
  readonly topology: Topology;
  readonly marketShards: MarketShard[] = [];
  readonly riskShards: RiskShard[] = [];
  private readonly toRisk: QueueOutput[];
  private readonly toMarket: QueueOutput[];
  /** The surveillance state machine and its control input, when surveillance runs. */
  readonly surveillance: SurveillanceEngine | undefined;
  private readonly toSurveillance: QueueOutput | undefined;
  /** The streams between the gateway and the shards in creation order (what inFlight() copies). */
  private readonly streams: QueueOutput[] = [];
  private readonly links: Link[] = [];
  /** Where pump() stands in its round (it resumes there). */
  private at: { link: number; moved: number } = { link: 0, moved: 0 };
  private readonly interleave: ((ready: number) => number) | undefined;
  private readonly gatewayQueues: { queue: QueueOutput; from: GatewaySource }[] = [];
  private readonly listeners: GatewayListener[] = [];
  private readonly scratch = RecordBuffer.allocate(1);
  /** Records delivered between state machines (and to the gateway) since start. */
  delivered = 0;
  /** Set when a shard threw on a record: the exchange has halted. */
  failure: ShardFailedError | undefined;

  /**
   * A fresh exchange, or, with `restore`, one whose shards are decoded from snapshots (docs/SNAPSHOTS.md)
   * and whose streams continue where the snapshots' did, with the records that were in flight between the
   * state machines when they were taken (inFlight()) queued again. `riskMarkets`, `pool` and `pricing`
   * then come from the snapshots. The surveillance engine has no snapshot yet: restoring one that runs
   * it is refused.
   */
  constructor(o: InProcessOptions, restore?: InProcessRestore) {
    const t = (this.topology = o.topology);
    this.interleave = o.interleave;
    const R = t.riskShards;
    const S = t.marketShards;
    if (restore !== undefined && (restore.marketShards.length !== S || restore.riskShards.length !== R)) throw new RangeError(`restore: ${restore.marketShards.length} market and ${restore.riskShards.length} risk snapshots for ${S} and ${R} shards`);
    if (restore !== undefined && o.surveillance !== undefined) throw new RangeError('restore: the surveillance engine has no snapshot codec; restore without surveillance');
    const ms = restore?.marketShards.map((b) => readSnapshotStreams(b).streams);
    const rs = restore?.riskShards.map((b) => readSnapshotStreams(b).streams);
    const inFlight = restore?.inFlight ?? [];
    // Each stream continues its producer's: its first record (in flight, or the next one written) carries
    // the producer's next seq less what is still in flight.
    const queue = (producerNextSeq: (pending: number) => number): QueueOutput => {
      const pending = inFlight[this.streams.length];
      const n = pending === undefined ? 0 : pending.length / RECORD_BYTES;
      const out = new QueueOutput(256, restore === undefined ? 1 : producerNextSeq(n) - n);
      if (pending !== undefined) {
        const b = new RecordBuffer(pending.buffer, pending.byteOffset, pending.byteLength);
        for (let i = 0; i < n; i++) out.append(b, b.at(i));
      }
      this.streams.push(out);
      return out;
    };
    this.toRisk = Array.from({ length: R }, (_, r) => queue((n) => (rs?.[r]!.inputs[0] ?? 0) + 1 + n));
    this.toMarket = Array.from({ length: S }, (_, s) => queue((n) => (ms?.[s]!.inputs[0] ?? 0) + 1 + n));
    const riskToMarket = Array.from({ length: R }, (_, r) => Array.from({ length: S }, (_, s) => queue(() => rs?.[r]!.outputNextSeqs[s] ?? 1)));
    const marketToRisk = Array.from({ length: S }, (_, s) => Array.from({ length: R }, (_, r) => queue(() => ms?.[s]!.outputNextSeqs[r] ?? 1)));
    const marketToGateway = Array.from({ length: S }, (_, s) => queue(() => ms?.[s]!.gatewayNextSeq ?? 1));
    const riskToGateway = Array.from({ length: R }, (_, r) => queue(() => rs?.[r]!.gatewayNextSeq ?? 1));
    if (inFlight.length > this.streams.length) throw new RangeError(`restore: ${inFlight.length} in-flight queues for ${this.streams.length} streams`);
    const marketToSurveillance = o.surveillance ? Array.from({ length: S }, () => new QueueOutput()) : [];
    this.surveillance = o.surveillance ? new SurveillanceEngine(o.surveillance.onAlert, o.surveillance.config, o.surveillance.onIntegrity) : undefined;
    this.toSurveillance = o.surveillance ? new QueueOutput() : undefined;

    for (let s = 0; s < S; s++) {
      this.marketShards.push(
        restore === undefined
          ? new MarketShard(t.config.marketShards[s]!, marketToGateway[s]!, marketToRisk[s]!, fastBook, o.pricing, marketToSurveillance[s], o.timeHorizonUs, s)
          : MarketShard.decode(restore.marketShards[s]!, marketToGateway[s]!, marketToRisk[s]!),
      );
    }
    // Markets the restored shards listed at run time route to their owners again.
    this.marketShards.forEach((m, s) => m.markets.listedMarkets().forEach((l) => t.listMarket(l.marketId, s)));
    const marketShardOf = (marketId: number): number => t.marketShardOf(marketId);
    const riskMarkets = restore === undefined ? t.riskMarketsOf(o.riskMarkets) : [];
    for (let r = 0; r < R; r++) {
      this.riskShards.push(
        restore === undefined
          ? new RiskShard(r, R, riskMarkets, o.pool ?? DEFAULT_POOL, marketShardOf, riskToGateway[r]!, riskToMarket[r]!, (state, effects) => new LiquidationEngine(state, effects, o.pool ?? DEFAULT_POOL))
          : RiskShard.decode(restore.riskShards[r]!, riskToGateway[r]!, riskToMarket[r]!, { marketShardOf }),
      );
    }

    // Fixed delivery order: gateway inputs, then orders towards markets, then market events towards risk.
    const risk = (r: number): GatewaySource => ({ kind: 'risk', shard: r });
    const market = (m: number): GatewaySource => ({ kind: 'market', shard: m });
    for (let r = 0; r < R; r++) this.links.push({ queue: this.toRisk[r]!, consumer: this.riskShards[r]!, input: 0, shard: risk(r) });
    for (let s = 0; s < S; s++) this.links.push({ queue: this.toMarket[s]!, consumer: this.marketShards[s]!, input: 0, shard: market(s) });
    for (let r = 0; r < R; r++) for (let s = 0; s < S; s++) this.links.push({ queue: riskToMarket[r]![s]!, consumer: this.marketShards[s]!, input: 1 + r, shard: market(s) });
    for (let s = 0; s < S; s++) for (let r = 0; r < R; r++) this.links.push({ queue: marketToRisk[s]![r]!, consumer: this.riskShards[r]!, input: 1 + s, shard: risk(r) });
    if (this.surveillance) {
      const surveillance: GatewaySource = { kind: 'surveillance', shard: 0 };
      this.links.push({ queue: this.toSurveillance!, consumer: this.surveillance, input: 0, shard: surveillance });
      for (let s = 0; s < S; s++) this.links.push({ queue: marketToSurveillance[s]!, consumer: this.surveillance, input: 1 + s, shard: surveillance });
    }
    const at = restore?.pumpAt;
    if (at !== undefined) {
      if (!Number.isSafeInteger(at.link) || at.link < 0 || at.link > this.links.length || !Number.isSafeInteger(at.moved) || at.moved < 0) throw new RangeError(`restore: pump position ${at.link}/${at.moved} for ${this.links.length} links`);
      this.at = { link: at.link, moved: at.moved };
    }
    for (let s = 0; s < S; s++) this.gatewayQueues.push({ queue: marketToGateway[s]!, from: { kind: 'market', shard: s } });
    for (let r = 0; r < R; r++) this.gatewayQueues.push({ queue: riskToGateway[r]!, from: { kind: 'risk', shard: r } });
  }

  /** Every risk shard's open positions by scope (risk/stress/scan-snapshot.ts), as ThreadedExchange gives them. */
  scanSnapshots(): ScanSnapshot[] {
    return this.riskShards.map((s) => buildScanSnapshot(s.state));
  }

  /**
   * Every shard's state for a gateway's read models and books, as ThreadedExchange.shardStates() gives
   * it (shard-states.ts): each stands at its gateway stream's last seq, records not yet delivered included.
   * `sliced`: copied as a worker copies, `budget` levels, order slots or accounts per slice, calling
   * `between()` after each slice unfinished (a test runs commands there, as a worker handles records
   * between its loop turns).
   */
  shardStates(sliced?: { readonly budget: number; readonly between: () => void }): ShardStates {
    const S = this.marketShards.length;
    const seqOf = (q: number) => () => this.gatewayQueues[q]!.queue.nextSeq - 1;
    const run = <B extends { step(budget: number): boolean }>(b: B): B => {
      while (!b.step(sliced?.budget ?? Number.POSITIVE_INFINITY)) sliced?.between();
      return b;
    };
    return {
      market: this.marketShards.map((m, s) => run(new MarketShardStateBuilder(m, s, seqOf(s))).finish(0)),
      risk: this.riskShards.map((r, i) => run(new RiskShardStateBuilder(r.parts, seqOf(S + i))).finish(i, 0)),
    };
  }

  /** Every shard's state as snapshot bytes, market shards first (docs/SNAPSHOTS.md). */
  encodeShards(): { marketShards: Uint8Array[]; riskShards: Uint8Array[] } {
    return { marketShards: this.marketShards.map((m) => m.encodeState()), riskShards: this.riskShards.map((r) => r.encodeState()) };
  }

  /**
   * Copies of the records not yet delivered, per stream in a fixed order: what a restore from snapshots
   * taken now must queue again (as recovery re-delivers what consumers had not consumed).
   */
  inFlight(): Uint8Array[] {
    return this.streams.map((queue) => {
      const out = new Uint8Array(queue.pending * RECORD_BYTES);
      for (let i = 0; i < queue.pending; i++) out.set(queue.records.u8.subarray(queue.offsetAt(i), queue.offsetAt(i) + RECORD_BYTES), i * RECORD_BYTES);
      return out;
    });
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

  /** submit() for a record already encoded (its seq is replaced by the stream's). Throws once halted. */
  submitRecord(buf: RecordBuffer, at: number): void {
    if (this.failure !== undefined) throw this.failure;
    const type = buf.type(at);
    if (type === RecordType.AdvanceTime) {
      for (const q of this.toMarket) q.append(buf, at);
      for (const q of this.toRisk) q.append(buf, at);
      this.toSurveillance?.append(buf, at);
      return;
    }
    if (type === RecordType.ListMarket) {
      // Every risk shard takes the listing and forwards it to the owner (docs/OPERATOR.md, "Creating a market").
      for (const q of this.toRisk) q.append(buf, at);
      return;
    }
    if (type === RecordType.SetBeneficialOwner) {
      this.toSurveillance?.append(buf, at);
      return;
    }
    if (MARKET_INPUTS.has(type)) {
      // A market no shard owns goes to shard 0, which refuses it (UNKNOWN_MARKET) like any record for a
      // market it does not hold: the tick gets its answer like every other command.
      this.toMarket[Math.max(0, this.topology.marketShardOf(buf.marketId(at)))]!.append(buf, at);
      return;
    }
    this.toRisk[this.topology.riskShardOf(buf.accountId(at))]!.append(buf, at);
  }

  /** submitRecord() for records 0..count-1 of buf (an index tick and its sources' records). Always taken. */
  offerMarketGroup(buf: RecordBuffer, count: number): boolean {
    for (let i = 0; i < count; i++) this.submitRecord(buf, buf.at(i));
    return true;
  }

  /**
   * Delivers pending records until every stream is empty; returns how many were delivered. Throws the
   * ShardFailedError when a shard throws on a record, and again on every call after that.
   *
   * Delivery goes in rounds: each link in the fixed order drained in turn, then the gateway-bound
   * streams. A pump cut short by `maxRecords` keeps its place in the round (`pumpAt`) and the next pump
   * carries on from there, so pumping a command record by record hands every shard its inputs in the
   * same order as one pump() does: a shard's state depends on the order it consumed its inputs in (an ADL
   * ranking job lasts a fixed number of records from the one that started it), and a test that steps an
   * exchange to take snapshots must not change what it runs. Gateway-bound records are delivered before
   * every return (they feed only the listeners).
   */
  pump(maxRecords = Number.MAX_SAFE_INTEGER): number {
    if (this.failure !== undefined) throw this.failure;
    if (this.interleave !== undefined) return this.pumpInterleaved(this.interleave, maxRecords);
    let total = 0;
    for (;;) {
      let moved = 0;
      let cut = false;
      for (; this.at.link < this.links.length; this.at.link++) {
        const link = this.links[this.at.link]!;
        const q = link.queue;
        if (q.pending === 0) continue;
        if (total + moved >= maxRecords) {
          cut = true;
          break;
        }
        while (q.pending > 0 && total + moved < maxRecords) {
          this.deliverFront(link);
          moved++;
        }
        link.consumer.flush();
        if (q.pending > 0) {
          cut = true;
          break;
        }
      }
      this.delivered += moved;
      this.at.moved += moved;
      if (cut) return total + moved + this.deliverGateway();
      const gateway = this.deliverGateway();
      total += moved + gateway;
      const round = this.at.moved + gateway;
      this.at = { link: 0, moved: 0 };
      if (round === 0 || total >= maxRecords) return total;
    }
  }

  /** Hands the link's front record to its consumer (a throw halts the exchange: halt()) and takes it off the queue. */
  private deliverFront(link: Link): void {
    const q = link.queue;
    try {
      link.consumer.handle(q.records, q.frontAt(), link.input);
    } catch (e) {
      this.halt(link, e, q.records, q.frontAt());
    }
    q.shift();
  }

  /** Where delivery stands in its round (pump()): what an exchange restored from snapshots taken now continues from. */
  pumpAt(): PumpPosition {
    return { ...this.at };
  }

  /** pump() one record at a time, each from a stream with records pending that `pick` chooses. */
  private pumpInterleaved(pick: (ready: number) => number, maxRecords: number): number {
    let total = 0;
    for (;;) {
      total += this.deliverGateway();
      const ready = this.links.filter((l) => l.queue.pending > 0);
      if (ready.length === 0 || total >= maxRecords) return total;
      const link = ready[pick(ready.length) % ready.length]!;
      this.deliverFront(link);
      link.consumer.flush();
      total++;
      this.delivered++;
    }
  }

  private deliverGateway(): number {
    let moved = 0;
    for (const g of this.gatewayQueues) {
      const q = g.queue;
      while (q.pending > 0) {
        // The owner's answer to a listing: index ticks and halts for the market go to it from now on.
        if (g.from.kind === 'market' && q.records.type(q.frontAt()) === RecordType.MarketListed) this.topology.listMarket(q.records.marketId(q.frontAt()), g.from.shard);
        for (const l of this.listeners) l(q.records, q.frontAt(), g.from);
        q.shift();
        moved++;
      }
    }
    this.delivered += moved;
    return moved;
  }

  /** The shard of `link` threw on the record at `at`: halt, answer the command, and throw. */
  private halt(link: Link, thrown: unknown, buf: RecordBuffer, at: number): never {
    const record = RecordBuffer.allocate(1);
    record.copyFrom(buf, at, 0);
    const failure = new ShardFailedError(link.shard, thrown instanceof Error ? thrown : new Error(String(thrown)), link.input, record);
    this.failure = failure;
    if (failure.answer !== undefined) for (const l of this.listeners) l(failure.answer, 0, link.shard);
    throw failure;
  }

  /** Submit then pump: one command carried to quiescence. */
  send(layout: Layout, header: RecordHeaderInput, body: Readonly<Record<string, number | bigint>>): void {
    this.submit(layout, header, body);
    this.pump();
  }
}
