// MarketWatch: the surveillance worker's view of one market, rebuilt from the market shard's events: the
// L2 book (BookLevelChanged), every open order with what surrounded it when it arrived (OrderAccepted and
// what follows), the recent touch, the mark, a running average order size, and the market's clock (the
// newest timeUs seen). Detectors read it and raise alerts through it (alert() fills in the evidence every
// alert carries).

import { clampScore, alertId, type Alert, type DetectorId, type EvidenceOrder, type EvidenceTrade } from './alert.js';
import { AccountIndex } from './account-index.js';
import { LevelSide } from './level-side.js';
import { OpenOrders } from './open-orders.js';
import { SharedRecentOrders } from './recent-orders.js';
import { HeadRows } from './sliding-counts.js';
import type { OwnerTable } from './owner-table.js';
import { TouchTape } from './touch-tape.js';
import { WatchedOrder } from './watched-order.js';

/** One trade as the hooks see it: a reused struct (copy with evidence() to keep it). */
export class TradeView {
  seq = 0;
  timeUs = 0;
  tradeId = 0;
  priceTicks = 0;
  qtyLots = 0;
  takerAccountId = 0;
  makerAccountId = 0;
  /** The accounts' indices in the market's AccountIndex (−1: none held). */
  takerIx = -1;
  makerIx = -1;
  takerOrderId = 0;
  makerOrderId = 0;
  takerSide = 0;

  /** Takes every field of another trade (a detector keeping one without an evidence object). */
  copyFrom(t: TradeView): void {
    this.seq = t.seq;
    this.timeUs = t.timeUs;
    this.tradeId = t.tradeId;
    this.priceTicks = t.priceTicks;
    this.qtyLots = t.qtyLots;
    this.takerAccountId = t.takerAccountId;
    this.makerAccountId = t.makerAccountId;
    this.takerIx = t.takerIx;
    this.makerIx = t.makerIx;
    this.takerOrderId = t.takerOrderId;
    this.makerOrderId = t.makerOrderId;
    this.takerSide = t.takerSide;
  }

  evidence(): EvidenceTrade {
    return {
      tradeId: this.tradeId,
      seq: this.seq,
      timeUs: this.timeUs,
      priceTicks: this.priceTicks,
      qtyLots: this.qtyLots,
      takerAccountId: this.takerAccountId,
      makerAccountId: this.makerAccountId,
      takerOrderId: this.takerOrderId,
      makerOrderId: this.makerOrderId,
      takerSide: this.takerSide,
    };
  }
}

export interface AlertDraft {
  detector: DetectorId;
  accounts: number[];
  score: number;
  fromUs: number;
  fromSeq: number;
  summary: string;
  figures: Record<string, number>;
  orders: EvidenceOrder[];
  trades: EvidenceTrade[];
}

export interface WatchSettings {
  /** The best levels of a side whose resting lots and orders are an order's near-touch depth. Default 10. */
  readonly nearTouchLevels: number;
  /** Weight of a new order in the running average order size: 1 / 2^shift (integer EWMA). */
  readonly avgShift: number;
  /** Book levels per side in an alert's book picture. */
  readonly pictureLevels: number;
  /** How far before an episode the touch tape of an alert reaches, µs. */
  readonly contextUs: number;
}

export const DEFAULT_WATCH: WatchSettings = { nearTouchLevels: 10, avgShift: 6, pictureLevels: 10, contextUs: 2_000_000 };

/** The clock granularity at which detectors are ticked (closing episodes, dropping idle accounts). */
export const TICK_US = 100_000;

