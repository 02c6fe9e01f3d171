// Read models after a restart, on the in-process exchange (deterministic): a seeded two-market flow runs
// on an exchange whose gateway records feed read models and a market-data hub as the gateway's do. At a
// point mid-command (records in flight between the shards) the exchange is restored from snapshots into
// a second one, behind the gateway's Dispatcher: from then its restoring listeners' records wait aside
// while the flow goes on (the gateway keeps polling while it waits for the state), then the shards'
// state is copied (shardStates, so the records aside are already inside it), loaded, and only what is
// news to it is applied (RestartGate). Both run the rest of the flow; then the restored side's open
// orders, positions, balances and books equal those of the side that never restarted, and its books equal
// the engine's: a record applied twice would reset a fill or revert a level, one missed would lose it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeRecord } from '../../engine/ring/layouts/index.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { InProcessExchange, type GatewaySource } from '../../exchange/in-process-exchange.js';
import { Dispatcher } from '../../gateway/dispatch.js';
import { Gateway } from '../../gateway/gateway.js';
import { MemoryStore } from '../../persistence/memory-store.js';
import type { ShardStates } from '../../exchange/shard-states.js';
import { MarketStatus, SetMarketStatusLayout } from '../../engine/ring/layouts/set-market-status.js';
import { HeaderFlag } from '../../engine/ring/record.js';
import type { GatewayExchange } from '../../gateway/orders/gateway-exchange.js';
import { MarketDataHub } from '../../gateway/market-data/hub.js';
import { AccountViews } from '../../gateway/views/account-views.js';
import type { FillView } from '../../gateway/views/order-view.js';
import { loadViews, RestartGate } from '../../gateway/views/restart-state.js';
import { amend, place, type Cmd } from '../support/commands.js';
import { rng } from '../support/seed.js';
import { OrderType, type Side as BookSide } from '../../engine/enums.js';
import { engineLevels, FLOW_MARKETS, FLOW_T0, flowExchange, flowRiskMarkets, flowTopology, marketFlow } from '../support/market-flow.js';
import { ordersOf } from '../../engine/book/book-columns.js';

const ACCOUNTS = [1, 2, 3, 4, 5, 6];
const submitCmd = (ex: InProcessExchange, c: Cmd) => ex.submit(c.layout, c.header, c.body);
const hubMarkets = FLOW_MARKETS.map((m) => ({ marketId: m.marketId, symbol: m.symbol }));

interface Side {
  views: AccountViews;
  hub: MarketDataHub;
}

function feed(s: Side, gate?: RestartGate): (buf: RecordBuffer, at: number, from: GatewaySource) => void {
  return (buf, at, from) => {
    if (gate !== undefined && !gate.fresh(buf, at, from)) return;
    s.views.apply(decodeRecord(buf, at));
    s.hub.onRecord(buf, at, from);
    s.hub.flush();
  };
}

/** What must match: every field but the time of the last update (a copy is stamped with the copy's time). */
/** Trade ids of an account's newest fills (a views without a store answers at once). */
const fillIds = (v: AccountViews, a: number, limit: number) => (v.history.fills.newest(a, limit) as FillView[]).map((f) => f.tradeId);
const orders = (v: AccountViews, a: number) => [...(v.get(a)?.open.values() ?? [])].map(({ updatedUs: _u, ...o }) => o).sort((x, y) => x.orderId - y.orderId);
// A position's figures that move with the mark (mark, UPnL, ratio, quintile) are published only when
// LP, BP or tier move: the copy has the current ones, the live view the last published.
const positions = (v: AccountViews, a: number) =>
  [...(v.get(a)?.positions.values() ?? [])].map((p) => [p.market, p.qty, p.entryCost, p.realizedPnl, p.isolatedMargin, p.liquidationPrice, p.bankruptcyPrice, p.tier, p.leverage, p.marginMode]).sort((x, y) => Number(x[0]) - Number(y[0]));
const wallet = (v: AccountViews, a: number) => v.get(a)?.balance?.wallet;

