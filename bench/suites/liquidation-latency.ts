// liquidation-latency: from a mark update that crosses a liquidation price to the liquidation order in
// the market-bound ring, measured inside a real risk-shard worker on real rings (docs/RISK.md: a published
// latency; goal p99 under 1 ms), against the same records handled in-process as the peer.
//
//   main thread ──MarkPriceUpdated──▶ market input ring ──▶ risk-shard worker (RiskShardHost, default
//   wait strategy unless --wait) ──PlaceOrder origin LIQUIDATION──▶ market-bound ring ──▶ main thread
//
//   setup (untimed, through the rings; deposits first and consumed before any trade, since the worker polls
//   its input rings independently): a house account short against everyone; S victims long 1 BTC at
//   60,000 with wallets 1,000 + i USDT (distinct liquidation prices, ~1 USDT apart, computed with
//   risk/liquidation-price.ts); B background positions with ample wallets that no mark here reaches.
//   sample i: at its scheduled time (open loop, one every --interval-us) the main thread publishes a mark
//   one tick under victim i's liquidation price and spins on the market-bound ring until the victim's
//   liquidation order appears; latency = seen − scheduled (a late sample counts against the figure).
//   The main thread then plays the market: the order (and the full-close sweep that may follow it) fills
//   in full at its limit against the house (TradeExecuted, origin LIQUIDATION), so the pipeline completes
//   and the position leaves the index, as
//   it would on a live book (a scope left liquidatable would be re-checked at every later mark).
//   Each mark also crosses the margin-call prices of higher-wallet victims: their evaluations and calls
//   are part of the work the record carries, as on a falling market.
//   peer: a RiskShard in this thread, the same records; latency = handle() entry to the order's append.
// Figures: p50, p99 and max over samples (the first WARMUP_SHARE of them dropped: JIT), the ratio of the
// worker's p50 to the in-process p50 (what the rings and the thread hop add), and the peer's CPU time per
// sample (process.cpuUsage over its samples: the figure to compare between builds on a loaded machine). Options after `--`: --victims <n>, --background <n>, --interval-us <n>,
// --wait busy-spin|spin-then-park|park (the worker's), --observe spin|park (this thread's, see runWorker).

import { OrderOrigin, Side } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { Doorbell } from '../../engine/ring/doorbell.js';
import { DepositLayout } from '../../engine/ring/layouts/deposit.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import type { Layout } from '../../engine/ring/layouts/layout.js';
import { LiquidationSweepLayout } from '../../engine/ring/layouts/liquidation-sweep.js';
import { MarkPriceUpdatedLayout } from '../../engine/ring/layouts/mark-price-updated.js';
import { PlaceOrderLayout } from '../../engine/ring/layouts/place-order.js';
import { TradeExecutedLayout } from '../../engine/ring/layouts/trade-executed.js';
import { HeaderFlag, RecordBuffer } from '../../engine/ring/record.js';
import type { RingBuffer } from '../../engine/ring/ring-buffer.js';
import { CONSUMER_CURSOR_INDEX, PRODUCER_CURSOR_INDEX } from '../../engine/ring/ring-buffer-descriptor.js';
import { RingConsumer } from '../../engine/ring/ring-consumer.js';
import { RingProducer } from '../../engine/ring/ring-producer.js';
import { RecordType } from '../../engine/ring/types.js';
import type { WaitStrategyName } from '../../engine/ring/wait-strategy-by-name.js';
import type { EventOutput } from '../../engine/shard/event-output.js';
import { crossLiquidationPrice } from '../../risk/liquidation-price.js';
import { DEFAULT_TIERS } from '../../risk/tiers.js';
import { DEFAULT_POOL, riskMarket } from '../../risk/shard/config.js';
import { LiquidationEngine } from '../../risk/shard/liquidation-engine.js';
import { RiskShard } from '../../risk/shard/risk-shard.js';
import { RiskShardHost } from '../../risk/shard/risk-shard-host.js';
import { intOption, median, percentile, type CaseResult, type Suite } from '../harness.js';

