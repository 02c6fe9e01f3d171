// ThreadedExchange: the exchange on worker threads, as the design card draws it. It creates every ring
// and doorbell first (a ring is one shard's output and another's input), then starts the shards:
//
//   main thread (gateway) ── GatewayStream ──▶ risk r input 0        market s input 0 (index, timer)
//   risk r  output s  ═══════════════ ring ═══════════════▶ market s input 1 + r
//   market s output r ═══════════════ ring ═══════════════▶ risk r input 1 + s
//   market s, risk r  ── gateway-bound ring ──▶ main thread (poll)
//   market s gateway-bound ring ══ its second consumer ══▶ surveillance worker s mod W, stream 1 + s (optional)
//   main thread ── GatewayStream ──▶ every surveillance worker's input 0 (operator links, timer ticks)
//                                    surveillance ──postMessage(alert)──▶ main thread
//   (surveillance/surveillance-group.ts)
//
// Market shards may share worker threads (`marketWorkers`, by default so that busy threads do not outnumber
// cores: topology.ts, processor-group.ts); a shard keeps its own rings, journal stream and host either way.
//
// Routing of gateway commands is the in-process exchange's (topology.ts): account commands and orders to
// the account's risk shard, index ticks and market halts to the market's shard, timer ticks to every shard.
//
// A dead shard halts the exchange (shard-failure.ts): every host is watched from the moment its worker
// starts; the first death sets `failure`, offer() refuses everything from then on, and the command the
// shard died on is answered SHARD_FAILED through poll(). stop() ends in bounded time in every state: it
// asks every shard to stop at once, keeps draining the gateway-bound rings while they do (no shard stays
// blocked on a full one), and a shard waiting for space in a ring whose consumer is gone gives up on
// stop (ring-output.ts); a worker that still does not stop is terminated (shard-worker.ts).
//
// With durability (durability.ts), every shard copies its inputs into a tap ring the journal writer
// drains, shards first replay their journal below the durable cut as it is read and verified (start()
// returns once they have, and once every read passed: the writer starts only then; a read that fails
// stops every shard and the start; the whole start sequence is threaded-start.ts), and
// poll() hands the gateway only records whose producing input is inside the cut (acknowledge after
// durable): it stops at the first record of a ring that is not, and the writer rings the gateway's
// doorbell after each synced batch. While any shard's journal lag exceeds the bound, offer() refuses
// commands (BACK_PRESSURE). A journal writer that fails halts the exchange (`journalFailure`): nothing
// more could be acknowledged.

import type { MarketShardHost } from '../engine/shard/market-shard-host.js';
import type { Doorbell } from '../engine/ring/doorbell.js';
import { RingConsumer } from '../engine/ring/ring-consumer.js';
import { RECORD_BYTES, type RecordBuffer } from '../engine/ring/record.js';
import { RecordType } from '../engine/ring/types.js';
import type { WaitStrategyName } from '../engine/ring/wait-strategy-by-name.js';
import type { ShardDeath, ShardDone } from '../engine/shard/shard-worker.js';
import type { RiskShardHost } from '../risk/shard/risk-shard-host.js';
import type { SurveillanceGroup, ThreadedSurveillance } from './surveillance/surveillance-group.js';
import type { ThreadedOptions } from './threaded-options.js';
import type { ScanSnapshot } from '../risk/stress/scan-snapshot.js';
import { stampBefore, stampOf } from '../engine/shard/input-stamp.js';
import type { JournalHost } from '../persistence/journal-host.js';
import { ackBeforeDurable } from '../persistence/crash-points.js';
import { shardsDrained } from './drained.js';
import type { GatewayStream } from './gateway-stream.js';
import type { GatewaySource } from './in-process-exchange.js';
import { ShardFailedError } from './shard-failure.js';
import { whenInsideCut, type ShardStates } from './shard-states.js';
import type { Topology } from './topology.js';
import { startThreaded } from './threaded-start.js';

export type { ThreadedOptions, ThreadedSurveillance };

export interface StopResult {
  /** Each shard's final state hash; undefined for a shard that had died or did not stop in time. */
  market: (bigint | undefined)[];
  risk: (bigint | undefined)[];
  /** Each surveillance worker's, when they run (empty when they do not). */
  surveillance: (bigint | undefined)[];
}

