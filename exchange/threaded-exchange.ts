// ThreadedExchange: the exchange on worker threads, as the design card draws it. It creates every ring
// and doorbell first (a ring is one shard's output and another's input), then starts the shards:
//
//   main thread (gateway) ── GatewayStream ──▶ risk r input 0        market s input 0 (index, timer)
//   risk r  output s  ═══════════════ ring ═══════════════▶ market s input 1 + r
//   market s output r ═══════════════ ring ═══════════════▶ risk r input 1 + s
//   market s, risk r  ── gateway-bound ring ──▶ main thread (poll)
//
// Routing of gateway commands is the in-process exchange's (topology.ts): account commands and orders to
// the account's risk shard, index ticks to the market's shard, timer ticks to every shard.
//
// With durability (durability.ts), every shard copies its inputs into a tap ring the journal writer
// drains, shards first replay their journal below the durable cut, and poll() hands the gateway only
// records whose producing input is inside the cut (acknowledge after durable): it stops at the first
// record of a ring that is not, and the writer rings the gateway's doorbell after each synced batch.
// While any shard's journal lag exceeds the bound, offer() refuses commands (BACK_PRESSURE).

import type { MarketShardHost as MarketHostType } from '../engine/shard/market-shard-host.js';
import { MarketShardHost } from '../engine/shard/market-shard-host.js';
import type { PricingConfig } from '../engine/shard/market-pricing.js';
import { Doorbell } from '../engine/ring/doorbell.js';
import { RingBuffer } from '../engine/ring/ring-buffer.js';
import { RingConsumer } from '../engine/ring/ring-consumer.js';
import type { RecordBuffer } from '../engine/ring/record.js';
import { RecordType } from '../engine/ring/types.js';
import type { WaitStrategyName } from '../engine/ring/wait-strategy-by-name.js';
import { RiskShardHost } from '../risk/shard/risk-shard-host.js';
import type { ScanSnapshot } from '../risk/stress/scan-snapshot.js';
import { DEFAULT_POOL, type RiskMarketConfig, type RiskPoolConfig } from '../risk/shard/config.js';
import { stampBefore, stampOf } from '../engine/shard/input-stamp.js';
import type { JournalHost } from '../persistence/journal-host.js';
import type { Durability } from './durability.js';
import { GatewayStream } from './gateway-stream.js';
import type { GatewaySource } from './in-process-exchange.js';
import type { Topology } from './topology.js';

export interface ThreadedOptions {
  readonly topology: Topology;
  readonly riskMarkets: readonly RiskMarketConfig[];
  readonly pool?: RiskPoolConfig;
  readonly pricing?: ReadonlyMap<number, PricingConfig>;
  /** Slots per ring (power of two). */
  readonly ringCapacity?: number;
  readonly wait?: WaitStrategyName;
  /** Journal every shard's inputs and recover from them (durability.ts); without it nothing is kept. */
  readonly durability?: Durability;
}

export type Listener = (buf: RecordBuffer, at: number, from: GatewaySource) => void;

export class ThreadedExchange {
  private readonly sources: { consumer: RingConsumer; records: RecordBuffer; from: GatewaySource; shard: number }[];
  private readonly hasOutput: () => boolean;
  /** The first error a shard worker died of: the exchange cannot go on without that shard. */
  failure: Error | undefined;
  private stopped: Promise<{ market: (bigint | undefined)[]; risk: (bigint | undefined)[] }> | undefined;

