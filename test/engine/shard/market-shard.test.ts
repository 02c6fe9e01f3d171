import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { CancelReason, OrderType, Side, StpMode, TimeInForce, TriggerSource } from '../../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { RecordType } from '../../../engine/ring/types.js';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { MarketShard, StreamGapError } from '../../../engine/shard/market-shard.js';
import { cancel, cancelAll, decodeAll, deleverage, encodeStream, place, setMark, setStp, type Cmd } from '../../support/commands.js';

const BTC = DEFAULT_MARKETS[0]!;

function shardWith(riskShards: number) {
  const gateway = new MemoryOutput();
  const risk = Array.from({ length: riskShards }, () => new MemoryOutput());
  const shard = new MarketShard([BTC], gateway, risk);
  const feed = (cmds: readonly Cmd[], input = 0, firstSeq = shard.lastSeq(input) + 1) => {
    const buf = encodeStream(cmds, firstSeq);
    for (let i = 0; i < cmds.length; i++) shard.handle(buf, buf.at(i), input);
    shard.flush();
  };
  return { shard, gateway, risk, feed };
}

test('an accepted order reaches the gateway stream and its account\'s risk stream, each with its own seq', () => {
  const { gateway, risk, feed } = shardWith(2);
  feed([place({ orderId: 1, accountId: 7, priceTicks: 600_000, qtyLots: 5 })]);
  const g = decodeAll(gateway);
  assert.deepEqual(g.map((r) => r.type), ['OrderAccepted', 'BookLevelChanged']);
  assert.equal(g[0]!.seq, 1);
  assert.equal(g[1]!.seq, 2);
  assert.equal(g[0]!.orderId, 1);
  assert.equal(g[0]!.accountId, 7);
  const r1 = decodeAll(risk[1]!);
  assert.deepEqual(r1.map((r) => [r.type, r.seq]), [['OrderAccepted', 1]]);
  assert.equal(risk[0]!.length, 0, 'account 7 belongs to risk shard 7 mod 2 = 1');
});

test('a trade goes to the taker\'s and the maker\'s risk shards when they differ, once when they are the same', () => {
  const { risk, feed } = shardWith(2);
  feed([
    place({ orderId: 1, accountId: 2, side: Side.SELL, priceTicks: 600_000, qtyLots: 5 }),
    place({ orderId: 2, accountId: 3, side: Side.BUY, priceTicks: 600_000, qtyLots: 2 }),
    place({ orderId: 3, accountId: 4, side: Side.BUY, priceTicks: 600_000, qtyLots: 1 }),
  ]);
  const trades = (i: number) => decodeAll(risk[i]!).filter((r) => r.type === 'TradeExecuted');
  assert.deepEqual(trades(0).map((t) => [t.accountId, t.makerAccountId, t.qtyLots]), [[3, 2, 2], [4, 2, 1]]);
  assert.deepEqual(trades(1).map((t) => [t.accountId, t.makerAccountId, t.qtyLots]), [[3, 2, 2]]);
});

test('level changes go to the gateway only', () => {
  const { gateway, risk, feed } = shardWith(1);
  feed([place({ orderId: 1, accountId: 1, priceTicks: 600_000, qtyLots: 5 })]);
  assert.ok(decodeAll(gateway).some((r) => r.type === 'BookLevelChanged'));
  assert.ok(!decodeAll(risk[0]!).some((r) => r.type === 'BookLevelChanged'));
});

test('events carry the time of the command that caused them', () => {
  const { gateway, feed } = shardWith(0);
  feed([place({ orderId: 1, accountId: 1, priceTicks: 600_000, qtyLots: 5, timeUs: 1_700_000_000_123_456 })]);
  for (const r of decodeAll(gateway)) assert.equal(r.timeUs, 1_700_000_000_123_456);
});

