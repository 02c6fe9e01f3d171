// Found by the adversarial fuzz (SEED=1490202255, command 1767: "I5: ADL of -256 lots started although
// the book could take 256 of them"). A liquidation sweep's own fills move the last trade price, which can
// fire resting stops and take-profits; one that rests a bid after the sweep ended puts liquidity back into
// the band. The risk shard went to ADL because its last sweep at the current mark had come back short,
// although the book it had swept no longer stood: counterparties were deleveraged at the bankruptcy price
// while the book bid above it.
//
//   account 3, cross, 50x, 700 USDT: long 0.5 BTC at 60,000 (from account 4, short: the ADL candidate);
//   BP 58,600. Account 1 bids 0.1 BTC at 57,000 and offers at 65,000; account 5 holds a take-profit-limit
//   BUY of 1 BTC at 59,000, fired when the last trade reaches 57,500.
//   The index falls to 55,000, the mark to 57,750: account 3 is below zero. The sweep takes the 0.1 BTC at 57,000
//   (all the band held), which fires account 5's order: a bid of 1 BTC at 59,000 rests, inside the band and
//   above the BP. The remaining 0.4 BTC belong to that bid, not to ADL.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrderOrigin, OrderType, Side, TimeInForce, TriggerSource } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { LiquidationProgressedLayout } from '../../engine/ring/layouts/liquidation-progressed.js';
import { RecordType } from '../../engine/ring/types.js';
import { LiquidationStep } from '../../risk/shard/events.js';
import { indexTick, place } from '../support/commands.js';
import { deposit, setLeverage, topUpInsuranceFund } from '../support/risk-commands.js';
import { ExchangeHarness } from '../property/exchange-harness.js';

const BTC = DEFAULT_MARKETS[0]!;
const USDT = 1_000_000n;

test('a liquidation sweep whose fills fire a resting take-profit sweeps again before ADL: the bid it rests takes the rest', () => {
  const h = new ExchangeHarness({ markets: [BTC], marketShards: 1, riskShards: 1, startUs: 1_700_000_000_000_000 });
  const steps: number[] = [];
  let adl = 0;
  h.exchange.onGateway((buf, at) => {
    if (buf.type(at) === RecordType.LiquidationProgressed && buf.accountId(at) === 3) steps.push(buf.u8At(at, LiquidationProgressedLayout.offsets.step));
    if (buf.type(at) === RecordType.AdlExecuted) adl++;
  });
  const order = (accountId: number, side: number, priceTicks: number, qtyLots: number, timeInForce: number, extra: Partial<Parameters<typeof place>[0]> = {}): void => {
    h.send(place({ orderId: h.orderId(), accountId, marketId: BTC.marketId, side, priceTicks, qtyLots, orderType: OrderType.LIMIT, timeInForce, origin: OrderOrigin.USER, ...extra }));
  };
  for (const a of [1, 4, 5]) h.send(deposit(a, 10_000_000n * USDT, h.requestId()));
  h.send(deposit(3, 700n * USDT, h.requestId()));
  h.send(topUpInsuranceFund(0, 1_000n * USDT, h.requestId()));
  h.send(setLeverage(3, 50, BTC.marketId));
  const tick = (indexTicks: number): void => {
    h.nowUs += 1_000_000;
    h.send(indexTick(indexTicks, h.nowUs, BTC.marketId));
  };
  tick(600_000);
  order(4, Side.SELL, 600_000, 500, TimeInForce.GTC);
  order(3, Side.BUY, 600_000, 500, TimeInForce.IOC);
  order(1, Side.BUY, 570_000, 100, TimeInForce.GTC);
  order(1, Side.SELL, 650_000, 100, TimeInForce.GTC);
  order(5, Side.BUY, 590_000, 1_000, TimeInForce.GTC, { orderType: OrderType.TAKE_PROFIT_LIMIT, triggerPriceTicks: 575_000, triggerSource: TriggerSource.LAST });
  assert.equal(h.account(3)!.positions.get(BTC.marketId)!.qtyLots, 500n);

  tick(550_000); // the mark follows to 57,750 (5% above the index, its clamp): equity below zero

  assert.equal(h.markTicks(BTC.marketId), 577_500n);
  assert.deepEqual(h.log.violations, [], 'I5 and the other gateway invariants');
  assert.equal(adl, 0, 'nobody deleveraged');
  assert.equal(h.account(3)!.positions.get(BTC.marketId)?.qtyLots ?? 0n, 0n, 'the liquidated position is closed');
  assert.equal(h.account(4)!.positions.get(BTC.marketId)!.qtyLots, -500n, 'the ADL candidate keeps its short');
  assert.equal(h.account(5)!.positions.get(BTC.marketId)!.qtyLots, 400n, 'the take-profit bid took the rest');
  const S = LiquidationStep;
  assert.deepEqual(steps, [S.TRIGGERED, S.FULL_ORDER, S.FULL_FILL, S.FULL_ORDER, S.FULL_FILL, S.SHORTFALL_COVERED, S.COMPLETED]);
});