  private constructor(
    readonly topology: Topology,
    /** The main thread's doorbell: shards ring it when they publish gateway-bound records. */
    readonly bell: Doorbell,
    readonly toRisk: readonly GatewayStream[],
    readonly toMarket: readonly GatewayStream[],
    readonly marketHosts: readonly MarketHostType[],
    readonly riskHosts: readonly RiskShardHost[],
    /** The journal writer, when the exchange is durable. */
    readonly journal: JournalHost | undefined,
    private readonly maxLagRecords: number,
  ) {
    const S = marketHosts.length;
    this.sources = [
      ...marketHosts.map((h, s) => ({ consumer: new RingConsumer(h.gatewayOut), records: h.gatewayOut.records, from: { kind: 'market' as const, shard: s }, shard: s })),
      ...riskHosts.map((h, r) => ({ consumer: new RingConsumer(h.gatewayOut), records: h.gatewayOut.records, from: { kind: 'risk' as const, shard: r }, shard: S + r })),
    ];
    const sources = this.sources;
    this.hasOutput = () => this.failure !== undefined || sources.some((s) => this.releasable(s.consumer, s.records, s.shard) > 0);
    journal?.onFail((e) => {
      this.failure ??= e;
    });
    for (const h of [...marketHosts, ...riskHosts]) {
      h.worker.once('error', (e: Error) => {
        this.failure ??= e;
        this.bell.ring();
      });
    }
  }

  static async start(o: ThreadedOptions): Promise<ThreadedExchange> {
    const t = o.topology;
    const R = t.riskShards;
    const S = t.marketShards;
    const cap = o.ringCapacity ?? 4096;
    const ring = () => RingBuffer.create(cap);
    const gatewayBell = Doorbell.create();
    const marketBells = Array.from({ length: S }, () => Doorbell.create());
    const riskBells = Array.from({ length: R }, () => Doorbell.create());
    const gatewayToMarket = Array.from({ length: S }, ring);
    const gatewayToRisk = Array.from({ length: R }, ring);
    const riskToMarket = Array.from({ length: R }, () => Array.from({ length: S }, ring));
    const marketToRisk = Array.from({ length: S }, () => Array.from({ length: R }, ring));
    const byId = new Map(o.riskMarkets.map((m) => [m.market.marketId, m]));
    const riskMarkets = t.markets().map((m) => {
      const c = byId.get(m.marketId);
      if (!c) throw new RangeError(`no risk configuration for market ${m.marketId}`);
      return c;
    });
    const marketShardOf = new Map(t.markets().map((m) => [m.marketId, t.marketShardOf(m.marketId)]));

    const marketHosts: MarketHostType[] = [];
    const riskHosts: RiskShardHost[] = [];
    const d = o.durability;
    const journal = d ? await d.startJournal(gatewayBell) : undefined;
    try {
      for (let s = 0; s < S; s++) {
        marketHosts.push(
          await MarketShardHost.start({
            shardId: s,
            markets: t.config.marketShards[s]!,
            inputs: 1 + R,
            gatewayBell,
            riskBells,
            wait: o.wait,
            pricing: o.pricing,
            journal: journal?.shardData(s),
            replay: d?.replay(s),
            prebuilt: {
              bell: marketBells[s]!,
              inputs: [gatewayToMarket[s]!, ...riskToMarket.map((row) => row[s]!)],
              gatewayOut: ring(),
              outputs: marketToRisk[s]!,
            },
          }),
        );
      }
      for (let r = 0; r < R; r++) {
        riskHosts.push(
          await RiskShardHost.start({
            shardId: r,
            shardCount: R,
            markets: riskMarkets,
            pool: o.pool ?? DEFAULT_POOL,
            marketShardOf,
            gatewayBell,
            marketBells,
            wait: o.wait,
            journal: journal?.shardData(S + r),
            replay: d?.replay(S + r),
            prebuilt: {
              bell: riskBells[r]!,
              inputs: [gatewayToRisk[r]!, ...marketToRisk.map((row) => row[r]!)],
              gatewayOut: ring(),
              outputs: riskToMarket[r]!,
            },
          }),
        );
      }
      // Recovered before serving: every shard has handled its journal (re-delivery may still be in flight).
      await Promise.all([...marketHosts, ...riskHosts].map((h) => h.replayed()));
    } catch (e) {
      await Promise.allSettled([...marketHosts, ...riskHosts].map((h) => h.stop()));
      await journal?.stop().catch(() => {});
      throw e;
    }
    const stream = (rb: RingBuffer, bell: Doorbell, x: number) => {
      const g = new GatewayStream(rb, bell);
      if (d) g.nextSeq = d.gatewayNextSeq(x);
      return g;
    };
    return new ThreadedExchange(
      t,
      gatewayBell,
      gatewayToRisk.map((rb, r) => stream(rb, riskBells[r]!, S + r)),
      gatewayToMarket.map((rb, s) => stream(rb, marketBells[s]!, s)),
      marketHosts,
      riskHosts,
      journal,
      d?.maxLagRecords ?? 0,
    );
  }

