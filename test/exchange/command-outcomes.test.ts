// Every command the gateway sends gets exactly one answer (docs/COMMANDS.md, "One answer per command"):
// the event that says it was applied, or one OrderRejected, each carrying what the gateway matches it
// with. Every command type, applied and refused (by the risk shard's entry checks, by its handlers, by the
// market's book), is sent alone through the whole exchange and its answers counted.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { CancelReason, OrderType, Side, StpMode, TimeInForce } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { decodeRecord, encodeRecord, type DecodedRecord } from '../../engine/ring/layouts/index.js';
import { RecordIndexSourceLayout } from '../../engine/ring/layouts/record-index-source.js';
import { TradeExecutedLayout } from '../../engine/ring/layouts/trade-executed.js';
import { MarketStatus, SetMarketStatusLayout } from '../../engine/ring/layouts/set-market-status.js';
import { HeaderFlag, RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { InProcessExchange } from '../../exchange/in-process-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';
import { MarginMode } from '../../risk/shard/state.js';
import { amend, cancel, cancelAll, deleverage, indexTick, liquidationSweep, place, setMark, setStp, type Cmd } from '../support/commands.js';
import { applies, commandKey, refuses, type CommandKey } from '../support/answers.js';
import { listingGroup, testListing } from '../support/listing.js';
import { adjustIsolatedMargin, advanceTime, deposit, setFeeTier, setLeverage, setMarginMode, topUpInsuranceFund, withdraw } from '../support/risk-commands.js';

const T0 = 1_700_000_000_000_000;
const S = 1_000_000;
const marketStatus = (marketId: number, status: number, requestId: number): Cmd => ({ layout: SetMarketStatusLayout, header: { marketId }, body: { requestId, status } });
const USDT = 1_000_000n;
const BTC = 1;
const ETH = 2;

function exchange() {
  const x = new InProcessExchange({ topology: new Topology({ marketShards: [[DEFAULT_MARKETS[0]!, DEFAULT_MARKETS[1]!]], riskShards: 1 }), riskMarkets: DEFAULT_MARKETS.map((m) => riskMarket(m)) });
  let events: DecodedRecord[] = [];
  x.onGateway((b, at) => events.push(decodeRecord(b, at)));
  let now = T0;
  const record = RecordBuffer.allocate(1);
  let key: CommandKey = commandKey(record, 0);
  /** Sends one command at the next second and returns every gateway record it caused. */
  const send = (c: Cmd): DecodedRecord[] => {
    now += S;
    events = [];
    encodeRecord(record, 0, c.layout, { ...c.header, timeUs: c.layout.type === RecordType.AdvanceTime || c.layout.type === RecordType.UpdateIndexPrice ? (c.header.timeUs ?? now) : now }, c.body);
    key = commandKey(record, 0);
    x.submitRecord(record, 0);
    x.pump();
    return events;
  };
  return { x, send, now: () => now, key: () => key };
}

test('every command type gets exactly one answer, applied or refused, whoever refuses it', () => {
  const { send, now, key } = exchange();
  const op = (c: Cmd): Cmd => ({ ...c, header: { ...c.header, flags: HeaderFlag.OPERATOR } });
  const at = (c: Cmd, timeUs: number): Cmd => ({ ...c, header: { ...c.header, timeUs } });
  const cases: [label: string, cmd: () => Cmd, applied: boolean, code?: number][] = [
    ['deposit', () => deposit(1, 100_000n * USDT, 1), true],
    ['deposit of another account', () => deposit(2, 100_000n * USDT, 2), true],
    ['deposit of nothing', () => deposit(1, 0n, 3), false, Code.AMOUNT_NOT_POSITIVE],
    ['deposit from the account itself', () => ({ ...deposit(1, 1n, 4), header: { accountId: 1 } }), false, Code.NOT_PERMITTED],
    ['top-up', () => topUpInsuranceFund(1, 1_000n * USDT, 5), true],
    ['top-up retried', () => topUpInsuranceFund(1, 1_000n * USDT, 5), false, Code.DUPLICATE_REQUEST],
    ['fee tier', () => setFeeTier(2, 1, 6), true],
    ['fee tier from the account', () => ({ ...setFeeTier(2, 1, 7), header: { accountId: 2 } }), false, Code.NOT_PERMITTED],
    ['index tick', () => at(indexTick(600_000, 0, BTC), now() + S), true],
    ['index tick of the other market', () => at(indexTick(30_000, 0, ETH), now() + S), true],
    ['index tick for a market nobody owns', () => at(indexTick(600_000, 0, 77), now() + S), false, Code.UNKNOWN_MARKET],
    ['index tick without a price', () => at(indexTick(0, 0, BTC), now() + S), false, Code.PRICE_OUT_OF_RANGE],
    ['resting order', () => place({ orderId: 10, accountId: 1, side: Side.BUY, priceTicks: 599_000, qtyLots: 10, clientOrderId: 500 }), true],
    ['resting ask', () => place({ orderId: 11, accountId: 2, side: Side.SELL, priceTicks: 601_000, qtyLots: 10 }), true],
    ['order that trades', () => place({ orderId: 12, accountId: 1, side: Side.BUY, orderType: OrderType.MARKET, timeInForce: TimeInForce.IOC, qtyLots: 2 }), true],
    ['order the risk shard refuses', () => place({ orderId: 13, accountId: 1, side: Side.BUY, priceTicks: 600_000, qtyLots: 1_000_000 }), false, Code.POSITION_LIMIT_EXCEEDED],
    ['order the book refuses', () => place({ orderId: 14, accountId: 1, side: Side.BUY, priceTicks: 601_000, qtyLots: 1, timeInForce: TimeInForce.POST_ONLY }), false, Code.POST_ONLY_WOULD_TAKE],
    ['order from an account that has none', () => place({ orderId: 15, accountId: 9, side: Side.BUY, priceTicks: 600_000, qtyLots: 1 }), false, Code.UNKNOWN_ACCOUNT],
    ['amend', () => amend(1, 10, 598_000, 10), true],
    ['amend that changes nothing', () => amend(1, 10, 598_000, 10), false, Code.AMEND_NOTHING_TO_CHANGE],
    ['amend of an unknown order', () => amend(1, 99, 598_000, 10), false, Code.ORDER_NOT_FOUND],
    ['cancel by client id', () => cancel(1, 0, 500), true],
    ['cancel of an order gone', () => cancel(1, 10), false, Code.ORDER_NOT_FOUND],
    ['cancel-all with orders', () => cancelAll(2, CancelReason.CANCEL_ALL, BTC, 20), true],
    ['cancel-all with nothing to cancel', () => cancelAll(2, CancelReason.CANCEL_ALL, BTC, 21), true],
    ['cancel-all as the operator', () => op(cancelAll(2, CancelReason.ADMIN, BTC, 22)), true],
    ['cancel-all the pipeline\'s way', () => cancelAll(2, CancelReason.LIQUIDATION, BTC, 23), false, Code.NOT_PERMITTED],
    ['self-trade default', () => setStp(1, StpMode.EXPIRE_BOTH, BTC, 24), true],
    ['self-trade default that does not exist', () => setStp(1, StpMode.DEFAULT, BTC, 25), false, Code.INVALID_STP_MODE],
    ['leverage', () => setLeverage(1, 10, BTC, 26), true],
    ['leverage past the tier', () => setLeverage(1, 51, BTC, 27), false, Code.LEVERAGE_TOO_HIGH],
    ['margin mode of a market with nothing in it', () => setMarginMode(1, MarginMode.ISOLATED, ETH, 28), true],
    ['margin mode with a position', () => setMarginMode(1, MarginMode.ISOLATED, BTC, 29), false, Code.MARGIN_MODE_CHANGE_WITH_POSITION],
    ['isolated margin in', () => adjustIsolatedMargin(1, 10n * USDT, 30, ETH), true],
    ['isolated margin of a cross position', () => adjustIsolatedMargin(1, 10n * USDT, 34, BTC), false, Code.NOT_ISOLATED],
    ['withdrawal', () => withdraw(2, 1_000n * USDT, 31), true],
    ['withdrawal of more than there is', () => withdraw(2, 1_000_000n * USDT, 32), false, Code.WITHDRAWAL_EXCEEDS_WITHDRAWABLE],
    ['deleverage from the gateway', () => deleverage(1, 2, Side.SELL, 1, 600_000, 33), false, Code.NOT_PERMITTED],
    ['liquidation sweep from the gateway', () => liquidationSweep(1, Side.SELL, 1, 540_000, 600_000n, 0n, 34), false, Code.NOT_PERMITTED],
    ['mark from the gateway', () => ({ ...setMark(600_000), header: { accountId: 1, marketId: BTC } }), false, Code.NOT_PERMITTED],
    ['halt a market', () => op(marketStatus(BTC, MarketStatus.HALTED, 35)), true],
    ['an order in a halted market', () => place({ orderId: 16, accountId: 1, side: Side.BUY, priceTicks: 599_000, qtyLots: 1 }), false, Code.MARKET_HALTED],
    ['resume a market', () => op(marketStatus(BTC, MarketStatus.OPEN, 36)), true],
    ['halt a market from an account', () => ({ ...marketStatus(BTC, MarketStatus.HALTED, 37), header: { marketId: BTC, accountId: 1 } }), false, Code.NOT_PERMITTED],
    ['an event from the gateway', () => ({ layout: TradeExecutedLayout, header: { accountId: 1, marketId: BTC }, body: {} }), false, Code.UNKNOWN_COMMAND],
  ];
  const types = new Set<number>();
  for (const [label, make, applied, code] of cases) {
    const c = make();
    types.add(c.layout.type);
    const events = send(c);
    const answers = events.filter((e) => applies(key(), e) || refuses(key(), e));
    assert.equal(answers.length, 1, `${label}: ${answers.length} answers in ${events.map((e) => e.type).join(', ')}`);
    const [a] = answers;
    assert.equal(a!.type === 'OrderRejected', !applied, `${label}: ${a!.type} ${a!.code ?? ''}`);
    if (code !== undefined) assert.equal(a!.code, code, label);
  }
  // Every command type of the registry was sent (the gateway's feed records without an answer of their
  // own, AdvanceTime and RecordIndexSource, and ListMarket, a group of records answered by every shard
  // that applies it, have their own tests below).
  const feeds: readonly number[] = [RecordType.AdvanceTime, RecordType.RecordIndexSource, RecordType.ListMarket];
  for (const [name, type] of Object.entries(RecordType)) if (type < 100 && !feeds.includes(type)) assert.ok(types.has(type), `${name} was not sent`);
});

test('a listing\'s parts before the last have no answer; the last is answered MarketListed by the risk shard and the owner, or refused once by the risk shard', () => {
  const { x, now } = exchange();
  let events: DecodedRecord[] = [];
  x.onGateway((b, at) => events.push(decodeRecord(b, at)));
  const group = (requestId: number, symbol: string) => listingGroup(testListing(7 + requestId, symbol), { requestId, shard: 0, timeUs: now() });
  const sendPart = (g: RecordBuffer, i: number): DecodedRecord[] => {
    events = [];
    x.submitRecord(g, g.at(i));
    x.pump();
    return events;
  };
  const g = group(1, 'SOL-PERP');
  for (let i = 0; i < g.capacity - 1; i++) assert.deepEqual(sendPart(g, i), [], `part ${i}`);
  assert.deepEqual(sendPart(g, g.capacity - 1).map((e) => [e.type, e.requestId, e.by]).sort(), [['MarketListed', 1, 1], ['MarketListed', 1, 2]]);
  const taken = group(2, 'SOL-PERP');
  for (let i = 0; i < taken.capacity - 1; i++) sendPart(taken, i);
  assert.deepEqual(sendPart(taken, taken.capacity - 1).map((e) => [e.type, e.code, e.orderId]), [['OrderRejected', Code.MARKET_EXISTS, 2]]);
});

test('an index source\'s record has no answer of its own; a refused one has one', () => {
  const { send, now } = exchange();
  const source = (flags: number): Cmd => ({ layout: RecordIndexSourceLayout, header: { marketId: BTC, timeUs: now() + S, flags }, body: { sourceId: 0, priceTicks: 600_000, receivedUs: now(), updatedUs: now() } });
  assert.deepEqual(send(source(0)), []);
  const refused = send(source(2));
  assert.deepEqual(refused.map((e) => [e.type, e.code, e.commandType]), [['OrderRejected', Code.INVALID_FLAGS, RecordType.RecordIndexSource]]);
});

test('a timer tick has no answer of its own; a refused one is answered by every shard that refused it', () => {
  const { x, send, now } = exchange();
  send(deposit(1, 1_000n * USDT, 1));
  const t = now() + S;
  const applied = send(advanceTime(t));
  assert.deepEqual(applied.filter((e) => e.type === 'OrderRejected'), []);
  const refused = send(advanceTime(t - 1));
  assert.equal(refused.length, x.marketShards.length + x.riskShards.length);
  for (const e of refused) assert.deepEqual([e.type, e.code, e.commandType, e.timeUs], ['OrderRejected', Code.TIME_WENT_BACKWARDS, RecordType.AdvanceTime, t]);
});
