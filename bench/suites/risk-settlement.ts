// risk-settlement: how many fills per second one risk shard settles, against the bare risk formulas as
// the peer in the same process run.
//
//   generate (untimed): 10,000 funded accounts, TradeExecuted records between random pairs of them around
//   the mark, both parties on this shard (2 fills per trade)
//        ├─▶ RiskShard.handle, batches of BATCH_TRADES (fresh shard per run) ─▶ discarding outputs
//        └─▶ peer: the same fills through risk/position.ts applyFill, the fee, the cross margin and the
//            liquidation price of risk/*.ts, on plain arrays: the arithmetic a fill needs, with no state
//            machine around it (no records, no trigger index, no reservation, no events)
//
// The shard's figure counts settled parties (fills); every fill also writes FillSettled, PositionUpdated
// and AccountUpdated. After each run the shard's invariants must hold (I1, I2, I5, I9). Goal: 2M fills/s.
// Options after `--`: --seed <n> (default 1), --trades <n>.

import { Side } from '../../engine/enums.js';
import { DEFAULT_MARKETS, MarketSpec } from '../../engine/market/spec.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { DepositLayout } from '../../engine/ring/layouts/deposit.js';
import { MarkPriceUpdatedLayout } from '../../engine/ring/layouts/mark-price-updated.js';
import { TradeExecutedLayout } from '../../engine/ring/layouts/trade-executed.js';
import { HeaderFlag, RecordBuffer } from '../../engine/ring/record.js';
import type { EventOutput } from '../../engine/shard/event-output.js';
import { crossLiquidationPrice } from '../../risk/liquidation-price.js';
import { crossMargin } from '../../risk/margin.js';
import { applyFill, type Position } from '../../risk/position.js';
import { DEFAULT_TIERS } from '../../risk/tiers.js';
import { mulRateUp } from '../../risk/units.js';
import { DEFAULT_POOL, riskMarket } from '../../risk/shard/config.js';
import { RiskShard } from '../../risk/shard/risk-shard.js';
import type { LiquidationHooks } from '../../risk/shard/seams.js';
import { intOption, median, type CaseResult, type Suite } from '../harness.js';
import { opsPerSec, summarize, timeBatches, type BatchTiming } from '../lib/batch-timer.js';

const SUITE = 'risk-settlement';
const ACCOUNTS = 10_000;
const BATCH_TRADES = 1_000;
const GOAL_FILLS_PER_SEC = 2_000_000;
const MARK_TICKS = 600_000;
const WALLET_ATOMS = 1_000_000_000_000n;
const BTC = new MarketSpec(DEFAULT_MARKETS[0]!);

/** An output stream that keeps nothing (the gateway and the market are not what is measured). */
class DiscardOutput implements EventOutput {
  nextSeq = 1;
  append(): void {
    this.nextSeq++;
  }
  flush(): void {}
}

const quietHooks: LiquidationHooks = { check() {}, onFill() {}, onOrderEnded() {}, onMarkUpdated() {}, afterRecord() {}, onBankruptFlatScope() {}, isFrozen: () => false, hashState() {}, writeState() {}, readState() {} };

interface Trades {
  records: RecordBuffer;
  takers: Int32Array;
  makers: Int32Array;
  sides: Uint8Array;
  prices: Float64Array;
  qtys: Float64Array;
}

/** TradeExecuted records with seq 2.. (seq 1 on the market input is the mark). */
function generateTrades(seed: number, n: number): Trades {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return s >>> 1;
  };
  const t: Trades = { records: RecordBuffer.allocate(n), takers: new Int32Array(n), makers: new Int32Array(n), sides: new Uint8Array(n), prices: new Float64Array(n), qtys: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const taker = 1 + (next() % ACCOUNTS);
    const maker = 1 + ((taker + (next() % (ACCOUNTS - 1))) % ACCOUNTS);
    const side = next() % 2;
    const price = MARK_TICKS - 1_000 + (next() % 2_001);
    const qty = 1 + (next() % 50);
    t.takers[i] = taker;
    t.makers[i] = maker;
    t.sides[i] = side;
    t.prices[i] = price;
    t.qtys[i] = qty;
    encodeRecord(t.records, t.records.at(i), TradeExecutedLayout, { seq: i + 2, timeUs: 1, marketId: BTC.marketId, accountId: taker }, {
      takerOrderId: 2 * i + 1,
      makerOrderId: 2 * i + 2,
      tradeId: i + 1,
      priceTicks: price,
      qtyLots: qty,
      makerAccountId: maker,
      takerSide: side,
    });
  }
  return t;
}