  /** Records at the head of a gateway-bound ring that may be handed out now (all of them without a journal). */
  private releasable(c: RingConsumer, records: RecordBuffer, shard: number): number {
    const available = c.available();
    const j = this.journal;
    if (j === undefined || available === 0) return available;
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
   * Offers one gateway command (routed as in topology.ts). False when a ring on its way is full: nothing
   * was taken, the caller reports back-pressure. Published at the next flush().
   */
  offer(buf: RecordBuffer, at: number): boolean {
    if (this.journal !== undefined && this.backPressured()) return false;
    const type = buf.type(at);
    if (type === RecordType.AdvanceTime) {
      const all = [...this.toMarket, ...this.toRisk];
      if (!all.every((s) => s.hasRoom())) return false;
      for (const s of all) s.offer(buf, at);
      return true;
    }
    if (type === RecordType.UpdateIndexPrice) {
      const s = this.topology.marketShardOf(buf.marketId(at));
      return s >= 0 && this.toMarket[s]!.offer(buf, at);
    }
    return this.toRisk[this.topology.riskShardOf(buf.accountId(at))]!.offer(buf, at);
  }

  /** Publishes everything offered since the last flush. */
  flush(): void {
    for (const s of this.toRisk) s.flush();
    for (const s of this.toMarket) s.flush();
  }

  /** Hands every gateway-bound record available now to the listener; returns how many. */
  poll(listener: Listener): number {
    let n = 0;
    for (const s of this.sources) {
      const ready = this.releasable(s.consumer, s.records, s.shard);
      for (let i = 0; i < ready; i++) listener(s.records, s.consumer.at(i), s.from);
      s.consumer.release(ready);
      n += ready;
    }
    return n;
  }

  /** Waits (without blocking the event loop) until a shard publishes gateway-bound records or timeoutMs passes. */
  waitForOutput(timeoutMs: number): Promise<void> {
    return this.bell.parkAsync(this.hasOutput, timeoutMs);
  }

  /** Every risk shard's open positions by scope, each copied by its own thread between two batches. */
  scanSnapshots(): Promise<ScanSnapshot[]> {
    return Promise.all(this.riskHosts.map((h) => h.scanSnapshot()));
  }

  /** Stops every shard, then the journal writer (which writes what the shards took last); a shard that had failed reports no hash. */
  stop(listener: Listener = () => {}): Promise<{ market: (bigint | undefined)[]; risk: (bigint | undefined)[] }> {
    this.stopped ??= this.stopAll(listener);
    return this.stopped;
  }

  private async stopAll(listener: Listener): Promise<{ market: (bigint | undefined)[]; risk: (bigint | undefined)[] }> {
    const hash = (r: PromiseSettledResult<{ stateHash: bigint }>) => (r.status === 'fulfilled' ? r.value.stateHash : undefined);
    // A shard blocked on a full gateway-bound ring can only see the stop flag once that ring has room:
    // keep handing out what is released until every shard has stopped.
    let stopping = true;
    const draining = (async () => {
      while (stopping) {
        this.poll(listener);
        // A timer, not the doorbell: a pending Atomics.waitAsync does not keep the event loop alive, and
        // the workers that did are going away.
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    const market = await Promise.allSettled(this.marketHosts.map((h) => h.stop()));
    const risk = await Promise.allSettled(this.riskHosts.map((h) => h.stop()));
    stopping = false;
    await draining;
    await this.journal?.stop().catch((e: Error) => (this.failure ??= e));
    return { market: market.map(hash), risk: risk.map(hash) };
  }
}
