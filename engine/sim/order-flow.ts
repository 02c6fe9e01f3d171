// OrderFlow: a seeded simulation of a market's order flow, for `npm start` and end-to-end load. Market
// makers keep ladders of post-only quotes around a mid that walks; takers cross the spread with IOC limit
// and market orders; makers cancel and requote. It writes gateway command records (the caller stamps
// time, and the stream stamps seq) and keeps just enough book-keeping to cancel its own live quotes.
//
// It is not a state machine of the exchange and decides nothing there: the exchange's answers are not
// read back. Same seed, same commands.

import { OrderType, Side, TimeInForce } from '../enums.js';
import type { MarketConfig } from '../market/spec.js';
import { CancelOrderLayout } from '../ring/layouts/cancel-order.js';
import { PlaceOrderLayout } from '../ring/layouts/place-order.js';
import { UpdateIndexPriceLayout } from '../ring/layouts/update-index-price.js';
import type { RecordBuffer } from '../ring/record.js';
import { RecordType } from '../ring/types.js';
import { below, rng, type Rng } from './rng.js';

const PO = PlaceOrderLayout.offsets;
const CO = CancelOrderLayout.offsets;
const IX = UpdateIndexPriceLayout.offsets;

export interface FlowMarket {
  readonly market: MarketConfig;
  /** Where the mid starts, in ticks. */
  readonly startMidTicks: number;
  /** Distance between a maker's ladder rungs, in ticks. */
  readonly rungTicks: number;
  /** Largest order of a taker and of a maker quote, in lots. */
  readonly maxTakerLots: number;
  readonly maxQuoteLots: number;
}

export interface FlowOptions {
  readonly markets: readonly FlowMarket[];
  readonly seed: number;
  /** Account ids: makers are [firstAccountId, +makers), takers follow. */
  readonly firstAccountId: number;
  readonly makers: number;
  readonly takers: number;
  /** Quotes a maker keeps per market before it cancels its oldest. */
  readonly quotesPerMaker: number;
  /** Share of each kind, in percent: quote, cancel, taker (the rest: index tick and mid step). */
  readonly mix: { quote: number; cancel: number; taker: number };
  /** First order id to assign (the gateway's counter). */
  readonly firstOrderId: number;
}

interface MarketSim {
  readonly cfg: FlowMarket;
  midTicks: number;
  /** Live quote ids per maker (oldest first), kept small: quotesPerMaker each. */
  readonly quotes: number[][];
}

interface QuoteRef {
  readonly sim: MarketSim;
  readonly maker: number;
}

export class OrderFlow {
  private readonly r: Rng;
  private readonly sims: MarketSim[];
  private nextOrderId: number;
  private marketCursor = 0;
  /** Which maker's list a live quote id sits in, so orderEnded() can drop it. */
  private readonly live = new Map<number, QuoteRef>();
  /** Commands written, by kind, for the status line. */
  readonly counts = { quotes: 0, cancels: 0, takers: 0, indexTicks: 0 };

  constructor(readonly o: FlowOptions) {
    this.r = rng(o.seed);
    this.nextOrderId = o.firstOrderId;
    this.sims = o.markets.map((cfg) => ({ cfg, midTicks: cfg.startMidTicks, quotes: Array.from({ length: o.makers }, () => []) }));
  }

  get makerIds(): number[] {
    return Array.from({ length: this.o.makers }, (_, i) => this.o.firstAccountId + i);
  }

  get takerIds(): number[] {
    return Array.from({ length: this.o.takers }, (_, i) => this.o.firstAccountId + this.o.makers + i);
  }

  /**
   * The exchange reports a quote gone (filled out, expired, rejected): stop tracking it, so the flow does
   * not cancel what no longer exists. Reading the exchange's answers makes the command stream depend on
   * timing; flows that must replay exactly never call it.
   */
  orderEnded(orderId: number): void {
    const ref = this.live.get(orderId);
    if (ref === undefined) return;
    this.live.delete(orderId);
    const list = ref.sim.quotes[ref.maker]!;
    const i = list.indexOf(orderId);
    if (i >= 0) list.splice(i, 1);
  }

  midOf(marketId: number): number {
    return this.sims.find((s) => s.cfg.market.marketId === marketId)?.midTicks ?? 0;
  }

