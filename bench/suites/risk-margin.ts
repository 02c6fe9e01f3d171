// risk-margin: what a mark update costs a risk shard holding 1,000,000 open positions (100,000 with
// --quick), what recomputing every position's margin costs, in bigint and on the number fast path, and
// what the ADL ranking of a whole market costs per input record now that it is spread, in one process run.
//
//   build (untimed): N single-position cross accounts in BTC-PERP, half long half short 1 BTC at 60,000,
//   wallets spread 1,000..50,000 USDT; every scope evaluated once, so the trigger index holds them all
//        ├─▶ mark update crossing nothing          RiskShard.handle(MarkPriceUpdated), per record
//        ├─▶ mark update crossing K LPs            the same, K = maxChecksPerUpdate liquidation prices
//        │                                         reached (the per-record budget: the rest carries over)
//        ├─▶ the same, 2N/K + 100 times in a row    every position re-keyed about twice: the worst update
//        │                                         (an index that compacts stale entries would pause here)
//        ├─▶ full recompute, bigint                equity, MM, IM, liquidatable for all N (scope-margin.ts
//        │                                         valuePosition: the reference)
//        ├─▶ full recompute, number fast path      the same over the shard's state with valuePositionNumbers
//        │                                         (risk/margin-number.ts, the path the shard runs), checked equal
//        ├─▶ full recompute, columnar              the same figures from Float64Array columns (the layout a
//        │                                         future state could take), checked equal
//        └─▶ ADL ranking of the market             a RankingJob (ranking-job.ts): time per input record while
//                                                  it runs (p50, p99, max), records it takes, total work
// Goal: a mark update's margin work for 1M positions under 50 ms. Medians of repeated runs.
// Options after `--`: --positions <n>.
//
// The columnar sweep uses the range proof of risk/margin-number.ts (every figure an integer below 2^53,
// guards per position); a position failing a guard would take the bigint path; none does in this suite.

import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { AdvanceTimeLayout } from '../../engine/ring/layouts/advance-time.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { MarkPriceUpdatedLayout } from '../../engine/ring/layouts/mark-price-updated.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import type { EventOutput } from '../../engine/shard/event-output.js';
import type { TierTable } from '../../risk/tiers.js';
import { DEFAULT_POOL, riskMarket } from '../../risk/shard/config.js';
import { PositionNumbers } from '../../risk/margin-number.js';
import { RiskShard } from '../../risk/shard/risk-shard.js';
import { QUINTILE_REFRESH_US } from '../../risk/shard/quintiles.js';
import { PositionFigures, valuePosition, valuePositionNumbers } from '../../risk/shard/scope-margin.js';
import { CROSS_SCOPE, type LiquidationHooks } from '../../risk/shard/seams.js';
import { AccountState, PositionState, type MarketRiskState } from '../../risk/shard/state.js';
import { intOption, fromSamples, median, type CaseResult, type Suite } from '../harness.js';

const SUITE = 'risk-margin';
const GOAL_MS = 50;
const START_MARK = 600_000;
const R = 100_000_000;
const TWO_51 = 2 ** 51;

class DiscardOutput implements EventOutput {
  nextSeq = 1;
  append(): void {
    this.nextSeq++;
  }
  flush(): void {}
}

const quietHooks: LiquidationHooks = { check() {}, onFill() {}, onOrderEnded() {}, onMarkUpdated() {}, afterRecord() {}, onBankruptFlatScope() {}, isFrozen: () => false, hashState() {}, writeState() {}, readState() {} };

interface Book {
  shard: RiskShard;
  market: MarketRiskState;
  positions: PositionState[];
  accounts: AccountState[];
  seq: number;
  gatewaySeq: number;
  record: RecordBuffer;
}

