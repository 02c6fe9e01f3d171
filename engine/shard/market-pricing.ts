// MarketPricing: what a market shard computes for one market because it owns the book (ARCHITECTURE.md):
// the mark price from each index tick, premium samples at fixed times, and the funding rate at each
// funding time. Pure state machine on the market-shard thread: time is the timeUs of the index and timer
// records that drive it; samples and funding happen at exact multiples of their intervals, using the book
// as it stands when the first record at or after that time arrives.
//
//   UpdateIndexPrice ─▶ onIndex: basis sample, mark = risk/mark.ts markPrice(...) ─▶ MarkPriceUpdated
//   AdvanceTime / UpdateIndexPrice ─▶ advance: premium samples due (risk/funding.ts) and, at the funding
//                                     time, F = fundingRate8h(P̄) scaled to the interval ─▶ FundingRateApplied
//
// A gap between two records (the exchange was stopped, or simply no tick for a while) is caught up in
// O(1) whatever its length (docs/ARCHITECTURE.md, "Mark and funding"): every sample time in the gap sees
// the same book and index (no record came in between), so they all give the same premium, read once and
// added in closed form. At most one funding interval's worth of samples is taken, funding settles at most
// once, at the first funding time passed (the samples before it count towards it, the rest towards the
// next interval), and the next funding time is the next boundary after the record's time.
// Nothing here reads a clock.

import type { Book } from '../book/types.js';
import { Side } from '../enums.js';
import { MAX_INTERVAL_US } from '../ring/record.js';
import { BasisAverage, markPrice } from '../../risk/mark.js';
import { defaultFundingParams, fundingRate8h, impactPriceTicks, PremiumAverage, premiumSampleRate, PremiumWeighting, type FundingRateParams } from '../../risk/funding.js';
import { DEFAULT_TIERS, impactNotionalAtoms, type TierTable } from '../../risk/tiers.js';
import { RATE_PERCENT, type BookLevel } from '../../risk/units.js';
import { malformed } from '../snapshot/snapshot-error.js';
import type { SnapshotReader } from '../snapshot/snapshot-reader.js';
import type { SnapshotWriter } from '../snapshot/snapshot-writer.js';

export interface PricingConfig {
  /** |mark − index| ≤ band·index (10^-8 units). */
  readonly markBandRate: bigint;
  readonly fundingIntervalUs: number;
  readonly sampleIntervalUs: number;
  readonly basisWindowUs: number;
  readonly weighting: PremiumWeighting;
  readonly funding: FundingRateParams;
  readonly impactNotionalAtoms: bigint;
  /** Book levels read per side for an impact price. */
  readonly impactDepthLevels: number;
  /**
   * A timer tick finding no index tick for longer than this marks the index stale (mark frozen, market
   * reduce-only) until the next one: a silent oracle is a stale one. Absent (a configuration stored
   * before it existed): DEFAULT_INDEX_MAX_AGE_US.
   */
  readonly indexMaxAgeUs?: number;
}

/** RISK.md's staleness default for a source (10 s) applies to the index as a whole. */
export const DEFAULT_INDEX_MAX_AGE_US = 10_000_000;

const HOUR_US = 3_600_000_000;

export function defaultPricing(tiers: TierTable = DEFAULT_TIERS, overrides: Partial<PricingConfig> = {}): PricingConfig {
  return {
    markBandRate: 5n * RATE_PERCENT,
    fundingIntervalUs: 8 * HOUR_US,
    sampleIntervalUs: 5_000_000,
    basisWindowUs: 30_000_000,
    weighting: PremiumWeighting.LINEAR,
    funding: defaultFundingParams(tiers),
    impactNotionalAtoms: impactNotionalAtoms(tiers),
    impactDepthLevels: 1_000,
    indexMaxAgeUs: DEFAULT_INDEX_MAX_AGE_US,
    ...overrides,
  };
}

export interface MarkUpdate {
  markTicks: bigint;
  stale: boolean;
}

export interface FundingDue {
  rate: bigint;
  premiumRate: bigint;
  markTicks: bigint;
  fundingTimeUs: number;
}

export class MarketPricing {
  indexTicks = 0n;
  indexStale = true;
  markTicks = 0n;
  lastFundingRate = 0n;
  nowUs = 0;
  nextSampleUs = 0;
  nextFundingUs = 0;
  /** Time of the last index tick taken (0: none yet). */
  lastIndexUs = 0;
  readonly premium = new PremiumAverage();
  private readonly basis: BasisAverage;

