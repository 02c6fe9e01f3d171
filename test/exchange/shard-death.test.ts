// A dead shard halts the threaded exchange cleanly, whatever killed it and whatever state the others are in:
// the exchange notices (failure names the shard), takes no more commands, answers the command the shard
// died on with SHARD_FAILED, and stop() returns, also with shards blocked on full rings whose consumer is
// gone or not polled. Each kind of worker is killed under load: on a record (a gap in its input stream,
// which is fatal by design: records were lost) and by terminating its thread.
//
// No timed assertions: a hang here is a failure by the test's own timeout (and the runner's).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { OrderType, Side } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { OrderRejectedLayout } from '../../engine/ring/layouts/order-rejected.js';
import { PlaceOrderLayout } from '../../engine/ring/layouts/place-order.js';
import { UpdateIndexPriceLayout } from '../../engine/ring/layouts/update-index-price.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { CONSUMER_CURSOR_INDEX, PRODUCER_CURSOR_INDEX, PRODUCER_PARKED_INDEX } from '../../engine/ring/ring-buffer-descriptor.js';
import type { RingBuffer } from '../../engine/ring/ring-buffer.js';
import { RecordType } from '../../engine/ring/types.js';
import { OrderFlow } from '../../engine/sim/order-flow.js';
import type { GatewaySource } from '../../exchange/in-process-exchange.js';
import type { ShardFailedError } from '../../exchange/shard-failure.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { DemoDriver } from '../../gateway/demo-driver.js';
import { riskMarket } from '../../risk/shard/config.js';

const REJ = OrderRejectedLayout.offsets;
const CAPACITY = 256;
const TIMEOUT = { timeout: 60_000 };

interface Seen {
  type: number;
  code: number;
  commandType: number;
  orderId: number;
  clientOrderId: number;
  marketId: number;
  from: GatewaySource;
}

/** Two market shards, two risk shards, small rings (so they fill under load), a funded simulated flow. */
async function loaded(): Promise<{ exchange: ThreadedExchange; driver: DemoDriver; seen: Seen[]; poll: () => void }> {
  const topology = Topology.spread(DEFAULT_MARKETS, 2, 2);
  const exchange = await ThreadedExchange.start({ topology, riskMarkets: DEFAULT_MARKETS.map((m) => riskMarket(m)), ringCapacity: CAPACITY });
  const flow = new OrderFlow({
    markets: [
      { market: DEFAULT_MARKETS[0]!, startMidTicks: 600_000, rungTicks: 5, maxTakerLots: 50, maxQuoteLots: 200 },
      { market: DEFAULT_MARKETS[1]!, startMidTicks: 300_000, rungTicks: 5, maxTakerLots: 500, maxQuoteLots: 2_000 },
    ],
    seed: 11,
    firstAccountId: 1,
    makers: 4,
    takers: 16,
    quotesPerMaker: 20,
    mix: { quote: 62, cancel: 30, taker: 8 },
    firstOrderId: 1,
  });
  const driver = new DemoDriver(exchange, flow);
  const seen: Seen[] = [];
  const poll = (): void => {
    exchange.poll((buf, at, from) => {
      seen.push({
        type: buf.type(at),
        code: buf.type(at) === RecordType.OrderRejected ? buf.u16At(at, REJ.code) : 0,
        commandType: buf.type(at) === RecordType.OrderRejected ? buf.u16At(at, REJ.commandType) : 0,
        orderId: buf.type(at) === RecordType.OrderRejected ? buf.u53At(at, REJ.orderId) : 0,
        clientOrderId: buf.type(at) === RecordType.OrderRejected ? buf.u53At(at, REJ.clientOrderId) : 0,
        marketId: buf.marketId(at),
        from,
      });
    });
  };
  driver.fund(10_000_000n, 100_000n);
  while (exchange.topology.markets().some((m) => !seen.some((s) => s.type === RecordType.MarkPriceUpdated && s.marketId === m.marketId))) {
    poll();
    await exchange.waitForOutput(5);
  }
  // Load: thousands of commands through every shard, the rings going full and empty.
  for (let sent = 0; sent < 5_000; ) {
    sent += driver.drive(500);
    poll();
    await exchange.waitForOutput(1);
  }
  return { exchange, driver, seen, poll };
}

