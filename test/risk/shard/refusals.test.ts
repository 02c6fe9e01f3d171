// What a risk shard refuses at its gateway input before any handler sees a command, and what its writers
// publish whatever a command carries (docs/COMMANDS.md): no field makes it throw, a refused command
// changes nothing, operator- and engine-only commands are refused from an account's stream, time never
// goes backwards, and every balance it publishes stays in its field.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { CancelReason, OrderType, Side, TimeInForce } from '../../../engine/enums.js';
import { DepositLayout } from '../../../engine/ring/layouts/deposit.js';
import { encodeRecord } from '../../../engine/ring/layouts/index.js';
import { HeaderFlag, MAX_TIME_US, RecordBuffer } from '../../../engine/ring/record.js';
import { RecordType } from '../../../engine/ring/types.js';
import { InsuranceReason, UpdateReason } from '../../../risk/shard/events.js';
import { cancelAll, deleverage, liquidationSweep, place, setMark, setStp, type Cmd } from '../../support/commands.js';
import { COMMAND_U53_FIELDS, PAST_U53, putWords } from '../../support/hostile-fields.js';
import { advanceTime, adjustIsolatedMargin, deposit, setFeeTier, setLeverage, topUpInsuranceFund, withdraw } from '../../support/risk-commands.js';
import { BTC_60K, BTC_ID, ShardFixture, usdt } from './shard-fixture.js';

const T = 1;
const MAX_I64 = (1n << 63n) - 1n;

function funded(pool = {}): ShardFixture {
  const fx = new ShardFixture({ pool });
  fx.fund(2, usdt(10_000));
  fx.fund(3, usdt(10_000));
  fx.mark(BTC_ID, BTC_60K);
  fx.take();
  fx.takeMarket();
  return fx;
}

/** Feeds a command that must be refused: one OrderRejected with the code, nothing sent on, no state change. */
function expectRefused(fx: ShardFixture, feed: () => void, code: number, label = String(code)): Record<string, unknown> {
  fx.take();
  fx.takeMarket();
  const before = fx.shard.stateHashExcludingStreams();
  assert.doesNotThrow(feed, label);
  const events = fx.take();
  assert.deepEqual(events.map((e) => [e.type, e.code]), [['OrderRejected', code]], label);
  assert.deepEqual(fx.takeMarket(), [], `${label}: nothing reaches a market`);
  assert.equal(fx.shard.stateHashExcludingStreams(), before, `${label}: nothing changed`);
  return events[0]!;
}

test('a command field past 2^53 is refused with that field\'s code, without a throw, changing nothing', () => {
  const fx = funded();
  const b = RecordBuffer.allocate(1);
  for (const f of COMMAND_U53_FIELDS) {
    for (const words of PAST_U53) {
      const label = `${f.layout.name}.${f.name} = ${words}`;
      encodeRecord(b, 0, f.layout, { timeUs: T, marketId: BTC_ID, accountId: 2, flags: HeaderFlag.OPERATOR }, f.layout.type === RecordType.CancelAllOrders ? { reason: CancelReason.CANCEL_ALL } : {});
      for (const other of COMMAND_U53_FIELDS) if (other.layout === f.layout && other !== f) b.setU53(0, other.offset, 7);
      putWords(b, 0, f.offset, words);
      // Engine-only commands are refused for who sent them before anything reads their fields.
      const engineOnly = f.layout.type === RecordType.Deleverage || f.layout.type === RecordType.LiquidationSweep || f.layout.type === RecordType.SetMarkPrice;
      const r = expectRefused(fx, () => fx.gwRecord(b), engineOnly ? Code.NOT_PERMITTED : f.code, label);
      assert.equal(r.commandType, f.layout.type, label);
    }
  }
});

test('a deposit whose request id is past 2^53 is refused before it credits anything', () => {
  const fx = funded();
  const b = RecordBuffer.allocate(1);
  const d = deposit(2, usdt(5), 1);
  encodeRecord(b, 0, d.layout, d.header, d.body);
  putWords(b, 0, DepositLayout.offsets.requestId, [0x20_0000, 0]);
  const r = expectRefused(fx, () => fx.gwRecord(b), Code.INVALID_REQUEST_ID);
  assert.equal(r.orderId, 0, 'an id past 2^53 is echoed as 0');
  assert.equal(fx.state.accounts.get(2)!.walletAtoms, usdt(10_000));
});

test('money moves need a request id: 0 is refused', () => {
  const fx = funded();
  expectRefused(fx, () => fx.gw(deposit(2, usdt(1), 0)), Code.INVALID_REQUEST_ID, 'deposit');
  expectRefused(fx, () => fx.gw(withdraw(2, usdt(1), 0)), Code.INVALID_REQUEST_ID, 'withdraw');
  expectRefused(fx, () => fx.gw(adjustIsolatedMargin(2, usdt(1), 0)), Code.INVALID_REQUEST_ID, 'isolated margin');
  expectRefused(fx, () => fx.gw(topUpInsuranceFund(2, usdt(1), 0)), Code.INVALID_REQUEST_ID, 'top-up');
});