function build(n: number): Book {
  const shard = new RiskShard(0, 1, [riskMarket(DEFAULT_MARKETS[0]!)], DEFAULT_POOL, () => 0, new DiscardOutput(), [new DiscardOutput()], () => quietHooks);
  const book: Book = { shard, market: shard.state.markets.get(1)!, positions: [], accounts: [], seq: 0, gatewaySeq: 0, record: RecordBuffer.allocate(1) };
  mark(book, START_MARK);
  for (let i = 0; i < n; i++) {
    const a = new AccountState(i + 1);
    a.walletAtoms = BigInt(1_000 + ((i * 7_919) % 49_000)) * 1_000_000n;
    const p = new PositionState(a.id, 1, 20n);
    p.qtyLots = i % 2 === 1 ? 1_000n : -1_000n;
    p.entryCostAtoms = 60_000_000_000n;
    a.positions.set(1, p);
    shard.state.accounts.set(a.id, a);
    book.accounts.push(a);
    book.positions.push(p);
  }
  for (const a of book.accounts) shard.parts.evaluator.evaluate(a.id, CROSS_SCOPE, 4, 1);
  return book;
}

function mark(book: Book, ticks: number): void {
  encodeRecord(book.record, 0, MarkPriceUpdatedLayout, { seq: ++book.seq, timeUs: 1, marketId: 1 }, { markPriceTicks: ticks, indexPriceTicks: ticks });
  book.shard.handle(book.record, 0, 1);
}

/** Times fn `count` times (before runs untimed each time); returns the samples in ms. */
function sample(count: number, fn: () => void, before: () => void = () => {}): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    before();
    const t0 = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out;
}

interface Totals {
  maintenance: number;
  initial: number;
  liquidatable: number;
}

function bigintSweep(book: Book): Totals {
  const f = new PositionFigures();
  let mm = 0n;
  let im = 0n;
  let liquidatable = 0;
  const positions = book.positions;
  for (let i = 0; i < positions.length; i++) {
    valuePosition(positions[i]!, book.market, f);
    if (book.accounts[i]!.walletAtoms + f.unrealizedPnlAtoms <= f.maintenanceAtoms) liquidatable++;
    mm += f.maintenanceAtoms;
    im += f.initialAtoms;
  }
  return { maintenance: Number(mm), initial: Number(im), liquidatable };
}

/** The same sweep on the number path the shard runs (valuePositionNumbers over its PositionState objects). */
function numberSweep(book: Book): Totals | undefined {
  const f = new PositionNumbers();
  let mm = 0;
  let im = 0;
  let liquidatable = 0;
  const positions = book.positions;
  for (let i = 0; i < positions.length; i++) {
    if (!valuePositionNumbers(positions[i]!, book.market, f)) return undefined;
    if (book.accounts[i]!.walletN + f.unrealizedPnlAtoms <= f.maintenanceAtoms) liquidatable++;
    mm += f.maintenanceAtoms;
    im += f.initialAtoms;
  }
  return { maintenance: mm, initial: im, liquidatable };
}

/** The positions as numbers, and the tier table split for the fast path. */
class NumberBook {
  readonly qty: Float64Array;
  readonly cost: Float64Array;
  readonly wallet: Float64Array;
  readonly leverage: Float64Array;
  private readonly hi: number[];
  private readonly mmr: number[];
  private readonly cumHigh: number[];
  private readonly cumLow: number[];
  private readonly maxLeverage: number[];

