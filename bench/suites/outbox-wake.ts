// outbox-wake: how long a risk-shard worker whose outbox holds records takes to send them once the market
// frees slots in the full market-bound ring, against how long the same parked worker takes to pass on a
// gateway command (the peer: one doorbell wake-up and one record handled), in one process run.
//
//   main thread (plays gateway and market) ──CancelOrder × 2C──▶ gateway ring ──▶ risk-shard worker
//   (RiskShardHost, rings of C slots) ──▶ market-bound ring (C slots: full, C records wait in the outbox)
//
//   sample (outbox): the main thread waits until the worker has been parked for 5 ms with its outbox
//   holding records and the market-bound ring full, then takes every record in that ring as a market shard does (release) and
//   spins until the next record appears in it; latency = appeared − released. The worker does not take
//   gateway commands while its outbox holds records, so nothing but the freed space can wake it: either
//   the market's release wakes it, or it sleeps until its park times out (100 ms by default).
//   sample (peer): with everything drained and the worker parked for 5 ms, one CancelOrder is published on the
//   gateway ring; latency = appeared in the market-bound ring − published.
// Figures: p50, p99, max per case, the first WARMUP_SHARE dropped; the ratio of the outbox p50 to the
// peer's. Options after `--`: --samples <n> (default 200), --capacity <C> (default 64, a power of two).

import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { CancelOrderLayout } from '../../engine/ring/layouts/cancel-order.js';
import { DepositLayout } from '../../engine/ring/layouts/deposit.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import type { Layout } from '../../engine/ring/layouts/layout.js';
import { CONSUMER_CURSOR_INDEX, PRODUCER_CURSOR_INDEX } from '../../engine/ring/ring-buffer-descriptor.js';
import { RingConsumer } from '../../engine/ring/ring-consumer.js';
import { RingProducer } from '../../engine/ring/ring-producer.js';
import { DEFAULT_POOL, riskMarket } from '../../risk/shard/config.js';
import { RiskShardHost } from '../../risk/shard/risk-shard-host.js';
import { intOption, median, percentile, type CaseResult, type Suite } from '../harness.js';

const SUITE = 'outbox-wake';
const BTC = riskMarket(DEFAULT_MARKETS[0]!);
const MARKET_ID = BTC.market.marketId;
const ACCOUNT = 1;
const WARMUP_SHARE = 0.1;
/** A sample that sees nothing within this long is counted as missed (the worker never sent). */
const GIVE_UP_NS = 2_000_000_000n;
/** How long the worker must have been parked before a sample starts. */
const SETTLE_NS = 5_000_000n;

class Rig {
  private readonly gateway: RingProducer;
  private readonly market: RingConsumer;
  private seq = 0;
  private order = 1;
  /** Records sent on the gateway ring and not yet taken out of the market-bound ring. */
  inFlight = 0;

  private constructor(
    readonly host: RiskShardHost,
    readonly capacity: number,
  ) {
    this.gateway = new RingProducer(host.inputs[0]!, host.bell);
    // As a market shard does: releasing slots of a risk shard's ring rings that shard's doorbell.
    this.market = new RingConsumer(host.marketOut[0]!, host.bell);
  }

  static async start(capacity: number): Promise<Rig> {
    const host = await RiskShardHost.start({
      shardId: 0,
      shardCount: 1,
      markets: [BTC],
      pool: DEFAULT_POOL,
      marketShardOf: new Map([[MARKET_ID, 0]]),
      gatewayBell: Doorbell.create(),
      marketBells: [Doorbell.create()],
      ringCapacity: capacity,
    });
    const rig = new Rig(host, capacity);
    rig.publish(DepositLayout, { requestId: 1, amountAtoms: 1_000_000n, assetId: 0 });
    rig.until(() => rig.gatewayConsumed());
    return rig;
  }

  private publish(layout: Layout, body: Record<string, number | bigint>): void {
    // The worker frees gateway slots on its own; this thread just retries.
    while (this.gateway.claim(1) === 0);
    encodeRecord(this.host.inputs[0]!.records, this.gateway.at(0), layout, { seq: ++this.seq, timeUs: 1 + this.seq, accountId: ACCOUNT, marketId: MARKET_ID }, body);
    this.gateway.publish(1);
  }

  /** One CancelOrder: the risk shard passes it to the market as it is. */
  sendCancel(): void {
    this.publish(CancelOrderLayout, { orderId: this.order++, clientOrderId: 0 });
    this.inFlight++;
  }

  gatewayConsumed(): boolean {
    const h = this.host.inputs[0]!.header;
    return Atomics.load(h, CONSUMER_CURSOR_INDEX) === Atomics.load(h, PRODUCER_CURSOR_INDEX);
  }

