// Order lifecycle events from market shards (inputs 1..S), for accounts this shard owns: they keep the
// shard's copy of each open order and the margin its position reserves in step with the book.
//
//   OrderAccepted             a market order's slippage limit is now known: it becomes P_assumed
//   OrderRejected             PlaceOrder: the market refused an order pre-trade accepted: withdrawn as if
//                             never accepted (refused, below); CancelOrder: a system cancel found nothing
//                             (the order already ended); LiquidationSweep: the sweep's order ended
//                             unfilled; Deleverage: the pipeline hears of it
//   OrderCancelled/Expired    the order is gone: release its reservation
//   OrderAmended              the amendment the risk shard let through is confirmed: new price and rest
// Liquidation and ADL orders, and any order of a scope in the pipeline, are reported to the liquidation
// engine when they end (LiquidationHooks.onOrderEnded). Records about orders the shard does not hold
// (other shards' accounts never arrive; a re-delivery is filtered earlier) are ignored.
// Thread contract: the risk-shard thread.

import { Code } from '../../engine/codes.js';
import { OrderOrigin } from '../../engine/enums.js';
import { OrderAcceptedLayout } from '../../engine/ring/layouts/order-accepted.js';
import { OrderAmendedLayout } from '../../engine/ring/layouts/order-amended.js';
import { OrderCancelledLayout } from '../../engine/ring/layouts/order-cancelled.js';
import { OrderRejectedLayout } from '../../engine/ring/layouts/order-rejected.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import type { ShardParts } from './shard-parts.js';
import type { AccountState, OpenOrderState, PositionState } from './state.js';

const ACC = OrderAcceptedLayout.offsets;
const REJ = OrderRejectedLayout.offsets;
const END = OrderCancelledLayout.offsets; // OrderExpired shares these offsets
const AMD = OrderAmendedLayout.offsets;

interface Located {
  account: AccountState;
  pos: PositionState;
  order: OpenOrderState;
}

const found: Located = { account: undefined!, pos: undefined!, order: undefined! };

function locate(p: ShardParts, accountId: number, marketId: number, orderId: number): Located | undefined {
  const account = p.state.accounts.get(accountId);
  const pos = account?.positions.get(marketId);
  const order = pos?.orders.get(orderId);
  if (order === undefined) return undefined;
  found.account = account!;
  found.pos = pos!;
  found.order = order;
  return found;
}

export function orderAccepted(p: ShardParts, buf: RecordBuffer, at: number): void {
  const l = locate(p, buf.accountId(at), buf.marketId(at), buf.u53At(at, ACC.orderId));
  if (l === undefined) return;
  const price = buf.u53At(at, ACC.priceTicks);
  // priceN is NaN only for a price past 2^53, which no u53 equals: the number comparison is the bigint one
  // without two bigints per accepted order.
  if (price > 0 && price !== l.order.priceN) {
    l.order.priceTicks = BigInt(price);
    p.reserve(l.account, l.pos);
  }
}

export function orderRejected(p: ShardParts, buf: RecordBuffer, at: number): void {
  const accountId = buf.accountId(at);
  const marketId = buf.marketId(at);
  const orderId = buf.u53At(at, REJ.orderId);
  const code = buf.u16At(at, REJ.code);
  switch (buf.u16At(at, REJ.commandType)) {
    case RecordType.PlaceOrder:
      refused(p, accountId, marketId, orderId, code, buf.timeUs(at));
      return;
    case RecordType.CancelOrder: {
      const l = locate(p, accountId, marketId, orderId);
      if (l !== undefined) l.order.cancelRequested = false;
      return;
    }
    case RecordType.LiquidationSweep:
      // Nothing to take within reach and budget (or a refusal): the sweep's order ended unfilled.
      ended(p, accountId, marketId, orderId, code, buf.timeUs(at));
      return;
    case RecordType.Deleverage:
      p.hooks.onOrderEnded(accountId, marketId, orderId, code, buf.timeUs(at));
      return;
    default:
      return;
  }
}

/** OrderCancelled and OrderExpired. */
export function orderEnded(p: ShardParts, buf: RecordBuffer, at: number): void {
  ended(p, buf.accountId(at), buf.marketId(at), buf.u53At(at, END.orderId), Code.OK, buf.timeUs(at));
}

export function orderAmended(p: ShardParts, buf: RecordBuffer, at: number): void {
  const l = locate(p, buf.accountId(at), buf.marketId(at), buf.u53At(at, AMD.orderId));
  if (l === undefined) return;
  l.order.priceTicks = BigInt(buf.u53At(at, AMD.newPriceTicks));
  l.order.remainingLots = BigInt(buf.u53At(at, AMD.remainingLots));
  p.reserve(l.account, l.pos);
}

/**
 * The market refused a PlaceOrder pre-trade accepted. A user order is withdrawn as if the shard had never
 * accepted it (docs/COMMANDS.md, "What a refusal leaves behind"): the reservation becomes what it would
 * have been without the order. When the order's acceptance was the last computation of the reservation,
 * that is the computation before it, at the mark it used; when something recomputed the reservation
 * since, it is that computation without the order, at its mark, and an acceptance that followed this one
 * now follows the one before it. A position record the order created is left blank, which is no state,
 * and the order id leaves the account's idempotency window: a retry is evaluated afresh.
 * Liquidation orders end as any other ending does.
 */
function refused(p: ShardParts, accountId: number, marketId: number, orderId: number, code: number, timeUs: number): void {
  const l = locate(p, accountId, marketId, orderId);
  if (l === undefined) return;
  const { account, pos, order } = l;
  if (order.origin !== OrderOrigin.USER) return ended(p, accountId, marketId, orderId, code, timeUs);
  pos.orders.delete(orderId);
  account.placedOrderIds.remove(orderId);
  if (pos.reserveOrderId === orderId) {
    p.reserveAt(account, pos, order.markBeforeTicks);
    pos.reserveOrderId = pos.orderCount === 0 ? 0 : order.reserveOrderIdBefore;
  } else {
    p.reserveAt(account, pos, pos.reserveMarkTicks);
    for (const o of pos.orders.values()) {
      if (o.reserveOrderIdBefore !== orderId) continue;
      o.markBeforeTicks = order.markBeforeTicks;
      o.reserveOrderIdBefore = order.reserveOrderIdBefore;
    }
    if (pos.orderCount === 0) pos.reserveOrderId = 0;
  }
  if (p.liquidating(account, pos)) p.hooks.onOrderEnded(accountId, marketId, orderId, code, timeUs);
}

/** The order left the book: forget it, release its margin, tell the pipeline when it is one of its own. */
function ended(p: ShardParts, accountId: number, marketId: number, orderId: number, code: number, timeUs: number): void {
  const l = locate(p, accountId, marketId, orderId);
  if (l === undefined) return;
  const { account, pos, order } = l;
  pos.orders.delete(orderId);
  p.reserve(account, pos);
  if (order.origin !== OrderOrigin.USER || p.liquidating(account, pos)) p.hooks.onOrderEnded(accountId, marketId, orderId, code, timeUs);
}