export type Listener = (buf: RecordBuffer, at: number, from: GatewaySource) => void;

export class ThreadedExchange {
  private readonly sources: { consumer: RingConsumer; records: RecordBuffer; from: GatewaySource; shard: number }[];
  private readonly hasOutput: () => boolean;
  /** The first shard death: the exchange cannot go on without that shard, and takes no more commands. */
  failure: ShardFailedError | undefined;
  /** The journal writer's failure: nothing more can be made durable, so nothing more is taken. */
  journalFailure: Error | undefined;
  /** Answers to commands shards died on, handed out by the next poll(). */
  private readonly answers: { record: RecordBuffer; from: GatewaySource }[] = [];
  private stopping: Promise<StopResult> | undefined;
  /** A death not yet followed by a poll(): waitForOutput() returns at once for it. */
  private deathUnpolled = false;
  /** The crash tests' deliberately broken build (persistence/crash-points.ts): release before durable. */
  private readonly unsafeRelease = ackBeforeDurable();

  private constructor(
    readonly topology: Topology,
    /** The main thread's doorbell: shards ring it when they publish gateway-bound records. */
    readonly bell: Doorbell,
    readonly toRisk: readonly GatewayStream[],
    readonly toMarket: readonly GatewayStream[],
    readonly marketHosts: readonly MarketShardHost[],
    readonly riskHosts: readonly RiskShardHost[],
    /** The surveillance workers and the main thread's streams into their control inputs (links, timer ticks). */
    readonly surveillance: SurveillanceGroup | undefined,
    private readonly stopTimeoutMs: number | undefined,
    /** The journal writer, when the exchange is durable. */
    readonly journal: JournalHost | undefined,
    private readonly maxLagRecords: number,
    /** How the shard threads wait when idle (ThreadedOptions.wait, or the default chosen for this machine). */
    readonly wait: WaitStrategyName,
  ) {
    const S = marketHosts.length;
    this.sources = [
      ...marketHosts.map((h, s) => ({ consumer: new RingConsumer(h.gatewayOut), records: h.gatewayOut.records, from: { kind: 'market' as const, shard: s }, shard: s })),
      ...riskHosts.map((h, r) => ({ consumer: new RingConsumer(h.gatewayOut), records: h.gatewayOut.records, from: { kind: 'risk' as const, shard: r }, shard: S + r })),
    ];
    const sources = this.sources;
    const answers = this.answers;
    this.hasOutput = () => this.deathUnpolled || answers.length > 0 || sources.some((s) => this.releasable(s.consumer, s.records, s.shard) > 0);
    journal?.onFail((e) => {
      this.journalFailure ??= e;
      this.deathUnpolled = true;
      this.bell.ring();
    });
    // A host records its worker's death from the start, so a shard that died while later ones started
    // is reported here too.
    marketHosts.forEach((h, s) => h.onDeath((d) => this.died({ kind: 'market', shard: s }, d)));
    riskHosts.forEach((h, r) => h.onDeath((d) => this.died({ kind: 'risk', shard: r }, d)));
    surveillance?.onDeath((w, d) => this.died({ kind: 'surveillance', shard: w }, d));
  }

  private died(from: GatewaySource, d: ShardDeath): void {
    const failure = new ShardFailedError(from, d.error, d.input, d.record);
    // A worker running several market shards dies for all of them at once: the one that failed on a
    // record is the failure to report, whichever member heard of the death first.
    if (this.failure === undefined || (this.failure.input < 0 && failure.input >= 0)) this.failure = failure;
    if (failure.answer !== undefined) this.answers.push({ record: failure.answer, from });
    this.deathUnpolled = true;
    this.bell.ring();
  }

  /** True once a shard has died or stop() was called: offer() takes nothing any more. */
  get halted(): boolean {
    return this.failure !== undefined || this.journalFailure !== undefined || this.stopping !== undefined;
  }

  static async start(o: ThreadedOptions): Promise<ThreadedExchange> {
    const p = await startThreaded(o);
    return new ThreadedExchange(p.topology, p.bell, p.toRisk, p.toMarket, p.marketHosts, p.riskHosts, p.surveillance, o.stopTimeoutMs, p.journal, p.maxLagRecords, p.wait);
  }