for (const seed of [11, 12, 13]) {
  test(`seed ${seed}: read models and books loaded from the shards' state after a restore equal those that never restarted`, () => {
    console.log(`seed ${seed}`);
    const cmds = marketFlow(seed, 500);
    const live = flowExchange();
    const kept: Side = { views: new AccountViews(), hub: new MarketDataHub(hubMarkets, false) };
    live.onGateway(feed(kept));
    const point = Math.floor(cmds.length / 2);
    for (let i = 0; i < point; i++) {
      submitCmd(live, cmds[i]!);
      live.pump();
    }
    // Mid-command: part of its records delivered, the rest (gateway-bound ones too) in flight.
    submitCmd(live, cmds[point]!);
    live.pump(3);
    const snaps = live.encodeShards();
    const restored = new InProcessExchange({ topology: flowTopology(), riskMarkets: flowRiskMarkets }, { ...snaps, inFlight: live.inFlight() });
    const back: Side = { views: new AccountViews(), hub: new MarketDataHub(hubMarkets, false) };
    const dispatcher = new Dispatcher({} as GatewayExchange, () => {});
    dispatcher.add({ onRecord: feed(back), restore: (states) => (loadViews(back.views, states), back.hub.restore(states)) });
    let aside = 0;
    dispatcher.add(() => aside++);
    dispatcher.beginRestore();
    restored.onGateway(dispatcher.listener);
    for (const ex of [live, restored]) ex.pump();
    // Orders keep arriving while the gateway waits for the state.
    const later = Math.min(cmds.length, point + 40);
    for (let i = point + 1; i < later; i++) {
      for (const ex of [live, restored]) {
        submitCmd(ex, cmds[i]!);
        ex.pump();
      }
    }
    const fillsBefore = new Map(ACCOUNTS.map((a) => [a, kept.views.history.fills.length(a)]));
    const states = restored.shardStates();
    assert.ok(aside > 0, 'records came while the state was awaited');
    assert.ok(states.market[0]!.markets.some((m) => m.orders.count > 0), 'the copy holds resting orders');
    assert.ok(states.risk[0]!.count > ACCOUNTS.length, 'the copy holds balances and positions');
    dispatcher.finishRestore(states);
    for (let i = later; i < cmds.length; i++) {
      for (const ex of [live, restored]) {
        submitCmd(ex, cmds[i]!);
        ex.pump();
      }
    }
    for (const a of ACCOUNTS) {
      assert.deepEqual(orders(back.views, a), orders(kept.views, a), `account ${a}: open orders`);
      assert.deepEqual(positions(back.views, a), positions(kept.views, a), `account ${a}: positions`);
      assert.equal(wallet(back.views, a), wallet(kept.views, a), `account ${a}: wallet`);
      // Fills are events, not state: the restored side has exactly those after the copy, each once.
      const since = kept.views.history.fills.length(a) - fillsBefore.get(a)!;
      assert.deepEqual(fillIds(back.views, a, 1_000), fillIds(kept.views, a, since), `account ${a}: fills since the copy`);
    }
    for (const m of FLOW_MARKETS) {
      const engine = engineLevels(restored, m.marketId);
      const snap = back.hub.snapshot(m.symbol)!;
      assert.deepEqual({ bids: snap.bids, asks: snap.asks }, engine, `${m.symbol}: the restored hub's book is the engine's`);
      const was = kept.hub.snapshot(m.symbol)!;
      assert.deepEqual([snap.bids, snap.asks, snap.checksum], [was.bids, was.asks, was.checksum], `${m.symbol}: the same book and checksum as the hub that never restarted`);
    }
  });
}

test('a fresh exchange has empty copies, and the gate lets everything through', () => {
  const ex = flowExchange();
  const states = ex.shardStates();
  assert.deepEqual(
    states.market[0]!.markets.map((m) => [m.seq, m.orders.count, m.bids.count, m.halted]),
    FLOW_MARKETS.map(() => [0, 0, 0, false]),
  );
  assert.equal(states.risk[0]!.count, 0);
  const gate = new RestartGate(states);
  let seen = 0;
  ex.onGateway((buf, at, from) => {
    if (gate.fresh(buf, at, from)) seen++;
  });
  let delivered = 0;
  ex.onGateway(() => delivered++);
  for (const c of marketFlow(5, 20)) submitCmd(ex, c);
  ex.pump();
  assert.ok(delivered > 0);
  assert.equal(seen, delivered);
  assert.equal(gate.open, true);
});

test('the gateway is not ready until the shards’ state is loaded into its read models', async () => {
  const live = flowExchange();
  for (const c of marketFlow(7, 200)) {
    submitCmd(live, c);
    live.pump();
  }
  let give!: (s: ShardStates) => void;
  const states = new Promise<ShardStates>((r) => (give = r));
  const exchange: GatewayExchange = {
    topology: flowTopology(),
    offer: () => true,
    flush: () => {},
    poll: () => 0,
    waitForOutput: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))),
    halted: false,
    shardStates: () => states,
  };
  const gw = new Gateway({ exchange, store: new MemoryStore(), timerTickMs: 0 });
  const opened = gw.open();
  try {
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(gw.ready, false, 'waiting for the shards');
    const copy = live.shardStates();
    give(copy);
    await opened;
    assert.equal(gw.ready, true);
    const held = copy.market[0]!.markets.flatMap((m) => ordersOf(m.orders));
    assert.ok(held.length > 0);
    for (const o of held) assert.equal(gw.views.get(o.accountId)?.open.get(o.orderId)?.remaining, o.remainingLots, `order ${o.orderId}`);
  } finally {
    give(live.shardStates());
    await opened.catch(() => {});
    await gw.close();
  }
});