test('operator-only and engine-only commands are refused from an account\'s own stream', () => {
  const fx = funded();
  const own = (c: Cmd): Cmd => ({ ...c, header: { ...c.header, flags: 0 } });
  expectRefused(fx, () => fx.gw(own(deposit(2, usdt(1), 50))), Code.NOT_PERMITTED, 'deposit');
  expectRefused(fx, () => fx.gw(own(topUpInsuranceFund(2, usdt(1), 51))), Code.NOT_PERMITTED, 'top-up');
  expectRefused(fx, () => fx.gw(own(setFeeTier(2, 3))), Code.NOT_PERMITTED, 'fee tier');
  expectRefused(fx, () => fx.gw(cancelAll(2, CancelReason.ADMIN)), Code.NOT_PERMITTED, 'cancel-all ADMIN');
  for (const reason of [CancelReason.LIQUIDATION, CancelReason.REDUCE_ONLY]) {
    expectRefused(fx, () => fx.gw({ ...cancelAll(2, reason), header: { accountId: 2, marketId: BTC_ID, timeUs: T, flags: HeaderFlag.OPERATOR } }), Code.NOT_PERMITTED, `cancel-all reason ${reason}, even from the operator`);
  }
  expectRefused(fx, () => fx.gw(cancelAll(2, CancelReason.IOC_REMAINDER)), Code.INVALID_FLAGS, 'a reason no cancel-all has');
  expectRefused(fx, () => fx.gw(deleverage(2, 3, Side.SELL, 1, BTC_60K, 9)), Code.NOT_PERMITTED, 'deleverage');
  expectRefused(fx, () => fx.gw(liquidationSweep(2, Side.SELL, 1, BTC_60K, BigInt(BTC_60K), usdt(1_000_000), 9)), Code.NOT_PERMITTED, 'liquidation sweep');
  expectRefused(fx, () => fx.gw({ ...setMark(BTC_60K), header: { accountId: 2, marketId: BTC_ID, timeUs: T } }), Code.NOT_PERMITTED, 'set mark');
  expectRefused(fx, () => fx.gw({ ...deposit(2, usdt(1), 52), header: { accountId: 2, timeUs: T, flags: HeaderFlag.OPERATOR | 4 } }), Code.INVALID_FLAGS, 'an unknown flag bit');
  // The same commands from the operator are applied.
  fx.gw({ ...cancelAll(2, CancelReason.ADMIN), header: { accountId: 2, marketId: BTC_ID, timeUs: T, flags: HeaderFlag.OPERATOR } });
  assert.deepEqual(fx.takeMarket().map((r) => [r.type, r.reason]), [['CancelAllOrders', CancelReason.ADMIN]]);
  fx.gw(setFeeTier(2, 3, 60));
  assert.deepEqual(fx.take().map((e) => [e.type, e.requestId, e.reason]), [['AccountUpdated', 60, UpdateReason.FEE_TIER]]);
});

test('a command whose time goes backwards, jumps past the horizon or past MAX_TIME_US is refused at the shard\'s own time', () => {
  const fx = funded({ timeHorizonUs: 10_000_000 });
  fx.gw(advanceTime(5_000_000));
  const at = (c: Cmd, timeUs: number): Cmd => ({ ...c, header: { ...c.header, timeUs } });
  for (const [timeUs, code] of [
    [4_999_999, Code.TIME_WENT_BACKWARDS],
    [15_000_001, Code.TIME_BEYOND_HORIZON],
    [MAX_TIME_US + 1, Code.TIME_OUT_OF_RANGE],
  ] as const) {
    const r = expectRefused(fx, () => fx.gw(at(deposit(2, usdt(1), 70), timeUs)), code, `deposit at ${timeUs}`);
    assert.equal(r.timeUs, 5_000_000, 'answered at the shard\'s time');
    expectRefused(fx, () => fx.gw(advanceTime(timeUs)), code, `timer tick at ${timeUs}`);
  }
  fx.gw(at(deposit(2, usdt(1), 70), 15_000_000));
  assert.equal(fx.take()[0]!.type, 'AccountUpdated', 'exactly the horizon is fine');
  assert.equal(fx.shard.parts.clock.nowUs, 15_000_000);
});

test('a top-up that would take the fund past its bound is refused; the published balance is the fund\'s', () => {
  const fx = funded({ maxInsuranceFundAtoms: usdt(1_000) });
  fx.gw(topUpInsuranceFund(2, usdt(600), 80));
  expectRefused(fx, () => fx.gw(topUpInsuranceFund(2, usdt(401), 81)), Code.BALANCE_LIMIT_EXCEEDED);
  fx.gw(topUpInsuranceFund(2, usdt(400), 82));
  const [e] = fx.take();
  assert.deepEqual([e!.type, e!.balanceAtoms, e!.requestId, e!.reason], ['InsuranceFundChanged', usdt(1_000), 82, InsuranceReason.TOP_UP]);
  // The default bound keeps the largest top-up a record can carry from wrapping the published balance.
  const big = funded();
  expectRefused(big, () => big.gw(topUpInsuranceFund(2, MAX_I64, 83)), Code.BALANCE_LIMIT_EXCEEDED, 'default bound');
});

