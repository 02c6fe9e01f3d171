// Index price (docs/RISK.md, "Index and mark price"): the weighted median of external venues' prices.
//
//   1. a venue counts while fresh: nowUs − updatedUs ≤ staleness (default 10 s), with a positive price
//      and weight;
//   2. the weighted median of the fresh venues is the reference; a venue whose price deviates from it by
//      more than maxDeviation (default 5%) is left out;
//   3. fewer than minSources (default 3) left, at either step: the index is stale (the mark freezes and
//      the market goes reduce-only); otherwise the index is the weighted median of those left.
// Weighted median: venues sorted by price, the first whose cumulative weight reaches half the total; when
// it reaches exactly half, the mean of that price and the next (so equal weights give the usual median).
// A mean of two ticks may be half a tick: it rounds half to even, which biases neither direction.
//
// Venue prices arrive in ticks, converted once at the feed edge. Time is an input. Pure.

import { IndexSourceVerdict } from '../engine/enums.js';
import { RATE_ONE, RATE_PERCENT, type Rational } from './units.js';

export interface VenuePrice {
  readonly priceTicks: bigint;
  readonly weight: bigint;
  /** When the venue last updated, µs (the feed's timestamps, on the sequencer's clock). */
  readonly updatedUs: number;
}

export interface IndexParams {
  readonly stalenessUs: number;
  /** Largest accepted |price − median| / median, 10^-8. */
  readonly maxDeviationRate: bigint;
  readonly minSources: number;
}

export const DEFAULT_INDEX_PARAMS: IndexParams = Object.freeze({ stalenessUs: 10_000_000, maxDeviationRate: 5n * RATE_PERCENT, minSources: 3 });

export interface IndexResult {
  /** 0n when stale. */
  readonly indexTicks: bigint;
  readonly stale: boolean;
  /** Venues the index rests on (or, when stale, the count that was too few). */
  readonly sourcesUsed: number;
}

/** Weighted median of venues with positive weights (any order), exact. undefined when empty. */
function weightedMedianTicks(venues: readonly VenuePrice[]): Rational | undefined {
  if (venues.length === 0) return undefined;
  const sorted = venues.slice().sort((a, b) => (a.priceTicks < b.priceTicks ? -1 : a.priceTicks > b.priceTicks ? 1 : 0));
  let total = 0n;
  for (const v of sorted) total += v.weight;
  let cumulative = 0n;
  for (let i = 0; i < sorted.length; i++) {
    cumulative += sorted[i]!.weight;
    if (2n * cumulative < total) continue;
    if (2n * cumulative === total && i + 1 < sorted.length) return { num: sorted[i]!.priceTicks + sorted[i + 1]!.priceTicks, den: 2n };
    return { num: sorted[i]!.priceTicks, den: 1n };
  }
  return undefined;
}

/** A whole or half tick to a tick, half to even. */
function roundHalfEven(r: Rational): bigint {
  if (r.den === 1n) return r.num;
  const q = r.num / 2n;
  return r.num % 2n === 0n || q % 2n === 0n ? q : q + 1n;
}

export function indexPrice(venues: readonly VenuePrice[], nowUs: number, params: IndexParams = DEFAULT_INDEX_PARAMS): IndexResult {
  const { indexTicks, stale, sourcesUsed } = explainIndexPrice(venues, nowUs, params);
  return { indexTicks, stale, sourcesUsed };
}

export interface IndexExplained extends IndexResult {
  /** Per venue, in the order given: USED, NO_PRICE, STALE or DEVIATED (engine/enums.ts IndexSourceVerdict). */
  readonly verdicts: readonly IndexSourceVerdict[];
}

/**
 * indexPrice() with the reason each venue was used or left out, for the record an operator reads. A venue
 * left out says why; one that was not left out says USED even when too few remained to make an index
 * (the index then says stale).
 */
export function explainIndexPrice(venues: readonly VenuePrice[], nowUs: number, params: IndexParams = DEFAULT_INDEX_PARAMS): IndexExplained {
  const verdicts: IndexSourceVerdict[] = venues.map((v) =>
    v.priceTicks <= 0n || v.weight <= 0n ? IndexSourceVerdict.NO_PRICE : nowUs - v.updatedUs > params.stalenessUs ? IndexSourceVerdict.STALE : IndexSourceVerdict.USED,
  );
  const fresh = venues.filter((_, i) => verdicts[i] === IndexSourceVerdict.USED);
  if (fresh.length < params.minSources) return { indexTicks: 0n, stale: true, sourcesUsed: fresh.length, verdicts };
  const reference = weightedMedianTicks(fresh)!;
  let kept = 0;
  const keptVenues: VenuePrice[] = [];
  venues.forEach((v, i) => {
    if (verdicts[i] !== IndexSourceVerdict.USED) return;
    const diff = v.priceTicks * reference.den - reference.num;
    if ((diff < 0n ? -diff : diff) * RATE_ONE <= params.maxDeviationRate * reference.num) {
      kept++;
      keptVenues.push(v);
    } else verdicts[i] = IndexSourceVerdict.DEVIATED;
  });
  if (kept < params.minSources) return { indexTicks: 0n, stale: true, sourcesUsed: kept, verdicts };
  return { indexTicks: roundHalfEven(weightedMedianTicks(keptVenues)!), stale: false, sourcesUsed: kept, verdicts };
}
