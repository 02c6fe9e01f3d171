// Layering: several orders stacked at different prices on one side, away from the touch, a trade of the
// same account on the other side, then the stack cancelled.
//
// Source: Delegated Regulation (EU) 2016/522, Annex II, Section 1, point 5(e) ("submitting multiple or
// large orders to trade often away from the touch on one side of the order book in order to execute a
// trade on the other side of the order book. Once the trade has taken place, the orders with no intention
// to be executed shall be removed"); MAR Annex I A(b) and (e). The several-orders reading is layering (the
// single large order: spoofing.ts).
//
// Measure: when an account's order trades on one side, its resting limit orders on the other side form
// the stack if they number at least minOrders at minLevels distinct prices, at least minAwayOrders of
// them arrived behind the touch, all arrived within buildWithinUs before the trade and before the order
// that traded (the layers come first; a market maker quotes both sides together), their total is at
// least minGenuineMultiple × the order that traded, and the account's other resting orders on the
// trading side total at most stack / minImbalance (a market maker's ladder is two-sided; a layer is
// not). The alert is raised when at least cancelShareBps of the stack's lots are then cancelled on
// request within cancelWithinUs of the trade and within cancelSpanUs of each other. Two checks keep out
// what the injection runs showed honest makers doing: quoting both sides in one instant and being swept
// on one (the layers must come at least minLeadUs before the order that trades), and wearing quotes down
// by random requotes (the layer must be pulled at once).

import { DetectorId, type EvidenceOrder, type EvidenceTrade } from '../alert.js';
import type { Detector } from '../detector.js';
import type { MarketWatch, TradeView } from '../market-watch.js';
import type { WatchedOrder } from '../watched-order.js';
import { grown } from '../../grown.js';
import { cancelledOnRequest, isRestingLimit, ticksBehindTouch } from './order-facts.js';
import { seconds } from '../format.js';

export interface LayeringParams {
  /** Orders in the stack. Default 3. */
  readonly minOrders: number;
  /** Distinct prices among them. Default 3. */
  readonly minLevels: number;
  /** Of them, arrived behind the touch. Default 2. */
  readonly minAwayOrders: number;
  /** Every stack order arrived within this long before the trade (µs). Default 10 s. */
  readonly buildWithinUs: number;
  /** Stack lots against the order that traded. Default 3. */
  readonly minGenuineMultiple: number;
  /** Stack lots against the account's other resting lots on the trading side. Default 10. */
  readonly minImbalance: number;
  /** Share of the stack's lots cancelled on request after the trade, bps. Default 7,500. */
  readonly cancelShareBps: number;
  /** ...within this long of the trade (µs). Default 3 s. */
  readonly cancelWithinUs: number;
  /** ...and within this long of each other: a layer is pulled at once, not worn down (µs). Default 500 ms. */
  readonly cancelSpanUs: number;
  /** The last layer came at least this long before the order that traded (µs). Default 1 ms. */
  readonly minLeadUs: number;
}

export const LAYERING_DEFAULTS: LayeringParams = {
  minOrders: 3,
  minLevels: 3,
  minAwayOrders: 2,
  buildWithinUs: 10_000_000,
  minGenuineMultiple: 3,
  minImbalance: 10,
  cancelShareBps: 7_500,
  cancelWithinUs: 3_000_000,
  cancelSpanUs: 500_000,
  minLeadUs: 1_000,
};

/**
 * One side of an account's resting orders: the first n entries of items, in no particular order (what
 * arm() computes from them are sums, counts and sets). Removal moves the last entry into the hole and
 * the array never shrinks: an account's orders come and go all the time, and splicing an array down to
 * empty and pushing it up again reallocated its storage each time. Each order knows its index here
 * (WatchedOrder.listSlot), so removal is O(1): a market maker rests hundreds of orders, and finding the
 * one that ended by a scan of them was the engine's largest single cost.
 */
class OrderList {
  readonly items: WatchedOrder[] = [];
  n = 0;

  push(o: WatchedOrder): void {
    if (this.n === this.items.length) this.items.push(o);
    else this.items[this.n] = o;
    o.listSlot = this.n;
    this.n++;
  }

  /** Removes o if it is in the list (the same moves as a scan for it would make); false when it was not. */
  remove(o: WatchedOrder): boolean {
    const i = o.listSlot;
    const items = this.items;
    if (i < 0 || i >= this.n || items[i] !== o) return false;
    const last = items[this.n - 1]!;
    items[i] = last;
    last.listSlot = i;
    o.listSlot = -1;
    this.n--;
    return true;
  }
}

interface Armed {
  accountId: number;
  side: number;
  stackIds: Set<number>;
  stackLots: number;
  cancelledLots: number;
  /** Time of the first stack cancel after the trade (0: none yet). */
  firstCancelUs: number;
  tradeUs: number;
  levels: number;
  stack: EvidenceOrder[];
  genuine: EvidenceOrder | undefined;
  trades: EvidenceTrade[];
}

export class LayeringDetector implements Detector {
  readonly id = DetectorId.LAYERING;
  /**
   * Resting orders by account index (account-index.ts; the orders hold the index while open): the bids
   * at 2·index, the asks at 2·index + 1, and how many both hold. An account's lists stay at its index
   * once emptied and are reused by the next account given it: most accounts hold an order or two, so
   * lists empty and refill all the time, and were allocated afresh each time. `restingAccounts` counts
   * the indices whose lists are not empty (size()).
   */
  private readonly lists: OrderList[] = [];
  private restingN = new Int32Array(64);
  private restingAccounts = 0;
  /** Armed stacks by account (one per account: a newer trade re-arms). */
  private readonly armed = new Map<number, Armed>();

  constructor(
    private readonly m: MarketWatch,
    private readonly p: LayeringParams = LAYERING_DEFAULTS,
  ) {}

