// The fast book replays a real Bitfinex order-by-order feed (test/fixtures/l3, 100,048 events) as places,
// amends and cancels, and must hold exactly the feed's own book after every event without ever trading.
// The replay runs once (before); each test then checks one property of what it recorded.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { CancelReason, OrderType, Side, TimeInForce } from '../../../engine/enums.js';
import { OrderBook } from '../../../engine/book/order-book.js';
import { ReferenceBook } from '../../../engine/book/reference-book.js';
import { BookEventType, OrderRequest, type Book, type BookEvent, type BookEventSink, type LevelView } from '../../../engine/book/types.js';
import { L3Kind, loadBitfinexL3, type BitfinexL3Feed, type L3Event } from '../../support/bitfinex-l3.js';

interface FeedOrder {
  side: Side;
  priceTicks: number;
  qtyLots: number;
}

class TradeCounter implements BookEventSink {
  trades = 0;
  emit(ev: BookEvent): void {
    if (ev.type === BookEventType.TRADE_EXECUTED) this.trades++;
  }
}

/** Applies one feed event to a book as the exchange would see it; returns the codes of its commands. */
function apply(book: Book, req: OrderRequest, e: L3Event, timeUs: number): number[] {
  const place = (): number => {
    req.orderId = e.orderId;
    req.accountId = e.accountId;
    req.side = e.side;
    req.orderType = OrderType.LIMIT;
    req.timeInForce = TimeInForce.GTC;
    req.priceTicks = e.priceTicks;
    req.qtyLots = e.qtyLots;
    req.timeUs = timeUs;
    return book.place(req);
  };
  switch (e.kind) {
    case L3Kind.ADD:
      return [place()];
    case L3Kind.DELETE:
      return [book.cancel(e.accountId, e.orderId, 0, CancelReason.USER, timeUs)];
    case L3Kind.MODIFY:
      if (e.side !== e.prevSide) return [book.cancel(e.accountId, e.orderId, 0, CancelReason.USER, timeUs), place()];
      return [book.amend(e.accountId, e.orderId, 0, e.priceTicks === e.prevPriceTicks ? 0 : e.priceTicks, e.qtyLots === e.prevQtyLots ? 0 : e.qtyLots, timeUs)];
  }
}

function feedLevels(orders: Map<number, FeedOrder>, side: Side): LevelView[] {
  const byPrice = new Map<number, LevelView>();
  for (const o of orders.values()) {
    if (o.side !== side) continue;
    const l = byPrice.get(o.priceTicks) ?? { priceTicks: o.priceTicks, qtyLots: 0, orderCount: 0 };
    l.qtyLots += o.qtyLots;
    l.orderCount++;
    byPrice.set(o.priceTicks, l);
  }
  return [...byPrice.values()].sort((a, b) => (side === Side.BUY ? b.priceTicks - a.priceTicks : a.priceTicks - b.priceTicks));
}

/** First difference between the book and a feed book, or undefined. */
function difference(book: Book, orders: Map<number, FeedOrder>): string | undefined {
  if (book.orderCount() !== orders.size) return `book holds ${book.orderCount()} orders, feed ${orders.size}`;
  for (const o of book.orders()) {
    const f = orders.get(o.orderId);
    if (!f || f.side !== o.side || f.priceTicks !== o.priceTicks || f.qtyLots !== o.remainingLots) {
      return `order ${o.orderId}: book ${o.side}/${o.priceTicks}/${o.remainingLots}, feed ${f ? `${f.side}/${f.priceTicks}/${f.qtyLots}` : 'none'}`;
    }
  }
  for (const side of [Side.BUY, Side.SELL]) {
    const want = feedLevels(orders, side);
    const got = book.levels(side, want.length + 1);
    if (JSON.stringify(got) !== JSON.stringify(want)) return `side ${side} levels differ`;
  }
  return undefined;
}

function sameOrders(a: Map<number, FeedOrder>, b: Map<number, FeedOrder>): string | undefined {
  if (a.size !== b.size) return `${a.size} orders against ${b.size}`;
  for (const [id, o] of a) {
    const p = b.get(id);
    if (!p || p.side !== o.side || p.priceTicks !== o.priceTicks || p.qtyLots !== o.qtyLots) return `order ${id} differs`;
  }
  return undefined;
}

