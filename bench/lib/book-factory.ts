// The books the benchmarks build, by name. The benchmark market is the default BTC-PERP spec (0.1 USDT
// ticks, 0.001 BTC lots, 200 open orders per account, 4M orders per book); a replay brings its own.

import type { Book, BookEventSink } from '../../engine/book/types.js';
import { OrderBook } from '../../engine/book/order-book.js';
import { ReferenceBook } from '../../engine/book/reference-book.js';
import { DEFAULT_MARKETS, MarketSpec } from '../../engine/market/spec.js';

export const BookKind = { FAST: 'order-book', REFERENCE: 'reference-book' } as const;
export type BookKind = (typeof BookKind)[keyof typeof BookKind];

export const benchSpec = new MarketSpec(DEFAULT_MARKETS[0]!);

export function newBook(kind: BookKind, sink: BookEventSink, spec: MarketSpec = benchSpec): Book {
  return kind === BookKind.FAST ? new OrderBook(spec, sink) : new ReferenceBook(spec, sink);
}

export function isBookKind(s: string): s is BookKind {
  return s === BookKind.FAST || s === BookKind.REFERENCE;
}