export class MarketWatch {
  readonly bids = new LevelSide(true);
  readonly asks = new LevelSide(false);
  readonly orders = new OpenOrders();
  /** The market's accounts numbered densely, for the detectors' per-account tables. */
  readonly accounts = new AccountIndex();
  /**
   * The row headers of the window indicators that count every order message (order-to-trade, fast
   * cancels, quote stuffing), one row per account index, side by side: a message touches one row.
   */
  readonly windowHeads = new HeadRows();
  /**
   * The cold fields of those headers (what a bucket turning over reads), for the indicators whose buckets
   * are many times an account's gap between messages (order-to-trade, fast cancels): apart, so that the
   * fields every message reads of all three indicators sit in fewer lines of a windowHeads row. Quote
   * stuffing's 100 ms buckets turn on nearly every message, so its cold fields stay with its hot ones.
   */
  readonly windowColds = new HeadRows();
  /** The orders each account cancelled on request, noted once for order-to-trade and quote stuffing. */
  readonly cancelNotes = new SharedRecentOrders(16);
  readonly tape = new TouchTape();
  private readonly pool: WatchedOrder[] = [];
  /**
   * Order objects' slots (WatchedOrder.slot): numbers handed out, and those of objects let go when the
   * pool was full, for the next new object. So slots stay below the most order objects alive at once.
   */
  private slots = 0;
  private readonly freeSlots: number[] = [];
  readonly trade = new TradeView();
  /** Newest timeUs of this market's records (µs). */
  timeUs = 0;
  /** Seq and stream of the record being handled. */
  seq = 0;
  stream = 0;
  markTicks = 0;
  lastTradeTicks = 0;
  /** Running average quantity of accepted limit orders, lots (integer EWMA; 0 before the first). */
  avgOrderLots = 0;
  nextTickUs = 0;
  /** Records of this market handled. */
  handled = 0;
  /** 2^avgShift, the running average's divisor (a power computed once, not per order). */
  readonly avgDivisor: number;

  constructor(
    readonly marketId: number,
    readonly owners: OwnerTable,
    readonly settings: WatchSettings,
    private readonly sink: (alert: Alert) => void,
  ) {
    this.avgDivisor = 2 ** settings.avgShift;
  }

  bestBid(): number {
    return this.bids.best();
  }

  bestAsk(): number {
    return this.asks.best();
  }

  /** Best price on a side (Side.BUY 0: bid). */
  touchOf(side: number): number {
    return side === 0 ? this.bids.best() : this.asks.best();
  }

  /** The typical resting order near the touch of a side now (lots per order in its best levels), 0 if none. */
  typicalLots(side: number): number {
    const s = side === 0 ? this.bids : this.asks;
    const n = s.ordersInTop(this.settings.nearTouchLevels);
    return n > 0 ? Math.floor(s.depthInTop(this.settings.nearTouchLevels) / n) : 0;
  }

  /** bps of a price, in whole ticks, at least 1. */
  ticksOfBps(priceTicks: number, bps: number): number {
    const t = Math.floor((priceTicks * bps) / 10_000);
    return t < 1 ? 1 : t;
  }

  /** The reference price for bands: the mid when both sides quote, else a side, the last trade, the mark. */
  referenceTicks(): number {
    const b = this.bids.best();
    const a = this.asks.best();
    if (b > 0 && a > 0) return Math.floor((b + a) / 2);
    return b || a || this.lastTradeTicks || this.markTicks;
  }

  takeOrder(): WatchedOrder {
    return this.pool.pop() ?? new WatchedOrder(this.freeSlots.pop() ?? this.slots++);
  }

  releaseOrder(o: WatchedOrder): void {
    o.reset();
    if (this.pool.length < 65_536) this.pool.push(o);
    else this.freeSlots.push(o.slot);
  }

  noteTouch(): void {
    this.tape.note(this.timeUs, this.seq, this.bids.best(), this.asks.best());
  }

  /** Builds the full alert from a detector's draft (episode until now) and hands it to the engine. */
  alert(d: AlertDraft): void {
    const accounts = [...new Set(d.accounts)].sort((a, b) => a - b);
    const orders = [...d.orders].sort((a, b) => a.acceptedSeq - b.acceptedSeq || a.orderId - b.orderId);
    const trades = [...d.trades].sort((a, b) => a.seq - b.seq);
    let fromSeq = d.fromSeq;
    for (const o of orders) if (o.acceptedSeq > 0 && o.acceptedSeq < fromSeq) fromSeq = o.acceptedSeq;
    for (const t of trades) if (t.seq < fromSeq) fromSeq = t.seq;
    let fromUs = d.fromUs;
    for (const o of orders) if (o.acceptedUs > 0 && o.acceptedUs < fromUs) fromUs = o.acceptedUs;
    this.sink({
      id: alertId(d.detector, this.marketId, accounts, this.stream, fromSeq),
      detector: d.detector,
      marketId: this.marketId,
      accounts,
      score: clampScore(d.score),
      fromUs,
      toUs: this.timeUs,
      stream: this.stream,
      fromSeq,
      toSeq: this.seq,
      summary: d.summary,
      figures: d.figures,
      orders,
      trades,
      touches: this.tape.between(fromUs - this.settings.contextUs, this.timeUs),
      book: {
        timeUs: this.timeUs,
        seq: this.seq,
        bids: this.bids.top(this.settings.pictureLevels),
        asks: this.asks.top(this.settings.pictureLevels),
      },
    });
  }
}
