// Drives one of our books with an OrderStream: the loop the book-stream suite times. One OrderRequest is
// reused for every order, as the market shard does with its decoded records; MARKET orders carry the
// stream's slippage limit as their price and are IOC by nature.

import { Code } from '../../engine/codes.js';
import { CancelReason, OrderType, TimeInForce, type Side } from '../../engine/enums.js';
import { OrderRequest, type Book } from '../../engine/book/types.js';
import { StreamOp, type OrderStream } from './order-stream.js';
import type { StreamTally } from './peer-book.js';

/**
 * A start time for streams whose times should look like a venue's (2026-01-01T12:00:00Z in µs since the
 * epoch, as the gateway stamps them): beyond V8's small integers, so the code under test keeps such times
 * as real flows make it (a heap number where an object field holds one), which times counted from 0 hide.
 */
export const EPOCH_START_US = 1_767_268_800_000_000;

export function newRequest(): OrderRequest {
  return new OrderRequest();
}

/** Applies stream[from, to) to the book; the op index (× usPerOp, after startUs) doubles as the input time (µs). */
export function runBookRange(book: Book, req: OrderRequest, stream: OrderStream, from: number, to: number, tally: StreamTally, usPerOp = 1, startUs = 0): void {
  const { op, side, orderId, accountId, priceTicks, qtyLots } = stream;
  for (let i = from; i < to; i++) {
    const kind = op[i];
    if (kind === StreamOp.CANCEL) {
      if (book.cancel(accountId[i]!, orderId[i]!, 0, CancelReason.USER, startUs + i * usPerOp) !== Code.OK) tally.cancelMisses++;
      continue;
    }
    req.orderId = orderId[i]!;
    req.accountId = accountId[i]!;
    req.side = side[i]! as Side;
    req.orderType = kind === StreamOp.LIMIT ? OrderType.LIMIT : OrderType.MARKET;
    req.timeInForce = kind === StreamOp.LIMIT ? TimeInForce.GTC : TimeInForce.IOC;
    req.priceTicks = priceTicks[i]!;
    req.qtyLots = qtyLots[i]!;
    req.timeUs = startUs + i * usPerOp;
    if (book.place(req) !== Code.OK) tally.rejected++;
  }
}
