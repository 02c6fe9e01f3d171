import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { CancelReason, OrderOrigin, Side, TimeInForce } from '../../../engine/enums.js';
import { encodeRecord } from '../../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { RecordType } from '../../../engine/ring/types.js';
import { StreamGapError } from '../../../engine/shard/input-positions.js';
import { InsuranceReason, LiquidationStep, UpdateReason } from '../../../risk/shard/events.js';
import { CROSS_SCOPE, SYSTEM_ORDER_ID_BASE } from '../../../risk/shard/seams.js';
import { deposit, orderRejected, tradeExecuted } from '../../support/risk-commands.js';
import { BTC_60K, BTC_ID, ONE_BTC, ShardFixture, ofType, usdt } from './shard-fixture.js';

test('a re-delivered record is skipped and counted, a gap in a stream is fatal', () => {
  const fx = new ShardFixture();
  const b = RecordBuffer.allocate(1);
  const d = deposit(2, usdt(1), 1);
  encodeRecord(b, 0, d.layout, { ...d.header, seq: 1 }, d.body);
  fx.shard.handle(b, 0, 0);
  fx.shard.handle(b, 0, 0);
  assert.equal(fx.shard.duplicates, 1);
  assert.equal(fx.state.accounts.get(2)!.walletAtoms, usdt(1));
  b.setSeq(0, 3);
  assert.throws(() => fx.shard.handle(b, 0, 0), StreamGapError);
});

test('a trade settles only the parties this shard owns', () => {
  const fx = new ShardFixture({ shardId: 0, shardCount: 2 });
  fx.fund(2, usdt(100_000));
  fx.mark(BTC_ID, BTC_60K);
  fx.take();
  fx.mk(tradeExecuted({ taker: 2, maker: 3, takerOrderId: 1, makerOrderId: 2, takerSide: Side.BUY, priceTicks: BTC_60K, qtyLots: ONE_BTC }));
  const fills = ofType(fx.take(), 'FillSettled');
  assert.deepEqual(fills.map((e) => e.accountId), [2]);
  assert.equal(fx.state.accounts.has(3), false);
  assert.deepEqual(fx.shard.checkInvariants({ allAccountsHere: false }), []);
});

test('a liquidation order goes to the market as an IOC reduce-only LIQUIDATION order with a system id, reserving nothing', () => {
  const fx = new ShardFixture({ shardId: 1, shardCount: 4 });
  fx.fund(5, usdt(100_000));
  fx.mark(BTC_ID, BTC_60K);
  fx.takeMarket();
  const id = fx.shard.effects.placeLiquidationOrder(5, BTC_ID, Side.SELL, 250n, 590_000n, 9);
  assert.equal(id, SYSTEM_ORDER_ID_BASE + 2 ** 36 + 1);
  const [sent] = fx.takeMarket();
  assert.equal(sent!.type, 'PlaceOrder');
  assert.equal(sent!.orderId, id);
  assert.equal(sent!.origin, OrderOrigin.LIQUIDATION);
  assert.equal(sent!.reduceOnly, 1);
  assert.equal(sent!.timeInForce, TimeInForce.IOC);
  assert.equal(sent!.priceTicks, 590_000);
  const pos = fx.state.accounts.get(5)!.positions.get(BTC_ID)!;
  assert.equal(pos.orders.get(id)!.origin, OrderOrigin.LIQUIDATION);
  assert.equal(pos.orderMarginAtoms, 0n);
  fx.mk(orderRejected(5, id, Code.NO_LIQUIDITY, RecordType.PlaceOrder));
  assert.equal(pos.orders.size, 0);
  assert.deepEqual(fx.hooks.ended, [[5, BTC_ID, id, Code.NO_LIQUIDITY]]);
});

test('a rejected Deleverage is reported to the liquidation engine', () => {
  const fx = new ShardFixture();
  fx.fund(2, usdt(1));
  const id = fx.shard.effects.deleverage(2, 4, BTC_ID, Side.BUY, 10n, 600_000n, 1);
  const [sent] = fx.takeMarket();
  assert.equal(sent!.type, 'Deleverage');
  assert.equal(sent!.deleverageId, id);
  assert.equal(sent!.counterpartyAccountId, 4);
  fx.mk(orderRejected(2, id, Code.NO_LIQUIDITY, RecordType.Deleverage));
  assert.deepEqual(fx.hooks.ended, [[2, BTC_ID, id, Code.NO_LIQUIDITY]]);
});

test('insurance transfers move atoms between the fund and the scope and publish every movement', () => {
  const fx = new ShardFixture();
  fx.fund(2, usdt(100));
  fx.take();
  fx.shard.effects.transferInsurance(2, CROSS_SCOPE, usdt(40), InsuranceReason.LIQUIDATION_FEE, 7, 3);
  assert.equal(fx.state.insuranceFundAtoms, usdt(40));
  assert.equal(fx.state.accounts.get(2)!.walletAtoms, usdt(60));
  const [e] = fx.take();
  assert.equal(e!.type, 'InsuranceFundChanged');
  assert.equal(e!.deltaAtoms, usdt(40));
  assert.equal(e!.liquidationId, 7);
  assert.throws(() => fx.shard.effects.transferInsurance(2, CROSS_SCOPE, -usdt(41), InsuranceReason.SHORTFALL, 7, 3));
  assert.deepEqual(fx.shard.checkInvariants({ allAccountsHere: true }), []);
});

test('liquidation progress and cancel-all go out as records, and publishScope republishes the scope', () => {
  const fx = new ShardFixture();
  fx.fund(2, usdt(100));
  fx.take();
  fx.takeMarket();
  fx.shard.effects.liquidationProgressed(2, CROSS_SCOPE, 7, LiquidationStep.TRIGGERED, 0n, 0n, 3);
  fx.shard.effects.cancelAllOrders(2, BTC_ID, CancelReason.LIQUIDATION, 3);
  fx.shard.effects.publishScope(2, CROSS_SCOPE, 3);
  const events = fx.take();
  assert.deepEqual(events.map((e) => e.type), ['LiquidationProgressed', 'AccountUpdated']);
  assert.equal(events[0]!.step, LiquidationStep.TRIGGERED);
  assert.equal(events[1]!.reason, UpdateReason.LIQUIDATION);
  const [cancelAll] = fx.takeMarket();
  assert.equal(cancelAll!.type, 'CancelAllOrders');
  assert.equal(cancelAll!.reason, CancelReason.LIQUIDATION);
});

test('market events about accounts of other shards are ignored', () => {
  const fx = new ShardFixture({ shardId: 0, shardCount: 2 });
  const before = fx.shard.stateHashExcludingStreams();
  fx.mk(orderRejected(3, 1, Code.NO_LIQUIDITY, RecordType.PlaceOrder));
  assert.equal(fx.shard.stateHashExcludingStreams(), before);
  assert.deepEqual(fx.take(), []);
});
