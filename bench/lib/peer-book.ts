// The book-stream peer: nodejs-order-book (npm), driven with the same OrderStream as our book.
//
// Mapping: prices in ticks and sizes in lots go over as the same integers (its arithmetic on them is
// subtraction and comparison, so they stay exact). LIMIT → limit() GTC. MARKET with a slippage limit →
// limit() IOC at that price: its own market() has no price limit, and an IOC limit at the worst price
// is exactly our MARKET semantics (fill up to the limit, expire the rest). CANCEL → cancel(id).
// Order ids are strings there; they are made before the timed run so the run times the book, not
// number-to-string conversion.

import { OrderBook, Side } from 'nodejs-order-book';
import type { Depth } from './depth.js';
import { StreamOp, type OrderStream } from './order-stream.js';

type PeerLimit = Parameters<OrderBook['limit']>[0];
const IOC = 'IOC' as NonNullable<PeerLimit['timeInForce']>;
const SIDES = [Side.BUY, Side.SELL] as const;

/** What a run leaves behind, comparable between engines. */
export interface StreamTally {
  tradedLots: number;
  /** Operations the engine refused (bad request, duplicate id...): 0 when the mapping is right. */
  rejected: number;
  /** Cancels whose target was no longer open (it had filled). */
  cancelMisses: number;
}

export function newTally(): StreamTally {
  return { tradedLots: 0, rejected: 0, cancelMisses: 0 };
}

/** ids[orderId] is the peer's id string of that order. */
export function peerOrderIds(stream: OrderStream): string[] {
  const ids = new Array<string>(stream.orderCount + 1);
  ids[0] = '';
  for (let id = 1; id <= stream.orderCount; id++) ids[id] = String(id);
  return ids;
}

export function newPeerBook(): OrderBook {
  return new OrderBook();
}

/** Applies stream[from, to) to the peer book. */
export function runPeerRange(book: OrderBook, stream: OrderStream, ids: readonly string[], from: number, to: number, tally: StreamTally): void {
  const { op, side, orderId, priceTicks, qtyLots } = stream;
  for (let i = from; i < to; i++) {
    const kind = op[i];
    if (kind === StreamOp.CANCEL) {
      if (book.cancel(ids[orderId[i]!]!) === undefined) tally.cancelMisses++;
      continue;
    }
    const size = qtyLots[i]!;
    const r =
      kind === StreamOp.LIMIT
        ? book.limit({ id: ids[orderId[i]!]!, side: SIDES[side[i]!]!, size, price: priceTicks[i]! })
        : book.limit({ id: ids[orderId[i]!]!, side: SIDES[side[i]!]!, size, price: priceTicks[i]!, timeInForce: IOC });
    if (r.err !== null) tally.rejected++;
    else tally.tradedLots += size - r.quantityLeft;
  }
}

/** Resting depth, best first. */
export function peerDepth(book: OrderBook): Depth {
  const [asks, bids] = book.depth();
  return { bids: [...bids].sort((a, b) => b[0] - a[0]), asks: [...asks].sort((a, b) => a[0] - b[0]) };
}
