// The budgeted full close on the market shard (LiquidationSweep, engine/shard/liquidation-sweep.ts and
// sweep-plan.ts): the walk's arithmetic by hand, then the record through a whole MarketShard: exactly the
// planned levels are taken as one IOC, every refusal changes nothing, only a risk shard may send it; and
// an index tick's MarkPriceUpdated reaches the risk shards before the trades of the stops it triggers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { OrderOrigin, OrderType, Side, TimeInForce, TriggerSource } from '../../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { RecordType } from '../../../engine/ring/types.js';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { MarketShard } from '../../../engine/shard/market-shard.js';
import { planSweep, type SweepOrder } from '../../../engine/shard/sweep-plan.js';
import { decodeAll, encodeStream, indexTick, liquidationSweep, place, type Cmd } from '../../support/commands.js';

const BTC = DEFAULT_MARKETS[0]!;
// BTC-PERP: 100 atoms per tick·lot (0.1 USDT × 0.001 BTC = 0.0001 USDT).
const A = 100n;
const USDT = 1_000_000n;
const T0 = 1_700_000_000_000_000;

const long = (qtyLots: bigint, bankruptcyPriceTicks: bigint, budgetAtoms: bigint): SweepOrder => ({ side: Side.SELL, qtyLots, bankruptcyPriceTicks, budgetAtoms, atomsPerTickLot: A });
const all = (): boolean => true;

test('the walk takes better-than-BP levels whole and spends what they saved on worse ones, a level in part', () => {
  // BP 59,500. 0.2 at 59,900 saves 80 USDT, 0.3 at 59,800 saves 90; at 59,000 a lot (0.001 BTC) costs
  // 0.5 USDT, so the budget's 30 and the 170 saved take 400 lots of it: 900 of the 1,000, cost exactly 30.
  const plan = planSweep(long(1_000n, 595_000n, 30n * USDT), [
    { priceTicks: 599_000, qtyLots: 200 },
    { priceTicks: 598_000, qtyLots: 300 },
    { priceTicks: 590_000, qtyLots: 5_000 },
  ], all);
  assert.deepEqual(plan, { lots: 900n, worstPriceTicks: 590_000n, costAtoms: 30n * USDT, exhausted: false });
  const tight = planSweep(long(1_000n, 595_000n, 30n * USDT), [
    { priceTicks: 599_000, qtyLots: 200 },
    { priceTicks: 598_000, qtyLots: 300 },
    { priceTicks: 590_000, qtyLots: 5_000 },
    { priceTicks: 580_000, qtyLots: 5_000 },
  ], (p) => p >= 591_000);
  assert.deepEqual([tight.lots, tight.worstPriceTicks], [500n, 598_000n], 'a level out of reach ends the walk');
});

test('the walk stops at the first level the budget pays only in part, and a zero budget takes nothing past BP', () => {
  // BP 59,500, budget 10: at 59,000 a lot costs 0.5: 20 lots; the walk ends there.
  const plan = planSweep(long(1_000n, 595_000n, 10n * USDT), [{ priceTicks: 590_000, qtyLots: 300 }, { priceTicks: 580_000, qtyLots: 300 }], all);
  assert.deepEqual([plan.lots, plan.worstPriceTicks, plan.costAtoms], [20n, 590_000n, 10n * USDT]);
  const none = planSweep(long(1_000n, 595_000n, 0n), [{ priceTicks: 595_000, qtyLots: 100 }, { priceTicks: 594_999, qtyLots: 300 }], all);
  assert.deepEqual([none.lots, none.worstPriceTicks, none.costAtoms], [100n, 595_000n, 0n], 'at BP itself a fill costs nothing');
});