  /** Records at the head of a gateway-bound ring that may be handed out now (all of them without a journal). */
  private releasable(c: RingConsumer, records: RecordBuffer, shard: number): number {
    const available = c.available();
    const j = this.journal;
    if (j === undefined || available === 0 || this.unsafeRelease) return available;
    const cut = j.watermark.cutLow(shard);
    let n = 0;
    // Stamps rise along a ring (inputs are handled in position order), so the first one not yet durable
    // ends what may go out now.
    while (n < available && stampBefore(stampOf(records, c.at(n)), cut)) n++;
    return n;
  }

  /** True while some shard's journal lags more than the bound: the gateway answers BACK_PRESSURE. */
  backPressured(): boolean {
    const j = this.journal;
    if (j === undefined) return false;
    for (let x = 0; x < j.taps.length; x++) if (j.lag(x) > this.maxLagRecords) return true;
    return false;
  }

  /**
   * Offers one gateway command (routed as in topology.ts); published at the next flush(). False when
   * nothing was taken: the exchange has halted (`failure` says which shard died and of what; after stop()
   * it is simply stopped), or else a ring on its way is full and the caller reports back-pressure.
   */
  offer(buf: RecordBuffer, at: number): boolean {
    if (this.halted || (this.journal !== undefined && this.backPressured())) return false;
    const type = buf.type(at);
    if (type === RecordType.AdvanceTime) {
      const all = [...this.toMarket, ...this.toRisk];
      if (!all.every((s) => s.hasRoom()) || (this.surveillance !== undefined && !this.surveillance.hasRoom())) return false;
      for (const s of all) s.offer(buf, at);
      this.surveillance?.offerAll(buf, at);
      return true;
    }
    if (type === RecordType.SetBeneficialOwner) return this.surveillance !== undefined && this.surveillance.offerAll(buf, at);
    if (type === RecordType.ListMarket) return this.offerListing(buf, at, 1);
    if (type === RecordType.UpdateIndexPrice || type === RecordType.RecordIndexSource || type === RecordType.SetMarketStatus) {
      // A market no shard owns goes to shard 0, which refuses it (UNKNOWN_MARKET): an answer, not a
      // refusal that would read as back-pressure.
      return this.toMarket[Math.max(0, this.topology.marketShardOf(buf.marketId(at)))]!.offer(buf, at);
    }
    return this.toRisk[this.topology.riskShardOf(buf.accountId(at))]!.offer(buf, at);
  }

  /**
   * Offers records 0..count-1 of buf, all for one market's shard (an index tick and the records of its
   * sources), whole or not at all: false when the ring cannot take them all now.
   */
  offerMarketGroup(buf: RecordBuffer, count: number): boolean {
    if (this.halted || (this.journal !== undefined && this.backPressured())) return false;
    if (count === 0) return true;
    // A market no shard owns goes to shard 0, which refuses it (UNKNOWN_MARKET), as offer() does.
    const stream = this.toMarket[Math.max(0, this.topology.marketShardOf(buf.marketId(buf.at(0))))]!;
    if (!stream.hasRoomFor(count)) return false;
    for (let i = 0; i < count; i++) stream.offer(buf, buf.at(i));
    return true;
  }

  /**
   * Offers a ListMarket group (records at..at+count-1 of buf) to every risk shard, whole or not at all:
   * each takes the listing and forwards it to the owner (docs/OPERATOR.md, "Creating a market").
   */
  offerListing(buf: RecordBuffer, at: number, count: number): boolean {
    if (this.halted || (this.journal !== undefined && this.backPressured())) return false;
    if (!this.toRisk.every((s) => s.hasRoomFor(count))) return false;
    for (const s of this.toRisk) for (let i = 0; i < count; i++) s.offer(buf, at + i * RECORD_BYTES);
    return true;
  }

  /** Markets listed at run time that the recovered shards held at start, with their owners (a restarted gateway's metadata). */
  listedAtStart(): { marketId: number; shard: number; listing: Uint8Array }[] {
    return this.marketHosts.flatMap((h, s) => h.listedAtStart().map((l) => ({ marketId: l.marketId, shard: s, listing: l.listing })));
  }

  /** Publishes everything offered since the last flush. */
  flush(): void {
    for (const s of this.toRisk) s.flush();
    for (const s of this.toMarket) s.flush();
    this.surveillance?.flush();
  }

