// DemoDriver: what `npm start` runs until the trader gateway lands: the main thread plays the gateway for
// a seeded simulated market (engine/sim/order-flow.ts). It funds the simulated accounts, then offers
// commands at a fixed rate (open loop), sends index and timer ticks every second, reads every event the
// shards publish, and keeps the figures the status line prints.
//
// Back-pressure is counted, never waited on, and never loses a command: a command the exchange refused
// (a full ring) waits at the head of the driver's queue and is offered again, before anything newer, on
// the next call (the flow generator has already counted it: dropping it would leave the flow cancelling
// quotes that were never placed). Once the exchange has halted (a shard died) nothing is offered.

import { RecordType } from '../engine/ring/types.js';
import { HeaderFlag, RecordBuffer } from '../engine/ring/record.js';
import { OrderFlow } from '../engine/sim/order-flow.js';
import { RecordQueue } from '../engine/ring/record-queue.js';
import type { ThreadedExchange } from '../exchange/threaded-exchange.js';
import type { GatewaySource } from '../exchange/in-process-exchange.js';
import { DepositLayout } from '../engine/ring/layouts/deposit.js';
import { SetFeeTierLayout } from '../engine/ring/layouts/set-fee-tier.js';
import { TopUpInsuranceFundLayout } from '../engine/ring/layouts/top-up-insurance-fund.js';
import { encodeRecord } from '../engine/ring/layouts/index.js';
import { TradeExecutedLayout } from '../engine/ring/layouts/trade-executed.js';
import { OrderRejectedLayout } from '../engine/ring/layouts/order-rejected.js';
import { MarkPriceUpdatedLayout } from '../engine/ring/layouts/mark-price-updated.js';
import { OrderExpiredLayout } from '../engine/ring/layouts/order-expired.js';
import { ATOMS_PER_USDT } from '../risk/units.js';
import { nowUs } from './clock.js';

const TRD = TradeExecutedLayout.offsets;
const REJ = OrderRejectedLayout.offsets;
const MPU = MarkPriceUpdatedLayout.offsets;
const END = OrderExpiredLayout.offsets;

export interface Tally {
  offered: number;
  backPressure: number;
  events: number;
  trades: number;
  tradedLots: number;
  rejected: Map<number, number>;
  liquidations: number;
  fundings: number;
  lastTradeTicks: Map<number, number>;
  markTicks: Map<number, number>;
}

/** What the driver needs of an exchange (the threaded one; a test can stand in for it). */
export type DriverExchange = Pick<ThreadedExchange, 'topology' | 'offer' | 'flush' | 'poll' | 'waitForOutput' | 'scanSnapshots' | 'halted'>;

export class DemoDriver {
  readonly tally: Tally = { offered: 0, backPressure: 0, events: 0, trades: 0, tradedLots: 0, rejected: new Map(), liquidations: 0, fundings: 0, lastTradeTicks: new Map(), markTicks: new Map() };
  private readonly scratch = RecordBuffer.allocate(1);
  /** Commands written and not yet taken by the exchange, oldest first. */
  private readonly pending = new RecordQueue(16);
  /** Hands every event to the tally: poll()'s and stop()'s listener. */
  readonly listener = (buf: RecordBuffer, at: number, _from: GatewaySource): void => this.count(buf, at);

  constructor(
    readonly exchange: DriverExchange,
    readonly flow: OrderFlow,
    /** false when the index oracle (gateway/oracle/) sends the index: the driver then sends timer ticks only. */
    readonly simulateIndex = true,
  ) {}

  /**
   * Deposits for every simulated account and the market-maker fee tier, an insurance fund of
   * `insuranceUsdt` split over the risk shards' partitions (a top-up reaches the shard of its header's
   * account id, so account r tops up shard r); first index ticks. What the exchange cannot take yet
   * waits, and goes first on the next call (untilMarked, drive, ticks).
   */
  fund(makerAtoms: bigint, takerAtoms: bigint, insuranceUsdt = 0n): void {
    let request = 1;
    const shards = this.exchange.topology.riskShards;
    for (let r = 0; r < shards && insuranceUsdt > 0n; r++) {
      this.send(TopUpInsuranceFundLayout, r, { requestId: request++, amountAtoms: (insuranceUsdt / BigInt(shards)) * ATOMS_PER_USDT });
    }
    for (const id of this.flow.makerIds) {
      this.send(DepositLayout, id, { requestId: request++, amountAtoms: makerAtoms * ATOMS_PER_USDT, assetId: 0 });
      this.send(SetFeeTierLayout, id, { feeTier: 3 });
    }
    for (const id of this.flow.takerIds) this.send(DepositLayout, id, { requestId: request++, amountAtoms: takerAtoms * ATOMS_PER_USDT, assetId: 0 });
    this.ticks();
    this.exchange.flush();
  }

