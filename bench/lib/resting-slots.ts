// A pre-populated book for per-operation benchmarks: SLOTS resting orders over LEVELS levels a side
// around a fixed mid, each slot remembering the order that currently fills it, so a case can cancel,
// re-place and amend orders without the book drifting in size or shape. Slots are visited with a stride
// coprime to their count: one batch touches distinct slots spread over levels and queue positions.

import { Code } from '../../engine/codes.js';
import { CancelReason, OrderType, Side, TimeInForce } from '../../engine/enums.js';
import { OrderRequest, type Book } from '../../engine/book/types.js';

export const MID_TICKS = 500_000;
const LEVELS_PER_SIDE = 400;
export const SLOTS = 20_000;
/** Large enough that "amend quantity down by one lot" never runs out during a run. */
const SLOT_QTY_LOTS = 500_000;
const STRIDE = 7_919;
const ACCOUNTS_PER_SIDE = 1_000;

export class RestingSlots {
  readonly orderId = new Uint32Array(SLOTS);
  readonly qtyLots = new Uint32Array(SLOTS);
  readonly priceTicks = new Uint32Array(SLOTS);
  /** Calls that did not return Code.OK (a correct case keeps this at 0), and the last such code. */
  failures = 0;
  lastFailureCode = 0;
  private nextOrderId = 1;
  private cursor = 0;
  private readonly req = new OrderRequest();

  constructor(readonly book: Book) {
    for (let s = 0; s < SLOTS; s++) {
      this.priceTicks[s] = RestingSlots.homePrice(s);
      this.place(s);
    }
  }

  /** Bids on even slots at mid-1..mid-LEVELS, asks on odd slots at mid+1..mid+LEVELS. */
  static homePrice(slot: number): number {
    const level = 1 + ((slot >> 1) % LEVELS_PER_SIDE);
    return (slot & 1) === 0 ? MID_TICKS - level : MID_TICKS + level;
  }

  static side(slot: number): Side {
    return (slot & 1) === 0 ? Side.BUY : Side.SELL;
  }

  /** Buyers are odd accounts, sellers even, as in the order stream. */
  static account(slot: number): number {
    return 2 * ((slot >> 1) % ACCOUNTS_PER_SIDE) + 1 + (slot & 1);
  }

  /** The next n slots of the stride walk, written into out. */
  take(out: Int32Array, n: number): void {
    for (let k = 0; k < n; k++) {
      out[k] = this.cursor;
      this.cursor = (this.cursor + STRIDE) % SLOTS;
    }
  }

  newOrderId(): number {
    return this.nextOrderId++;
  }

  /** Rests a fresh order (new id, full quantity) in the slot at its current price. */
  place(slot: number): void {
    const req = this.req;
    req.orderId = this.nextOrderId++;
    req.accountId = RestingSlots.account(slot);
    req.side = RestingSlots.side(slot);
    req.orderType = OrderType.LIMIT;
    req.timeInForce = TimeInForce.GTC;
    req.priceTicks = this.priceTicks[slot]!;
    req.qtyLots = SLOT_QTY_LOTS;
    this.check(this.book.place(req));
    this.orderId[slot] = req.orderId;
    this.qtyLots[slot] = SLOT_QTY_LOTS;
  }

  cancel(slot: number): void {
    this.check(this.book.cancel(RestingSlots.account(slot), this.orderId[slot]!, 0, CancelReason.USER, 0));
  }

  amend(slot: number, newPriceTicks: number, newQtyLots: number): void {
    this.check(this.book.amend(RestingSlots.account(slot), this.orderId[slot]!, 0, newPriceTicks, newQtyLots, 0));
    if (newPriceTicks !== 0) this.priceTicks[slot] = newPriceTicks;
    if (newQtyLots !== 0) this.qtyLots[slot] = newQtyLots;
  }

  check(code: number): void {
    if (code === Code.OK) return;
    this.failures++;
    this.lastFailureCode = code;
  }
}
