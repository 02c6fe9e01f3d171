// The I5 checker itself: ADL is justified only when not one lot of the remainder fitted the book within the
// band and what was left of the event's budget. The previous checker flagged only a remainder the book
// could take whole; a partly absorbable one (ADL of lots the book and the fund could have taken) passed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrderOrigin, OrderType, Side, StpMode, TimeInForce } from '../../engine/enums.js';
import { OrderBook } from '../../engine/book/order-book.js';
import { OrderRequest } from '../../engine/book/types.js';
import { DEFAULT_MARKETS, MarketSpec } from '../../engine/market/spec.js';
import { RATE_PERCENT } from '../../risk/units.js';
import { unnecessaryAdl, type AdlMoment } from './adl-justification.js';

const BTC = new MarketSpec(DEFAULT_MARKETS[0]!);
const USDT = 1_000_000n;

/** Mark 59,500; bids 0.1 BTC at 59,000 and 5 BTC at 58,000. */
function book(): OrderBook {
  const b = new OrderBook(BTC, { emit: () => {} });
  b.setMarkPrice(595_000, 1);
  let id = 1;
  for (const [price, qty] of [[590_000, 100], [580_000, 5_000]] as const) {
    const r = new OrderRequest();
    Object.assign(r, { orderId: id++, accountId: 9, side: Side.BUY, orderType: OrderType.LIMIT, timeInForce: TimeInForce.GTC, stpMode: StpMode.EXPIRE_TAKER, origin: OrderOrigin.USER, priceTicks: price, qtyLots: qty, timeUs: 1 });
    b.place(r);
  }
  return b;
}

// A long's remainder of 0.5 BTC going to ADL at 59,000 with the scope at equity −250 + 250 = 0 at that
// price: all by ADL costs the fund nothing; a lot at 59,000 costs nothing more, one at 58,000 costs 1 USDT.
const moment = (budgetAtoms: bigint): AdlMoment => ({
  closingLots: -500n,
  markTicks: 595_000n,
  bandRate: 10n * RATE_PERCENT,
  equityAtoms: 250n * USDT,
  budgetAtoms,
  atomsPerTickLot: BTC.atomsPerTickLot,
  adlPriceTicks: 590_000n,
});

test('ADL of a remainder the book could have taken only in part is flagged', () => {
  // The 0.1 BTC at 59,000 costs nothing: ADL of all 0.5 BTC is flagged even with no budget at all, and
  // 10 USDT would have paid for 10 lots more at 58,000: never the whole remainder, yet flagged.
  assert.match(unnecessaryAdl(book(), moment(0n)) ?? '', /could take 100 of them/);
  assert.match(unnecessaryAdl(book(), moment(10n * USDT)) ?? '', /could take 110 of them/);
});

test('ADL is justified when the book within the band holds nothing the budget left pays for', () => {
  const b = book();
  const r = new OrderRequest();
  // Someone takes the 59,000 bid: only 58,000 is left, at 1 USDT a lot, and the budget is 0.
  Object.assign(r, { orderId: 50, accountId: 8, side: Side.SELL, orderType: OrderType.LIMIT, timeInForce: TimeInForce.IOC, stpMode: StpMode.EXPIRE_TAKER, origin: OrderOrigin.USER, priceTicks: 590_000, qtyLots: 100, timeUs: 2 });
  b.place(r);
  assert.equal(unnecessaryAdl(b, moment(0n)), undefined);
  assert.equal(unnecessaryAdl(b, moment(999_999n)), undefined, 'less than one lot\'s cost');
  assert.match(unnecessaryAdl(b, moment(USDT)) ?? '', /could take 1 of them/);
});
