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
   * Resting orders by account index (account-index.ts; the orders hold the index while open): list 2·index
   * holds the account's bids, 2·index + 1 its asks, each a doubly linked list threaded through the orders'
   * slots (WatchedOrder.slot) in typed arrays, in no particular order (what arm() computes from a list are
   * sums, counts and sets). Adding and removing an order touches its own three words and its neighbours',
   * where a list of order objects per account touched the account's list object, its array, and the
   * object moved into the hole: cold memory each, at a venue with thousands of accounts (the detector's
   * accepted and ended hooks were 11% of the engine's profile). `restingAccounts` counts the indices
   * whose lists are not both empty (size()).
   */
  /** Per list: slot + 1 of its first order (0: empty), and how many orders it holds. */
  private head = new Int32Array(128);
  private count = new Int32Array(128);
  /** Per order slot, three words: the list it is in + 1 (0: none), the previous and the next order's slot + 1 (0: none). */
  private links = new Int32Array(3 * 256);
  /** The order at each slot while it is in a list. */
  private readonly bySlot: (WatchedOrder | undefined)[] = [];
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
    // grown() only when it grows: called on every order, the shared helper was 1-2% of the engine's time.
    if (2 * ix + 1 >= this.head.length) {
      this.head = grown(this.head, 2 * ix + 1);
      this.count = grown(this.count, 2 * ix + 1);
    }
    if (this.count[2 * ix] === 0 && this.count[2 * ix + 1] === 0) this.restingAccounts++;
    const list = 2 * ix + (o.side === 0 ? 0 : 1);
    const s = o.slot;
    if (3 * s + 2 >= this.links.length) this.links = grown(this.links, 3 * s + 2);
    const links = this.links;
    const first = this.head[list]!;
    links[3 * s] = list + 1;
    links[3 * s + 1] = 0;
    links[3 * s + 2] = first;
    if (first !== 0) links[3 * (first - 1) + 1] = s + 1;
    this.head[list] = s + 1;
    this.count[list]!++;
    this.bySlot[s] = o;
  }

  /** The orders of a list, in list order (evidence and arming only: allocates). */
  private listed(list: number): WatchedOrder[] {
    const out: WatchedOrder[] = [];
    for (let at = this.head[list]!; at !== 0; at = this.links[3 * (at - 1) + 2]!) out.push(this.bySlot[at - 1]!);
    return out;
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
    if (2 * ix + 1 >= this.count.length) return;
    const stackSide = 2 * ix + (own.side === 0 ? 1 : 0);
    const sameSide = 2 * ix + (own.side === 0 ? 0 : 1);
    if (this.count[stackSide]! < this.p.minOrders) return;
    const links = this.links;
    // Cheap sums first (they rule out two-sided quoting at once), distinct prices only for what is left.
    let lots = 0;
    let count = 0;
    let away = 0;
    for (let at = this.head[stackSide]!; at !== 0; at = links[3 * (at - 1) + 2]!) {
      const o = this.bySlot[at - 1]!;
      if (t.timeUs - o.acceptedUs > this.p.buildWithinUs) continue;
      if (o.acceptedSeq > own.acceptedSeq || own.acceptedUs - o.acceptedUs < this.p.minLeadUs) return;
      lots += o.remainingLots;
      count++;
      if (ticksBehindTouch(o, this.m) > 0) away++;
    }
    if (count < this.p.minOrders || away < this.p.minAwayOrders) return;
    if (lots < this.p.minGenuineMultiple * own.qtyLots) return;
    let otherLots = 0;
    for (let at = this.head[sameSide]!; at !== 0; at = links[3 * (at - 1) + 2]!) {
      const o = this.bySlot[at - 1]!;
      if (o !== own) otherLots += o.remainingLots;
    }
    if (otherLots * this.p.minImbalance > lots) return;
    const prices = new Set<number>();
    const stack = this.listed(stackSide).filter((o) => t.timeUs - o.acceptedUs <= this.p.buildWithinUs);
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

  ended(o: WatchedOrder): void {
    this.unlist(o);
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

  /** Takes o out of its list if it is in one. */
  private unlist(o: WatchedOrder): void {
    const s = o.slot;
    const links = this.links;
    if (3 * s >= links.length || links[3 * s] === 0) return;
    const list = links[3 * s]! - 1;
    const prev = links[3 * s + 1]!;
    const next = links[3 * s + 2]!;
    if (prev !== 0) links[3 * (prev - 1) + 2] = next;
    else this.head[list] = next;
    if (next !== 0) links[3 * (next - 1) + 1] = prev;
    links[3 * s] = 0;
    this.bySlot[s] = undefined;
    this.count[list]!--;
    const pair = list & ~1;
    if (this.count[pair] === 0 && this.count[pair + 1] === 0) this.restingAccounts--;
  }

  tick(nowUs: number): void {
    for (const [account, a] of this.armed) if (nowUs - a.tradeUs > this.p.cancelWithinUs) this.armed.delete(account);
  }

  size(): number {
    return this.restingAccounts + this.armed.size;
  }
}