  constructor(book: Book, tiers: TierTable) {
    const n = book.positions.length;
    this.qty = new Float64Array(n);
    this.cost = new Float64Array(n);
    this.wallet = new Float64Array(n);
    this.leverage = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = book.positions[i]!;
      const q = p.qtyLots < 0n ? -p.qtyLots : p.qtyLots;
      if (p.entryCostAtoms >= BigInt(TWO_51) || book.accounts[i]!.walletAtoms >= BigInt(TWO_51)) throw new RangeError('outside the fast path');
      this.qty[i] = Number(p.qtyLots < 0n ? -q : q);
      this.cost[i] = Number(p.entryCostAtoms);
      this.wallet[i] = Number(book.accounts[i]!.walletAtoms);
      this.leverage[i] = Number(p.leverage);
    }
    if (tiers.some((t) => t.mmrRate > 90_000_000n)) throw new RangeError('MMR above 90%: outside the fast path');
    this.hi = tiers.map((t) => Number(t.hiNotionalAtoms));
    this.mmr = tiers.map((t) => Number(t.mmrRate));
    this.cumHigh = tiers.map((t) => Number(t.cumAtomRate / BigInt(R)));
    this.cumLow = tiers.map((t) => Number(t.cumAtomRate % BigInt(R)));
    this.maxLeverage = tiers.map((t) => Number(t.maxLeverage));
  }

  sweep(markTicks: number, atomsPerTickLot: number): Totals {
    const perLot = markTicks * atomsPerTickLot;
    const maxLots = Math.floor(Number.MAX_SAFE_INTEGER / perLot);
    const top = this.hi.length - 1;
    let mmSum = 0;
    let imSum = 0;
    let liquidatable = 0;
    for (let i = 0; i < this.qty.length; i++) {
      const q = this.qty[i]!;
      const lots = q < 0 ? -q : q;
      if (lots > maxLots) throw new RangeError('outside the fast path');
      const n = lots * perLot;
      if (n >= TWO_51) throw new RangeError('outside the fast path');
      let t = 0;
      while (t < top && n > this.hi[t]!) t++;
      let nh = Math.floor(n / R);
      let nl = n - nh * R;
      if (nl < 0) {
        nh--;
        nl += R;
      } else if (nl >= R) {
        nh++;
        nl -= R;
      }
      const x = nl * this.mmr[t]! - this.cumLow[t]!;
      let xq = Math.floor(x / R);
      let xr = x - xq * R;
      if (xr < 0) {
        xq--;
        xr += R;
      } else if (xr >= R) {
        xq++;
        xr -= R;
      }
      const mm = n === 0 ? 0 : nh * this.mmr[t]! - this.cumHigh[t]! + xq + (xr > 0 ? 1 : 0);
      const lev = Math.min(this.leverage[i]!, this.maxLeverage[t]!);
      let iq = Math.floor(n / lev);
      const ir = n - iq * lev;
      if (ir < 0) iq--;
      else if (ir >= lev) iq++;
      const im = n === 0 ? 0 : iq + (n - iq * lev > 0 ? 1 : 0);
      const upnl = q > 0 ? n - this.cost[i]! : this.cost[i]! - n;
      if (this.wallet[i]! + upnl <= mm) liquidatable++;
      mmSum += mm;
      imSum += im;
    }
    return { maintenance: mmSum, initial: imSum, liquidatable };
  }
}

function result(name: string, samplesMs: number[], extra: Record<string, string | number | boolean>): CaseResult {
  return fromSamples(SUITE, name, samplesMs, 1, extra);
}

/** The mark that reaches exactly the k highest long liquidation-price keys (ties may add a few). */
function crossingMark(book: Book, k: number): number {
  const keys: number[] = [];
  const t = book.shard.parts.monitor.triggers.get(1)!;
  t.forEachSlot((id) => {
    if (t.posAt(id).qtyLots > 0n) keys.push(t.downKeyAt(id));
  });
  keys.sort((a, b) => b - a);
  return keys[Math.min(k, keys.length) - 1]!;
}