test('a short\'s walk buys the asks up to what the budget pays above its BP; a BP at or below 0 makes every sale a gain', () => {
  const short: SweepOrder = { side: Side.BUY, qtyLots: 500n, bankruptcyPriceTicks: 605_000n, budgetAtoms: 5n * USDT, atomsPerTickLot: A };
  const plan = planSweep(short, [{ priceTicks: 604_000, qtyLots: 100 }, { priceTicks: 606_000, qtyLots: 1_000 }], all);
  // 0.1 at 60,400 saves 10; at 60,600 a lot costs 0.1: the 15 USDT take 150 more.
  assert.deepEqual([plan.lots, plan.worstPriceTicks, plan.costAtoms], [250n, 606_000n, 5n * USDT]);
  const rich = planSweep(long(300n, -7n, 0n), [{ priceTicks: 1, qtyLots: 1_000 }], all);
  assert.deepEqual([rich.lots, rich.exhausted], [300n, false]);
  // Below zero (the fund is already past its reservation): gains first make up for it, then pay for more.
  const owed = planSweep(long(1_000n, 595_000n, -60n * USDT), [{ priceTicks: 599_000, qtyLots: 200 }, { priceTicks: 590_000, qtyLots: 5_000 }], all);
  assert.deepEqual([owed.lots, owed.costAtoms], [240n, -60n * USDT], '80 saved: 60 owed, 20 for 40 lots at 0.5');
  const behind = planSweep(long(1_000n, 595_000n, -60n * USDT), [{ priceTicks: 590_000, qtyLots: 5_000 }], all);
  assert.equal(behind.lots, 0n);
  const thin = planSweep(long(300n, 595_000n, 0n), [{ priceTicks: 596_000, qtyLots: 100 }], all);
  assert.deepEqual([thin.lots, thin.exhausted], [100n, true], 'the book ran out before the quantity');
});

function shardWith() {
  const gateway = new MemoryOutput();
  const risk = [new MemoryOutput()];
  const shard = new MarketShard([BTC], gateway, risk);
  const feed = (cmds: readonly Cmd[], input = 0) => {
    const buf = encodeStream(cmds, shard.lastSeq(input) + 1);
    for (let i = 0; i < cmds.length; i++) shard.handle(buf, buf.at(i), input);
    shard.flush();
  };
  let taken = 0;
  /** Risk-stream records since the last call. */
  const take = () => {
    const recs = decodeAll(risk[0]!);
    const out = recs.slice(taken);
    taken = recs.length;
    return out;
  };
  return { shard, gateway, feed, take };
}

/** Mark 60,000; account 5 long 1 BTC (bought from account 2); account 3 bids 59,900 ×0.2, 59,800 ×0.3, 59,000 ×5. */
function longWithBids() {
  const s = shardWith();
  s.feed([indexTick(600_000, T0)]);
  s.feed(
    [
      place({ orderId: 1, accountId: 2, side: Side.SELL, priceTicks: 600_000, qtyLots: 1_000, timeUs: T0 }),
      place({ orderId: 2, accountId: 5, side: Side.BUY, priceTicks: 600_000, qtyLots: 1_000, timeUs: T0 }),
      place({ orderId: 3, accountId: 3, side: Side.BUY, priceTicks: 599_000, qtyLots: 200, timeUs: T0 }),
      place({ orderId: 4, accountId: 3, side: Side.BUY, priceTicks: 598_000, qtyLots: 300, timeUs: T0 }),
      place({ orderId: 5, accountId: 3, side: Side.BUY, priceTicks: 590_000, qtyLots: 5_000, timeUs: T0 }),
    ],
    1,
  );
  s.take();
  return s;
}

const sweep = (qty: number, bp: bigint, budget: bigint, side: number = Side.SELL, limit = 540_000): Cmd => ({ ...liquidationSweep(5, side, qty, limit, bp, budget, 77), header: { marketId: BTC.marketId, accountId: 5, timeUs: T0 } });

