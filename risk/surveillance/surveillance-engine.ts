// SurveillanceEngine: the deterministic state machine of the surveillance worker. It consumes the market
// shards' surveillance streams (every market event: acceptances, amendments, cancels, expiries,
// triggers, trades, level changes, marks) and an operator stream, rebuilds each market's view and runs
// every detector over it. Same input records in the same order → the same alerts, bit for bit: no clock
// (a market's time is the newest timeUs of its own records), no randomness, integer arithmetic, markets
// and accounts iterated in a fixed order.
//
//   input 0      operator / gateway: SetBeneficialOwner, AdvanceTime (timer ticks)
//   input 1 + s  market shard s's surveillance stream
//        │
//        ▼  handle(record, input) ── MarketWatch (per market) ──▶ detectors ──▶ alert sink
//
// Alerts depend only on each market's own stream and on the owner table at the point it is read, not on
// how the streams of different shards interleave (detectors keep per-market state only), so the same
// market history raises the same alerts whatever the threads did.

import { OrderOrigin } from '../../engine/enums.js';
import { BookLevelChangedLayout } from '../../engine/ring/layouts/book-level-changed.js';
import { MarkPriceUpdatedLayout } from '../../engine/ring/layouts/mark-price-updated.js';
import { OrderAcceptedLayout } from '../../engine/ring/layouts/order-accepted.js';
import { OrderAmendedLayout } from '../../engine/ring/layouts/order-amended.js';
import { OrderCancelledLayout } from '../../engine/ring/layouts/order-cancelled.js';
import { SetBeneficialOwnerLayout } from '../../engine/ring/layouts/set-beneficial-owner.js';
import { TradeExecutedLayout } from '../../engine/ring/layouts/trade-executed.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { combineHashes } from '../../engine/shard/hash.js';
import { InputPositions } from '../../engine/shard/input-positions.js';
import type { Alert, DetectorId } from './alert.js';
import { DetectorHooks } from './detector-hooks.js';
import { defaultDetectors, type DetectorSettings } from './detectors/index.js';
import { DEFAULT_WATCH, MarketWatch, TICK_US, type WatchSettings } from './market-watch.js';
import { IntegrityStats, type IntegrityReport } from './integrity/integrity-stats.js';
import { OwnerTable } from './owner-table.js';
import type { WatchedOrder } from './watched-order.js';

const ACC = OrderAcceptedLayout.offsets;
const AMD = OrderAmendedLayout.offsets;
const END = OrderCancelledLayout.offsets;
const TRD = TradeExecutedLayout.offsets;
const LVL = BookLevelChangedLayout.offsets;
const MPU = MarkPriceUpdatedLayout.offsets;
const OWN = SetBeneficialOwnerLayout.offsets;

export interface SurveillanceConfig {
  readonly watch?: WatchSettings;
  readonly detectors?: DetectorSettings;
  /**
   * A timer tick at time t closes episodes up to t − this (µs): market records reach the worker later
   * than the gateway's ticks (they pass through risk and matching), so a tick must not close a window
   * whose records may still be on their way.
   */
  readonly tickGraceUs?: number;
}

/** A timer tick's grace by default (SurveillanceConfig.tickGraceUs). */
export const DEFAULT_TICK_GRACE_US = 1_000_000;

export type AlertSink = (alert: Alert) => void;
export type IntegritySink = (report: IntegrityReport) => void;

export class SurveillanceEngine {
  private readonly markets = new Map<number, MarketWatch>();
  /** Market ids in ascending order: the order ticks visit markets in. */
  private marketOrder: number[] = [];
  private readonly detectors = new Map<number, DetectorHooks>();
  /** The market of the last record and its hooks: a shard's stream is mostly one market's. */
  private lastMarket: MarketWatch | undefined;
  private lastHooks: DetectorHooks | undefined;
  private lastIntegrity: IntegrityStats | undefined;
  private readonly integrity = new Map<number, IntegrityStats>();
  readonly owners = new OwnerTable();
  private readonly positions = new InputPositions();
  private readonly watch: WatchSettings;
  private readonly tickGraceUs: number;
  /** Records handled, alerts raised (in total and per detector). */
  handled = 0;
  alertsRaised = 0;
  readonly raisedBy = new Map<DetectorId, number>();
  /** Hash of the ids of every alert raised, in order (part of the state hash). */
  private alertsHash = 0n;