/** Keeps the load on (offers are refused once the exchange halts) until a shard is reported dead. */
async function untilFailed(x: { exchange: ThreadedExchange; driver: DemoDriver; poll: () => void }): Promise<ShardFailedError> {
  while (x.exchange.failure === undefined) {
    x.driver.drive(200);
    x.poll();
    await x.exchange.waitForOutput(1);
  }
  x.poll();
  return x.exchange.failure;
}

/** Offers one command, waiting out back-pressure (the rings are small and loaded). */
async function offerTaken(x: { exchange: ThreadedExchange; poll: () => void }, fill: (buf: RecordBuffer) => void): Promise<void> {
  while (!offerOne(x.exchange, fill)) {
    x.poll();
    await x.exchange.waitForOutput(1);
  }
}

function offerOne(exchange: ThreadedExchange, fill: (buf: RecordBuffer) => void): boolean {
  const buf = RecordBuffer.allocate(1);
  fill(buf);
  const taken = exchange.offer(buf, 0);
  exchange.flush();
  return taken;
}

function placeOrder(buf: RecordBuffer, accountId: number, orderId: number, clientOrderId: number): void {
  encodeRecord(buf, 0, PlaceOrderLayout, { accountId, marketId: DEFAULT_MARKETS[0]!.marketId, timeUs: Date.now() * 1000 }, {
    orderId,
    clientOrderId,
    priceTicks: 590_000,
    qtyLots: 1,
    triggerPriceTicks: 0,
    side: Side.BUY,
    orderType: OrderType.LIMIT,
    timeInForce: 0,
    stpMode: 0,
    triggerSource: 0,
    reduceOnly: 0,
    origin: 0,
  });
}

function indexTick(buf: RecordBuffer, marketId: number, priceTicks: number): void {
  encodeRecord(buf, 0, UpdateIndexPriceLayout, { marketId, timeUs: Date.now() * 1000 }, { indexPriceTicks: priceTicks, sourcesUsed: 3 });
}

function full(ring: RingBuffer): boolean {
  return Atomics.load(ring.header, PRODUCER_CURSOR_INDEX) - Atomics.load(ring.header, CONSUMER_CURSOR_INDEX) === ring.capacity;
}

test('a risk shard that dies on a record halts the exchange, its command is answered SHARD_FAILED, and stop returns', TIMEOUT, async () => {
  const x = await loaded();
  try {
    // A gap in risk shard 1's input stream: the next record it takes is fatal (records were lost).
    x.exchange.toRisk[1]!.nextSeq += 1;
    await offerTaken(x, (b) => placeOrder(b, 1, 900_000_001, 4242));
    const failure = await untilFailed(x);
    assert.deepEqual(failure.from, { kind: 'risk', shard: 1 });
    assert.match(failure.message, /^risk shard 1 died: .*expected seq .*\(handling PlaceOrder seq \d+ of input 0, account 1, market 1\)/);
    assert.equal(x.exchange.halted, true);
    assert.equal(offerOne(x.exchange, (b) => placeOrder(b, 2, 900_000_002, 0)), false, 'nothing is taken once a shard is gone');
    x.poll();
    const answers = x.seen.filter((s) => s.code === Code.SHARD_FAILED);
    assert.deepEqual(answers, [{ type: RecordType.OrderRejected, code: Code.SHARD_FAILED, commandType: RecordType.PlaceOrder, orderId: 900_000_001, clientOrderId: 4242, marketId: 1, from: { kind: 'risk', shard: 1 } }]);
    const hashes = await x.exchange.stop();
    assert.equal(hashes.risk[1], undefined, 'the dead shard has no hash');
    assert.notEqual(hashes.risk[0], undefined);
    assert.ok(hashes.market.every((h) => h !== undefined), 'the other shards stopped');
  } finally {
    await x.exchange.stop();
  }
});

test('a market shard that dies on a record halts the exchange, its command is answered SHARD_FAILED, and stop returns', TIMEOUT, async () => {
  const x = await loaded();
  try {
    const marketId = DEFAULT_MARKETS[1]!.marketId;
    const shard = x.exchange.topology.marketShardOf(marketId);
    x.exchange.toMarket[shard]!.nextSeq += 1;
    await offerTaken(x, (b) => indexTick(b, marketId, 300_000));
    const failure = await untilFailed(x);
    assert.deepEqual(failure.from, { kind: 'market', shard });
    assert.match(failure.message, new RegExp(`^market shard ${shard} died: .*\\(handling UpdateIndexPrice seq \\d+ of input 0, account 0, market ${marketId}\\)`));
    assert.equal(offerOne(x.exchange, (b) => placeOrder(b, 2, 900_000_003, 0)), false);
    x.poll();
    const answers = x.seen.filter((s) => s.code === Code.SHARD_FAILED);
    assert.deepEqual(answers.map((a) => [a.commandType, a.marketId, a.from]), [[RecordType.UpdateIndexPrice, marketId, { kind: 'market', shard }]]);
    const hashes = await x.exchange.stop();
    assert.equal(hashes.market[shard], undefined);
    assert.ok(hashes.risk.every((h) => h !== undefined));
  } finally {
    await x.exchange.stop();
  }
});

