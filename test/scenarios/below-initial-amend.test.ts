// Found by test/property/exchange-user-actions.property.test.ts (I7): below initial margin, an amendment
// that moves a resting risk-increasing order into the book was accepted without the below-IM rule (the
// risk shard checked amendments only when they raised the order margin), so the order filled and the
// scope's position, and its maintenance margin, grew. docs/RISK.md: below initial margin only risk-reducing
// orders are accepted; an amendment is accepted on the same terms.
//
//   account 3, isolated 20x: long 0.5 BTC at 30,100 with 100 USDT over its initial margin; a resting sell
//   of 5 BTC at 31,000 (it would flip the position short)
//   the index falls to 29,600: equity < IM, > MM
//   account 3 amends the sell to 2 BTC at 29,000, through the market maker's bid at 29,550: a smaller
//   order margin than before (4.5 BTC of new exposure at 31,000 against 1.5 BTC at 29,000 plus open loss)

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { CancelReason, OrderOrigin, OrderType, Side, TimeInForce } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { MarginMode } from '../../risk/shard/state.js';
import { amend, cancelAll, indexTick, place } from '../support/commands.js';
import { adjustIsolatedMargin, deposit, setLeverage, setMarginMode } from '../support/risk-commands.js';
import { ExchangeHarness } from '../property/exchange-harness.js';

const BTC = DEFAULT_MARKETS[0]!;
const USDT = 1_000_000n;

function order(h: ExchangeHarness, accountId: number, side: number, priceTicks: number, qtyLots: number, timeInForce: number = TimeInForce.GTC): number {
  const orderId = h.orderId();
  h.send(place({ orderId, accountId, marketId: BTC.marketId, side, priceTicks, qtyLots, orderType: OrderType.LIMIT, timeInForce, origin: OrderOrigin.USER }));
  return orderId;
}

test('below initial margin an amendment cannot move a risk-increasing order into the book', () => {
  const h = new ExchangeHarness({ markets: [BTC], marketShards: 1, riskShards: 1, startUs: 1_700_000_000_000_000 });
  h.send(deposit(1, 10_000_000n * USDT, h.requestId()));
  h.send(deposit(3, 10_000n * USDT, h.requestId()));
  h.send(setMarginMode(3, MarginMode.ISOLATED, BTC.marketId));
  h.send(setLeverage(3, 20, BTC.marketId));
  h.send(indexTick(300_000, h.nowUs, BTC.marketId));
  order(h, 1, Side.SELL, 301_000, 500);
  order(h, 3, Side.BUY, 301_000, 500, TimeInForce.IOC);
  h.send(adjustIsolatedMargin(3, 100n * USDT, h.requestId(), BTC.marketId));
  const resting = order(h, 3, Side.SELL, 310_000, 5_000);
  h.nowUs += 1_000_000;
  h.send(cancelAll(1, CancelReason.CANCEL_ALL, BTC.marketId));
  order(h, 1, Side.BUY, 295_500, 5_000);
  order(h, 1, Side.SELL, 296_500, 5_000);
  h.send(indexTick(296_000, h.nowUs, BTC.marketId));
  const account = h.account(3)!;
  const pos = account.positions.get(BTC.marketId)!;
  const scope = h.riskShardOf(3).parts.scopeOf(account, pos);
  assert.ok(scope.belowInitial && !scope.liquidatable, 'the scenario puts the scope between MM and IM');
  const maintenanceBefore = scope.maintenanceAtoms;

  h.send(amend(3, resting, 290_000, 2_000, BTC.marketId));

  assert.equal(pos.qtyLots, 500n, 'the position neither grew nor flipped');
  assert.ok(h.riskShardOf(3).parts.scopeOf(account, pos).maintenanceAtoms <= maintenanceBefore);
  assert.equal(h.log.rejections.get(Code.BELOW_INITIAL_MARGIN), 1);
});
