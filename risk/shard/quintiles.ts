// ADL queue quintiles (RISK.md, "Auto-deleveraging" 5): where each open position stands in its side's
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

import { compareAdl, type AdlCandidate, type RankedCandidate } from '../adl.js';
import { productBelow51 } from '../margin-number.js';
import { approximateScore, approximateScoreNumber, NO_QUINTILES, orderByKeys, rankedCandidate, type SideQuintiles } from './queue-quintiles.js';
import { RankingJob, SnapshotColumns } from './ranking-job.js';
import type { ScopeValuer } from './scope-margin.js';
import type { AccountState, MarketRiskState, PositionState, RiskState } from './state.js';
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
      const slot = this.triggers.get(all[i]!.marketId)!.slots.get(account.id);
      if (slot !== undefined) job.take(slot);
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

  /** Ranking jobs under way, for the state hash: their start and every member's values at the start. */
  forEachJob(job: (marketId: number, epoch: number, startUs: number, progress: number) => void, member: (accountId: number, c: AdlCandidate) => void): void {
    for (const marketId of this.jobMarkets) {
      const j = this.rankings.get(marketId)!.job!;
      job(marketId, j.epoch, j.startUs, j.progress);
      const members: [number, AdlCandidate][] = [];
      j.forEachMember((accountId, c) => members.push([accountId, c]));
      members.sort((a, b) => a[0] - b[0]);
      for (const [accountId, c] of members) member(accountId, c);
    }
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