const SUITE = 'liquidation-latency';
const GOAL_P99_NS = 1_000_000;
const BTC = riskMarket(DEFAULT_MARKETS[0]!);
const MARKET_ID = BTC.market.marketId;
const ENTRY = 600_000;
const ONE_BTC = 1_000;
const A = 100n;
const TAKER_FEE_RATE = 50_000n;
const USDT = 1_000_000n;
const HOUSE = 1;
const PO = PlaceOrderLayout.offsets;
const SW = LiquidationSweepLayout.offsets;
/** Leading samples dropped from both figures (the worker's and this thread's JIT warm-up). */
const WARMUP_SHARE = 0.1;

/** One input record: what the setup and the samples send. */
interface Input {
  input: number;
  layout: Layout;
  header: { accountId?: number; marketId?: number; timeUs: number; flags?: number };
  body: Record<string, number | bigint>;
}

interface Plan {
  /** Deposits (the gateway's input), sent and consumed before the market's records: the worker polls its rings independently. */
  deposits: Input[];
  setup: Input[];
  /** The mark that crosses victim i's liquidation price, and the victim. */
  marks: number[];
  victims: number[];
}

function plan(victims: number, background: number): Plan {
  const deposits: Input[] = [];
  const setup: Input[] = [];
  let request = 1;
  let order = 1;
  let trade = 1;
  const deposit = (accountId: number, atoms: bigint): void => {
    deposits.push({ input: 0, layout: DepositLayout, header: { accountId, timeUs: 1, flags: HeaderFlag.OPERATOR }, body: { requestId: request++, amountAtoms: atoms, assetId: 0 } });
  };
  const open = (accountId: number, qtyLots: number, buy: boolean): void => {
    setup.push({
      input: 1,
      layout: TradeExecutedLayout,
      header: { accountId, marketId: MARKET_ID, timeUs: 1 },
      body: { takerOrderId: order++, makerOrderId: order++, tradeId: trade++, priceTicks: ENTRY, qtyLots, makerAccountId: HOUSE, takerSide: buy ? Side.BUY : Side.SELL },
    });
  };
  deposit(HOUSE, 900_000_000n * USDT);
  setup.push({ input: 1, layout: MarkPriceUpdatedLayout, header: { marketId: MARKET_ID, timeUs: 1 }, body: { markPriceTicks: ENTRY, indexPriceTicks: ENTRY } });
  const marks: number[] = [];
  const ids: number[] = [];
  for (let i = 0; i < victims; i++) {
    const id = 2 + i;
    const wallet = (1_000n + BigInt(i)) * USDT;
    deposit(id, wallet);
    open(id, ONE_BTC, true);
    // The wallet after the taker fee, the position as settled: its LP, then one tick under it.
    const cost = BigInt(ONE_BTC * ENTRY) * A;
    const fee = (cost * TAKER_FEE_RATE + 99_999_999n) / 100_000_000n;
    const lp = crossLiquidationPrice({ qtyLots: BigInt(ONE_BTC), entryCostAtoms: cost }, wallet - fee, 0n, 0n, A, DEFAULT_TIERS)!;
    marks.push(Number(lp.priceTicks) - 1);
    ids.push(id);
  }
  for (let i = 0; i < background; i++) {
    const id = 2 + victims + i;
    deposit(id, 100_000n * USDT);
    open(id, 10 + (i % 90), i % 2 === 0);
  }
  return { deposits, setup, marks, victims: ids };
}

/** Where a house fill reads the order it answers: a liquidation order, or a full-close sweep. */
interface FillFields {
  readonly id: number;
  readonly price: number;
  readonly qty: number;
  readonly side: number;
}
const ORDER_FIELDS: FillFields = { id: PO.orderId, price: PO.priceTicks, qty: PO.qtyLots, side: PO.side };
const SWEEP_FIELDS: FillFields = { id: SW.sweepId, price: SW.limitPriceTicks, qty: SW.qtyLots, side: SW.side };