  constructor(
    private readonly sink: AlertSink,
    private readonly config: SurveillanceConfig = {},
    /** Each market's integrity statistics when its UTC day ends (integrity/integrity-stats.ts). */
    private readonly onIntegrity: IntegritySink = () => {},
  ) {
    this.watch = config.watch ?? DEFAULT_WATCH;
    this.tickGraceUs = config.tickGraceUs ?? DEFAULT_TICK_GRACE_US;
  }

  /** For EventProcessor: records written to outputs (the engine has none; alerts leave through the sink). */
  get eventCount(): number {
    return this.alertsRaised;
  }

  get duplicates(): number {
    return this.positions.duplicates;
  }

  lastSeq(input: number): number {
    return this.positions.lastSeq(input);
  }

  flush(): void {}

  market(marketId: number): MarketWatch | undefined {
    return this.markets.get(marketId);
  }

  handle(buf: RecordBuffer, at: number, input: number): void {
    if (!this.positions.accept(input, buf.seq(at))) return;
    this.handled++;
    const type = buf.type(at);
    if (input === 0) return this.control(buf, at, type);
    const marketId = buf.marketId(at);
    if (this.lastMarket === undefined || this.lastMarket.marketId !== marketId) {
      this.lastMarket = this.marketOf(marketId);
      this.lastHooks = this.detectors.get(marketId)!;
      this.lastIntegrity = this.integrity.get(marketId)!;
    }
    const m = this.lastMarket;
    const ds = this.lastHooks!;
    const timeUs = buf.timeUs(at);
    if (timeUs > m.timeUs) m.timeUs = timeUs;
    m.seq = buf.seq(at);
    m.stream = input;
    m.handled++;
    switch (type) {
      case RecordType.OrderAccepted:
        this.accepted(m, ds, buf, at);
        break;
      case RecordType.OrderAmended:
        this.amended(m, ds, buf, at);
        break;
      case RecordType.OrderCancelled:
      case RecordType.OrderExpired: {
        const o = m.orders.get(buf.u53At(at, END.orderId));
        if (o !== undefined) {
          o.remainingLots = 0;
          o.endReason = buf.u8At(at, END.reason);
          this.end(m, ds, o);
        }
        break;
      }
      case RecordType.TradeExecuted:
        this.traded(m, ds, buf, at);
        break;
      case RecordType.OrderTriggered:
        break;
      case RecordType.BookLevelChanged: {
        const side = buf.u8At(at, LVL.side) === 0 ? m.bids : m.asks;
        side.set(buf.u53At(at, LVL.priceTicks), buf.u53At(at, LVL.levelQtyLots), buf.u32At(at, LVL.orderCount));
        m.noteTouch();
        break;
      }
      case RecordType.MarkPriceUpdated:
        m.markTicks = buf.u53At(at, MPU.markPriceTicks);
        break;
      default:
        break;
    }
    if (m.timeUs >= m.nextTickUs) this.tickMarket(m, ds, m.timeUs);
  }

  private control(buf: RecordBuffer, at: number, type: number): void {
    if (type === RecordType.SetBeneficialOwner) {
      this.owners.set(buf.accountId(at), buf.u53At(at, OWN.ownerId));
      return;
    }
    if (type === RecordType.AdvanceTime) {
      const t = buf.timeUs(at) - this.tickGraceUs;
      for (const id of this.marketOrder) {
        const m = this.markets.get(id)!;
        if (t > m.timeUs) m.timeUs = t;
        if (m.timeUs >= m.nextTickUs) this.tickMarket(m, this.detectors.get(id)!, m.timeUs);
      }
    }
  }