function applyToFeed(orders: Map<number, FeedOrder>, e: L3Event): void {
  if (e.kind === L3Kind.DELETE) orders.delete(e.orderId);
  else orders.set(e.orderId, { side: e.side, priceTicks: e.priceTicks, qtyLots: e.qtyLots });
}

describe('Bitfinex L3 replay through the fast book', () => {
  let feed: BitfinexL3Feed;
  const failedCommands: string[] = [];
  const mismatches: string[] = [];
  const caughtUpMismatches: string[] = [];
  let caughtUpChecks = 0;
  let trades = 0;
  let crossedAtRest = 0;

  before(() => {
    feed = loadBitfinexL3();
    const sink = new TradeCounter();
    const book = new OrderBook(feed.spec, sink);
    const req = new OrderRequest();
    const delivered = new Map<number, FeedOrder>();
    // The same events in file order: the feed's book as published, to compare where delivery caught up.
    const inFileOrder = [...feed.events].sort((a, b) => a.frame - b.frame);
    const published = new Map<number, FeedOrder>();
    let publishedUpTo = 0;
    let maxFrame = 0;
    feed.events.forEach((e, i) => {
      const codes = apply(book, req, e, i + 1);
      if (codes.some((c) => c !== Code.OK)) failedCommands.push(`event ${i} (frame ${e.frame}): ${codes.join(',')}`);
      applyToFeed(delivered, e);
      const d = difference(book, delivered);
      if (d) mismatches.push(`event ${i} (frame ${e.frame}): ${d}`);
      if (book.bestBid() !== 0 && book.bestAsk() !== 0 && book.bestBid() >= book.bestAsk()) crossedAtRest++;
      maxFrame = Math.max(maxFrame, e.frame);
      while (publishedUpTo < inFileOrder.length && inFileOrder[publishedUpTo]!.frame <= maxFrame) applyToFeed(published, inFileOrder[publishedUpTo++]!);
      // The book equals the delivered feed (checked above), so comparing the two feeds suffices here.
      if (publishedUpTo === i + 1) {
        caughtUpChecks++;
        const p = sameOrders(delivered, published);
        if (p) caughtUpMismatches.push(`event ${i} (frame ${e.frame}): ${p}`);
      }
    });
    trades = sink.trades;
  });

  test('every place, amend and cancel of the replay is accepted', () => {
    assert.deepEqual(failedCommands.slice(0, 5), []);
  });

  test('no trade ever occurs while replaying a book that never crosses', () => {
    assert.equal(trades, 0);
  });

  test('the book is never crossed at rest', () => {
    assert.equal(crossedAtRest, 0);
  });

  test("after every event the book holds exactly the feed's orders, prices, sizes and level aggregates", () => {
    assert.equal(feed.events.length, 100_048);
    assert.deepEqual(mismatches.slice(0, 5), []);
  });

  test('wherever delivery has caught up with the file, the book equals the feed as published', () => {
    // Only the two held-back updates and the events between them and their release are skipped.
    assert.ok(caughtUpChecks > feed.events.length - 100, `only ${caughtUpChecks} points to compare`);
    assert.deepEqual(caughtUpMismatches.slice(0, 5), []);
  });
});

describe('Bitfinex L3 replay: fast book against the reference book', () => {
  test('both books reach the same state hash after every event of the first 20,000', () => {
    const feed = loadBitfinexL3();
    const fast = new OrderBook(feed.spec, new TradeCounter());
    const reference = new ReferenceBook(feed.spec, new TradeCounter());
    const req = new OrderRequest();
    for (let i = 0; i < 20_000; i++) {
      const e = feed.events[i]!;
      const a = apply(fast, req, e, i + 1);
      const b = apply(reference, req, e, i + 1);
      assert.deepEqual(a, b, `event ${i}: codes differ`);
      assert.equal(fast.stateHash(), reference.stateHash(), `event ${i} (frame ${e.frame}): state hashes differ`);
    }
  });
});