/**
 * The market's answer to a liquidation order, or to a full-close sweep (the pipeline's next step once the
 * step-down order filled): filled in full at its limit against the house, so the pipeline completes and
 * the next victim's run, which waits its turn behind this one (escalation-order.ts), goes on.
 */
function houseFillOf(records: RecordBuffer, at: number, tradeId: number, f: FillFields): Input {
  return {
    input: 1,
    layout: TradeExecutedLayout,
    header: { accountId: records.accountId(at), marketId: MARKET_ID, timeUs: 2 },
    body: {
      takerOrderId: records.u53At(at, f.id),
      makerOrderId: 2 ** 40 + tradeId,
      tradeId: 2 ** 40 + tradeId,
      priceTicks: records.u53At(at, f.price),
      qtyLots: records.u53At(at, f.qty),
      makerAccountId: HOUSE,
      takerSide: records.u8At(at, f.side),
      takerOrigin: OrderOrigin.LIQUIDATION,
      makerOrigin: OrderOrigin.USER,
    },
  };
}

/** A worker on real rings: sends records, watches the market-bound ring for liquidation orders. */
class WorkerRig {
  private readonly producers: RingProducer[];
  private readonly seqs = [0, 0];
  private readonly gateway: RingConsumer;
  private readonly market: RingConsumer;
  /** Accounts whose liquidation order has been seen, with the time seen. */
  readonly seen = new Map<number, bigint>();
  /** The market's answers still to send (fills of the liquidation orders seen). */
  readonly answers: Input[] = [];
  private trades = 0;

  private constructor(
    readonly host: RiskShardHost,
    private readonly marketRing: RingBuffer,
    /** The doorbell the worker rings after publishing to the market-bound ring (this thread parks on it). */
    readonly marketBell: Doorbell,
  ) {
    this.producers = host.inputs.map((r) => new RingProducer(r, host.bell));
    this.gateway = new RingConsumer(host.gatewayOut);
    // As a market shard does: releasing slots of the risk shard's ring rings its doorbell (outbox wake).
    this.market = new RingConsumer(marketRing, host.bell);
  }

  static async start(wait: WaitStrategyName): Promise<WorkerRig> {
    const marketBell = Doorbell.create();
    const host = await RiskShardHost.start({
      shardId: 0,
      shardCount: 1,
      markets: [BTC],
      pool: DEFAULT_POOL,
      marketShardOf: new Map([[MARKET_ID, 0]]),
      gatewayBell: Doorbell.create(),
      marketBells: [marketBell],
      ringCapacity: 4096,
      wait,
    });
    return new WorkerRig(host, host.marketOut[0]!, marketBell);
  }

  /** Liquidation-order candidates are waiting in the market-bound ring. */
  readonly marketHasRecords = (): boolean => this.market.available() > 0;

  /** Waits until the worker has taken every record sent on `input`. */
  consumed(input: number): void {
    const header = this.host.inputs[input]!.header;
    while (Atomics.load(header, CONSUMER_CURSOR_INDEX) !== Atomics.load(header, PRODUCER_CURSOR_INDEX)) this.drain();
  }

  send(r: Input): void {
    const p = this.producers[r.input]!;
    while (p.claim(1) === 0) this.drain();
    const ring = this.host.inputs[r.input]!;
    encodeRecord(ring.records, p.at(0), r.layout, { ...r.header, seq: ++this.seqs[r.input]! }, r.body);
    p.publish(1);
  }

  /** Takes everything the worker wrote; notes liquidation orders. */
  drain(): void {
    const g = this.gateway.available();
    if (g > 0) this.gateway.release(g);
    const n = this.market.available();
    if (n === 0) return;
    const now = process.hrtime.bigint();
    const records = this.marketRing.records;
    for (let i = 0; i < n; i++) {
      const at = this.market.at(i);
      if (records.type(at) === RecordType.PlaceOrder && records.u8At(at, PO.origin) === OrderOrigin.LIQUIDATION) {
        this.seen.set(records.accountId(at), now);
        this.answers.push(houseFillOf(records, at, ++this.trades, ORDER_FIELDS));
      } else if (records.type(at) === RecordType.LiquidationSweep) this.answers.push(houseFillOf(records, at, ++this.trades, SWEEP_FIELDS));
    }
    this.market.release(n);
  }