for (const kind of ['market', 'risk'] as const) {
  test(`a ${kind} worker whose thread is terminated under load (an exit without an error) halts the exchange, and stop returns`, TIMEOUT, async () => {
    const x = await loaded();
    try {
      const hosts = kind === 'market' ? x.exchange.marketHosts : x.exchange.riskHosts;
      void hosts[0]!.worker.terminate();
      const failure = await untilFailed(x);
      assert.deepEqual(failure.from, { kind, shard: 0 });
      // A market worker may run several shards (market-shard-0+1 on a machine with few cores).
      assert.match(failure.message, new RegExp(`^${kind} shard 0 died: ${kind}-shard-0(\\+\\d+)* exited with code 1 before stopping$`));
      assert.equal(failure.answer, undefined, 'it died on no record');
      assert.equal(offerOne(x.exchange, (b) => placeOrder(b, 2, 900_000_004, 0)), false);
      const hashes = await x.exchange.stop();
      assert.equal((kind === 'market' ? hashes.market : hashes.risk)[0], undefined);
    } finally {
      await x.exchange.stop();
    }
  });
}

test('after a risk worker dies, a market shard blocked on the dead shard\'s full ring still stops', TIMEOUT, async () => {
  const x = await loaded();
  try {
    await x.exchange.riskHosts[0]!.worker.terminate();
    await untilFailed(x);
    // Index ticks straight into market shard 0's input (past the halted offer()): each one sends a mark
    // to every risk shard, so the ring towards the dead one fills and the market shard blocks on it.
    const marketId = x.exchange.topology.config.marketShards[0]![0]!.marketId;
    const buf = RecordBuffer.allocate(1);
    const stream = x.exchange.toMarket[0]!;
    // Until a market shard is parked waiting for space in its ring to the dead shard (its producer-parked
    // flag): only then is it certain to hold records it must give up; a ring merely full could be one the
    // shard filled exactly before seeing the stop, with nothing left to abandon. When the market shards
    // share a worker thread, the one blocked may be shard 1 (its ring filled under the load first), and
    // then shard 0 is held up behind it on the same thread.
    const blocked = () => x.exchange.marketHosts.findIndex((h) => full(h.riskOut[0]!) && Atomics.load(h.riskOut[0]!.header, PRODUCER_PARKED_INDEX) !== 0);
    for (let price = 600_000; blocked() < 0; price++) {
      indexTick(buf, marketId, price);
      stream.offer(buf, 0);
      stream.flush();
      x.poll();
      await x.exchange.waitForOutput(1);
    }
    const s = blocked();
    const hashes = await x.exchange.stop();
    assert.equal(hashes.risk[0], undefined);
    const done = await x.exchange.marketHosts[s]!.stop();
    assert.ok(done.abandoned > 0, 'it gave up the records the dead shard would never read');
    assert.equal(hashes.market[s], done.stateHash);
  } finally {
    await x.exchange.stop();
  }
});

test('stop returns while shards are blocked on full gateway-bound rings nobody polls, and hands over what they held', TIMEOUT, async () => {
  const x = await loaded();
  try {
    // Offer without polling until the gateway-bound rings fill and the shards block on them.
    const gatewayBound = [...x.exchange.marketHosts.map((h) => h.gatewayOut), ...x.exchange.riskHosts.map((h) => h.gatewayOut)];
    while (!gatewayBound.some(full)) {
      x.driver.drive(200);
      await x.exchange.waitForOutput(1);
    }
    let drained = 0;
    const hashes = await x.exchange.stop(() => drained++);
    assert.ok(drained >= CAPACITY, `${drained} records handed over while stopping`);
    assert.equal(x.exchange.failure, undefined);
    assert.ok([...hashes.market, ...hashes.risk].every((h) => h !== undefined), 'every shard stopped cleanly');
  } finally {
    await x.exchange.stop();
  }
});