function freshShard(): RiskShard {
  const shard = new RiskShard(0, 1, [riskMarket(DEFAULT_MARKETS[0]!)], DEFAULT_POOL, () => 0, new DiscardOutput(), [new DiscardOutput()], () => quietHooks);
  const b = RecordBuffer.allocate(1);
  for (let a = 1; a <= ACCOUNTS; a++) {
    encodeRecord(b, 0, DepositLayout, { seq: a, timeUs: 1, accountId: a, flags: HeaderFlag.OPERATOR }, { requestId: a, amountAtoms: WALLET_ATOMS, assetId: 0 });
    shard.handle(b, 0, 0);
  }
  encodeRecord(b, 0, MarkPriceUpdatedLayout, { seq: 1, timeUs: 1, marketId: BTC.marketId }, { markPriceTicks: MARK_TICKS, indexPriceTicks: MARK_TICKS });
  shard.handle(b, 0, 1);
  return shard;
}

function runShard(trades: Trades, n: number): { timing: BatchTiming; invariants: string[] } {
  const shard = freshShard();
  const recs = trades.records;
  const timing = timeBatches(n, BATCH_TRADES, (from, to) => {
    for (let i = from; i < to; i++) shard.handle(recs, recs.at(i), 1);
  });
  return { timing, invariants: shard.checkInvariants({ allAccountsHere: true }) };
}

/** The peer: one party's fill through the pure formulas, on arrays indexed by account. */
function runPeer(trades: Trades, n: number): BatchTiming {
  const positions: Position[] = Array.from({ length: ACCOUNTS + 1 }, () => ({ qtyLots: 0n, entryCostAtoms: 0n }));
  const wallets: bigint[] = Array.from({ length: ACCOUNTS + 1 }, () => WALLET_ATOMS);
  const a = BTC.atomsPerTickLot;
  const mark = BigInt(MARK_TICKS);
  const party = (account: number, signed: bigint, price: bigint, feeRate: bigint): void => {
    const fill = applyFill(positions[account]!, signed, price, a);
    positions[account] = fill;
    const fee = mulRateUp((signed < 0n ? -signed : signed) * price * a, feeRate);
    wallets[account] = wallets[account]! - fee + fill.realizedPnlAtoms;
    crossMargin(wallets[account]!, [{ ...fill, markTicks: mark, atomsPerTickLot: a, tiers: DEFAULT_TIERS, leverage: 20n }], 0n);
    crossLiquidationPrice(fill, wallets[account]!, 0n, 0n, a, DEFAULT_TIERS);
  };
  return timeBatches(n, BATCH_TRADES, (from, to) => {
    for (let i = from; i < to; i++) {
      const lots = BigInt(trades.qtys[i]!);
      const price = BigInt(trades.prices[i]!);
      const buy = trades.sides[i] === Side.BUY;
      party(trades.takers[i]!, buy ? lots : -lots, price, 50_000n);
      party(trades.makers[i]!, buy ? -lots : lots, price, 20_000n);
    }
  });
}

const suite: Suite = {
  description: 'fills settled per second by one risk shard (TradeExecuted, both parties here) vs the bare risk formulas',
  async run(ctx) {
    const seed = intOption(ctx.args, '--seed', 1);
    const n = intOption(ctx.args, '--trades', ctx.quick ? 50_000 : 200_000);
    const runs = ctx.quick ? 3 : 5;
    const trades = generateTrades(seed, n);
    runShard(trades, n);
    runPeer(trades, n);
    const shardRuns: BatchTiming[] = [];
    const peerRuns: BatchTiming[] = [];
    const problems = new Set<string>();
    for (let r = 0; r < runs; r++) {
      const s = runShard(trades, n);
      shardRuns.push(s.timing);
      for (const v of s.invariants) problems.add(v);
      peerRuns.push(runPeer(trades, n));
    }
    for (const p of problems) console.error(`${SUITE}: invariant broken: ${p}`);
    const fillsPerSec = (list: BatchTiming[]): number => median(list.map((t) => opsPerSec(2 * n, t.totalNs)));
    const ours = fillsPerSec(shardRuns);
    const peer = fillsPerSec(peerRuns);
    const ratio = Math.round((ours / peer) * 100) / 100;
    // Batch samples are per trade (two fills): halve them to per fill.
    const perFill = (list: BatchTiming[]) => {
      const s = summarize(list);
      return { p50Ns: Math.round(s.p50Ns / 2), p99Ns: Math.round(s.p99Ns / 2), samples: s.samples };
    };
    const common = { seed, trades: n, accounts: ACCOUNTS, batchTrades: BATCH_TRADES, runs };
    const results: CaseResult[] = [
      {
        suite: SUITE,
        case: 'RiskShard settles TradeExecuted (fills/s)',
        opsPerSec: ours,
        ...perFill(shardRuns),
        ...common,
        tradesPerSec: Math.round(ours / 2),
        peerFillsPerSec: peer,
        ratioVsPeer: ratio,
        invariantsHold: problems.size === 0,
        meetsGoal: ours >= GOAL_FILLS_PER_SEC,
      },
      { suite: SUITE, case: 'bare formulas per fill (peer)', opsPerSec: peer, ...perFill(peerRuns), ...common, oursFillsPerSec: ours, ratioVsPeer: ratio },
    ];
    return results;
  },
};

export default suite;