  /**
   * Hands every gateway-bound record available now to the listener, then the answers to commands a shard
   * died on (after what that shard published before it died); returns how many.
   */
  poll(listener: Listener): number {
    let n = 0;
    this.deathUnpolled = false;
    for (const s of this.sources) {
      const ready = this.releasable(s.consumer, s.records, s.shard);
      for (let i = 0; i < ready; i++) {
        const at = s.consumer.at(i);
        // The owner's answer to a listing: index ticks and halts for the market go to it from now on.
        if (s.from.kind === 'market' && s.records.type(at) === RecordType.MarketListed) this.topology.listMarket(s.records.marketId(at), s.from.shard);
        listener(s.records, at, s.from);
      }
      s.consumer.release(ready);
      n += ready;
    }
    for (const a of this.answers.splice(0)) {
      listener(a.record, 0, a.from);
      n++;
    }
    return n;
  }

  /**
   * Waits (without blocking the event loop) until a shard publishes gateway-bound records, a shard dies,
   * or timeoutMs passes.
   */
  waitForOutput(timeoutMs: number): Promise<void> {
    return this.bell.parkAsync(this.hasOutput, timeoutMs);
  }

  /** Every shard (and every surveillance worker) has handled all it was sent and published what that produced (drained.ts). */
  drained(): boolean {
    return shardsDrained([...this.marketHosts, ...this.riskHosts, ...(this.surveillance?.hosts ?? [])]);
  }

  /** Every risk shard's open positions by scope, each copied by its own thread between two batches. */
  scanSnapshots(): Promise<ScanSnapshot[]> {
    return Promise.all(this.riskHosts.map((h) => h.scanSnapshot()));
  }

  /**
   * Every shard's state for a restarted gateway's read models and books (shard-states.ts), each copied by
   * its own thread between two batches with the gateway-stream seq it stands at. Resolves once the
   * journal's cut covers every copy (a copy may include inputs not yet durable); rejects if the exchange
   * halts first. Keep polling meanwhile: a shard blocked on a full gateway ring answers nothing.
   */
  async shardStates(): Promise<ShardStates> {
    const [market, risk] = await Promise.all([Promise.all(this.marketHosts.map((h) => h.state())), Promise.all(this.riskHosts.map((h) => h.state()))]);
    const j = this.journal;
    const stopped = () => this.failure ?? this.journalFailure ?? (this.stopping ? new Error('the exchange is stopping') : undefined);
    if (j !== undefined) await whenInsideCut({ market, risk }, (stream) => j.watermark.cutLow(stream), stopped);
    return { market, risk };
  }

  /**
   * Stops every shard, in bounded time whatever state the exchange is in (the same promise every call).
   * Every shard is asked at once; while they finish, gateway-bound records keep being drained into
   * `listener` (by default dropped), so no shard stays blocked on a full ring, and the last of them are
   * drained once all have stopped. A shard that had died, or did not stop in time, reports no hash.
   * Then the journal writer drains what the shards took last, writes it and closes the store.
   */
  stop(listener: Listener = () => {}): Promise<StopResult> {
    this.stopping ??= this.stopAll(listener);
    return this.stopping;
  }

  private async stopAll(listener: Listener): Promise<StopResult> {
    // The surveillance workers are asked with the rest: a market shard blocked on its ring gives up on stop.
    const stops = [...[...this.marketHosts, ...this.riskHosts].map((h) => h.stop(this.stopTimeoutMs)), ...(this.surveillance?.stop(this.stopTimeoutMs) ?? [])];
    let settled: PromiseSettledResult<ShardDone>[] | undefined;
    const all = Promise.allSettled(stops).then((r) => {
      settled = r;
      this.bell.ring();
    });
    while (settled === undefined) {
      this.poll(listener);
      await Promise.race([all, this.waitForOutput(10)]);
    }
    this.poll(listener);
    await this.journal?.stop().catch((e: Error) => (this.journalFailure ??= e));
    // With the last batch durable, what it released goes out too.
    this.poll(listener);
    const hash = (r: PromiseSettledResult<ShardDone>) => (r.status === 'fulfilled' ? r.value.stateHash : undefined);
    const S = this.marketHosts.length;
    const R = this.riskHosts.length;
    return { market: settled.slice(0, S).map(hash), risk: settled.slice(S, S + R).map(hash), surveillance: settled.slice(S + R).map(hash) };
  }
}
