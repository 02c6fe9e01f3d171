// Found by the whole-exchange properties (test/property/, I4). A user's own order that closes an isolated
// position through a thin book can fill past the position's bankruptcy price; the loss beyond the
// isolated margin is realized into M_iso, which goes negative on a now flat position:
//   - when the mark never crossed the liquidation price, nothing looks at the scope again (a flat scope
//     is never liquidatable): it keeps its negative margin, unsettled, and the share of margin released
//     to the wallet by the earlier partial closes stays there;
//   - when the mark had crossed mid-way, the pipeline runs on the flat scope but covers the shortfall only
//     up to the event's insurance budget and leaves the rest with the scope (COMPLETED below zero).
// A cross account does the same (its wallet goes below zero with no position left). docs/RISK.md I4: no scope
// ends the pipeline with negative equity. Fixed: a user's fill that leaves a flat scope below zero hands
// it to the liquidation engine, which settles it against the insurance fund as a bankruptcy of its own.
//
//   account 3, isolated 50x: long 0.1 BTC at 30,000 (margin 60 USDT; bankruptcy about 29,400)
//   bids: 0.01 BTC at 29,900, 0.01 at 29,000, 1 BTC at 28,000; the mark stays at 30,000
//   account 3 sells 0.1 BTC reduce-only IOC at 28,000: fills down to 28,000, a loss of 171 USDT

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrderOrigin, OrderType, Side, TimeInForce } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { scopesWithNegativeEquity } from '../../risk/shard/invariants.js';
import { MarginMode } from '../../risk/shard/state.js';
import { indexTick, place } from '../support/commands.js';
import { deposit, setLeverage, setMarginMode, topUpInsuranceFund } from '../support/risk-commands.js';
import { ExchangeHarness } from '../property/exchange-harness.js';

const BTC = DEFAULT_MARKETS[0]!;
const USDT = 1_000_000n;

test(
  "a user's closing order filled past an isolated position's bankruptcy price leaves no scope below zero equity",
  () => {
    const h = new ExchangeHarness({ markets: [BTC], marketShards: 1, riskShards: 1, startUs: 1_700_000_000_000_000 });
    const order = (accountId: number, side: number, priceTicks: number, qtyLots: number, timeInForce: number, reduceOnly = false): void => {
      h.send(place({ orderId: h.orderId(), accountId, marketId: BTC.marketId, side, priceTicks, qtyLots, orderType: OrderType.LIMIT, timeInForce, reduceOnly, origin: OrderOrigin.USER }));
    };
    h.send(deposit(1, 10_000_000n * USDT, h.requestId()));
    h.send(deposit(3, 1_000n * USDT, h.requestId()));
    h.send(topUpInsuranceFund(0, 1_000n * USDT, h.requestId()));
    h.send(setMarginMode(3, MarginMode.ISOLATED, BTC.marketId));
    h.send(setLeverage(3, 50, BTC.marketId));
    h.send(indexTick(300_000, h.nowUs, BTC.marketId));
    order(1, Side.SELL, 300_000, 100, TimeInForce.GTC);
    order(3, Side.BUY, 300_000, 100, TimeInForce.IOC);
    order(1, Side.BUY, 299_000, 10, TimeInForce.GTC);
    order(1, Side.BUY, 290_000, 10, TimeInForce.GTC);
    order(1, Side.BUY, 280_000, 1_000, TimeInForce.GTC);

    order(3, Side.SELL, 280_000, 100, TimeInForce.IOC, true);

    const pos = h.account(3)!.positions.get(BTC.marketId)!;
    assert.equal(pos.qtyLots, 0n, 'the order closed the position');
    assert.deepEqual(scopesWithNegativeEquity(h.riskShardOf(3).state), []);
    // The loss past the isolated margin (about 121.69 USDT) came out of the fund, not the wallet.
    const fund = h.insuranceFundAtoms();
    assert.ok(fund < 1_000n * USDT && fund > 870n * USDT, `fund ${fund}`);
    assert.equal(pos.isolatedMarginAtoms, 0n);
  },
);