test('a re-delivered record is skipped and changes nothing', () => {
  const { shard, gateway, feed } = shardWith(0);
  const cmds = [place({ orderId: 1, accountId: 1, priceTicks: 600_000, qtyLots: 5 }), place({ orderId: 2, accountId: 1, priceTicks: 600_001, qtyLots: 5 })];
  feed(cmds, 0, 1);
  const hash = shard.stateHash();
  const events = gateway.length;
  feed(cmds, 0, 1);
  assert.equal(shard.duplicates, 2);
  assert.equal(shard.stateHash(), hash);
  assert.equal(gateway.length, events);
});

test('a gap in an input stream is fatal rather than silently skipped', () => {
  const { shard } = shardWith(0);
  const buf = encodeStream([place({ orderId: 1, accountId: 1, priceTicks: 600_000, qtyLots: 5 })], 3);
  assert.throws(() => shard.handle(buf, 0, 0), StreamGapError);
  assert.equal(shard.lastSeq(0), 0);
});

test('input streams are sequenced independently', () => {
  const { shard, feed } = shardWith(0);
  feed([place({ orderId: 1, accountId: 1, priceTicks: 600_000, qtyLots: 5 })], 0);
  feed([place({ orderId: 2, accountId: 2, priceTicks: 600_000, qtyLots: 5 })], 1);
  assert.equal(shard.lastSeq(0), 1);
  assert.equal(shard.lastSeq(1), 1);
});

test('a command for a market this shard does not own is rejected with UNKNOWN_MARKET', () => {
  const { shard, gateway, feed } = shardWith(0);
  const hash = shard.stateHash();
  feed([place({ orderId: 1, accountId: 1, priceTicks: 600_000, qtyLots: 5, marketId: 99 })]);
  const [r] = decodeAll(gateway);
  assert.equal(r!.type, 'OrderRejected');
  assert.equal(r!.code, Code.UNKNOWN_MARKET);
  assert.equal(r!.commandType, RecordType.PlaceOrder);
  assert.equal(r!.orderId, 1);
  assert.notEqual(shard.stateHash(), hash, 'only the input position moved');
  assert.equal(shard.book(1)!.orderCount(), 0);
});

test('an unknown record type is rejected with UNKNOWN_COMMAND', () => {
  const { gateway, feed } = shardWith(0);
  const cmd = place({ orderId: 1, accountId: 1, priceTicks: 600_000, qtyLots: 5 });
  feed([{ ...cmd, layout: { ...cmd.layout, type: 77 } }]);
  const [r] = decodeAll(gateway);
  assert.equal(r!.code, Code.UNKNOWN_COMMAND);
  assert.equal(r!.commandType, 77);
});

test('a reduce-only byte other than 0 or 1 is rejected with INVALID_FLAGS', () => {
  const { gateway, feed } = shardWith(0);
  const cmd = place({ orderId: 1, accountId: 1, priceTicks: 600_000, qtyLots: 5 });
  feed([{ ...cmd, body: { ...cmd.body, reduceOnly: 2 } }]);
  assert.equal(decodeAll(gateway)[0]!.code, Code.INVALID_FLAGS);
});

test('an account STP default other than the three modes is rejected', () => {
  const { gateway, feed } = shardWith(0);
  feed([setStp(1, StpMode.DEFAULT), setStp(1, 9)]);
  assert.deepEqual(decodeAll(gateway).map((r) => r.code), [Code.INVALID_STP_MODE, Code.INVALID_STP_MODE]);
});

test('the account STP default set by command decides a self-match', () => {
  const { gateway, feed } = shardWith(0);
  feed([
    setStp(1, StpMode.EXPIRE_MAKER),
    place({ orderId: 1, accountId: 1, side: Side.SELL, priceTicks: 600_000, qtyLots: 5 }),
    place({ orderId: 2, accountId: 1, side: Side.BUY, priceTicks: 600_000, qtyLots: 5 }),
  ]);
  const expired = decodeAll(gateway).filter((r) => r.type === 'OrderExpired');
  assert.deepEqual(expired.map((r) => [r.orderId, r.reason]), [[1, CancelReason.STP_MAKER]]);
});

