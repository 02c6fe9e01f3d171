import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { OrderOrigin, OrderType, Side } from '../../../engine/enums.js';
import { RecordType } from '../../../engine/ring/types.js';
import { SYSTEM_ORDER_ID_BASE } from '../../../risk/shard/seams.js';
import { amend, cancel, place, type PlaceArgs } from '../../support/commands.js';
import { markPriceUpdated, orderAccepted } from '../../support/risk-commands.js';
import { BTC_60K, BTC_ID, ONE_BTC, ShardFixture, usdt } from './shard-fixture.js';

function fixture(walletUsdt = 10_000): ShardFixture {
  const fx = new ShardFixture();
  fx.fund(2, usdt(walletUsdt));
  fx.fund(3, usdt(1_000_000));
  fx.mark(BTC_ID, BTC_60K);
  fx.take();
  return fx;
}

function reserved(fx: ShardFixture, accountId = 2): bigint {
  return fx.state.accounts.get(accountId)!.positions.get(BTC_ID)?.orderMarginAtoms ?? 0n;
}

/** Places an order that must be refused with `code`, leaving the state (streams aside) as it was. */
function expectRefused(fx: ShardFixture, args: PlaceArgs, code: number): void {
  fx.take();
  fx.takeMarket();
  const before = fx.shard.stateHashExcludingStreams();
  fx.gw(place(args));
  const events = fx.take();
  assert.deepEqual(events.map((e) => e.type), ['OrderRejected']);
  assert.equal(events[0]!.code, code);
  assert.equal(events[0]!.commandType, RecordType.PlaceOrder);
  assert.equal(events[0]!.orderId, args.orderId);
  assert.equal(fx.takeMarket().length, 0);
  assert.equal(fx.shard.stateHashExcludingStreams(), before);
}

const buy = (orderId: number, qtyLots: number, priceTicks = BTC_60K, extra: Partial<PlaceArgs> = {}): PlaceArgs => ({ orderId, accountId: 2, side: Side.BUY, priceTicks, qtyLots, ...extra });
const sell = (orderId: number, qtyLots: number, priceTicks = BTC_60K, extra: Partial<PlaceArgs> = {}): PlaceArgs => ({ orderId, accountId: 2, side: Side.SELL, priceTicks, qtyLots, ...extra });

test('an accepted order goes to the market shard as it came and reserves its cost', () => {
  const fx = fixture();
  fx.takeMarket();
  fx.gw(place(buy(10, ONE_BTC)));
  const [forwarded] = fx.takeMarket();
  assert.equal(forwarded!.type, 'PlaceOrder');
  assert.equal(forwarded!.orderId, 10);
  assert.equal(forwarded!.qtyLots, ONE_BTC);
  assert.equal(forwarded!.seq, 1);
  assert.equal(fx.take().length, 0);
  // 60,000 USDT at 20x, no open loss at the mark, a 5 bp taker-fee reserve.
  assert.equal(reserved(fx), usdt(3_000) + usdt(30));
});

test('an order whose cost exceeds Available is refused with INSUFFICIENT_MARGIN', () => {
  const fx = fixture(3_000);
  expectRefused(fx, buy(10, ONE_BTC), Code.INSUFFICIENT_MARGIN);
});

test('an order on the other side nets against the first and costs nothing more', () => {
  const fx = fixture(3_030);
  fx.gw(place(buy(10, ONE_BTC)));
  assert.equal(fx.shard.parts.cross(fx.state.accounts.get(2)!).availableAtoms, 0n);
  fx.gw(place(sell(11, ONE_BTC / 2, 610_000)));
  assert.equal(fx.take().length, 0);
  assert.equal(reserved(fx), usdt(3_030));
});

test('an order for a market the shard does not know is refused with UNKNOWN_MARKET', () => {
  expectRefused(fixture(), buy(10, 1, BTC_60K, { marketId: 9 }), Code.UNKNOWN_MARKET);
});

test('an order before the market has a mark is refused with MARK_PRICE_UNAVAILABLE', () => {
  const fx = new ShardFixture();
  fx.fund(2, usdt(10_000));
  expectRefused(fx, buy(10, 1), Code.MARK_PRICE_UNAVAILABLE);
});

test('an order in a scope the liquidation engine froze is refused with ACCOUNT_LIQUIDATING', () => {
  const fx = fixture();
  fx.hooks.frozen.add('2:*');
  expectRefused(fx, buy(10, 1), Code.ACCOUNT_LIQUIDATING);
});

test('orders whose shape the margin maths cannot take are refused before any check', () => {
  const fx = fixture();
  expectRefused(fx, buy(10, 1, BTC_60K, { side: 2 }), Code.INVALID_SIDE);
  // Liquidation orders are the engine's own: no account may send one.
  expectRefused(fx, buy(10, 1, BTC_60K, { origin: OrderOrigin.LIQUIDATION }), Code.NOT_PERMITTED);
  expectRefused(fx, buy(10, 1, BTC_60K, { origin: 7 }), Code.INVALID_FLAGS);
  expectRefused(fx, buy(SYSTEM_ORDER_ID_BASE + 1, 1), Code.INVALID_ORDER_ID);
  expectRefused(fx, buy(10, 0), Code.QTY_BELOW_MIN);
  fx.gw(place(buy(10, 1)));
  expectRefused(fx, buy(10, 1), Code.DUPLICATE_ORDER_ID);
});

