// MarketCommands: everything the risk shard sends towards market shards, on the stream of the shard that
// owns the market (marketShardOf). Gateway commands that pass pre-trade are copied as they are (the
// stream re-stamps seq); the shard's own commands are encoded here:
//
//   CancelOrder      one user order that a risk-increasing fill left unaffordable (settlement.ts)
//   CancelAllOrders  liquidation step 2 and ADL counterparties (RiskEffects.cancelAllOrders)
//   PlaceOrder       IOC reduce-only, origin LIQUIDATION: the step-down (RiskEffects.placeLiquidationOrder)
//   LiquidationSweep the full close's budgeted walk of the book (RiskEffects.sweepLiquidation)
//   Deleverage       an ADL close at the bankrupt scope's price (RiskEffects.deleverage)
//   ListMarket       a listing this shard applied, re-written part by part (market-listing.ts)
//
// System order ids: shard s hands out SYSTEM_ORDER_ID_BASE + s·SPAN + 1, + 2, ... (seams.ts), above every
// gateway id, so they never collide with a user's order or with another risk shard's.
// Thread contract: the risk-shard thread.

import { OrderOrigin, OrderType, StpMode, TimeInForce, TriggerSource, type Side } from '../../engine/enums.js';
import { CancelAllOrdersLayout } from '../../engine/ring/layouts/cancel-all-orders.js';
import { CancelOrderLayout } from '../../engine/ring/layouts/cancel-order.js';
import { DeleverageLayout } from '../../engine/ring/layouts/deleverage.js';
import { LiquidationSweepLayout } from '../../engine/ring/layouts/liquidation-sweep.js';
import { PlaceOrderLayout } from '../../engine/ring/layouts/place-order.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import type { EventOutput } from '../../engine/shard/event-output.js';
import { SYSTEM_ORDER_ID_BASE, SYSTEM_ORDER_ID_SPAN } from './seams.js';
import { u53Ticks } from './risk-events.js';
import { listingParts, writeListingPart, type ListingHeader } from '../../engine/shard/listing-assembly.js';

const CO = CancelOrderLayout.offsets;
const CA = CancelAllOrdersLayout.offsets;
const PO = PlaceOrderLayout.offsets;
const DL = DeleverageLayout.offsets;
const SW = LiquidationSweepLayout.offsets;
const MAX_I64 = (1n << 63n) - 1n;

const PO_PRICE_TICKS = PlaceOrderLayout.offsets.priceTicks;

export class MarketCommands {
  private readonly b = RecordBuffer.allocate(1);
  /** System ids handed out so far (the next is base + issued + 1). */
  issuedSystemIds = 0;
  /** Records sent towards market shards since start, for monitoring. */
  sent = 0;
  private readonly systemIdBase: number;

  constructor(
    shardId: number,
    private readonly outputs: readonly EventOutput[],
    private readonly marketShardOf: (marketId: number) => number,
  ) {
    this.systemIdBase = SYSTEM_ORDER_ID_BASE + shardId * SYSTEM_ORDER_ID_SPAN;
  }

  /** The stream towards the shard owning the market; throws for a market no shard owns (configuration). */
  output(marketId: number): EventOutput {
    const out = this.outputs[this.marketShardOf(marketId)];
    if (out === undefined) throw new Error(`no market-shard stream for market ${marketId}`);
    return out;
  }

  /** Copies a gateway command that passed pre-trade to the market's stream (seq re-stamped there). */
  forward(src: RecordBuffer, at: number): void {
    this.send(src, at, src.marketId(at));
  }

  /** Forwards a PlaceOrder with its limit price set (the input record itself stays as received). */
  forwardWithPrice(src: RecordBuffer, at: number, priceTicks: number): void {
    const b = this.b;
    b.copyFrom(src, at, 0);
    b.setU53(0, PO_PRICE_TICKS, priceTicks);
    this.send(b, 0, src.marketId(at));
  }

  nextSystemId(): number {
    if (this.issuedSystemIds + 1 >= SYSTEM_ORDER_ID_SPAN) throw new Error('risk shard ran out of system order ids');
    return this.systemIdBase + ++this.issuedSystemIds;
  }

  cancelOrder(accountId: number, marketId: number, orderId: number, timeUs: number): void {
    const b = this.start(RecordType.CancelOrder, timeUs, marketId, accountId);
    b.setU53(0, CO.orderId, orderId);
    this.send(b, 0, marketId);
  }