  private accepted(m: MarketWatch, ds: DetectorHooks, buf: RecordBuffer, at: number): void {
    const id = buf.u53At(at, ACC.orderId);
    if (m.orders.has(id)) return;
    const o = m.takeOrder();
    o.orderId = id;
    o.accountId = buf.accountId(at);
    o.accountIx = m.accounts.hold(o.accountId);
    o.side = buf.u8At(at, ACC.side);
    o.orderType = buf.u8At(at, ACC.orderType);
    o.timeInForce = buf.u8At(at, ACC.timeInForce);
    o.priceTicks = buf.u53At(at, ACC.priceTicks);
    o.qtyLots = buf.u53At(at, ACC.qtyLots);
    o.remainingLots = o.qtyLots;
    o.acceptedUs = m.timeUs;
    o.acceptedSeq = m.seq;
    const own = o.side === 0 ? m.bids : m.asks;
    o.touchTicks = own.best();
    o.oppositeTicks = o.side === 0 ? m.asks.best() : m.bids.best();
    // Near-touch depth only where a detector asks for it: orders that may rest (large ones are what
    // spoofing and front-running look for). O(nearTouchLevels) per such order.
    if (o.orderType === 0 && (o.timeInForce === 0 || o.timeInForce === 3)) {
      own.topInto(m.settings.nearTouchLevels, o);
    } else {
      o.sideDepthLots = 0;
      o.sideOrders = 0;
    }
    m.orders.add(o);
    ds.accepted(o);
    // After the detectors: they compare the order with the market's average before it.
    if (o.orderType === 0) {
      // Integer EWMA of limit order sizes: avg += (min(q, 4·avg) − avg) / 2^shift, rounded toward zero.
      // The cap keeps a few huge orders (a sweep, a spoof) from dragging the typical size up with them.
      if (m.avgOrderLots === 0) m.avgOrderLots = o.qtyLots;
      else m.avgOrderLots += Math.trunc((Math.min(o.qtyLots, 4 * m.avgOrderLots) - m.avgOrderLots) / m.avgDivisor);
    }
  }

  private amended(m: MarketWatch, ds: DetectorHooks, buf: RecordBuffer, at: number): void {
    const o = m.orders.get(buf.u53At(at, AMD.orderId));
    if (o === undefined) return;
    const oldPrice = o.priceTicks;
    const oldQty = o.qtyLots;
    o.priceTicks = buf.u53At(at, AMD.newPriceTicks);
    o.qtyLots = buf.u53At(at, AMD.newQtyLots);
    o.remainingLots = buf.u53At(at, AMD.remainingLots);
    ds.amended(o, oldPrice, oldQty);
  }

  private traded(m: MarketWatch, ds: DetectorHooks, buf: RecordBuffer, at: number): void {
    const t = m.trade;
    t.seq = m.seq;
    t.timeUs = m.timeUs;
    t.tradeId = buf.u53At(at, TRD.tradeId);
    t.priceTicks = buf.u53At(at, TRD.priceTicks);
    t.qtyLots = buf.u53At(at, TRD.qtyLots);
    t.takerAccountId = buf.accountId(at);
    t.makerAccountId = buf.u32At(at, TRD.makerAccountId);
    t.takerOrderId = buf.u53At(at, TRD.takerOrderId);
    t.makerOrderId = buf.u53At(at, TRD.makerOrderId);
    t.takerSide = buf.u8At(at, TRD.takerSide);
    m.lastTradeTicks = t.priceTicks;
    // Prints for the venue statistics: trades on the book (an ADL transfer is not one).
    if (buf.u8At(at, TRD.takerOrigin) !== OrderOrigin.ADL) this.lastIntegrity!.trade(t.timeUs, t.qtyLots);
    const taker = m.orders.get(t.takerOrderId);
    const maker = m.orders.get(t.makerOrderId);
    t.takerIx = taker !== undefined ? taker.accountIx : m.accounts.lookup(t.takerAccountId);
    t.makerIx = maker !== undefined ? maker.accountIx : m.accounts.lookup(t.makerAccountId);
    if (taker !== undefined) {
      taker.filledLots += t.qtyLots;
      taker.remainingLots = buf.u53At(at, TRD.takerRemainingLots);
      if (t.priceTicks !== taker.lastTakerPriceTicks) {
        taker.takerLevels++;
        taker.lastTakerPriceTicks = t.priceTicks;
      }
    }
    if (maker !== undefined) {
      maker.filledLots += t.qtyLots;
      maker.remainingLots = buf.u53At(at, TRD.makerRemainingLots);
    }
    ds.traded(t, taker, maker);
    // An order filled out has no further event: it ends here. (A taker with a remainder ends by its
    // OrderExpired, or rests and ends later.)
    if (maker !== undefined && maker.remainingLots === 0) this.end(m, ds, maker);
    if (taker !== undefined && taker.remainingLots === 0) this.end(m, ds, taker);
  }