  /** Sends the market's answers collected so far. */
  answer(): void {
    while (this.answers.length > 0) this.send(this.answers.shift()!);
  }
}

/** In-process peer: an output that notes when a liquidation order is appended, and the market's answer. */
class WatchingOutput implements EventOutput {
  nextSeq = 1;
  readonly seen = new Map<number, bigint>();
  readonly answers: Input[] = [];
  private trades = 0;
  append(buf: RecordBuffer, at: number): void {
    this.nextSeq++;
    if (buf.type(at) === RecordType.PlaceOrder && buf.u8At(at, PO.origin) === OrderOrigin.LIQUIDATION) {
      this.seen.set(buf.accountId(at), process.hrtime.bigint());
      this.answers.push(houseFillOf(buf, at, ++this.trades, ORDER_FIELDS));
    } else if (buf.type(at) === RecordType.LiquidationSweep) this.answers.push(houseFillOf(buf, at, ++this.trades, SWEEP_FIELDS));
  }
  flush(): void {}
}

class Discard implements EventOutput {
  nextSeq = 1;
  append(): void {
    this.nextSeq++;
  }
  flush(): void {}
}

function markInput(ticks: number): Input {
  return { input: 1, layout: MarkPriceUpdatedLayout, header: { marketId: MARKET_ID, timeUs: 2 }, body: { markPriceTicks: ticks, indexPriceTicks: ticks } };
}

/**
 * observe 'spin': this thread spins on the rings (the first look at a published order, but it holds a
 * core: on a loaded two-core machine the worker then competes for the other). 'park': it sleeps on the
 * market-bound ring's doorbell (Atomics.wait: deliberately blocking this bench's main thread for at most
 * a few ms) and the worker's publish wakes it; the wake-up is then part of the figure.
 */
async function runWorker(p: Plan, wait: WaitStrategyName, intervalNs: number, observe: 'spin' | 'park'): Promise<{ latencies: number[]; missed: number }> {
  const rig = await WorkerRig.start(wait);
  try {
    for (const r of p.deposits) rig.send(r);
    rig.consumed(0);
    for (const r of p.setup) rig.send(r);
    rig.consumed(1);
    // Let the worker settle the setup before the clock starts.
    const settle = process.hrtime.bigint() + 200_000_000n;
    while (process.hrtime.bigint() < settle) rig.drain();
    const latencies: number[] = [];
    let missed = 0;
    const interval = BigInt(intervalNs);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < p.marks.length; i++) {
      const scheduled = t0 + BigInt(i) * interval;
      for (let now = process.hrtime.bigint(); now < scheduled; now = process.hrtime.bigint()) {
        if (observe === 'park' && scheduled - now > 100_000n) rig.marketBell.park(rig.marketHasRecords, Number(scheduled - now - 50_000n) / 1e6);
        rig.drain();
      }
      rig.send(markInput(p.marks[i]!));
      const victim = p.victims[i]!;
      const deadline = scheduled + 1_000_000_000n;
      // The market answers while the victim waits: its run may wait its turn behind an earlier-triggered
      // scope's order (escalation-order.ts), and that wait is part of the figure.
      while (!rig.seen.has(victim) && process.hrtime.bigint() < deadline) {
        if (observe === 'park') rig.marketBell.park(rig.marketHasRecords, 5);
        rig.drain();
        rig.answer();
      }
      const seen = rig.seen.get(victim);
      if (seen === undefined) missed++;
      else latencies.push(Number(seen - scheduled));
      rig.answer();
    }
    return { latencies, missed };
  } finally {
    await rig.host.stop();
  }
}

/**
 * The peer's samples, and the CPU time this thread spent per sample (mark, liquidation order, its fill
 * and the pipeline's completion): what to compare between builds on a loaded machine, where wall-clock
 * latencies mostly measure the scheduler.
 */