  accepted(o: WatchedOrder): void {
    if (!isRestingLimit(o)) return;
    const ix = o.accountIx;
    if (2 * ix + 1 >= this.lists.length) this.grow(ix);
    if (this.restingN[ix]!++ === 0) this.restingAccounts++;
    this.lists[2 * ix + (o.side === 0 ? 0 : 1)]!.push(o);
  }

  traded(t: TradeView, taker: WatchedOrder | undefined, maker: WatchedOrder | undefined): void {
    if (taker !== undefined) this.arm(t, taker);
    if (maker !== undefined) this.arm(t, maker);
    if (this.armed.size === 0) return;
    const a = this.armed.get(t.takerAccountId);
    if (a !== undefined && a.trades.length < 20 && 1 - a.side === t.takerSide) a.trades.push(t.evidence());
  }

  private arm(t: TradeView, own: WatchedOrder): void {
    const ix = own.accountIx;
    if (ix >= this.restingN.length || this.restingN[ix] === 0) return;
    const stackSide = this.lists[2 * ix + (own.side === 0 ? 1 : 0)]!;
    const sameSide = this.lists[2 * ix + (own.side === 0 ? 0 : 1)]!;
    if (stackSide.n < this.p.minOrders) return;
    const stackItems = stackSide.items;
    // Cheap sums first (they rule out two-sided quoting at once), distinct prices only for what is left.
    let lots = 0;
    let count = 0;
    let away = 0;
    for (let k = 0; k < stackSide.n; k++) {
      const o = stackItems[k]!;
      if (t.timeUs - o.acceptedUs > this.p.buildWithinUs) continue;
      if (o.acceptedSeq > own.acceptedSeq || own.acceptedUs - o.acceptedUs < this.p.minLeadUs) return;
      lots += o.remainingLots;
      count++;
      if (ticksBehindTouch(o, this.m) > 0) away++;
    }
    if (count < this.p.minOrders || away < this.p.minAwayOrders) return;
    if (lots < this.p.minGenuineMultiple * own.qtyLots) return;
    let otherLots = 0;
    for (let k = 0; k < sameSide.n; k++) if (sameSide.items[k] !== own) otherLots += sameSide.items[k]!.remainingLots;
    if (otherLots * this.p.minImbalance > lots) return;
    const prices = new Set<number>();
    const stack = stackItems.slice(0, stackSide.n).filter((o) => t.timeUs - o.acceptedUs <= this.p.buildWithinUs);
    for (const o of stack) prices.add(o.priceTicks);
    if (prices.size < this.p.minLevels) return;
    this.armed.set(own.accountId, {
      accountId: own.accountId,
      side: 1 - own.side,
      stackIds: new Set(stack.map((o) => o.orderId)),
      stackLots: lots,
      cancelledLots: 0,
      firstCancelUs: 0,
      tradeUs: t.timeUs,
      levels: prices.size,
      stack: [],
      genuine: own.evidence(),
      trades: [t.evidence()],
    });
  }

  /** Makes room for the lists of account index ix. */
  private grow(ix: number): void {
    while (this.lists.length <= 2 * ix + 1) this.lists.push(new OrderList());
    this.restingN = grown(this.restingN, ix);
  }

  ended(o: WatchedOrder): void {
    const ix = o.accountIx;
    if (ix < this.restingN.length && this.restingN[ix]! > 0 && this.lists[2 * ix + (o.side === 0 ? 0 : 1)]!.remove(o)) {
      if (--this.restingN[ix]! === 0) this.restingAccounts--;
    }
    // Nearly always nothing is armed: no lookup then.
    if (this.armed.size === 0) return;
    const a = this.armed.get(o.accountId);
    if (a === undefined || !a.stackIds.has(o.orderId)) return;
    a.stack.push(o.evidence());
    if (!cancelledOnRequest(o) || o.endedUs - a.tradeUs > this.p.cancelWithinUs) return;
    if (a.firstCancelUs === 0) a.firstCancelUs = o.endedUs;
    if (o.endedUs - a.firstCancelUs > this.p.cancelSpanUs) return;
    a.cancelledLots += o.qtyLots - o.filledLots;
    if (a.cancelledLots * 10_000 < this.p.cancelShareBps * a.stackLots) return;
    this.armed.delete(o.accountId);
    const shareBps = Math.floor((a.cancelledLots * 10_000) / a.stackLots);
    const afterUs = o.endedUs - a.tradeUs;
    const orders = a.genuine ? [...a.stack, a.genuine] : a.stack;
    this.m.alert({
      detector: this.id,
      accounts: [o.accountId],
      score: 5_000 + Math.min(2_500, 500 * (a.levels - this.p.minLevels + 1)) + Math.floor(((this.p.cancelWithinUs - afterUs) * 2_500) / this.p.cancelWithinUs),
      fromUs: a.tradeUs,
      fromSeq: a.trades[0]!.seq,
      summary:
        `${a.stackIds.size} ${a.side === 0 ? 'buy' : 'sell'} orders (${a.stackLots} lots at ${a.levels} prices) rested while the account ` +
        `${a.side === 0 ? 'sold' : 'bought'} on the other side; ${shareBps / 100}% of them cancelled within ${seconds(afterUs)} of the trade`,
      figures: { stackOrders: a.stackIds.size, stackLots: a.stackLots, levels: a.levels, cancelledLots: a.cancelledLots, cancelAfterTradeUs: afterUs },
      orders,
      trades: a.trades,
    });
  }

  tick(nowUs: number): void {
    for (const [account, a] of this.armed) if (nowUs - a.tradeUs > this.p.cancelWithinUs) this.armed.delete(account);
  }

  size(): number {
    return this.restingAccounts + this.armed.size;
  }
}
