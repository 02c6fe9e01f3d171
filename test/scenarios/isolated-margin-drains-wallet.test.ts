// Found by the whole-exchange properties (test/property/, I4). An isolated position takes its initial
// margin from the wallet at the fill price, as far as the wallet goes, while pre-trade reserved the
// order's cost at its assumed price (for a market sell, the mark less the slippage band). A sell that fills
// far above that (stale bids over a fallen mark) takes more than was reserved, including the wallet that
// backed the account's other resting orders; when one of those fills, its lots get no margin and its fee
// takes the wallet below zero. The account then holds a negative cross equity with no position, outside
// any liquidation, and every withdrawal of the shard is refused from then on (I11's conservative rule).
// Fixed: opened lots move IM at mark (docs/RISK.md: IM = N/leverage at mark) plus any loss against the mark,
// and a priceless market order leaves pre-trade with the worst price it was margined for.
//
//   account 3, isolated 1x, 200 USDT; a resting sell of 0.001 BTC at 31,000 (31 USDT reserved)
//   the index falls from 30,000 to 19,128.6 while a bid of 0.01 BTC at 29,970 stays in the book
//   account 3 market-sells 0.007 BTC: reserved at about 18,172, filled at 29,970: at the fill price
//   209.79 USDT of margin was wanted and the whole wallet (≈200 USDT) taken; at mark it is 133.90 USDT
//   account 4 market-buys 0.001 BTC: it used to reach the resting sell at 31,000 and its maker fee found
//   no wallet; now the buy is bounded by mark + 5% and the sell stays

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
    const account = h.account(3)!;
    const pos = account.positions.get(BTC.marketId)!;
    assert.equal(pos.qtyLots, -7n, 'the market sell filled at the stale bid');
    // IM at mark (1x): 7 lots at the mark, not at the 29,970 fill; the wallet still backs the resting sell.
    const mark = h.market(BTC.marketId).markPriceTicks;
    assert.equal(pos.isolatedMarginAtoms, 7n * mark * 100n);
    assert.ok(account.walletAtoms >= pos.orderMarginAtoms, `wallet ${account.walletAtoms} < reserved ${pos.orderMarginAtoms}`);

    // A market buy is bounded by the price it was margined for (mark + 5%): the sell resting at 31,000 is
    // out of its reach and stays.
    order(4, Side.BUY, 0, 1, OrderType.MARKET, TimeInForce.IOC);
    assert.equal(pos.qtyLots, -7n);
    assert.ok(account.walletAtoms >= 0n, `wallet ${account.walletAtoms}`);
    assert.deepEqual(scopesWithNegativeEquity(h.riskShardOf(3).state), []);
  },
);
