// Found by an adversarial fuzz (issue 7, part 2). An index tick that fires a stop made the market shard
// emit the stop's trades before the tick's MarkPriceUpdated: the risk shard settled them at the previous
// mark, where the account looked bankrupt, started a liquidation priced around that stale mark, and sent
// it straight to ADL although at the new mark the account held many times its maintenance margin (the
// fuzz's case: about 17×; this vector: 6×).
// Fixed twice over: the mark reaches the risk shards before anything the tick causes, and the pipeline
// re-evaluates the scope at the current mark before every escalation (full close, ADL).
//
//   account 3, cross, 50x, wallet 6,000 USDT: long 1 BTC at 60,000 (from account 4, the ADL candidate);
//   at mark 64,000 it places a stop-market BUY of 1 BTC triggered at 65,000; the mark falls back to 60,000
//   and account 1 offers 1 BTC at 65,900; then the index jumps to 70,600, the mark to 67,070 (the book's
//   median), firing the stop, which buys at 65,900.
//   at the old mark 60,000: equity 6,000 − 5,900 − fees ≈ 37 ≤ maintenance 1,900 (tier 2): liquidatable;
//   at the new mark 67,070: 14,177.05 against 2,182.80: 6× maintenance, healthy.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrderOrigin, OrderType, Side, TimeInForce, TriggerSource } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { RecordType } from '../../engine/ring/types.js';
import { evaluateScope } from '../../risk/shard/liquidation-scope.js';
import { CROSS_SCOPE } from '../../risk/shard/seams.js';
import { indexTick, place } from '../support/commands.js';
import { deposit, setLeverage, topUpInsuranceFund } from '../support/risk-commands.js';
import { ExchangeHarness } from '../property/exchange-harness.js';

const BTC = DEFAULT_MARKETS[0]!;
const USDT = 1_000_000n;

test('a stop fired by an index tick is settled at that tick\'s mark: a healthy account is neither liquidated nor deleveraged', () => {
  const h = new ExchangeHarness({ markets: [BTC], marketShards: 1, riskShards: 1, startUs: 1_700_000_000_000_000 });
  const liquidations: number[] = [];
  h.exchange.onGateway((buf, at) => {
    if (buf.type(at) === RecordType.LiquidationProgressed || buf.type(at) === RecordType.AdlExecuted) liquidations.push(buf.accountId(at));
  });
  const order = (accountId: number, side: number, priceTicks: number, qtyLots: number, timeInForce: number, extra: Partial<Parameters<typeof place>[0]> = {}): void => {
    h.send(place({ orderId: h.orderId(), accountId, marketId: BTC.marketId, side, priceTicks, qtyLots, orderType: OrderType.LIMIT, timeInForce, origin: OrderOrigin.USER, ...extra }));
  };
  for (const a of [1, 4]) h.send(deposit(a, 10_000_000n * USDT, h.requestId()));
  h.send(deposit(3, 6_000n * USDT, h.requestId()));
  h.send(topUpInsuranceFund(0, 1_000n * USDT, h.requestId()));
  h.send(setLeverage(3, 50, BTC.marketId));
  const tick = (indexTicks: number): void => {
    h.nowUs += 1_000_000;
    h.send(indexTick(indexTicks, h.nowUs, BTC.marketId));
  };
  tick(600_000);
  order(4, Side.SELL, 600_000, 1_000, TimeInForce.GTC);
  order(3, Side.BUY, 600_000, 1_000, TimeInForce.IOC);
  tick(640_000);
  order(3, Side.BUY, 0, 1_000, TimeInForce.IOC, { orderType: OrderType.STOP_MARKET, triggerPriceTicks: 650_000, triggerSource: TriggerSource.MARK });
  tick(600_000);
  order(1, Side.SELL, 659_000, 1_000, TimeInForce.GTC);
  order(1, Side.BUY, 540_000, 5_000, TimeInForce.GTC);
  assert.equal(h.account(3)!.positions.get(BTC.marketId)!.orders.size, 1, 'the stop waits');

  tick(706_000);

  const account = h.account(3)!;
  const mark = h.markTicks(BTC.marketId);
  const summary = evaluateScope(h.riskShardOf(3).state, account, CROSS_SCOPE)!;
  const ratio = summary.equityAtoms / summary.maintenanceAtoms;
  assert.equal(mark, 670_700n, 'the mark moved with the index');
  assert.equal(account.positions.get(BTC.marketId)!.qtyLots, 2_000n, 'the stop filled and nothing was taken away');
  assert.equal(summary.equityAtoms, 14_177_050_000n);
  assert.equal(ratio, 6n, 'equity 6× maintenance at the new mark');
  assert.deepEqual(liquidations, [], 'no liquidation step and no ADL');
});
