// Found by the whole-exchange properties (test/property/, I4). An isolated position takes its initial
// margin from the wallet at the fill price, as far as the wallet goes, while pre-trade reserved the
// order's cost at its assumed price (for a market sell, the mark less the slippage band). A sell that fills
// far above that (stale bids over a fallen mark) takes more than was reserved, including the wallet that
// backed the account's other resting orders; when one of those fills, its lots get no margin and its fee
// takes the wallet below zero. The account then holds a negative cross equity with no position, outside
// any liquidation, and every withdrawal of the shard is refused from then on (I11's conservative rule).
// Reported to the lead; the properties step around it (test/property/known-gaps.ts) until it is fixed.
//
//   account 3, isolated 1x, 200 USDT; a resting sell of 0.001 BTC at 31,000 (31 USDT reserved)
//   the index falls from 30,000 to 19,128.6 while a bid of 0.01 BTC at 29,970 stays in the book
//   account 3 market-sells 0.007 BTC: reserved at about 18,172, filled at 29,970: 209.79 USDT of margin
//   wanted, the whole wallet (≈200 USDT) taken
//   account 4 market-buys 0.001 BTC: the resting sell fills, its 0.0062 USDT maker fee has no wallet to come from

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrderOrigin, OrderType, Side, TimeInForce } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { scopesWithNegativeEquity } from '../../risk/shard/invariants.js';
import { MarginMode } from '../../risk/shard/state.js';
import { indexTick, place } from '../support/commands.js';
import { deposit, setLeverage, setMarginMode } from '../support/risk-commands.js';
import { ExchangeHarness } from '../property/exchange-harness.js';

const BTC = DEFAULT_MARKETS[0]!;
const USDT = 1_000_000n;

test(
  'an isolated fill far from its reserved price never leaves the wallet below zero',
  { todo: 'known gap flatScopeBelowZero (test/property/known-gaps.ts): isolated margin at the fill price drains the wallet other orders reserved' },
  () => {
    const h = new ExchangeHarness({ markets: [BTC], marketShards: 1, riskShards: 1, startUs: 1_700_000_000_000_000 });
    const order = (accountId: number, side: number, priceTicks: number, qtyLots: number, orderType: number, timeInForce: number): void => {
      h.send(place({ orderId: h.orderId(), accountId, marketId: BTC.marketId, side, priceTicks, qtyLots, orderType, timeInForce, origin: OrderOrigin.USER }));
    };
    h.send(deposit(1, 10_000_000n * USDT, h.requestId()));
    h.send(deposit(4, 10_000n * USDT, h.requestId()));
    h.send(deposit(3, 200n * USDT, h.requestId()));
    h.send(setMarginMode(3, MarginMode.ISOLATED, BTC.marketId));
    h.send(setLeverage(3, 1, BTC.marketId));
    h.send(indexTick(300_000, h.nowUs, BTC.marketId));
    order(1, Side.BUY, 299_700, 10, OrderType.LIMIT, TimeInForce.GTC);
    order(3, Side.SELL, 310_000, 1, OrderType.LIMIT, TimeInForce.GTC);
    for (const index of [280_000, 260_000, 240_000, 220_000, 200_000, 191_286]) {
      h.nowUs += 1_000_000;
      h.send(indexTick(index, h.nowUs, BTC.marketId));
    }
    order(3, Side.SELL, 0, 7, OrderType.MARKET, TimeInForce.IOC);
    assert.equal(h.account(3)!.positions.get(BTC.marketId)!.qtyLots, -7n, 'the market sell filled at the stale bid');

    order(4, Side.BUY, 0, 1, OrderType.MARKET, TimeInForce.IOC);

    assert.equal(h.account(3)!.positions.get(BTC.marketId)!.qtyLots, -8n, 'the resting sell filled');
    assert.ok(h.account(3)!.walletAtoms >= 0n, `wallet ${h.account(3)!.walletAtoms}`);
    assert.deepEqual(scopesWithNegativeEquity(h.riskShardOf(3).state), []);
  },
);