  cancelAllOrders(accountId: number, marketId: number, reason: number, timeUs: number): void {
    const b = this.start(RecordType.CancelAllOrders, timeUs, marketId, accountId);
    b.setU8(0, CA.reason, reason);
    this.send(b, 0, marketId);
  }

  /** An IOC reduce-only LIQUIDATION order; returns its system order id. */
  placeLiquidationOrder(accountId: number, marketId: number, side: Side, qtyLots: bigint, limitPriceTicks: bigint, timeUs: number): number {
    const orderId = this.nextSystemId();
    const b = this.start(RecordType.PlaceOrder, timeUs, marketId, accountId);
    b.setU53(0, PO.orderId, orderId);
    b.setU53(0, PO.priceTicks, u53Ticks(limitPriceTicks));
    b.setU53(0, PO.qtyLots, u53Ticks(qtyLots));
    b.setU8(0, PO.side, side);
    b.setU8(0, PO.orderType, OrderType.LIMIT);
    b.setU8(0, PO.timeInForce, TimeInForce.IOC);
    b.setU8(0, PO.stpMode, StpMode.EXPIRE_MAKER);
    b.setU8(0, PO.triggerSource, TriggerSource.MARK);
    b.setU8(0, PO.reduceOnly, 1);
    b.setU8(0, PO.origin, OrderOrigin.LIQUIDATION);
    this.send(b, 0, marketId);
    return orderId;
  }

  /** A LiquidationSweep (engine/ring/layouts/liquidation-sweep.ts); returns its id, the id of the IOC it becomes. */
  sweep(accountId: number, marketId: number, side: Side, qtyLots: bigint, limitPriceTicks: bigint, bankruptcyPriceTicks: bigint, budgetAtoms: bigint, timeUs: number): number {
    const id = this.nextSystemId();
    const b = this.start(RecordType.LiquidationSweep, timeUs, marketId, accountId);
    b.setU53(0, SW.sweepId, id);
    b.setU53(0, SW.qtyLots, u53Ticks(qtyLots));
    b.setU53(0, SW.limitPriceTicks, u53Ticks(limitPriceTicks));
    // A bankruptcy price past the i64 range would take a notional no balance bound allows; saturated.
    b.setI64(0, SW.bankruptcyPriceTicks, bankruptcyPriceTicks > MAX_I64 ? MAX_I64 : bankruptcyPriceTicks < -MAX_I64 ? -MAX_I64 : bankruptcyPriceTicks);
    b.setI64(0, SW.budgetAtoms, budgetAtoms > MAX_I64 ? MAX_I64 : budgetAtoms);
    b.setU8(0, SW.side, side);
    this.send(b, 0, marketId);
    return id;
  }

  /** A Deleverage command (header account: the liquidated one); returns its id. */
  deleverage(liquidatedAccountId: number, counterpartyAccountId: number, marketId: number, side: Side, qtyLots: bigint, priceTicks: bigint, timeUs: number): number {
    const id = this.nextSystemId();
    const b = this.start(RecordType.Deleverage, timeUs, marketId, liquidatedAccountId);
    b.setU53(0, DL.deleverageId, id);
    b.setU53(0, DL.qtyLots, u53Ticks(qtyLots));
    b.setU53(0, DL.priceTicks, u53Ticks(priceTicks));
    b.setU32(0, DL.counterpartyAccountId, counterpartyAccountId);
    b.setU8(0, DL.side, side);
    this.send(b, 0, marketId);
    return id;
  }

  /** A listing's ListMarket group, part by part, to the owning market shard's stream (market-listing.ts). */
  listMarket(shard: number, listing: Uint8Array, h: ListingHeader): void {
    const out = this.outputs[shard]!;
    for (let part = 0; part < listingParts(listing.length); part++) {
      writeListingPart(this.b, 0, h, listing, part);
      out.append(this.b, 0);
      this.sent++;
    }
  }

  private send(src: RecordBuffer, at: number, marketId: number): void {
    this.output(marketId).append(src, at);
    this.sent++;
  }

  private start(type: number, timeUs: number, marketId: number, accountId: number): RecordBuffer {
    this.b.begin(0, type, timeUs, marketId, accountId);
    return this.b;
  }
}
