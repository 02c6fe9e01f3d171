// The threaded exchange (worker threads, SPSC rings) and the in-process one (one thread, queues) run the
// same state machines. Fed one command at a time and drained in between (ThreadedExchange.drained: every
// record handled, its outputs published), each shard must end with the same state hash, and every risk
// shard gives the same scan snapshot. Within one command the threads still race: a timer tick makes every
// market shard settle funding, and with two market shards their records reach each risk shard in thread
// order. Funding every 10 s puts eight funding times in the script, so the 2 × 2 topology checks that the
// outcome does not depend on that order (issue 7, part 4; risk/shard/funding-settlement.ts).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side, TimeInForce, OrderType } from '../../engine/enums.js';
import { InProcessExchange } from '../../exchange/in-process-exchange.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import { riskMarket } from '../../risk/shard/config.js';
import { defaultPricing } from '../../engine/shard/market-pricing.js';
import { cancel, indexTick, place, type Cmd } from '../support/commands.js';
import { rng, testSeed } from '../support/seed.js';
import { advanceTime, deposit } from '../support/risk-commands.js';

const T0 = 1_700_000_000_000_000;
const USDT = 1_000_000n;

function script(seed: number): Cmd[] {
  const r = rng(seed);
  const cmds: Cmd[] = [];
  let request = 1;
  let order = 1;
  // Every command carries the gateway's clock, one second a step: a shard refuses time that goes backwards.
  const at = (c: Cmd, timeUs: number): Cmd => ({ ...c, header: { ...c.header, timeUs } });
  for (const id of [1, 2, 3, 4]) cmds.push(at(deposit(id, 1_000_000n * USDT, request++), T0));
  cmds.push(indexTick(600_000, T0, 1), indexTick(30_000, T0, 2));
  // A position in each market from the start, and a timer tick every fifth second, as the exchange's own
  // timer gives: so every seed reaches funding times with open positions. Left to the random steps
  // alone, about one seed in 40 never did (seed 906582383 failed the funding precondition below).
  for (const [marketId, mid] of [[1, 600_000], [2, 30_000]] as const) {
    cmds.push(place({ orderId: order++, accountId: 1, marketId, side: Side.SELL, priceTicks: mid, qtyLots: 10, timeUs: T0 }));
    cmds.push(place({ orderId: order++, accountId: 2, marketId, side: Side.BUY, orderType: OrderType.MARKET, timeInForce: TimeInForce.IOC, qtyLots: 5, timeUs: T0 }));
  }
  for (let i = 0; i < 80; i++) {
    const now = T0 + i * 1_000_000;
    const marketId = 1 + (r() % 2);
    const mid = marketId === 1 ? 600_000 : 30_000;
    const k = r() % 10;
    if (i % 5 === 4) {
      cmds.push(indexTick(600_000 + (r() % 41) - 20, now, 1), indexTick(30_000 + (r() % 41) - 20, now, 2), advanceTime(now));
    } else if (k < 6) {
      cmds.push(place({ orderId: order++, accountId: 1 + (r() % 4), marketId, side: (r() % 2) as Side, priceTicks: mid + (r() % 21) - 10, qtyLots: 1 + (r() % 50), timeUs: now }));
    } else if (k < 8) {
      cmds.push(place({ orderId: order++, accountId: 1 + (r() % 4), marketId, side: (r() % 2) as Side, orderType: OrderType.MARKET, timeInForce: TimeInForce.IOC, qtyLots: 1 + (r() % 20), timeUs: now }));
    } else if (k < 9 && order > 2) {
      cmds.push(at(cancel(1 + (r() % 4), 1 + (r() % (order - 1)), 0, marketId), now));
    } else {
      cmds.push(indexTick(mid + (r() % 41) - 20, now, marketId), advanceTime(now));
    }
  }
  return cmds;
}

const TOPOLOGIES = [
  { name: '1 market shard × 1 risk shard', marketShards: [[DEFAULT_MARKETS[0]!, DEFAULT_MARKETS[1]!]], riskShards: 1 },
  { name: '2 market shards × 2 risk shards', marketShards: [[DEFAULT_MARKETS[0]!], [DEFAULT_MARKETS[1]!]], riskShards: 2, marketWorkers: 2 },
  // Both market shards on one worker thread (processor-group.ts): still two state machines, same hashes.
  { name: '2 market shards on one worker × 2 risk shards', marketShards: [[DEFAULT_MARKETS[0]!], [DEFAULT_MARKETS[1]!]], riskShards: 2, marketWorkers: 1 },
];

for (const shape of TOPOLOGIES) {
  test(`the threaded exchange ends every shard with the state hash the in-process exchange reaches (${shape.name})`, async () => {
    const seed = testSeed(`threaded vs in-process, ${shape.name}`);
    const cmds = script(seed);
    const topology = new Topology({ marketShards: shape.marketShards, riskShards: shape.riskShards });
    const riskMarkets = DEFAULT_MARKETS.map((m) => riskMarket(m));
    const pricing = new Map(DEFAULT_MARKETS.map((m) => [m.marketId, defaultPricing(undefined, { fundingIntervalUs: 10_000_000, sampleIntervalUs: 1_000_000, basisWindowUs: 5_000_000 })]));

    const local = new InProcessExchange({ topology, riskMarkets, pricing });
    let localEvents = 0;
    let fundings = 0;
    local.onGateway((buf, at) => {
      localEvents++;
      if (buf.type(at) === RecordType.FundingPaid) fundings++;
    });
    for (const c of cmds) local.send(c.layout, c.header, c.body);
    assert.ok(fundings > 0, 'the script reaches funding times with open positions');

    const threaded = await ThreadedExchange.start({ topology, riskMarkets, pricing, ringCapacity: 256, marketWorkers: 'marketWorkers' in shape ? shape.marketWorkers : undefined });
    let events = 0;
    const count = () => {
      events += threaded.poll(() => {});
    };
    try {
      const buf = RecordBuffer.allocate(1);
      for (const c of cmds) {
        encodeRecord(buf, 0, c.layout, c.header, c.body);
        assert.ok(threaded.offer(buf, 0), 'a ring of 256 is never full one command at a time');
        threaded.flush();
        // Drained: every shard has handled all it was sent and published what that produced.
        while (!threaded.drained()) {
          count();
          assert.equal(threaded.failure, undefined);
          await threaded.waitForOutput(1);
        }
        count();
      }
      // A scan snapshot is served between batches by each risk worker and changes nothing: it equals the
      // in-process one, and the state hashes below still match.
      const snapshots = await threaded.scanSnapshots();
      assert.deepEqual(snapshots, local.scanSnapshots());
      assert.ok(snapshots.some((s) => s.positionCount > 0), 'the script leaves open positions');
      const hashes = await threaded.stop();
      count();
      assert.equal(threaded.failure, undefined);
      assert.deepEqual(hashes.market, local.marketShards.map((s) => s.stateHash()));
      assert.deepEqual(hashes.risk, local.riskShards.map((s) => s.stateHash()));
      assert.equal(events, localEvents);
      assert.ok(local.marketShards[0]!.eventCount > 0);
      assert.ok(cmds.some((c) => c.layout.type === RecordType.PlaceOrder));
    } finally {
      await threaded.stop();
    }
  });
}