const suite: Suite = {
  description: 'mark update with N open positions (trigger index) vs recomputing all N margins, bigint vs number fast path',
  async run(ctx) {
    const n = intOption(ctx.args, '--positions', ctx.quick ? 100_000 : 1_000_000);
    const reps = ctx.quick ? 5 : 9;
    const t0 = process.hrtime.bigint();
    const book = build(n);
    const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const budget = DEFAULT_POOL.maxChecksPerUpdate;
    const common = { positions: n, goalMs: GOAL_MS };
    const monitor = book.shard.parts.monitor;
    const settle = (): void => {
      while (monitor.hasPendingWork()) mark(book, book.market.markPriceTicks === BigInt(START_MARK) ? START_MARK + 1 : START_MARK);
    };

    let flip = 0;
    const quiet = sample(reps * 50, () => mark(book, START_MARK + (flip++ % 2) * 10));
    const crossing = crossingMark(book, budget);
    let evaluated = 0;
    const crossed = sample(reps, () => {
      const before = monitor.evaluations;
      mark(book, crossing);
      evaluated += monitor.evaluations - before;
    }, () => {
      mark(book, START_MARK);
      settle();
    });
    const evalsPerCrossing = evaluated / reps;
    settle();
    // Churn: enough crossings that every position has been re-keyed about twice, the regime where a
    // trigger index with lazy deletion would have to compact (an O(n) pause); the indexed heaps never do.
    const churnCount = Math.ceil((2 * n) / budget) + 100;
    const churn = sample(churnCount, () => mark(book, crossing), () => {
      mark(book, START_MARK);
      settle();
    });
    settle();

    const a = Number(book.market.spec.atomsPerTickLot);
    const numbers = new NumberBook(book, book.market.config.tiers);
    const marks = Array.from({ length: reps }, (_, i) => START_MARK - 30_000 * i);
    const at = (i: number): void => {
      book.market.markPriceTicks = BigInt(marks[i % reps]!);
    };
    let k = 0;
    const bigTotals: Totals[] = [];
    const shardTotals: (Totals | undefined)[] = [];
    const colTotals: Totals[] = [];
    const big = sample(reps, () => bigTotals.push(bigintSweep(book)), () => at(k++));
    k = 0;
    const shardNum = sample(reps, () => shardTotals.push(numberSweep(book)), () => at(k++));
    k = 0;
    const col = sample(reps, () => colTotals.push(numbers.sweep(marks[k++ % reps]!, a)));
    const same = (x: Totals | undefined, y: Totals): boolean => x !== undefined && x.maintenance === y.maintenance && x.initial === y.initial && x.liquidatable === y.liquidatable;
    const shardAgrees = bigTotals.every((t, i) => same(shardTotals[i], t));
    const colAgrees = bigTotals.every((t, i) => same(colTotals[i], t));
    if (!shardAgrees || !colAgrees) console.error(`${SUITE}: a number sweep disagrees with bigint`);
    book.market.markPriceTicks = BigInt(START_MARK);

    // The ranking starts at the first publication a refresh interval after the previous one; then every
    // input record (AdvanceTime here) carries its share until the job ends.
    const quintiles = book.shard.parts.quintiles;
    const first = book.positions[0]!;
    let nowUs = 1;
    const perRecord: number[] = [];
    const totals: number[] = [];
    const records: number[] = [];
    for (let run = 0; run < (ctx.quick ? 3 : 5); run++) {
      mark(book, START_MARK + (flip++ % 2) * 10);
      nowUs += QUINTILE_REFRESH_US;
      const before = quintiles.rebuilds;
      const t = process.hrtime.bigint();
      quintiles.quintileOf(first, nowUs);
      let total = Number(process.hrtime.bigint() - t) / 1e6;
      let count = 1;
      perRecord.push(total);
      while (quintiles.rebuilds === before) {
        encodeRecord(book.record, 0, AdvanceTimeLayout, { seq: ++book.gatewaySeq, timeUs: nowUs }, {});
        const t1 = process.hrtime.bigint();
        book.shard.handle(book.record, 0, 0);
        const ms = Number(process.hrtime.bigint() - t1) / 1e6;
        perRecord.push(ms);
        total += ms;
        count++;
      }
      totals.push(total);
      records.push(count);
    }

    const ratio = (x: number[]): number => Math.round((median(big) / median(x)) * 10) / 10;
    return [
      result('mark update, no position reached', quiet, { ...common, buildMs: Math.round(buildMs), meetsGoal: median(quiet) < GOAL_MS }),
      result(`mark update reaching ${budget} LPs (budget)`, crossed, { ...common, evaluationsPerRecord: evalsPerCrossing, meetsGoal: median(crossed) < GOAL_MS }),
      result(`mark update reaching ${budget} LPs, ${churnCount} in a row (re-key churn)`, churn, { ...common, maxMs: Math.round(Math.max(...churn) * 100) / 100, meetsGoal: Math.max(...churn) < GOAL_MS }),
      result('full recompute, bigint', big, { ...common, liquidatableAtLowestMark: bigTotals[reps - 1]!.liquidatable, meetsGoal: median(big) < GOAL_MS }),
      result('full recompute, number fast path (shard state)', shardNum, { ...common, speedupVsBigint: ratio(shardNum), agreesWithBigint: shardAgrees, meetsGoal: median(shardNum) < GOAL_MS }),
      result('full recompute, columnar', col, { ...common, speedupVsBigint: ratio(col), agreesWithBigint: colAgrees, meetsGoal: median(col) < GOAL_MS }),
      result('ADL ranking job, per input record', perRecord, { ...common, maxMs: Math.round(Math.max(...perRecord) * 100) / 100, recordsPerRanking: median(records) }),
      result('ADL ranking job, total work per ranking', totals, { ...common }),
    ];
  },
};

export default suite;
