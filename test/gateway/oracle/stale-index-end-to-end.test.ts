// End to end: venues on 127.0.0.1 → the oracle → index ticks (with their sources' records) into the
// market shard → MarkPriceUpdated → the risk shard. When every venue goes stale the mark freezes and the
// market refuses orders that add exposure (MARKET_REDUCE_ONLY) while it still takes orders that reduce;
// when the venues come back, so does trading.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { OrderType, Side, TimeInForce } from '../../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { OrderRejectedLayout } from '../../../engine/ring/layouts/order-rejected.js';
import { OrderAcceptedLayout } from '../../../engine/ring/layouts/order-accepted.js';
import { MarkPriceUpdatedLayout } from '../../../engine/ring/layouts/mark-price-updated.js';
import { RecordType } from '../../../engine/ring/types.js';
import { InProcessExchange } from '../../../exchange/in-process-exchange.js';
import { Topology } from '../../../exchange/topology.js';
import { feedIndexTicks } from '../../../gateway/oracle/index-feed.js';
import { riskMarket } from '../../../risk/shard/config.js';
import { place, type Cmd } from '../../support/commands.js';
import { deposit } from '../../support/risk-commands.js';
import { OracleHarness } from './oracle-harness.js';

const BTC = DEFAULT_MARKETS[0]!;
const USDT = 1_000_000n;

test('every venue going stale puts the market in reduce-only in the risk shard, and recovery lifts it', async () => {
  const h = await OracleHarness.start();
  const ex = new InProcessExchange({ topology: Topology.spread([BTC], 1, 1), riskMarkets: [riskMarket(BTC)] });
  const rejected = new Map<number, number>();
  const accepted = new Set<number>();
  const marks: { stale: number; markPriceTicks: number }[] = [];
  ex.onGateway((buf, at) => {
    const type = buf.type(at);
    if (type === RecordType.OrderRejected) rejected.set(buf.u53At(at, OrderRejectedLayout.offsets.orderId), buf.u16At(at, OrderRejectedLayout.offsets.code));
    if (type === RecordType.OrderAccepted) accepted.add(buf.u53At(at, OrderAcceptedLayout.offsets.orderId));
    if (type === RecordType.MarkPriceUpdated) marks.push({ stale: buf.u8At(at, MarkPriceUpdatedLayout.offsets.stale), markPriceTicks: buf.u53At(at, MarkPriceUpdatedLayout.offsets.markPriceTicks) });
  });
  feedIndexTicks(h.oracle, ex);
  const send = (c: Cmd) => ex.send(c.layout, { ...c.header, timeUs: h.clock() }, c.body);
  const order = (orderId: number, accountId: number, side: number, priceTicks: number, qtyLots: number) =>
    send(place({ orderId, accountId, side, priceTicks, qtyLots, orderType: OrderType.LIMIT, timeInForce: TimeInForce.GTC }));
  const market = () => ex.riskShards[0]!.state.markets.get(BTC.marketId)!;
  const quoteAll = () => {
    h.quote('binance', '60000.0', '60000.2');
    h.quote('coinbase', '60001.0', '60001.2');
    h.quote('okx', '59999.0', '59999.2');
    h.quote('bybit', '60002.0', '60002.2');
  };
  try {
    send(deposit(1, 100_000n * USDT, 1));
    send(deposit(2, 100_000n * USDT, 2));
    quoteAll();
    await h.oracle.runCycle();
    ex.pump();
    assert.equal(market().reduceOnly, false);
    assert.equal(market().indexPriceTicks, 600_006n);
    // Account 1 goes long 0.010 BTC against account 2.
    order(1, 2, Side.SELL, 600_000, 10);
    order(2, 1, Side.BUY, 600_000, 10);
    assert.ok(accepted.has(1) && accepted.has(2) && rejected.size === 0);

    h.offsetUs += 11_000_000;
    for (const v of ['binance', 'coinbase', 'okx', 'bybit'] as const) h.server(v).behaviour = { status: 503, body: '{}' };
    const [dead] = await h.oracle.runCycle();
    ex.pump();
    assert.equal(dead!.stale, true);
    assert.equal(market().reduceOnly, true);
    assert.deepEqual(marks.at(-1), { stale: 1, markPriceTicks: marks.at(-2)!.markPriceTicks }, 'the mark froze');

    order(3, 1, Side.BUY, 600_000, 5); // adds to the long: refused
    assert.equal(rejected.get(3), Code.MARKET_REDUCE_ONLY);
    order(4, 1, Side.SELL, 600_100, 5); // reduces the long: taken
    assert.ok(accepted.has(4) && !rejected.has(4));

    quoteAll();
    const [back] = await h.oracle.runCycle();
    ex.pump();
    assert.equal(back!.stale, false);
    assert.equal(market().reduceOnly, false);
    order(5, 1, Side.BUY, 600_000, 5);
    assert.ok(accepted.has(5) && !rejected.has(5));

    // The shard took every source record in sequence (4 per tick, 3 ticks) and refused none of them.
    const shard = ex.marketShards[0]!;
    assert.equal(shard.lastSeq(0), 3 * 5);
    assert.ok([...rejected.keys()].every((id) => id === 3));
  } finally {
    await h.close();
  }
});
