// SurveillanceDriver: a real market shard (one or more markets, no risk shards) whose surveillance stream
// feeds a SurveillanceEngine, driven by plain calls: place, cancel, amend, link accounts, move the clock.
// Every event the detectors see is one the matching engine really produced. Used by the detector tests
// and the injection harness (bench/lib/surveillance/). Optionally keeps every surveillance record so a
// run can be replayed through a fresh engine.

import { CancelReason, OrderType, Side, StpMode, TimeInForce } from '../../engine/enums.js';
import type { MarketConfig } from '../../engine/market/spec.js';
import { AdvanceTimeLayout } from '../../engine/ring/layouts/advance-time.js';
import { AmendOrderLayout } from '../../engine/ring/layouts/amend-order.js';
import { CancelOrderLayout } from '../../engine/ring/layouts/cancel-order.js';
import { PlaceOrderLayout } from '../../engine/ring/layouts/place-order.js';
import { SetBeneficialOwnerLayout } from '../../engine/ring/layouts/set-beneficial-owner.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { MemoryOutput, type EventOutput } from '../../engine/shard/event-output.js';
import { MarketShard } from '../../engine/shard/market-shard.js';
import { QueueOutput } from '../../engine/shard/event-output.js';
import type { Alert } from '../../risk/surveillance/alert.js';
import { SurveillanceEngine, type SurveillanceConfig } from '../../risk/surveillance/surveillance-engine.js';

const PO = PlaceOrderLayout.offsets;
const CO = CancelOrderLayout.offsets;
const AM = AmendOrderLayout.offsets;
const OW = SetBeneficialOwnerLayout.offsets;

/** Counts what it is given and keeps nothing (the gateway stream nobody reads here). */
class NullOutput implements EventOutput {
  nextSeq = 1;
  append(): void {
    this.nextSeq++;
  }
  flush(): void {}
}

export interface PlaceOptions {
  timeInForce?: number;
  orderType?: number;
  stpMode?: number;
  marketId?: number;
}

export interface DriverOptions {
  config?: SurveillanceConfig;
  /** Keep every surveillance record (for replays): default false. */
  record?: boolean;
  /** Also collect each alert into `alerts` (default true). */
  collect?: boolean;
  onAlert?: (a: Alert) => void;
  /** First order id the driver assigns (default 1); leaves room for another id source in the same run. */
  firstOrderId?: number;
  /** Sees every market record before the engine does (an observer of outcomes). */
  onRecord?: (buf: RecordBuffer, at: number) => void;
}

export class SurveillanceDriver {
  readonly shard: MarketShard;
  readonly engine: SurveillanceEngine;
  readonly alerts: Alert[] = [];
  /** Every surveillance input record when record was asked for: the market stream (input 1), the control stream (input 0), and the order they were handled in. */
  readonly log: MemoryOutput | undefined;
  readonly controlLog: MemoryOutput | undefined;
  readonly inputOrder: number[] = [];
  private readonly stream = new QueueOutput(1024);
  private readonly onRecord: ((buf: RecordBuffer, at: number) => void) | undefined;
  private readonly cmd = RecordBuffer.allocate(1);
  private commandSeq = 0;
  private controlSeq = 0;
  private nextOrderId = 1;
  timeUs = 1_000_000;
  /** Commands sent and orders placed, by kind. */
  readonly sent = { places: 0, cancels: 0, amends: 0 };

  constructor(
    readonly markets: readonly MarketConfig[],
    o: DriverOptions = {},
  ) {
    this.shard = new MarketShard(markets, new NullOutput(), [], undefined, new Map(), this.stream);
    this.nextOrderId = o.firstOrderId ?? 1;
    this.onRecord = o.onRecord;
    this.log = o.record ? new MemoryOutput(4096) : undefined;
    this.controlLog = o.record ? new MemoryOutput(64) : undefined;
    const collect = o.collect ?? true;
    this.engine = new SurveillanceEngine((a) => {
      if (collect) this.alerts.push(a);
      o.onAlert?.(a);
    }, o.config);
  }

  get marketId(): number {
    return this.markets[0]!.marketId;
  }

  /** Moves the clock forward by us (time never goes back). */
  wait(us: number): this {
    this.timeUs += us;
    return this;
  }

  at(timeUs: number): this {
    if (timeUs > this.timeUs) this.timeUs = timeUs;
    return this;
  }

  /** The id the next place() will give its order. */
  peekOrderId(): number {
    return this.nextOrderId;
  }

  place(accountId: number, side: Side, priceTicks: number, qtyLots: number, o: PlaceOptions = {}): number {
    return this.placeWithId(this.nextOrderId++, accountId, side, priceTicks, qtyLots, o);
  }