  constructor(
    private readonly book: Book,
    readonly config: PricingConfig,
  ) {
    // Intervals bound how far past a record's time a published time can lie (record.ts, MAX_TIME_US).
    for (const [name, v] of [['fundingIntervalUs', config.fundingIntervalUs], ['sampleIntervalUs', config.sampleIntervalUs], ['basisWindowUs', config.basisWindowUs], ['indexMaxAgeUs', this.indexMaxAgeUs]] as const) {
      if (!Number.isSafeInteger(v) || v < 1 || v > MAX_INTERVAL_US) throw new RangeError(`pricing ${name} must be an integer in [1, ${MAX_INTERVAL_US}] µs, got ${v}`);
    }
    this.basis = new BasisAverage(config.basisWindowUs);
  }

  get indexMaxAgeUs(): number {
    return this.config.indexMaxAgeUs ?? DEFAULT_INDEX_MAX_AGE_US;
  }

  /** A new index tick: returns the mark to publish. */
  onIndex(indexTicks: bigint, stale: boolean, timeUs: number): MarkUpdate {
    this.lastIndexUs = timeUs;
    this.indexTicks = indexTicks;
    this.indexStale = stale;
    const bid = BigInt(this.book.bestBid());
    const ask = BigInt(this.book.bestAsk());
    if (!stale && indexTicks > 0n && bid > 0n && ask > 0n) this.basis.add(timeUs, bid, ask, indexTicks);
    const toFunding = this.nextFundingUs > timeUs ? this.nextFundingUs - timeUs : 0;
    const r = markPrice({
      indexTicks,
      indexStale: stale,
      lastFundingRate: this.lastFundingRate,
      timeToFundingUs: toFunding,
      fundingIntervalUs: this.config.fundingIntervalUs,
      basisAverageTicks: this.basis.averageTicks(timeUs),
      bestBidTicks: bid,
      bestAskTicks: ask,
      lastTradeTicks: BigInt(this.book.lastTradePrice()),
      bandRate: this.config.markBandRate,
      previousMarkTicks: this.markTicks,
    });
    // The band around an index near the market's top price can reach past it: the mark stays on the
    // market's price range, like every price a book holds.
    const max = BigInt(this.book.spec.maxPriceTicks);
    this.markTicks = r.markTicks > max ? max : r.markTicks;
    return { markTicks: this.markTicks, stale: r.stale };
  }

  /**
   * A timer tick at timeUs: true when a fresh index has had no tick for longer than indexMaxAgeUs, which
   * makes it stale now (the mark stays where it was; the caller publishes that). A stale index stays
   * stale until the next tick, which decides afresh.
   */
  checkSilence(timeUs: number): boolean {
    if (this.indexStale || this.lastIndexUs === 0 || timeUs - this.lastIndexUs <= this.indexMaxAgeUs) return false;
    this.indexStale = true;
    return true;
  }

  /**
   * Moves the market's time to timeUs; returns the funding due at a funding time passed, if any. O(1) in
   * the gap since the last record (the header comment says how a gap is caught up).
   */
  advance(timeUs: number): FundingDue | undefined {
    if (timeUs <= this.nowUs) return undefined;
    const c = this.config;
    if (this.nowUs === 0) {
      // First time seen: schedules start at the next boundaries.
      this.nowUs = timeUs;
      this.nextSampleUs = nextMultiple(timeUs, c.sampleIntervalUs);
      this.nextFundingUs = nextMultiple(timeUs, c.fundingIntervalUs);
      return undefined;
    }
    this.nowUs = timeUs;
    const step = c.sampleIntervalUs;
    const first = this.nextSampleUs;
    const fundingUs = this.nextFundingUs;
    // Sample times first, first + step, ... up to timeUs; those before the funding time count towards it.
    const due = first <= timeUs ? Math.floor((timeUs - first) / step) + 1 : 0;
    const beforeFunding = fundingUs <= first ? 0 : Math.min(due, Math.floor((fundingUs - first + step - 1) / step));
    const maxSamples = Math.max(1, Math.floor(c.fundingIntervalUs / step));
    const toFunding = Math.min(beforeFunding, maxSamples);
    const afterFunding = beforeFunding < due ? Math.min(due - beforeFunding, maxSamples - toFunding) : 0;
    const rate = toFunding + afterFunding > 0 ? this.samplePremium() : undefined;
    if (rate !== undefined) this.premium.addRepeated(rate, BigInt(toFunding));
    // A sample time at or past the funding time implies the funding time is passed too.
    const funding = fundingUs <= timeUs ? this.settleFunding() : undefined;
    if (rate !== undefined) this.premium.addRepeated(rate, BigInt(afterFunding));
    this.nextSampleUs = first + due * step;
    if (this.nextFundingUs <= timeUs) this.nextFundingUs = nextMultiple(timeUs, c.fundingIntervalUs);
    return funding;
  }

  /** Everything that decides future outputs, for the shard's state hash. */
  stateParts(): bigint[] {
    const p = this.premium;
    return [this.indexTicks, this.indexStale ? 1n : 0n, BigInt(this.lastIndexUs), this.markTicks, this.lastFundingRate, BigInt(this.nowUs), BigInt(this.nextSampleUs), BigInt(this.nextFundingUs), p.count, p.sumRate, p.linearSumRate, ...this.basis.stateParts()];
  }