test('a cancel-all with an unknown reason is rejected and cancels nothing', () => {
  const { shard, feed } = shardWith(0);
  feed([place({ orderId: 1, accountId: 1, priceTicks: 600_000, qtyLots: 5 }), cancelAll(1, 0), cancelAll(1, 200)]);
  assert.equal(shard.book(1)!.orderCount(), 1);
});

test('cancel by id through the shard emits OrderCancelled with reason USER', () => {
  const { gateway, feed } = shardWith(0);
  feed([place({ orderId: 1, accountId: 1, priceTicks: 600_000, qtyLots: 5 }), cancel(1, 1)]);
  const c = decodeAll(gateway).find((r) => r.type === 'OrderCancelled')!;
  assert.equal(c.reason, CancelReason.USER);
  assert.equal(c.remainingLots, 5);
});

test('a mark price fires a MARK stop through the shard', () => {
  const { gateway, feed } = shardWith(0);
  feed([
    setMark(600_000),
    place({ orderId: 1, accountId: 1, side: Side.BUY, priceTicks: 610_000, qtyLots: 5 }),
    place({ orderId: 2, accountId: 2, side: Side.SELL, orderType: OrderType.STOP_MARKET, triggerPriceTicks: 590_000, triggerSource: TriggerSource.MARK, qtyLots: 2, timeInForce: TimeInForce.IOC }),
    setMark(589_000),
  ]);
  const recs = decodeAll(gateway);
  assert.ok(recs.some((r) => r.type === 'OrderTriggered' && r.orderId === 2));
  assert.ok(recs.some((r) => r.type === 'TradeExecuted' && r.accountId === 2 && r.qtyLots === 2));
});

test('a mark price outside the market range is rejected', () => {
  const { gateway, feed } = shardWith(0);
  feed([setMark(0)]);
  assert.equal(decodeAll(gateway)[0]!.code, Code.PRICE_OUT_OF_RANGE);
});

test('the same input gives byte-identical output streams and the same state hash', () => {
  const cmds: Cmd[] = [];
  for (let i = 1; i <= 200; i++) {
    const side = i % 2 === 0 ? Side.BUY : Side.SELL;
    cmds.push(place({ orderId: i, accountId: (i % 5) + 1, side, priceTicks: 600_000 + ((i * 7) % 21) - 10, qtyLots: (i % 9) + 1 }));
    if (i % 7 === 0) cmds.push(cancel((i % 5) + 1, i - 3));
  }
  const a = shardWith(2);
  const b = shardWith(2);
  a.feed(cmds);
  b.feed(cmds);
  assert.equal(a.shard.stateHash(), b.shard.stateHash());
  assert.deepEqual(decodeAll(a.gateway), decodeAll(b.gateway));
  assert.deepEqual(decodeAll(a.risk[0]!), decodeAll(b.risk[0]!));
  assert.ok(decodeAll(a.gateway).some((r) => r.type === 'TradeExecuted'));
});

test('a Deleverage becomes one ADL trade reported to both parties\' risk shards', () => {
  const { gateway, risk, feed } = shardWith(2);
  feed([
    place({ orderId: 1, accountId: 2, side: Side.SELL, priceTicks: 600_000, qtyLots: 5 }),
    place({ orderId: 2, accountId: 3, side: Side.BUY, priceTicks: 600_000, qtyLots: 5 }),
    deleverage(3, 2, Side.SELL, 4, 550_000, 2 ** 52 + 1),
  ]);
  const adl = decodeAll(gateway).filter((r) => r.type === 'TradeExecuted' && r.takerOrigin === 2);
  assert.deepEqual(adl.map((t) => [t.accountId, t.makerAccountId, t.qtyLots, t.priceTicks, t.takerOrderId]), [[3, 2, 4, 550_000, 2 ** 52 + 1]]);
  for (const r of risk) assert.equal(decodeAll(r).filter((e) => e.type === 'TradeExecuted' && e.takerOrigin === 2).length, 1);
});
