// ADL queue quintiles (RISK.md, "Auto-deleveraging" 5): where each open position stands in its side's
// queue, 5 = first in line, by the exact order of risk/adl.ts.
//
// Per market and side the cache holds the four boundary positions of the queue (queue-quintiles.ts), so
// a position's quintile is at most four exact comparisons, for a position the ranking saw and for one
// opened or changed since alike. Finding the boundaries touches every position of the market, so they
// are found lazily, only when a position of that market is published, at most once per mark update (the
// market's trigger epoch) and at most once per QUINTILE_REFRESH_US of input time.
// Thread contract: the risk-shard thread.

import type { AdlCandidate } from '../adl.js';
import { approximateScore, NO_QUINTILES, quintileAgainst, rankedCandidate, sideQuintiles, type SideQuintiles } from './queue-quintiles.js';
import type { ScopeValuer } from './scope-margin.js';
import type { MarketRiskState, PositionState, RiskState } from './state.js';
import type { MarketTriggers } from './trigger-index.js';

/** Least input time between two rankings of one market (µs). */
export const QUINTILE_REFRESH_US = 1_000_000;

class MarketRanking {
  epoch = -1;
  builtAtUs = 0;
  longs: SideQuintiles = NO_QUINTILES;
  shorts: SideQuintiles = NO_QUINTILES;
}

export class QuintileCache {
  private readonly rankings = new Map<number, MarketRanking>();
  /** Rankings computed since start, for monitoring and tests. */
  rebuilds = 0;

  constructor(
    private readonly state: RiskState,
    private readonly valuer: ScopeValuer,
    private readonly triggers: ReadonlyMap<number, MarketTriggers>,
  ) {}

  /**
   * The position's quintile (1–5), 0 when flat, at input time timeUs. scopeEquityAtoms: the caller's
   * figure, when it has it.
   */
  quintileOf(pos: PositionState, timeUs: number, scopeEquityAtoms?: bigint): number {
    if (pos.qtyLots === 0n) return 0;
    const t = this.triggers.get(pos.marketId)!;
    let r = this.rankings.get(pos.marketId);
    if (r === undefined) this.rankings.set(pos.marketId, (r = new MarketRanking()));
    if (r.epoch !== t.epoch && (r.epoch < 0 || timeUs - r.builtAtUs >= QUINTILE_REFRESH_US)) this.rebuild(r, t, timeUs);
    const market = this.state.markets.get(pos.marketId)!;
    const me = rankedCandidate(this.candidate(pos, scopeEquityAtoms), market.markPriceTicks, market.spec.atomsPerTickLot);
    return quintileAgainst(pos.qtyLots > 0n ? r.longs : r.shorts, me);
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

  private rebuild(r: MarketRanking, t: MarketTriggers, timeUs: number): void {
    const market = this.state.markets.get(t.marketId)!;
    const longs: PositionState[] = [];
    const shorts: PositionState[] = [];
    for (const slot of t.slots.values()) (slot.pos.qtyLots > 0n ? longs : shorts).push(slot.pos);
    r.longs = this.side(longs, market);
    r.shorts = this.side(shorts, market);
    r.epoch = t.epoch;
    r.builtAtUs = timeUs;
    this.rebuilds++;
  }

  /** Keys for every position of one side; exact candidates only for those the boundaries ask about. */
  private side(positions: readonly PositionState[], market: MarketRiskState): SideQuintiles {
    const mark = market.markPriceTicks;
    const a = market.spec.atomsPerTickLot;
    const keys = new Float64Array(positions.length);
    for (let i = 0; i < positions.length; i++) {
      const pos = positions[i]!;
      keys[i] = approximateScore(pos.qtyLots, pos.entryCostAtoms, this.valuer.equityOf(this.state.accounts.get(pos.accountId)!, pos), mark, a);
    }
    return sideQuintiles(keys, (i) => this.candidate(positions[i]!), mark, a);
  }

  private candidate(pos: PositionState, scopeEquityAtoms?: bigint): AdlCandidate {
    const equity = scopeEquityAtoms ?? this.valuer.equityOf(this.state.accounts.get(pos.accountId)!, pos);
    return { accountId: pos.accountId, qtyLots: pos.qtyLots, entryCostAtoms: pos.entryCostAtoms, scopeEquityAtoms: equity, system: false };
  }
}
