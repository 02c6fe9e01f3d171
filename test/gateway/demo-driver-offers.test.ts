// The demo driver against stand-in exchanges (no threads): a command the exchange refuses is offered
// again, before anything newer, so the exchange takes exactly the commands the flow generator wrote, in
// order; a halted exchange is not offered anything; and the flow starts only once every risk shard holds
// a mark of its own (the gateway seeing a mark is not enough).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { MarkPriceUpdatedLayout } from '../../engine/ring/layouts/mark-price-updated.js';
import { RecordBuffer, TYPE } from '../../engine/ring/record.js';
import { OrderFlow } from '../../engine/sim/order-flow.js';
import type { Listener } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { DemoDriver } from '../../gateway/demo-driver.js';
import type { ScanSnapshot } from '../../risk/stress/scan-snapshot.js';

function flow(): OrderFlow {
  return new OrderFlow({
    markets: [
      { market: DEFAULT_MARKETS[0]!, startMidTicks: 600_000, rungTicks: 5, maxTakerLots: 50, maxQuoteLots: 200 },
      { market: DEFAULT_MARKETS[1]!, startMidTicks: 300_000, rungTicks: 5, maxTakerLots: 500, maxQuoteLots: 2_000 },
    ],
    seed: 5,
    firstAccountId: 1,
    makers: 4,
    takers: 8,
    quotesPerMaker: 10,
    mix: { quote: 62, cancel: 30, taker: 8 },
    firstOrderId: 1,
  });
}

/** An exchange that takes or refuses each offer as told, and keeps what it took (without seq and time). */
class StandIn {
  readonly topology = Topology.spread(DEFAULT_MARKETS, 2, 2);
  halted = false;
  offers = 0;
  readonly taken: string[] = [];
  snapshotsAsked = 0;
  /** Gateway-bound records poll() hands out once. */
  outbox: RecordBuffer[] = [];
  /** The risk shards' marks, as their scan snapshots report them. */
  riskMarkTicks = 0n;

  constructor(private readonly refuse: (offer: number) => boolean = () => false) {}

  offer(buf: RecordBuffer, at: number): boolean {
    if (this.halted || this.refuse(++this.offers)) return false;
    this.taken.push(Buffer.from(buf.u8.subarray(at + TYPE, at + 128)).toString('hex'));
    return true;
  }

  flush(): void {}

  poll(listener: Listener): number {
    const out = this.outbox.splice(0);
    for (const b of out) listener(b, 0, { kind: 'market', shard: 0 });
    return out.length;
  }

  waitForOutput(): Promise<void> {
    return Promise.resolve();
  }

  scanSnapshots(): Promise<ScanSnapshot[]> {
    this.snapshotsAsked++;
    const markets = this.topology.markets().map((m) => ({ marketId: m.marketId, markTicks: this.riskMarkTicks, atomsPerTickLot: 1n, tiers: [] }));
    return Promise.resolve([{ markets } as unknown as ScanSnapshot, { markets } as unknown as ScanSnapshot]);
  }
}

test('refused commands are offered again, oldest first: the exchange takes exactly what the flow wrote, in order', () => {
  const reference = new StandIn();
  const r = new DemoDriver(reference as never, flow());
  r.fund(1_000_000n, 10_000n, 1_000n);
  r.drive(3_000);

  // Every third offer refused, and a long stretch of refusals (a ring that stays full for a while).
  const refusing = new StandIn((n) => n % 3 === 0 || (n > 200 && n < 400));
  const d = new DemoDriver(refusing as never, flow());
  d.fund(1_000_000n, 10_000n, 1_000n);
  for (let calls = 0; refusing.taken.length < reference.taken.length && calls < 10_000; calls++) d.drive(64);
  assert.ok(refusing.taken.length >= reference.taken.length, 'the refusing exchange got as far');
  assert.deepEqual(refusing.taken.slice(0, reference.taken.length), reference.taken);
  assert.ok(d.tally.backPressure > 200, 'refusals were counted as back-pressure');
  assert.equal(d.tally.offered, refusing.taken.length);
});

test('timer and index ticks refused are sent later, in order, before newer ones', () => {
  const reference = new StandIn();
  const r = new DemoDriver(reference as never, flow());
  for (let i = 0; i < 5; i++) r.ticks();
  const refusing = new StandIn((n) => n <= 7);
  const d = new DemoDriver(refusing as never, flow());
  for (let i = 0; i < 5; i++) d.ticks();
  assert.deepEqual(refusing.taken, reference.taken);
});

test('a halted exchange is offered nothing more, and that is not back-pressure', () => {
  const x = new StandIn();
  x.halted = true;
  const d = new DemoDriver(x as never, flow());
  assert.equal(d.drive(100), 0);
  assert.equal(x.offers, 0);
  assert.equal(d.tally.backPressure, 0);
});

test('the flow waits until every risk shard holds a mark of its own, not only the gateway', async () => {
  const x = new StandIn();
  const d = new DemoDriver(x as never, flow());
  // The gateway has seen both marks at once; the risk shards get theirs after three more looks.
  for (const m of DEFAULT_MARKETS.slice(0, 2)) {
    const b = RecordBuffer.allocate(1);
    encodeRecord(b, 0, MarkPriceUpdatedLayout, { marketId: m.marketId, timeUs: 1 }, { markPriceTicks: 600_000, indexPriceTicks: 600_000 });
    x.outbox.push(b);
  }
  const original = x.scanSnapshots.bind(x);
  x.scanSnapshots = () => {
    if (x.snapshotsAsked === 3) x.riskMarkTicks = 600_000n;
    return original();
  };
  await d.untilMarked();
  assert.equal(d.tally.markTicks.size, 2);
  assert.equal(x.riskMarkTicks, 600_000n, 'it returned only once the risk shards had their marks');
  assert.equal(x.snapshotsAsked, 4);
});