  /** The PRIC section of a snapshot (docs/SNAPSHOTS.md): everything stateParts covers, exactly. */
  writeState(w: SnapshotWriter): void {
    w.big(this.indexTicks);
    w.bool(this.indexStale);
    w.uint(this.lastIndexUs);
    w.big(this.markTicks);
    w.big(this.lastFundingRate);
    w.uint(this.nowUs);
    w.uint(this.nextSampleUs);
    w.uint(this.nextFundingUs);
    w.big(this.premium.count);
    w.big(this.premium.sumRate);
    w.big(this.premium.linearSumRate);
    w.uint(this.basis.sampleCount);
    this.basis.forEachSample((timeUs, half) => {
      w.uint(timeUs);
      w.big(half);
    });
  }

  /** Reads a PRIC section into this (fresh) pricing state. */
  readState(r: SnapshotReader): void {
    this.indexTicks = r.big();
    this.indexStale = r.bool();
    this.lastIndexUs = r.uint();
    this.markTicks = r.big();
    this.lastFundingRate = r.big();
    this.nowUs = r.uint();
    this.nextSampleUs = r.uint();
    this.nextFundingUs = r.uint();
    const p = this.premium;
    p.count = r.big();
    p.sumRate = r.big();
    p.linearSumRate = r.big();
    const n = r.count(2);
    if (n > this.basis.capacity) throw malformed(`${r.what}: ${n} basis samples for a window of ${this.basis.capacity}`);
    const times: number[] = [];
    const halves: bigint[] = [];
    for (let i = 0; i < n; i++) {
      const t = r.uint();
      const half = r.big();
      if (i > 0 && t < times[i - 1]!) throw malformed(`${r.what}: basis sample times go back at ${t}`);
      if (half !== BigInt.asIntN(64, half)) throw malformed(`${r.what}: basis sample ${half} past 64 bits`);
      times.push(t);
      halves.push(half);
    }
    r.done();
    if (this.indexTicks < 0n || this.markTicks < 0n || p.count < 0n) throw malformed(`${r.what}: index ${this.indexTicks}, mark ${this.markTicks}, samples ${p.count}`);
    // advance() leaves the next sample and funding times within one interval after the market's time
    // (all three 0 before the first record): a schedule elsewhere is a state no input leads to.
    const c = this.config;
    const fresh = this.nowUs === 0 && this.nextSampleUs === 0 && this.nextFundingUs === 0;
    const scheduled = this.nextSampleUs > this.nowUs && this.nextSampleUs - this.nowUs <= c.sampleIntervalUs && this.nextFundingUs > this.nowUs && this.nextFundingUs - this.nowUs <= c.fundingIntervalUs;
    if (!fresh && !scheduled) throw malformed(`${r.what}: time ${this.nowUs}, next sample ${this.nextSampleUs}, next funding ${this.nextFundingUs}`);
    this.basis.restore(times, halves);
  }

  /** The premium a sample taken now adds (docs/RISK.md funding step 1), undefined when none (stale index, empty side). */
  private samplePremium(): bigint | undefined {
    if (this.indexStale || this.indexTicks <= 0n) return undefined;
    const c = this.config;
    const a = this.book.spec.atomsPerTickLot;
    const bid = impactPriceTicks(this.depth(Side.BUY), c.impactNotionalAtoms, a);
    const ask = impactPriceTicks(this.depth(Side.SELL), c.impactNotionalAtoms, a);
    return premiumSampleRate(bid, ask, this.indexTicks);
  }

  private settleFunding(): FundingDue | undefined {
    const c = this.config;
    const fundingTimeUs = this.nextFundingUs;
    this.nextFundingUs = fundingTimeUs + c.fundingIntervalUs;
    const premiumRate = this.premium.rate(c.weighting);
    const rate8h = fundingRate8h(premiumRate, c.funding);
    // F = F_8h · interval / 8h, truncated toward 0 (a measurement, not a payout: risk/funding.ts).
    const rate = (rate8h * BigInt(c.fundingIntervalUs)) / BigInt(8 * HOUR_US);
    this.premium.reset();
    this.lastFundingRate = rate;
    if (this.markTicks <= 0n) return undefined;
    return { rate, premiumRate, markTicks: this.markTicks, fundingTimeUs };
  }

  private depth(side: Side): BookLevel[] {
    return this.book.levels(side, this.config.impactDepthLevels).map((l) => ({ priceTicks: BigInt(l.priceTicks), qtyLots: BigInt(l.qtyLots) }));
  }
}

function nextMultiple(t: number, step: number): number {
  return (Math.floor(t / step) + 1) * step;
}
