// ADL queue quintiles (docs/RISK.md, "Auto-deleveraging" 5): where each open position stands in its side's
// queue, 5 = first in line, by the exact order of risk/adl.ts.
//
// Per market and side the cache holds the four boundary positions of the queue (queue-quintiles.ts), so
// a position's quintile is at most four comparisons, for a position the ranking saw and for one opened or
// changed since alike: by floating keys and exact notionals where they decide, exactly (bigint) otherwise.
// Finding the boundaries touches every position of the market, so a ranking is taken lazily, only when a
// position of that market is published, at most once per mark update (the market's trigger epoch) and
// at most once per QUINTILE_REFRESH_US of input time; and it is a RankingJob (ranking-job.ts): the market
// as it stood when the job started, keyed over the following input records at most perRecord positions
// at a time, so a market of a million positions costs each record a bounded share. Until the job ends the
// previous boundaries stay in use; a market no larger than one record's share is ranked at once.
// Thread contract: the risk-shard thread.

import { malformed } from '../../engine/snapshot/snapshot-error.js';
import type { SnapshotReader } from '../../engine/snapshot/snapshot-reader.js';
import type { SnapshotWriter } from '../../engine/snapshot/snapshot-writer.js';
import { compareAdl, type AdlCandidate, type RankedCandidate } from '../adl.js';
import { productBelow51 } from '../margin-number.js';
import { approximateScore, approximateScoreNumber, NO_QUINTILES, orderByKeys, rankedCandidate, type SideQuintiles } from './queue-quintiles.js';
import { SnapshotColumns, type FlaggedValues, type MemberValues } from './ranking-columns.js';
import { ascendingOrder, SortScratch } from './key-order.js';
import { RankingJob } from './ranking-job.js';
import type { ScopeValuer } from './scope-margin.js';
import type { AccountState, MarketRiskState, PositionState, RiskState } from './state.js';
import { NO_SLOT } from './market-slots.js';
import type { MarketTriggers } from './trigger-index.js';

/** Least input time between two rankings of one market (µs). */
export const QUINTILE_REFRESH_US = 1_000_000;
/** Positions a ranking job keys per input record when the pool does not say (adlRankingKeysPerRecord). */
const DEFAULT_RANKING_KEYS_PER_RECORD = 4_096;

class MarketRanking {
  epoch = -1;
  builtAtUs = 0;
  longs: SideQuintiles = NO_QUINTILES;
  shorts: SideQuintiles = NO_QUINTILES;
  job: RankingJob | undefined = undefined;
  /** The columns its jobs key into, kept between rankings. */
  readonly columns = new SnapshotColumns();
}

/** |q|·mark·a as an exact number, NaN past 2^51 or for values kept in bigint. */
function notionalNumber(pos: PositionState, market: MarketRiskState): number {
  const q = pos.qtyN;
  return productBelow51(q < 0 ? -q : q, market.markN, market.atomsPerTickLotN);
}

export class QuintileCache {
  private readonly rankings = new Map<number, MarketRanking>();
  /** Markets with a ranking job under way, ascending. */
  private jobMarkets: number[] = [];
  private nextJobId = 1;
  /** forEachJob's columns, kept from one state hash to the next (key-order.ts). */
  private readonly scratch = new SortScratch();
  private readonly perRecord: number;
  /** Rankings finished since start, for monitoring and tests. */
  rebuilds = 0;

  constructor(
    private readonly state: RiskState,
    private readonly valuer: ScopeValuer,
    private readonly triggers: ReadonlyMap<number, MarketTriggers>,
  ) {
    this.perRecord = state.pool.adlRankingKeysPerRecord ?? DEFAULT_RANKING_KEYS_PER_RECORD;
  }

  /** Ranking jobs under way (markets whose ranking spans records now). */
  get jobsUnderWay(): number {
    return this.jobMarkets.length;
  }