  private end(m: MarketWatch, ds: DetectorHooks, o: WatchedOrder): void {
    o.endedUs = m.timeUs;
    o.endedSeq = m.seq;
    ds.ended(o);
    m.orders.delete(o.orderId);
    m.accounts.release(o.accountIx);
    m.releaseOrder(o);
  }

  private tickMarket(m: MarketWatch, ds: DetectorHooks, nowUs: number): void {
    ds.tick(nowUs);
    m.nextTickUs = (Math.floor(nowUs / TICK_US) + 1) * TICK_US;
  }

  private marketOf(marketId: number): MarketWatch {
    let m = this.markets.get(marketId);
    if (m === undefined) {
      m = new MarketWatch(marketId, this.owners, this.watch, (a) => this.raise(a));
      this.markets.set(marketId, m);
      this.detectors.set(marketId, new DetectorHooks(defaultDetectors(m, this.config.detectors)));
      this.integrity.set(marketId, new IntegrityStats(marketId, this.onIntegrity));
      this.marketOrder = [...this.markets.keys()].sort((a, b) => a - b);
    }
    return m;
  }

  private raise(a: Alert): void {
    this.alertsRaised++;
    this.raisedBy.set(a.detector, (this.raisedBy.get(a.detector) ?? 0) + 1);
    this.alertsHash = combineHashes([this.alertsHash, hashText(a.id)]);
    this.sink(a);
  }

  /** A market's integrity statistics for its current day so far. */
  integrityOf(marketId: number): IntegrityReport | undefined {
    return this.integrity.get(marketId)?.report();
  }

  /** What the engine holds, per market: open orders, L2 levels, and each detector's state size. */
  footprint(): { marketId: number; orders: number; levels: number; detectors: Record<string, number> }[] {
    return this.marketOrder.map((id) => {
      const m = this.markets.get(id)!;
      const detectors: Record<string, number> = {};
      for (const d of this.detectors.get(id)!.all) detectors[d.id] = d.size();
      return { marketId: id, orders: m.orders.size, levels: m.bids.len + m.asks.len, detectors };
    });
  }

  /** Hash of the state: input positions, owners, per market its clock, book, open orders and detector sizes, and every alert raised. */
  stateHash(): bigint {
    const parts: bigint[] = [];
    const inputs = this.positions.snapshot();
    parts.push(BigInt(inputs.length));
    for (const seq of inputs) parts.push(BigInt(seq));
    for (const [a, o] of this.owners.entries()) parts.push(BigInt(a), BigInt(o));
    for (const id of this.marketOrder) {
      const m = this.markets.get(id)!;
      parts.push(BigInt(id), BigInt(m.timeUs), BigInt(m.orders.size), BigInt(m.bestBid()), BigInt(m.bestAsk()), BigInt(m.bids.len + m.asks.len), BigInt(m.avgOrderLots));
      for (const d of this.detectors.get(id)!.all) parts.push(BigInt(d.size()));
    }
    parts.push(BigInt(this.alertsRaised), this.alertsHash);
    return combineHashes(parts);
  }
}

/** A 64-bit FNV-1a of a string's UTF-16 code units (alert ids are ASCII). */
function hashText(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h;
}