  /** place() with an order id the caller chose (a replayed feed's). */
  placeWithId(id: number, accountId: number, side: Side, priceTicks: number, qtyLots: number, o: PlaceOptions = {}): number {
    const b = this.begin(RecordType.PlaceOrder, accountId, o.marketId);
    b.setU53(0, PO.orderId, id);
    b.setU53(0, PO.priceTicks, priceTicks);
    b.setU53(0, PO.qtyLots, qtyLots);
    b.setU8(0, PO.side, side);
    b.setU8(0, PO.orderType, o.orderType ?? OrderType.LIMIT);
    b.setU8(0, PO.timeInForce, o.timeInForce ?? TimeInForce.GTC);
    b.setU8(0, PO.stpMode, o.stpMode ?? StpMode.DEFAULT);
    this.send();
    this.sent.places++;
    return id;
  }

  /** An IOC limit order: takes what it can up to priceTicks, the rest expires. */
  take(accountId: number, side: Side, priceTicks: number, qtyLots: number, marketId?: number): number {
    return this.place(accountId, side, priceTicks, qtyLots, { timeInForce: TimeInForce.IOC, marketId });
  }

  cancelById(accountId: number, orderId: number, marketId?: number): void {
    this.cancel(accountId, orderId, marketId);
  }

  cancel(accountId: number, orderId: number, marketId?: number): void {
    const b = this.begin(RecordType.CancelOrder, accountId, marketId);
    b.setU53(0, CO.orderId, orderId);
    this.send();
    this.sent.cancels++;
  }

  amend(accountId: number, orderId: number, newPriceTicks: number, newQtyLots: number, marketId?: number): void {
    const b = this.begin(RecordType.AmendOrder, accountId, marketId);
    b.setU53(0, AM.orderId, orderId);
    b.setU53(0, AM.newPriceTicks, newPriceTicks);
    b.setU53(0, AM.newQtyLots, newQtyLots);
    this.send();
    this.sent.amends++;
  }

  /** Sends a command record written elsewhere (a simulated flow's): stamped with the driver's time and seq. */
  sendRecord(buf: RecordBuffer, at: number): void {
    this.cmd.copyFrom(buf, at, 0);
    this.cmd.setTimeUs(0, this.timeUs);
    const type = this.cmd.type(0);
    if (type === RecordType.PlaceOrder) this.sent.places++;
    else if (type === RecordType.CancelOrder) this.sent.cancels++;
    this.send();
  }

  /** Declares the account's beneficial owner to surveillance (0 clears it). */
  link(accountId: number, ownerId: number): void {
    const b = this.cmd;
    b.clear(0);
    b.setType(0, RecordType.SetBeneficialOwner);
    b.setAccountId(0, accountId);
    b.setTimeUs(0, this.timeUs);
    b.setU53(0, OW.ownerId, ownerId);
    this.control(b);
  }

  /** A timer tick to surveillance (closes episodes whose time has passed). */
  tick(): void {
    const b = this.cmd;
    b.clear(0);
    b.setType(0, AdvanceTimeLayout.type);
    b.setTimeUs(0, this.timeUs);
    this.control(b);
  }

  private control(b: RecordBuffer): void {
    b.setSeq(0, ++this.controlSeq);
    if (this.controlLog) {
      this.controlLog.append(b, 0);
      this.inputOrder.push(0);
    }
    this.engine.handle(b, 0, 0);
  }

  /** Feeds everything recorded, in the order it was handled, to another engine (a replay). */
  replayInto(engine: SurveillanceEngine): void {
    if (!this.log || !this.controlLog) throw new Error('the driver did not record');
    let market = 0;
    let control = 0;
    for (const input of this.inputOrder) {
      if (input === 0) engine.handle(this.controlLog.records, this.controlLog.offsetOf(control++), 0);
      else engine.handle(this.log.records, this.log.offsetOf(market++), 1);
    }
  }

  /** Moves the clock by us and ticks, so time-based episodes close as they would on a live venue. */
  idle(us: number): void {
    this.wait(us);
    this.tick();
  }

  private begin(type: number, accountId: number, marketId?: number): RecordBuffer {
    const b = this.cmd;
    b.clear(0);
    b.setType(0, type);
    b.setAccountId(0, accountId);
    b.setMarketId(0, marketId ?? this.marketId);
    b.setTimeUs(0, this.timeUs);
    return b;
  }

  private send(): void {
    this.cmd.setSeq(0, ++this.commandSeq);
    this.shard.handle(this.cmd, 0, 0);
    this.shard.flush();
    const q = this.stream;
    while (q.pending > 0) {
      const at = q.frontAt();
      if (this.log) {
        this.log.append(q.records, at);
        this.inputOrder.push(1);
      }
      this.onRecord?.(q.records, at);
      this.engine.handle(q.records, at, 1);
      q.shift();
    }
  }
}

export { CancelReason, OrderType, Side, StpMode, TimeInForce };