test('a sweep from a risk shard becomes one IOC of exactly the lots the budget pays for, at the worst planned price', () => {
  const { feed, take, shard } = longWithBids();
  feed([sweep(1_000, 595_000n, 30n * USDT)], 1);
  const recs = take();
  assert.deepEqual(recs.map((r) => r.type), ['OrderAccepted', 'TradeExecuted', 'TradeExecuted', 'TradeExecuted']);
  const accepted = recs[0]!;
  assert.deepEqual([accepted.orderId, accepted.qtyLots, accepted.priceTicks, accepted.origin, accepted.reduceOnly, accepted.timeInForce], [77, 900, 590_000, OrderOrigin.LIQUIDATION, 1, TimeInForce.IOC]);
  // 200 + 300 saved 170 USDT; 30 + 170 pay 400 lots at 59,000 (0.5 a lot).
  assert.deepEqual(recs.slice(1).map((t) => [t.priceTicks, t.qtyLots]), [[599_000, 200], [598_000, 300], [590_000, 400]]);
  assert.equal(shard.book(BTC.marketId)!.positionLots(5), 100);
});

test('a sweep the budget and band allow nothing of is refused NO_LIQUIDITY and changes nothing', () => {
  const { feed, take, shard } = longWithBids();
  const before = shard.stateHashExcludingStreams();
  // BP 60,000 and no budget: every bid is below it.
  feed([sweep(1_000, 600_000n, 0n)], 1);
  const recs = take();
  assert.deepEqual(recs.map((r) => [r.type, r.code, r.commandType, r.orderId]), [['OrderRejected', Code.NO_LIQUIDITY, RecordType.LiquidationSweep, 77]]);
  assert.equal(shard.stateHashExcludingStreams(), before);
});

test('a malformed sweep is refused with its field\'s code, and one from the gateway NOT_PERMITTED, changing nothing', () => {
  const { feed, take, shard, gateway } = longWithBids();
  const before = shard.stateHashExcludingStreams();
  const cases: [Cmd, number, number][] = [
    [sweep(1_000, 595_000n, 0n, 7), Code.INVALID_SIDE, 1],
    [sweep(0, 595_000n, 0n), Code.QTY_BELOW_MIN, 1],
    [sweep(BTC.maxQtyLots + 1, 595_000n, 0n), Code.QTY_ABOVE_MAX, 1],
    [sweep(1_000, 595_000n, 0n, Side.SELL, 0), Code.PRICE_OUT_OF_RANGE, 1],
    [sweep(1_000, 595_000n, 0n, Side.BUY, 700_000), Code.REDUCE_ONLY_NO_POSITION, 1],
    [sweep(1_000, 595_000n, 30n * USDT), Code.NOT_PERMITTED, 0],
  ];
  for (const [cmd, code, input] of cases) {
    feed([cmd], input);
    const recs = input === 0 ? decodeAll(gateway).slice(-1) : take();
    assert.deepEqual(recs.map((r) => [r.type, r.code]), [['OrderRejected', code]], `code ${code}`);
    assert.equal(shard.stateHashExcludingStreams(), before, `code ${code}`);
  }
});

test('an index tick publishes its mark to the risk shards before the trades of the stops it triggers', () => {
  const { feed, take } = shardWith();
  feed([indexTick(600_000, T0)]);
  feed(
    [
      place({ orderId: 1, accountId: 1, side: Side.BUY, priceTicks: 570_000, qtyLots: 5, timeUs: T0 }),
      place({ orderId: 2, accountId: 2, side: Side.SELL, orderType: OrderType.STOP_MARKET, triggerPriceTicks: 590_000, triggerSource: TriggerSource.MARK, qtyLots: 2, timeInForce: TimeInForce.IOC, timeUs: T0 }),
    ],
    1,
  );
  take();
  feed([indexTick(580_000, T0 + 1)]);
  const types = take().map((r) => r.type);
  assert.ok(types.includes('TradeExecuted'), 'the stop fired and traded');
  assert.equal(types[0], 'MarkPriceUpdated', `the mark first: ${types.join(', ')}`);
});