test('a reduce-only order needs a position to reduce, on the other side', () => {
  const fx = fixture();
  expectRefused(fx, sell(10, 1, BTC_60K, { reduceOnly: true }), Code.REDUCE_ONLY_NO_POSITION);
  fx.cross(3, 2, Side.BUY, BTC_60K, ONE_BTC);
  expectRefused(fx, buy(20, 1, BTC_60K, { reduceOnly: true }), Code.REDUCE_ONLY_WOULD_INCREASE);
  const before = reserved(fx);
  fx.gw(place(sell(21, 2 * ONE_BTC, BTC_60K, { reduceOnly: true })));
  assert.equal(fx.take().length, 0);
  assert.equal(reserved(fx), before);
});

test('an order that could take the position past the top tier is refused with POSITION_LIMIT_EXCEEDED', () => {
  const fx = fixture(100_000_000);
  // The top tier ends at 20,000,000 USDT: 334 BTC at 60,000 is past it, 333 BTC is not.
  expectRefused(fx, buy(10, 334 * ONE_BTC), Code.POSITION_LIMIT_EXCEEDED);
  fx.gw(place(buy(11, 333 * ONE_BTC)));
  assert.equal(fx.take().length, 0);
});

test('below initial margin only orders that reduce the position are accepted', () => {
  const fx = fixture(4_000);
  fx.cross(3, 2, Side.BUY, BTC_60K, ONE_BTC);
  // At 58,900 the long's equity 2,870 is under its IM of 2,945 but above its MM of 678.
  fx.mark(BTC_ID, 589_000);
  assert.equal(fx.hooks.checks.length, 0);
  expectRefused(fx, buy(10, 1, 589_000), Code.BELOW_INITIAL_MARGIN);
  expectRefused(fx, sell(11, ONE_BTC + 1, 589_000), Code.BELOW_INITIAL_MARGIN);
  fx.gw(place(sell(12, ONE_BTC / 2, 589_000)));
  assert.equal(fx.take().length, 0);
});

test('a stale index makes the market reduce-only for orders that would add exposure', () => {
  const fx = fixture();
  fx.cross(3, 2, Side.BUY, BTC_60K, ONE_BTC);
  fx.mk(markPriceUpdated(BTC_ID, BTC_60K, { stale: true }));
  expectRefused(fx, buy(10, 1), Code.MARKET_REDUCE_ONLY);
  fx.gw(place(sell(11, ONE_BTC)));
  assert.equal(fx.take().length, 0);
  fx.mk(markPriceUpdated(BTC_ID, BTC_60K));
  fx.gw(place(buy(12, 1)));
  assert.equal(fx.take().length, 0);
});

test('a market order is costed at the worst price its default slippage allows until the market resolves it', () => {
  const fx = fixture();
  fx.gw(place(buy(10, ONE_BTC, 0, { orderType: OrderType.MARKET })));
  // 5% above the mark: 63,000 USDT at 20x, 3,000 of open loss against the mark, 31.5 of fee reserve.
  assert.equal(reserved(fx), usdt(3_150) + usdt(3_000) + 31_500_000n);
  fx.mk(orderAccepted(2, 10, Side.BUY, 605_000, ONE_BTC, BTC_ID, OrderType.MARKET));
  assert.equal(reserved(fx), usdt(3_025) + usdt(500) + 30_250_000n);
});

test('an amendment that raises the order margin past Available is refused, a smaller one goes on', () => {
  const fx = fixture(4_000);
  fx.gw(place(buy(10, ONE_BTC)));
  fx.takeMarket();
  fx.take();
  const before = fx.shard.stateHashExcludingStreams();
  fx.gw(amend(2, 10, 0, 2 * ONE_BTC));
  const [r] = fx.take();
  assert.equal(r!.code, Code.INSUFFICIENT_MARGIN);
  assert.equal(r!.commandType, RecordType.AmendOrder);
  assert.equal(fx.shard.stateHashExcludingStreams(), before);
  fx.gw(amend(2, 10, 0, ONE_BTC / 2));
  assert.deepEqual(fx.takeMarket().map((e) => e.type), ['AmendOrder']);
});

test('an amendment of an order the shard does not hold is refused with ORDER_NOT_FOUND', () => {
  const fx = fixture();
  fx.gw(amend(2, 99, 0, 5));
  assert.equal(fx.take()[0]!.code, Code.ORDER_NOT_FOUND);
});

test('a cancel passes through to the market shard', () => {
  const fx = fixture();
  fx.takeMarket();
  fx.gw(cancel(2, 10));
  assert.deepEqual(fx.takeMarket().map((e) => e.type), ['CancelOrder']);
  assert.equal(fx.take().length, 0);
});

test('a market order without a price goes to the market with the worst price it was margined for', () => {
  const fx = fixture();
  fx.takeMarket();
  fx.gw(place(buy(10, ONE_BTC, 0, { orderType: OrderType.MARKET })));
  fx.gw(place({ ...buy(11, ONE_BTC, 0, { orderType: OrderType.MARKET }), side: Side.SELL }));
  const sent = fx.takeMarket().filter((r) => r.type === 'PlaceOrder');
  // Mark 60,000.0: a buy may pay at most 5% more (630,000 ticks), a sell take at least 5% less (570,000).
  assert.deepEqual(sent.map((r) => r.priceTicks), [630_000, 570_000]);
});
