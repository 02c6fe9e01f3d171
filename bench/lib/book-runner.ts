// Drives one of our books with an OrderStream: the loop the book-stream suite times. One OrderRequest is
// reused for every order, as the market shard does with its decoded records; MARKET orders carry the
// stream's slippage limit as their price and are IOC by nature.

import { Code } from '../../engine/codes.js';
import { CancelReason, OrderType, TimeInForce, type Side } from '../../engine/enums.js';
import { OrderRequest, type Book } from '../../engine/book/types.js';
import { StreamOp, type OrderStream } from './order-stream.js';
import type { StreamTally } from './peer-book.js';

export function newRequest(): OrderRequest {
  return new OrderRequest();
}

/** Applies stream[from, to) to the book; the op index (× usPerOp) doubles as the input time (µs). */
export function runBookRange(book: Book, req: OrderRequest, stream: OrderStream, from: number, to: number, tally: StreamTally, usPerOp = 1): void {
  const { op, side, orderId, accountId, priceTicks, qtyLots } = stream;
  for (let i = from; i < to; i++) {
    const kind = op[i];
    if (kind === StreamOp.CANCEL) {
      if (book.cancel(accountId[i]!, orderId[i]!, 0, CancelReason.USER, i * usPerOp) !== Code.OK) tally.cancelMisses++;
      continue;
    }
    req.orderId = orderId[i]!;
    req.accountId = accountId[i]!;
    req.side = side[i]! as Side;
    req.orderType = kind === StreamOp.LIMIT ? OrderType.LIMIT : OrderType.MARKET;
    req.timeInForce = kind === StreamOp.LIMIT ? TimeInForce.GTC : TimeInForce.IOC;
    req.priceTicks = priceTicks[i]!;
    req.qtyLots = qtyLots[i]!;
    req.timeUs = i * usPerOp;
    if (book.place(req) !== Code.OK) tally.rejected++;
  }
}
