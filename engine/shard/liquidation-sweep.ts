// The market shard's side of the budgeted full close (LiquidationSweep, engine/ring/layouts/
// liquidation-sweep.ts): check the record, plan the walk against the live book (sweep-plan.ts) and
// execute it as one IOC reduce-only order of exactly the planned lots at the worst planned price. The
// plan and the order see the same book (nothing runs between them), and the book fills best first, so the
// order takes exactly the planned levels: the fund's cost is the plan's, within the budget.
//
// Depth is what a taker can trade (Book.takeableLevels): a reduce-only resting order counts only what its
// account can still reduce, so the planned lots are the lots the order fills.
//
// Reach: a level is taken only while its price is no worse than the record's limit (the liquidation
// band's far edge at the risk shard's mark) and inside the book's own price band around its reference
// (mark, else last trade: an order limited beyond it would be refused PRICE_OUTSIDE_BAND). The order's
// limit is the worst planned price, or the reference when every planned level lies beyond the band on
// the good side (any limit between gives the same fills). Self-trade prevention expires the taker: the
// fills are then a prefix of the plan, whose running cost never exceeded the budget.
//
// Thread contract: the market-shard thread, inside handle().

import { Code } from '../codes.js';
import { OrderOrigin, OrderType, Side, StpMode, TimeInForce, TriggerSource } from '../enums.js';
import type { Book, OrderRequest } from '../book/types.js';
import { LiquidationSweepLayout } from '../ring/layouts/liquidation-sweep.js';
import type { RecordBuffer } from '../ring/record.js';
import { planSweep, type SweepLevel, type SweepOrder, type SweepPlan } from './sweep-plan.js';

const SW = LiquidationSweepLayout.offsets;
/** Levels read per look at the book; the walk reads four times as many again when it ran out. */
const FIRST_LEVELS = 64;

/**
 * Checks and executes one LiquidationSweep; returns Code.OK when it reached the book (whose events answer
 * it), else the code to refuse it with (nothing changed).
 */
export function executeSweep(book: Book, buf: RecordBuffer, at: number, req: OrderRequest): number {
  const spec = book.spec;
  const side = buf.u8At(at, SW.side);
  if (side !== Side.BUY && side !== Side.SELL) return Code.INVALID_SIDE;
  const qty = buf.u53At(at, SW.qtyLots);
  if (qty < spec.minQtyLots) return Code.QTY_BELOW_MIN;
  if (qty > spec.maxQtyLots) return Code.QTY_ABOVE_MAX;
  const limit = buf.u53At(at, SW.limitPriceTicks);
  if (limit < 1 || limit > spec.maxPriceTicks) return Code.PRICE_OUT_OF_RANGE;
  const budget = buf.i64At(at, SW.budgetAtoms);
  const accountId = buf.accountId(at);
  // Reduce-only: no more than the position the book knows, on the side being closed.
  const position = book.positionLots(accountId);
  const closable = side === Side.SELL ? position : -position;
  if (closable <= 0) return Code.REDUCE_ONLY_NO_POSITION;
  const lots = BigInt(qty < closable ? qty : closable);
  const plan = planAgainstBook(book, side, limit, {
    side,
    qtyLots: lots,
    bankruptcyPriceTicks: buf.i64At(at, SW.bankruptcyPriceTicks),
    budgetAtoms: budget,
    atomsPerTickLot: spec.atomsPerTickLot,
  });
  if (plan.lots < BigInt(spec.minQtyLots)) return Code.NO_LIQUIDITY;
  const reference = bandReference(book);
  const worst = Number(plan.worstPriceTicks);
  req.orderId = buf.u53At(at, SW.sweepId);
  req.accountId = accountId;
  req.clientOrderId = 0;
  req.side = side;
  req.orderType = OrderType.LIMIT;
  req.timeInForce = TimeInForce.IOC;
  req.stpMode = StpMode.EXPIRE_TAKER;
  req.triggerSource = TriggerSource.MARK;
  req.reduceOnly = true;
  req.origin = OrderOrigin.LIQUIDATION;
  req.priceTicks = spec.withinBand(worst, reference) ? worst : reference;
  req.qtyLots = Number(plan.lots);
  req.triggerPriceTicks = 0;
  req.timeUs = buf.timeUs(at);
  book.place(req);
  return Code.OK;
}

/** The book's band reference: mark, else last trade, else 0 (no band). */
function bandReference(book: Book): number {
  const mark = book.markPrice();
  return mark > 0 ? mark : book.lastTradePrice();
}

/** The sweep's plan against the book's opposite side, reading deeper only when the walk ran out of levels. */
export function planAgainstBook(book: Book, side: Side, limitTicks: number, order: SweepOrder): SweepPlan {
  const reference = bandReference(book);
  const selling = side === Side.SELL;
  const inReach = (p: number): boolean => {
    if (selling ? p < limitTicks : p > limitTicks) return false;
    // Better than the reference is always reachable; worse must stay inside the book's band.
    return (selling ? p >= reference : p <= reference) || book.spec.withinBand(p, reference);
  };
  for (let n = FIRST_LEVELS; ; n *= 4) {
    const levels: SweepLevel[] = book.takeableLevels(selling ? Side.BUY : Side.SELL, n);
    const plan = planSweep(order, levels, inReach);
    if (!plan.exhausted || levels.length < n) return plan;
  }
}