function runInProcess(p: Plan): { latencies: number[]; missed: number; cpuNsPerSample: number } {
  const market = new WatchingOutput();
  const shard = new RiskShard(0, 1, [BTC], DEFAULT_POOL, () => 0, new Discard(), [market], (s, e) => new LiquidationEngine(s, e, DEFAULT_POOL));
  const buf = RecordBuffer.allocate(1);
  const seqs = [0, 0];
  const handle = (r: Input): void => {
    encodeRecord(buf, 0, r.layout, { ...r.header, seq: ++seqs[r.input]! }, r.body);
    shard.handle(buf, 0, r.input);
  };
  for (const r of p.deposits) handle(r);
  for (const r of p.setup) handle(r);
  const latencies: number[] = [];
  let missed = 0;
  const cpu = process.cpuUsage();
  for (let i = 0; i < p.marks.length; i++) {
    const t = process.hrtime.bigint();
    handle(markInput(p.marks[i]!));
    // As on the rings: the market answers until the victim's order is out (it may wait its turn behind an
    // earlier-triggered scope's order, escalation-order.ts), then the rest.
    while (!market.seen.has(p.victims[i]!) && market.answers.length > 0) handle(market.answers.shift()!);
    const seen = market.seen.get(p.victims[i]!);
    if (seen === undefined) missed++;
    else latencies.push(Number(seen - t));
    while (market.answers.length > 0) handle(market.answers.shift()!);
  }
  const used = process.cpuUsage(cpu);
  return { latencies, missed, cpuNsPerSample: Math.round(((used.user + used.system) * 1_000) / p.marks.length) };
}

function observeOption(args: string[]): 'spin' | 'park' {
  const i = args.indexOf('--observe');
  const v = i >= 0 ? args[i + 1] : 'park';
  if (v !== 'spin' && v !== 'park') throw new RangeError('--observe spin|park');
  return v;
}

function waitOption(args: string[]): WaitStrategyName {
  const i = args.indexOf('--wait');
  const v = i >= 0 ? args[i + 1] : 'spin-then-park';
  if (v !== 'busy-spin' && v !== 'spin-then-park' && v !== 'park') throw new RangeError('--wait busy-spin|spin-then-park|park');
  return v;
}

function summary(name: string, all: number[], extra: Record<string, string | number | boolean>): CaseResult {
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
    ...extra,
  };
}

const suite: Suite = {
  description: 'mark update crossing a liquidation price → liquidation order in the market-bound ring, risk-shard worker vs in-process',
  async run(ctx) {
    const victims = intOption(ctx.args, '--victims', ctx.quick ? 300 : 2_000);
    const background = intOption(ctx.args, '--background', ctx.quick ? 10_000 : 100_000);
    const intervalUs = intOption(ctx.args, '--interval-us', 1_000);
    const wait = waitOption(ctx.args);
    const observe = observeOption(ctx.args);
    const p = plan(victims, background);
    const common = { victims, background, intervalUs, wait, observe };
    // Warm-up pass in-process (JIT), then the measured runs.
    runInProcess(plan(Math.min(victims, 200), Math.min(background, 1_000)));
    const inProcess = runInProcess(p);
    const worker = await runWorker(p, wait, intervalUs * 1_000, observe);
    const workerCase = summary('risk-shard worker, real rings', worker.latencies, { ...common, missed: worker.missed });
    const peerCase = summary('in-process RiskShard.handle (peer)', inProcess.latencies, { ...common, missed: inProcess.missed, cpuNsPerSample: inProcess.cpuNsPerSample });
    workerCase.ratioVsInProcess = Math.round((workerCase.p50Ns / peerCase.p50Ns) * 10) / 10;
    workerCase.meetsGoal = workerCase.p99Ns < GOAL_P99_NS;
    workerCase.opsPerSec = Math.round(1e9 / Math.max(1, workerCase.p50Ns));
    peerCase.opsPerSec = Math.round(1e9 / Math.max(1, peerCase.p50Ns));
    return [workerCase, peerCase];
  },
};

export default suite;