test('a halted market says so in its copy', () => {
  const ex = flowExchange();
  ex.send(SetMarketStatusLayout, { marketId: FLOW_MARKETS[1]!.marketId, flags: HeaderFlag.OPERATOR, timeUs: 1 }, { requestId: 1, status: MarketStatus.HALTED });
  assert.deepEqual(ex.shardStates().market[0]!.markets.map((m) => [m.marketId, m.halted]), [[FLOW_MARKETS[0]!.marketId, false], [FLOW_MARKETS[1]!.marketId, true]]);
});

// A copy taken a slice at a time (as a worker takes it, a slice per loop turn) with commands handled
// between the slices: amends that move orders between levels (ahead of the copy's cursor to behind it and
// back), stop orders that trigger, places, cancels and trades. The copy is fuzzy past its start seq; the
// records after that seq make the gateway's read models and books exactly those of a gateway that saw
// everything. An order or level the cursor skipped or copied twice would show here.
for (const seed of [21, 22, 23]) {
  test(`seed ${seed}: a copy sliced between commands, loaded with the records after it, equals what never restarted`, () => {
    console.log(`seed ${seed}`);
    const cmds = marketFlow(seed, 3_000);
    const ex = flowExchange();
    const kept: Side = { views: new AccountViews(), hub: new MarketDataHub(hubMarkets, false) };
    ex.onGateway(feed(kept));
    let marketSeq = 0;
    ex.onGateway((buf, at, from) => {
      if (from.kind === 'market') marketSeq = buf.seq(at);
    });
    let next = 0;
    const run = (c: Cmd) => {
      submitCmd(ex, c);
      ex.pump();
    };
    while (next < 600) run(cmds[next++]!);
    // Deep levels nothing else touches: a level the cursor skipped would be missing from the hub.
    let orderId = 1_000_000;
    for (const m of FLOW_MARKETS) {
      const mid = m.marketId === 1 ? 600_000 : 30_000;
      for (let k = 30; k < 60; k++) for (const side of [0, 1] as BookSide[]) run(place({ orderId: orderId++, accountId: 1 + (k % 6), marketId: m.marketId, side, priceTicks: side === 0 ? mid - k : mid + k, qtyLots: 1, timeUs: FLOW_T0 + next * 100_000 }));
    }
    const back: Side = { views: new AccountViews(), hub: new MarketDataHub(hubMarkets, false) };
    const dispatcher = new Dispatcher({} as GatewayExchange, () => {});
    dispatcher.add({ onRecord: feed(back), restore: (states) => (loadViews(back.views, states), back.hub.restore(states)) });
    dispatcher.beginRestore();
    ex.onGateway(dispatcher.listener);
    const r = rng(seed);
    let moved = 0;
    const between = () => {
      const c = cmds[next++ % cmds.length]!;
      run({ ...c, header: { ...c.header, timeUs: FLOW_T0 + next * 100_000 } });
      const marketId = 1 + (r() % 2);
      const open = ex.marketShards[0]!.book(marketId)!.orders();
      const o = open[r() % Math.max(1, open.length)];
      const mid = marketId === 1 ? 600_000 : 30_000;
      if (o !== undefined && o.triggerPriceTicks === 0 && r() % 2 === 0) {
        run(amend(o.accountId, o.orderId, mid + (r() % 41) - 20, o.qtyLots + 1 + (r() % 3), marketId));
        moved++;
      } else if (r() % 4 === 0) {
        const side = (r() % 2) as BookSide;
        run(place({ orderId: orderId++, accountId: 1 + (r() % 6), marketId, side, orderType: OrderType.STOP_MARKET, qtyLots: 1 + (r() % 5), triggerPriceTicks: mid + (side === 0 ? 1 : -1) * (1 + (r() % 15)), timeUs: FLOW_T0 + next * 100_000 }));
      }
    };
    const states = ex.shardStates({ budget: 1, between });
    assert.ok(moved > 50, `orders moved during the copy (${moved})`);
    assert.ok(states.market[0]!.markets.every((m) => m.orders.count > 0 && m.seq < marketSeq - 100), 'each market was copied over many commands');
    dispatcher.finishRestore(states);
    for (let i = 0; i < 200; i++) run(cmds[next++ % cmds.length]!);
    for (const a of ACCOUNTS) assert.deepEqual(orders(back.views, a), orders(kept.views, a), `account ${a}: open orders`);
    for (const m of FLOW_MARKETS) {
      const snap = back.hub.snapshot(m.symbol)!;
      assert.deepEqual({ bids: snap.bids, asks: snap.asks }, engineLevels(ex, m.marketId), `${m.symbol}: the restored hub's book is the engine's`);
      const was = kept.hub.snapshot(m.symbol)!;
      assert.deepEqual([snap.bids, snap.asks, snap.checksum], [was.bids, was.asks, was.checksum], `${m.symbol}: the same book and checksum as the hub that never restarted`);
    }
  });
}
