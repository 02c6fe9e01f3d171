// DemoDriver: what `npm start` runs until the trader gateway lands: the main thread plays the gateway for
// a seeded simulated market (engine/sim/order-flow.ts). It funds the simulated accounts, then offers
// commands at a fixed rate (open loop), sends index and timer ticks every second, reads every event the
// shards publish, and keeps the figures the status line prints. Back-pressure is counted, never waited on.

import { RecordType } from '../engine/ring/types.js';
import { HeaderFlag, RecordBuffer } from '../engine/ring/record.js';
import { OrderFlow } from '../engine/sim/order-flow.js';
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

export class DemoDriver {
  readonly tally: Tally = { offered: 0, backPressure: 0, events: 0, trades: 0, tradedLots: 0, rejected: new Map(), liquidations: 0, fundings: 0, lastTradeTicks: new Map(), markTicks: new Map() };
  private readonly scratch = RecordBuffer.allocate(1);
  private readonly onEvent = (buf: RecordBuffer, at: number, _from: GatewaySource) => this.count(buf, at);

  constructor(
    readonly exchange: ThreadedExchange,
    readonly flow: OrderFlow,
    /** false when the index oracle (gateway/oracle/) sends the index: the driver then sends timer ticks only. */
    readonly simulateIndex = true,
  ) {}

  /**
   * Deposits for every simulated account and the market-maker fee tier, an insurance fund of
   * `insuranceUsdt` split over the risk shards' partitions (a top-up reaches the shard of its header's
   * account id, so account r tops up shard r); first index ticks.
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
   * Waits (reading events) until every market has published a mark: risk shards refuse orders with
   * MARK_PRICE_UNAVAILABLE until theirs arrives from the market shards, so the flow starts after it.
   */
  async untilMarked(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.tally.markTicks.size < this.flow.o.markets.length) {
      if (Date.now() > deadline) throw new Error(`no mark within ${timeoutMs} ms`);
      this.drain();
      await this.exchange.waitForOutput(5);
    }
  }

  /** Index ticks for every market and one timer tick (the driver's once-a-second duty). */
  ticks(): void {
    const t = nowUs();
    for (const m of this.simulateIndex ? this.flow.o.markets : []) {
      this.flow.indexTick(m.market.marketId, this.scratch, 0);
      this.scratch.setTimeUs(0, t);
      this.offer();
    }
    this.scratch.clear(0);
    this.scratch.setType(0, RecordType.AdvanceTime);
    this.scratch.setTimeUs(0, t);
    this.offer();
  }

  /** Offers `n` simulated commands stamped now; returns how many were taken. */
  drive(n: number): number {
    const t = nowUs();
    let taken = 0;
    for (let i = 0; i < n; i++) {
      this.flow.next(this.scratch, 0);
      this.scratch.setTimeUs(0, t);
      if (this.offer()) taken++;
      else break;
    }
    this.exchange.flush();
    return taken;
  }

  drain(): number {
    return this.exchange.poll(this.onEvent);
  }

  /** An operator command (deposits, top-ups and fee tiers are the operator's: docs/COMMANDS.md). */
  private send(layout: Parameters<typeof encodeRecord>[2], accountId: number, body: Record<string, number | bigint>): void {
    encodeRecord(this.scratch, 0, layout, { accountId, timeUs: nowUs(), flags: HeaderFlag.OPERATOR }, body);
    this.offer();
  }

  private offer(): boolean {
    if (this.exchange.offer(this.scratch, 0)) {
      this.tally.offered++;
      return true;
    }
    this.tally.backPressure++;
    return false;
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