test('a pool whose balance bounds would let a balance leave its i64 field is refused at construction', () => {
  assert.throws(() => new ShardFixture({ pool: { maxWalletAtoms: (1n << 62n) + 1n } }), RangeError);
  assert.throws(() => new ShardFixture({ pool: { maxInsuranceFundAtoms: 0n } }), RangeError);
});

test('a figure an extreme mark takes past the i64 range is published at its bound, never wrapped', () => {
  const fx = funded();
  // Long 2^40 lots bought at 1 tick, marked at 2^50 ticks: UPnL = 2^40·(2^50 − 1)·100 atoms, past 2^96.
  fx.mark(BTC_ID, 2 ** 50);
  fx.trade(3, 2, Side.BUY, 1, 2 ** 40);
  const events = fx.take();
  const pos = (a: number) => events.filter((e) => e.type === 'PositionUpdated' && e.accountId === a).at(-1)!;
  const acc = (a: number) => events.filter((e) => e.type === 'AccountUpdated' && e.accountId === a).at(-1)!;
  assert.equal(pos(2).unrealizedPnlAtoms, MAX_I64);
  assert.equal(pos(3).unrealizedPnlAtoms, -MAX_I64);
  assert.equal(acc(2).equityAtoms, MAX_I64);
  assert.equal(acc(3).equityAtoms, -MAX_I64);
});

test('an order the book would refuse for its shape is refused by the risk shard, with the book\'s code', () => {
  const fx = funded();
  const order = (extra: Partial<Parameters<typeof place>[0]>) => () => fx.gw(place({ orderId: 90, accountId: 2, side: Side.BUY, priceTicks: BTC_60K, qtyLots: 1, ...extra }));
  expectRefused(fx, order({ priceTicks: 0 }), Code.PRICE_REQUIRED, 'limit without a price');
  expectRefused(fx, order({ priceTicks: 100_000_001 }), Code.PRICE_OUT_OF_RANGE, 'past maxPriceTicks');
  expectRefused(fx, order({ qtyLots: 1_000_001 }), Code.QTY_ABOVE_MAX, 'past maxQtyLots');
  expectRefused(fx, order({ orderType: OrderType.MARKET, priceTicks: 0, timeInForce: TimeInForce.POST_ONLY }), Code.POST_ONLY_REQUIRES_LIMIT, 'post-only market');
  expectRefused(fx, order({ orderType: 9 }), Code.INVALID_ORDER_TYPE, 'unknown type');
  // A reduce-only market order with a trigger price near 2^53: a market order carries no trigger.
  expectRefused(fx, order({ orderType: OrderType.MARKET, priceTicks: 0, triggerPriceTicks: 2 ** 53 - 1, reduceOnly: true, timeInForce: TimeInForce.IOC }), Code.TRIGGER_PRICE_OUT_OF_RANGE, 'trigger near 2^53');
  expectRefused(fx, order({ orderType: OrderType.STOP_MARKET, priceTicks: 0, triggerPriceTicks: 2 ** 53 - 1, timeInForce: TimeInForce.IOC }), Code.TRIGGER_PRICE_OUT_OF_RANGE, 'stop past maxPriceTicks');
  expectRefused(fx, () => fx.gw(setStp(2, 0)), Code.INVALID_STP_MODE, 'no default self-trade mode');
});

test('a market order\'s assumed price stays on the market\'s price range', () => {
  const fx = funded();
  const max = 100_000_000;
  fx.mark(BTC_ID, max);
  fx.fund(2, usdt(100_000_000));
  fx.takeMarket();
  fx.gw(place({ orderId: 91, accountId: 2, side: Side.BUY, orderType: OrderType.MARKET, timeInForce: TimeInForce.IOC, qtyLots: 1 }));
  const [sent] = fx.takeMarket();
  assert.equal(sent!.type, 'PlaceOrder');
  assert.equal(sent!.priceTicks, max, 'the band above the mark is cut at maxPriceTicks');
});

test('the setting commands answer with their request id', () => {
  const fx = funded();
  fx.gw(setLeverage(2, 10, BTC_ID, 31));
  assert.deepEqual(fx.take().filter((e) => e.type === 'AccountUpdated').map((e) => [e.requestId, e.reason]), [[31, UpdateReason.LEVERAGE]]);
  const r = expectRefused(fx, () => fx.gw(setLeverage(2, 0, BTC_ID, 32)), Code.LEVERAGE_TOO_HIGH);
  assert.equal(r.orderId, 32, 'a refusal echoes the request id too');
});