  /** Gateway records the worker has taken since start (its consumer cursor). */
  gatewayTaken(): number {
    return Atomics.load(this.host.inputs[0]!.header, CONSUMER_CURSOR_INDEX);
  }

  marketAvailable(): number {
    return this.market.available();
  }

  /** Takes every record in the market-bound ring, as a market shard does; returns how many. */
  takeAll(): number {
    const n = this.market.available();
    if (n > 0) this.market.release(n);
    this.inFlight -= n;
    return n;
  }

  until(done: () => boolean): void {
    const deadline = process.hrtime.bigint() + GIVE_UP_NS * 5n;
    while (!done()) if (process.hrtime.bigint() > deadline) throw new Error(`${SUITE}: the worker did not get there within ${Number(GIVE_UP_NS * 5n) / 1e9} s`);
  }

  /**
   * Until the worker has been parked for SETTLE_NS without a break: the flag goes up just before the
   * worker's Atomics.wait, and a thread descheduled between the two (the machine is shared) would
   * otherwise be sampled awake.
   */
  asleep(): void {
    let since = process.hrtime.bigint();
    for (;;) {
      const now = process.hrtime.bigint();
      if (!this.host.bell.isParked()) since = now;
      else if (now - since >= SETTLE_NS) return;
      if (now - since > GIVE_UP_NS * 5n) throw new Error(`${SUITE}: the worker never parked`);
    }
  }

  /** Spins until a record is in the market-bound ring; the time it appeared, or undefined past GIVE_UP_NS. */
  awaitRecord(from: bigint): bigint | undefined {
    for (;;) {
      const now = process.hrtime.bigint();
      if (this.market.available() > 0) return now;
      if (now - from > GIVE_UP_NS) return undefined;
    }
  }
}

/** One outbox sample: the worker parked behind a full market ring, then the ring emptied at once. */
function outboxSample(rig: Rig): number | undefined {
  const c = rig.capacity;
  const taken = rig.gatewayTaken();
  for (let i = 0; i < 2 * c; i++) rig.sendCancel();
  // More than C taken with the ring full: the rest of what was taken waits in the outbox, and the worker
  // leaves the gateway ring alone until it is empty.
  rig.until(() => rig.marketAvailable() === c && rig.gatewayTaken() - taken > c);
  rig.asleep();
  const released = process.hrtime.bigint();
  rig.takeAll();
  const seen = rig.awaitRecord(released);
  rig.until(() => {
    rig.takeAll();
    return rig.inFlight === 0;
  });
  return seen === undefined ? undefined : Number(seen - released);
}

/** One peer sample: a parked worker with nothing queued, woken by a gateway command. */
function peerSample(rig: Rig): number | undefined {
  rig.asleep();
  const sent = process.hrtime.bigint();
  rig.sendCancel();
  const seen = rig.awaitRecord(sent);
  rig.until(() => {
    rig.takeAll();
    return rig.inFlight === 0;
  });
  return seen === undefined ? undefined : Number(seen - sent);
}

function summary(name: string, all: number[], missed: number, extra: Record<string, number>): CaseResult {
  const latencies = all.slice(Math.floor(all.length * WARMUP_SHARE));
  const sorted = Float64Array.from(latencies).sort();
  return {
    suite: SUITE,
    case: name,
    opsPerSec: 0,
    p50Ns: Math.round(median(latencies)),
    p99Ns: Math.round(percentile(sorted, 99)),
    samples: latencies.length,
    maxNs: Math.round(sorted[sorted.length - 1] ?? 0),
    missed,
    ...extra,
  };
}

const suite: Suite = {
  description: 'risk worker parked behind a full market-bound ring: market frees slots → outbox record sent, vs a gateway command waking the same worker',
  async run(ctx) {
    const samples = intOption(ctx.args, '--samples', ctx.quick ? 50 : 200);
    const capacity = intOption(ctx.args, '--capacity', 64);
    const rig = await Rig.start(capacity);
    try {
      const outbox: number[] = [];
      const peer: number[] = [];
      let outboxMissed = 0;
      let peerMissed = 0;
      // Interleaved, so load from elsewhere on the machine falls on both cases alike.
      for (let i = 0; i < samples; i++) {
        const o = outboxSample(rig);
        if (o === undefined) outboxMissed++;
        else outbox.push(o);
        const p = peerSample(rig);
        if (p === undefined) peerMissed++;
        else peer.push(p);
      }
      const outboxCase = summary('outbox drained after the market frees slots', outbox, outboxMissed, { capacity });
      const peerCase = summary('gateway command wakes the parked worker (peer)', peer, peerMissed, { capacity });
      outboxCase.ratioVsPeer = Math.round((outboxCase.p50Ns / Math.max(1, peerCase.p50Ns)) * 10) / 10;
      return [outboxCase, peerCase];
    } finally {
      await rig.host.stop();
    }
  },
};

export default suite;