  /**
   * The position's quintile (1–5), 0 when flat, at input time timeUs. scopeEquityAtoms: the caller's
   * figure, when it has it (a number from the number path, exact).
   */
  quintileOf(pos: PositionState, timeUs: number, scopeEquityAtoms?: bigint | number): number {
    if (pos.qtyN === 0) return 0;
    const t = this.triggers.get(pos.marketId)!;
    let r = this.rankings.get(pos.marketId);
    if (r === undefined) this.rankings.set(pos.marketId, (r = new MarketRanking()));
    if (r.job === undefined && r.epoch !== t.epoch && (r.epoch < 0 || timeUs - r.builtAtUs >= QUINTILE_REFRESH_US)) this.start(r, t, timeUs);
    const side = pos.qtyN > 0 || (pos.qtyN !== pos.qtyN && pos.qtyLots > 0n) ? r.longs : r.shorts;
    if (side.bounds.length === 0) return 5;
    const market = this.state.markets.get(pos.marketId)!;
    const key = this.keyOf(pos, market, scopeEquityAtoms);
    const notional = notionalNumber(pos, market);
    let me: RankedCandidate | undefined;
    let after = 0;
    for (let k = 0; k < side.bounds.length; k++) {
      const b = side.bounds[k]!;
      let order = orderByKeys(key, notional, pos.accountId, side.boundKeys[k]!, side.boundNotionals[k]!, b.accountId);
      if (order === 0) {
        me ??= rankedCandidate(this.candidate(pos, typeof scopeEquityAtoms === 'number' ? BigInt(scopeEquityAtoms) : scopeEquityAtoms), market.markPriceTicks, market.spec.atomsPerTickLot);
        order = compareAdl(me, b);
      }
      if (order >= 0) after++;
    }
    return 5 - after;
  }

  /** An ADL ranking job is under way (work() has steps to take). */
  jobRunning(): boolean {
    return this.jobMarkets.length > 0;
  }

  /** One input record's share of the ranking jobs under way (markets in ascending id order). */
  work(): void {
    if (this.jobMarkets.length === 0) return;
    for (const marketId of [...this.jobMarkets]) {
      const r = this.rankings.get(marketId)!;
      if (r.job!.step()) this.finish(r, marketId);
    }
  }

  /**
   * Called before anything changes the account's positions, wallet, isolated margins or margin modes: its
   * positions that ranking jobs still have to key are keyed now, as they stood at the jobs' start.
   */
  beforeChange(account: AccountState): void {
    if (this.jobMarkets.length === 0) return;
    const all = account.positionsInOrder();
    for (let i = 0; i < all.length; i++) {
      const job = this.rankings.get(all[i]!.marketId)?.job;
      if (job === undefined) continue;
      const id = all[i]!.triggerId;
      if (id !== NO_SLOT) job.take(id);
    }
  }

  /** Cached boundaries in canonical order, for the state hash: each market's header, then its boundaries. */
  forEachCached(market: (marketId: number, epoch: number, builtAtUs: number) => void, bound: (long: boolean, count: number, accountId: number) => void): void {
    for (const marketId of [...this.rankings.keys()].sort((a, b) => a - b)) {
      const r = this.rankings.get(marketId)!;
      market(marketId, r.epoch, r.builtAtUs);
      for (const b of r.longs.bounds) bound(true, r.longs.count, b.accountId);
      for (const b of r.shorts.bounds) bound(false, r.shorts.count, b.accountId);
    }
  }

  /**
   * Ranking jobs under way, for the state hash of definition 1 (risk-state-hash.ts): their start and every
   * member's values at the start, by account.
   */
  forEachJob(job: (marketId: number, epoch: number, startUs: number, progress: number) => void, member: MemberValues): void {
    for (const marketId of this.jobMarkets) {
      const j = this.rankings.get(marketId)!.job!;
      job(marketId, j.epoch, j.startUs, j.progress);
      this.byAccount(j, (f) => j.forEachMember(f), member);
    }
  }

