// Background flows for the injection harness: honest order flow the episodes are hidden in.
//
//   simulated   engine/sim/order-flow.ts on one market (8 makers keeping post-only ladders, 64 takers
//               crossing with IOC and market orders, cancels and requotes), one command every 1-2,000 µs
//               (uniform, mean about 1 ms: about 1,000 commands a second).
//   bitfinex    the real Bitfinex BTCUSD order-by-order feed (test/fixtures/l3: 100,048 adds, modifies,
//               deletes; one account per feed order) as places, amends and cancels, one event every
//               1-20,000 µs (the feed carries no timestamps; mean about 10 ms), plus 16 honest takers
//               crossing the spread with small IOC orders about every 200 ms (the feed has no trades).

import { OrderType, Side, TimeInForce } from '../../../engine/enums.js';
import { DEFAULT_MARKETS, type MarketConfig } from '../../../engine/market/spec.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { OrderFlow } from '../../../engine/sim/order-flow.js';
import { below, rng, type Rng } from '../../../engine/sim/rng.js';
import { BITFINEX_L3_MARKET, L3Kind, loadBitfinexL3, type L3Event } from '../../../test/support/bitfinex-l3.js';
import type { SurveillanceDriver } from '../../../test/support/surveillance-driver.js';

export interface Background {
  readonly market: MarketConfig;
  /** Sends the next honest command at the driver's current time; false when the flow is exhausted. */
  next(d: SurveillanceDriver): boolean;
  /** µs to the next command. */
  gapUs(): number;
  /** Honest accounts are below this id; the harness numbers its own accounts from it. */
  readonly accountCeiling: number;
  /** Honest orders placed so far. */
  orders: number;
}

const SIM_MARKET: MarketConfig = DEFAULT_MARKETS[0]!;

export class SimulatedBackground implements Background {
  readonly market = SIM_MARKET;
  readonly accountCeiling = 1_000;
  private readonly flow: OrderFlow;
  private readonly r: Rng;
  private readonly buf = RecordBuffer.allocate(1);
  orders = 0;

  constructor(seed: number, private readonly commands: number) {
    this.r = rng(seed ^ 0x5eed);
    this.flow = new OrderFlow({
      markets: [{ market: SIM_MARKET, startMidTicks: 600_000, rungTicks: 10, maxTakerLots: 50, maxQuoteLots: 200 }],
      seed,
      firstAccountId: 1,
      makers: 8,
      takers: 64,
      quotesPerMaker: 40,
      mix: { quote: 62, cancel: 30, taker: 8 },
      firstOrderId: 1,
    });
  }

  next(d: SurveillanceDriver): boolean {
    if (this.orders + this.flow.counts.cancels + this.flow.counts.indexTicks >= this.commands) return false;
    const before = this.flow.counts.quotes + this.flow.counts.takers;
    this.flow.next(this.buf, 0);
    d.sendRecord(this.buf, 0);
    this.orders += this.flow.counts.quotes + this.flow.counts.takers - before;
    return true;
  }

  gapUs(): number {
    return 1 + below(this.r, 2_000);
  }
}

/** The Bitfinex market, with room for the harness's own accounts to hold many orders. */
const L3_MARKET: MarketConfig = { ...BITFINEX_L3_MARKET, maxOpenOrdersPerAccount: 10_000 };

export class BitfinexBackground implements Background {
  readonly market = L3_MARKET;
  readonly accountCeiling = 1_000_000;
  private readonly events: readonly L3Event[];
  private readonly r: Rng;
  private i = 0;
  private nextTakerUs = 0;
  orders = 0;
  private static cached: readonly L3Event[] | undefined;

  constructor(seed: number) {
    BitfinexBackground.cached ??= loadBitfinexL3().events;
    this.events = BitfinexBackground.cached;
    this.r = rng(seed ^ 0xb17f);
  }

  next(d: SurveillanceDriver): boolean {
    if (this.i >= this.events.length) return false;
    if (d.timeUs >= this.nextTakerUs && this.nextTakerUs > 0) {
      this.taker(d);
    } else {
      this.feed(d, this.events[this.i++]!);
    }
    if (this.nextTakerUs === 0) this.nextTakerUs = d.timeUs + 200_000;
    return true;
  }

  gapUs(): number {
    return 1 + below(this.r, 20_000);
  }

  private taker(d: SurveillanceDriver): void {
    this.nextTakerUs = d.timeUs + 100_000 + below(this.r, 200_000);
    const book = d.shard.book(L3_MARKET.marketId)!;
    const side = below(this.r, 2) as Side;
    const touch = side === Side.BUY ? book.bestAsk() : book.bestBid();
    if (touch === 0) return;
    // A small taker: up to the size of the best level, limited to the touch.
    const level = book.levels(side === Side.BUY ? Side.SELL : Side.BUY, 1)[0]!;
    const qty = 1 + below(this.r, Math.max(1, Math.min(level.qtyLots, 2 ** 31)));
    d.place(900_000 + below(this.r, 16), side, touch, qty, { timeInForce: TimeInForce.IOC, orderType: OrderType.LIMIT, marketId: L3_MARKET.marketId });
    this.orders++;
  }

  private feed(d: SurveillanceDriver, e: L3Event): void {
    const m = L3_MARKET.marketId;
    if (e.kind === L3Kind.DELETE) {
      d.cancelById(e.accountId, e.orderId, m);
      return;
    }
    if (e.kind === L3Kind.ADD) {
      d.placeWithId(e.orderId, e.accountId, e.side, e.priceTicks, e.qtyLots, { marketId: m });
      this.orders++;
      return;
    }
    if (e.side !== e.prevSide) {
      d.cancelById(e.accountId, e.orderId, m);
      d.placeWithId(e.orderId, e.accountId, e.side, e.priceTicks, e.qtyLots, { marketId: m });
      this.orders++;
      return;
    }
    if (e.priceTicks === e.prevPriceTicks && e.qtyLots === e.prevQtyLots) return;
    d.amend(e.accountId, e.orderId, e.priceTicks === e.prevPriceTicks ? 0 : e.priceTicks, e.qtyLots === e.prevQtyLots ? 0 : e.qtyLots, m);
  }
}