  /** Writes the next command into record `at` of `buf` (cleared first); the caller stamps timeUs. */
  next(buf: RecordBuffer, at: number): void {
    const sim = this.sims[this.marketCursor]!;
    this.marketCursor = (this.marketCursor + 1) % this.sims.length;
    buf.clear(at);
    buf.setMarketId(at, sim.cfg.market.marketId);
    const roll = below(this.r, 100);
    const { quote, cancel, taker } = this.o.mix;
    if (roll < quote) this.quote(sim, buf, at);
    else if (roll < quote + cancel) this.cancel(sim, buf, at);
    else if (roll < quote + cancel + taker) this.taker(sim, buf, at);
    else this.indexTick(sim, buf, at);
  }

  /** An index tick at the current mid of a market (also what the driver sends on a timer). */
  indexTick(sim: MarketSim | number, buf: RecordBuffer, at: number): void {
    const s = typeof sim === 'number' ? this.sims.find((x) => x.cfg.market.marketId === sim)! : sim;
    // The mid walks a few ticks per index tick: the market moves and keeps trading.
    s.midTicks = Math.max(s.cfg.rungTicks * 50, s.midTicks + (below(this.r, 7) - 3) * s.cfg.rungTicks);
    buf.clear(at);
    buf.setType(at, RecordType.UpdateIndexPrice);
    buf.setMarketId(at, s.cfg.market.marketId);
    buf.setU53(at, IX.indexPriceTicks, s.midTicks);
    buf.setU8(at, IX.sourcesUsed, 3);
    this.counts.indexTicks++;
  }

  private quote(sim: MarketSim, buf: RecordBuffer, at: number): void {
    const m = below(this.r, this.o.makers);
    const live = sim.quotes[m]!;
    if (live.length >= this.o.quotesPerMaker) return this.cancelQuote(sim, m, 0, buf, at);
    const side = below(this.r, 2) as Side;
    const rung = 1 + below(this.r, 20);
    const price = side === Side.BUY ? sim.midTicks - rung * sim.cfg.rungTicks : sim.midTicks + rung * sim.cfg.rungTicks;
    const id = this.place(buf, at, this.o.firstAccountId + m, side, OrderType.LIMIT, TimeInForce.POST_ONLY, price, 1 + below(this.r, sim.cfg.maxQuoteLots));
    live.push(id);
    this.live.set(id, { sim, maker: m });
    this.counts.quotes++;
  }

  private cancel(sim: MarketSim, buf: RecordBuffer, at: number): void {
    const m = below(this.r, this.o.makers);
    const live = sim.quotes[m]!;
    if (live.length === 0) return this.quote(sim, buf, at);
    this.cancelQuote(sim, m, below(this.r, live.length), buf, at);
  }

  private cancelQuote(sim: MarketSim, maker: number, index: number, buf: RecordBuffer, at: number): void {
    const live = sim.quotes[maker]!;
    const id = live[index]!;
    live.splice(index, 1);
    this.live.delete(id);
    buf.setType(at, RecordType.CancelOrder);
    buf.setAccountId(at, this.o.firstAccountId + maker);
    buf.setU53(at, CO.orderId, id);
    this.counts.cancels++;
  }

  private taker(sim: MarketSim, buf: RecordBuffer, at: number): void {
    const account = this.o.firstAccountId + this.o.makers + below(this.r, this.o.takers);
    const side = below(this.r, 2) as Side;
    const lots = 1 + below(this.r, sim.cfg.maxTakerLots);
    if (below(this.r, 2) === 0) {
      this.place(buf, at, account, side, OrderType.MARKET, TimeInForce.IOC, 0, lots);
    } else {
      const reach = (1 + below(this.r, 5)) * sim.cfg.rungTicks;
      this.place(buf, at, account, side, OrderType.LIMIT, TimeInForce.IOC, side === Side.BUY ? sim.midTicks + reach : sim.midTicks - reach, lots);
    }
    this.counts.takers++;
  }

  private place(buf: RecordBuffer, at: number, account: number, side: Side, type: OrderType, tif: TimeInForce, priceTicks: number, qtyLots: number): number {
    const id = this.nextOrderId++;
    buf.setType(at, RecordType.PlaceOrder);
    buf.setAccountId(at, account);
    buf.setU53(at, PO.orderId, id);
    buf.setU53(at, PO.priceTicks, priceTicks);
    buf.setU53(at, PO.qtyLots, qtyLots);
    buf.setU8(at, PO.side, side);
    buf.setU8(at, PO.orderType, type);
    buf.setU8(at, PO.timeInForce, tif);
    return id;
  }
}
