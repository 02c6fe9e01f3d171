// One open order as the risk shard keeps it (state.ts re-exports it). Its integer fields read and write
// as bigint and live in number slots with a bigint overflow (exact-slot.ts).
// Thread contract: the risk-shard thread.

import type { Side } from '../../engine/enums.js';
import { addExact, bigSlot, numberSlot, slotValue } from './exact-slot.js';
import type { OrderSlots } from './order-map.js';

/** An order this shard let through to a market and that has not ended yet. */
export class OpenOrderState {
  /** The columns of the OrderMap listing this order (order-map.ts), and its slot there; undefined when unlisted. */
  slots: OrderSlots | undefined = undefined;
  slot = 0;
  private priceValue = 0;
  private remainingValue = 0;
  /** Lots filled so far (number slot). */
  filledN = 0;
  private priceBig = 0n;
  private remainingBig = 0n;
  private filledBig = 0n;
  /** A system CancelOrder for this order is on its way to the market (so it is sent once). */
  cancelRequested = false;
  /**
   * The position's reserveMarkTicks and reserveOrderId just before this order's acceptance computed the
   * reservation: what a refusal of it by the market restores (order-events.ts, refused).
   */
  markBeforeTicks = 0;
  reserveOrderIdBefore = 0;

  constructor(
    readonly orderId: number,
    readonly clientOrderId: number,
    readonly marketId: number,
    readonly side: Side,
    /** A number must be a safe integer (a u53 field): it goes to the number slot as it is. */
    priceTicks: bigint | number,
    remainingLots: bigint | number,
    readonly reduceOnly: boolean,
    /** OrderOrigin: user orders reserve margin, liquidation orders do not. */
    readonly origin: number,
  ) {
    if (typeof priceTicks === 'number') this.priceValue = priceTicks;
    else this.priceTicks = priceTicks;
    if (typeof remainingLots === 'number') this.remainingValue = remainingLots;
    else this.remainingLots = remainingLots;
  }

  /** P_assumed of docs/RISK.md (number slot): the limit price, or for a market order the worst price its slippage allows. */
  get priceN(): number {
    return this.priceValue;
  }
  set priceN(v: number) {
    const was = this.priceValue;
    this.priceValue = v;
    this.written(this.remainingValue, was);
  }

  /** Open quantity: the order's quantity less what has filled (number slot). */
  get remainingN(): number {
    return this.remainingValue;
  }
  set remainingN(v: number) {
    const was = this.remainingValue;
    this.remainingValue = v;
    this.written(was, this.priceValue);
  }

  /** The price or open lots changed from (q, p): the listing's slot follows. */
  private written(q: number, p: number): void {
    const s = this.slots;
    if (s === undefined) return;
    s.prices[this.slot] = this.priceValue;
    s.remaining[this.slot] = this.remainingValue;
    s.changed(this.slot, q, p);
  }

  /** Mutable: OrderAccepted resolves a market order's slippage limit, OrderAmended moves the price. */
  get priceTicks(): bigint {
    return slotValue(this.priceN, this.priceBig);
  }
  set priceTicks(v: bigint) {
    this.priceN = numberSlot(v);
    this.priceBig = bigSlot(v);
  }

  get remainingLots(): bigint {
    return slotValue(this.remainingN, this.remainingBig);
  }
  set remainingLots(v: bigint) {
    this.remainingN = numberSlot(v);
    this.remainingBig = bigSlot(v);
  }

  /** AmendOrder carries the new total quantity, so the new remainder is total − filled. */
  get filledLots(): bigint {
    return slotValue(this.filledN, this.filledBig);
  }
  set filledLots(v: bigint) {
    this.filledN = numberSlot(v);
    this.filledBig = bigSlot(v);
  }

  /** The open quantity under the name risk/order-cost.ts reads (OpenOrder.qtyLots). */
  get qtyLots(): bigint {
    return this.remainingLots;
  }

  /** A fill of `lots` leaving `remaining` open (both u53 from the record). */
  filled(lots: number, remaining: number): void {
    this.remainingN = remaining;
    const f = addExact(this.filledN, lots);
    if (f === f) this.filledN = f;
    else this.filledLots = this.filledLots + BigInt(lots);
  }
}