  /**
   * The same for the state hash of definition 2: each job's start (members, serial, every market's mark
   * at the start), then every member by account with whether its values at the start are those its
   * position and account give now at the start marks (`same`, always so for a member not keyed yet:
   * beforeChange keys a member before anything changes it), the values mattering only where not. The
   * state now is hashed already, so this says what definition 1 says without computing a million members'
   * equity (docs/SNAPSHOTS.md, "The encode at risksnap8").
   */
  forEachJobStart(
    job: (marketId: number, epoch: number, startUs: number, progress: number, members: number, startSerial: number) => void,
    mark: (marketId: number, markN: number, markTicks: bigint) => void,
    count: (n: number) => void,
    member: FlaggedValues,
  ): void {
    for (const marketId of this.jobMarkets) {
      const j = this.rankings.get(marketId)!.job!;
      job(marketId, j.epoch, j.startUs, j.progress, j.members, j.startSerial);
      j.forEachStartMark(mark);
      this.byAccount(j, (f) => j.forEachMemberNow(f), member, count);
    }
  }

  /** The members `each` gives, to `member` by ascending account id, after their number to `count`. */
  private byAccount(j: RankingJob, each: (f: FlaggedValues) => void, member: FlaggedValues, count?: (n: number) => void): void {
    // A market of a million members: typed columns and a native sort, not a million small arrays.
    this.scratch.reserve(j.members, 4);
    const ids = this.scratch.keys;
    const values = this.scratch.values;
    const big = new Map<number, readonly [number | bigint, number | bigint, number | bigint]>();
    let n = 0;
    each((accountId, q, cost, equity, same = false) => {
      if (n === j.members) throw new Error(`ranking job ${j.id}: more members than the ${j.members} it started with`);
      if (typeof q === 'number' && typeof cost === 'number' && typeof equity === 'number') {
        values[4 * n] = q;
        values[4 * n + 1] = cost;
        values[4 * n + 2] = equity;
      } else big.set(n, [q, cost, equity]);
      values[4 * n + 3] = same ? 1 : 0;
      ids[n++] = accountId;
    });
    count?.(n);
    const order = ascendingOrder(ids, n, this.scratch);
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      // Nearly always empty: no lookup per member then.
      const b = big.size === 0 ? undefined : big.get(i);
      if (b === undefined) member(ids[i]!, values[4 * i]!, values[4 * i + 1]!, values[4 * i + 2]!, values[4 * i + 3] === 1);
      else member(ids[i]!, b[0], b[1], b[2], values[4 * i + 3] === 1);
    }
  }

  /**
   * Snapshot (QUIN section): the job counter, then each market's ranking in map order: its epoch, build
   * time, both sides' boundaries, and the job under way if any (ranking-job.ts writeState).
   */
  writeState(w: SnapshotWriter): void {
    w.uint(this.nextJobId);
    w.uint(this.rebuilds);
    w.uint(this.rankings.size);
    for (const [marketId, r] of this.rankings) {
      w.uint(marketId);
      w.int(r.epoch);
      w.uint(r.builtAtUs);
      writeSide(w, r.longs);
      writeSide(w, r.shorts);
      w.bool(r.job !== undefined);
      r.job?.writeState(w);
    }
  }

  /** Reads what writeState wrote into this (fresh) cache; the triggers must be restored already. */
  readState(r: SnapshotReader): void {
    this.nextJobId = r.uint();
    this.rebuilds = r.uint();
    const n = r.count(6);
    for (let i = 0; i < n; i++) {
      const marketId = r.uint();
      const t = this.triggers.get(marketId);
      if (t === undefined || this.rankings.has(marketId)) throw malformed(`${r.what}: ranking of unknown market ${marketId}, or twice`);
      const ranking = new MarketRanking();
      ranking.epoch = r.int();
      ranking.builtAtUs = r.uint();
      ranking.longs = readSide(r);
      ranking.shorts = readSide(r);
      if (r.bool()) {
        ranking.job = RankingJob.readState(r, this.state, t, this.perRecord, ranking.columns);
        if (ranking.job.id >= this.nextJobId) throw malformed(`${r.what}: job ${ranking.job.id} at or past the next job id ${this.nextJobId}`);
        this.jobMarkets.push(marketId);
      }
      this.rankings.set(marketId, ranking);
    }
    this.jobMarkets.sort((a, b) => a - b);
  }

  private start(r: MarketRanking, t: MarketTriggers, timeUs: number): void {
    const job = new RankingJob(this.nextJobId++, this.state, t, this.perRecord, r.columns, t.epoch, timeUs);
    if (job.members <= this.perRecord) {
      job.runToEnd();
      this.apply(r, job);
      return;
    }
    r.job = job;
    this.jobMarkets = [...this.jobMarkets, t.marketId].sort((a, b) => a - b);
  }

  private finish(r: MarketRanking, marketId: number): void {
    const job = r.job!;
    r.job = undefined;
    this.jobMarkets = this.jobMarkets.filter((id) => id !== marketId);
    this.apply(r, job);
  }

  private apply(r: MarketRanking, job: RankingJob): void {
    const ranked = job.result();
    r.longs = ranked.longs;
    r.shorts = ranked.shorts;
    r.epoch = job.epoch;
    r.builtAtUs = job.startUs;
    this.rebuilds++;
  }

  /** The position's floating key (queue-quintiles.ts), from numbers when they allow it. */
  private keyOf(pos: PositionState, market: MarketRiskState, scopeEquityAtoms?: bigint | number): number {
    if (this.valuer.fast) {
      const equity = typeof scopeEquityAtoms === 'number' ? scopeEquityAtoms : scopeEquityAtoms === undefined ? this.valuer.equityOfNumber(this.state.accounts.get(pos.accountId)!, pos) : NaN;
      const key = approximateScoreNumber(pos.qtyN, pos.entryCostN, equity, market.markN, market.atomsPerTickLotN);
      if (key === key) return key;
    }
    const equity = typeof scopeEquityAtoms === 'number' ? BigInt(scopeEquityAtoms) : scopeEquityAtoms ?? this.valuer.equityOf(this.state.accounts.get(pos.accountId)!, pos);
    return approximateScore(pos.qtyLots, pos.entryCostAtoms, equity, market.markPriceTicks, market.spec.atomsPerTickLot);
  }

  private candidate(pos: PositionState, scopeEquityAtoms?: bigint): AdlCandidate {
    const equity = scopeEquityAtoms ?? this.valuer.equityOf(this.state.accounts.get(pos.accountId)!, pos);
    return { accountId: pos.accountId, qtyLots: pos.qtyLots, entryCostAtoms: pos.entryCostAtoms, scopeEquityAtoms: equity, system: false };
  }
}