  /**
   * Waits (reading events, offering what waits) until every risk shard has the mark of every market the
   * flow trades: a risk shard refuses orders with MARK_PRICE_UNAVAILABLE until its own copy of the mark
   * arrives from the market shard, on a stream of its own, which may come after the gateway saw the mark.
   * The signal is each risk shard's own state: its scan snapshot (served by its thread between batches)
   * lists the mark it holds per market. Throws if the exchange halts, or after timeoutMs.
   */
  async untilMarked(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const marketIds = this.flow.o.markets.map((m) => m.market.marketId);
    const marked = (markets: readonly { marketId: number; markTicks: bigint }[]) => marketIds.every((id) => markets.some((m) => m.marketId === id && m.markTicks > 0n));
    for (;;) {
      if (this.exchange.halted) throw new Error('the exchange halted before every risk shard had a mark');
      if (Date.now() > deadline) throw new Error(`no mark in every risk shard within ${timeoutMs} ms`);
      this.offerPending(nowUs());
      this.exchange.flush();
      this.drain();
      // The gateway's copy first (cheap), then each risk shard's own.
      if (marketIds.every((id) => this.tally.markTicks.has(id)) && (await this.exchange.scanSnapshots()).every((s) => marked(s.markets))) return;
      await this.exchange.waitForOutput(5);
    }
  }

  /** Index ticks for every market and one timer tick (the driver's once-a-second duty). */
  ticks(): void {
    const t = nowUs();
    for (const m of this.simulateIndex ? this.flow.o.markets : []) {
      this.flow.indexTick(m.market.marketId, this.scratch, 0);
      this.offerScratch(t);
    }
    this.scratch.clear(0);
    this.scratch.setType(0, RecordType.AdvanceTime);
    this.offerScratch(t);
  }

  /**
   * Offers up to `n` commands stamped now: first those still waiting from earlier calls, then new ones
   * from the flow, until the exchange refuses one (it then waits for the next call). Returns how many
   * were taken.
   */
  drive(n: number): number {
    const t = nowUs();
    let taken = this.offerPending(t, n);
    while (taken < n && this.pending.length === 0 && !this.exchange.halted) {
      this.flow.next(this.scratch, 0);
      if (this.offerScratch(t)) taken++;
    }
    this.exchange.flush();
    return taken;
  }

  /** Commands written and not yet taken by the exchange. */
  get waiting(): number {
    return this.pending.length;
  }

  drain(): number {
    return this.exchange.poll(this.listener);
  }

  /** An operator command (deposits, top-ups and fee tiers are the operator's: docs/COMMANDS.md). */
  private send(layout: Parameters<typeof encodeRecord>[2], accountId: number, body: Record<string, number | bigint>): void {
    encodeRecord(this.scratch, 0, layout, { accountId, flags: HeaderFlag.OPERATOR }, body);
    this.offerScratch(nowUs());
  }

  /**
   * Offers the command in the scratch record stamped `timeUs`, unless older ones still wait (then, and
   * when the exchange refuses it, it joins the back of the queue). True when it was taken now.
   */
  private offerScratch(timeUs: number): boolean {
    if (this.pending.length === 0) {
      this.scratch.setTimeUs(0, timeUs);
      if (this.take(this.scratch, 0)) return true;
      this.pending.push(this.scratch, 0, 0);
      return false;
    }
    this.pending.push(this.scratch, 0, 0);
    this.offerPending(timeUs);
    return false;
  }

  /** One offer, counted: taken, refused for back-pressure, or refused because the exchange halted. */
  private take(buf: RecordBuffer, at: number): boolean {
    if (this.exchange.offer(buf, at)) {
      this.tally.offered++;
      return true;
    }
    if (!this.exchange.halted) this.tally.backPressure++;
    return false;
  }

  /**
   * Offers queued commands in order, each stamped `timeUs` (the time the exchange takes it), until one is
   * refused or `max` are taken; returns how many were taken.
   */
  private offerPending(timeUs: number, max = Number.MAX_SAFE_INTEGER): number {
    const q = this.pending;
    let taken = 0;
    while (q.length > 0 && taken < max) {
      const at = q.frontAt();
      q.records.setTimeUs(at, timeUs);
      if (!this.take(q.records, at)) break;
      q.shift();
      taken++;
    }
    return taken;
  }

  private count(buf: RecordBuffer, at: number): void {
    const t = this.tally;
    t.events++;
    switch (buf.type(at)) {
      case RecordType.TradeExecuted:
        t.trades++;
        t.tradedLots += buf.u53At(at, TRD.qtyLots);
        t.lastTradeTicks.set(buf.marketId(at), buf.u53At(at, TRD.priceTicks));
        if (buf.u53At(at, TRD.makerRemainingLots) === 0) this.flow.orderEnded(buf.u53At(at, TRD.makerOrderId));
        break;
      case RecordType.OrderExpired:
        this.flow.orderEnded(buf.u53At(at, END.orderId));
        break;
      case RecordType.OrderRejected: {
        const code = buf.u16At(at, REJ.code);
        this.flow.orderEnded(buf.u53At(at, REJ.orderId));
        t.rejected.set(code, (t.rejected.get(code) ?? 0) + 1);
        break;
      }
      case RecordType.MarkPriceUpdated: {
        // A mark of 0 (none yet: a stale index) answers the tick but is no mark to trade against.
        const mark = buf.u53At(at, MPU.markPriceTicks);
        if (mark > 0) t.markTicks.set(buf.marketId(at), mark);
        break;
      }
      case RecordType.LiquidationProgressed:
        t.liquidations++;
        break;
      case RecordType.FundingRateApplied:
        t.fundings++;
        break;
    }
  }
}