function writeSide(w: SnapshotWriter, q: SideQuintiles): void {
  w.uint(q.count);
  w.uint(q.bounds.length);
  q.bounds.forEach((b, k) => {
    w.int(b.index);
    w.uint(b.accountId);
    w.big(b.qtyLots);
    w.big(b.notionalAtoms);
    w.bool(b.score !== undefined);
    if (b.score !== undefined) {
      w.big(b.score.num);
      w.big(b.score.den);
    }
    w.f64(q.boundKeys[k]!);
    w.f64(q.boundNotionals[k]!);
  });
}

function readSide(r: SnapshotReader): SideQuintiles {
  const count = r.uint();
  const n = r.uint();
  if (n > 4) throw malformed(`${r.what}: ${n} quintile boundaries`);
  if (count === 0 && n === 0) return NO_QUINTILES;
  const bounds: RankedCandidate[] = [];
  const boundKeys: number[] = [];
  const boundNotionals: number[] = [];
  for (let k = 0; k < n; k++) {
    const index = r.int();
    const accountId = r.uint();
    const qtyLots = r.big();
    const notionalAtoms = r.big();
    const score = r.bool() ? { num: r.big(), den: r.big() } : undefined;
    bounds.push({ index, accountId, qtyLots, notionalAtoms, score });
    boundKeys.push(r.f64());
    boundNotionals.push(r.f64());
  }
  return { count, bounds, boundKeys, boundNotionals };
}
