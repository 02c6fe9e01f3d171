// Mark price (docs/RISK.md, "Index and mark price"): the median of three estimates, clamped to a band around
// the index, so that a wick in the last trade or a thin book moves no one's margin.
//
//   c1 = IP·(1 + F_last·τ/T)        funding basis: τ time to the next funding, T the interval
//   c2 = IP + MA_30s(mid − IP)      moving average of the book's basis (BasisAverage)
//   c3 = median(best bid, best ask, last trade)   needs all three
//   mark = median(c1, c2, c3); with one missing the mean of the other two; with two missing the one left.
//   clamp |mark − IP| ≤ band·IP, then round to a tick toward IP.
// Every estimate is kept exact (rational) until that single rounding. Rounding toward the index is the
// one rule for mark: the mark strays from the robust reference only by whole ticks, and the clamp's
// bounds survive the rounding.
// A stale or missing index freezes the mark: the previous mark comes back with stale = true (the market
// goes reduce-only, index-price.ts).
//
// The market shard computes the mark (it owns the book); time is an input. BasisAverage belongs to that
// one thread; markPrice is pure.

import { compareRational, RATE_ONE, roundRationalToward, type Rational } from './units.js';

/** Simple moving average of mid − IP over a time window, in half-ticks (mid = (bid + ask)/2). */
export class BasisAverage {
  readonly windowUs: number;
  readonly capacity: number;
  /** Integer microseconds (below 2^53, exact in a double): times, never money. */
  private readonly timesUs: Float64Array;
  private readonly basisHalfTicks: BigInt64Array;
  private head = 0;
  private size = 0;
  private sumHalfTicks = 0n;

  /** capacity bounds memory: past it the oldest sample leaves early. 30 s at one sample a second needs 30. */
  constructor(windowUs = 30_000_000, capacity = 256) {
    this.windowUs = windowUs;
    this.capacity = capacity;
    this.timesUs = new Float64Array(capacity);
    this.basisHalfTicks = new BigInt64Array(capacity);
  }

  /** Records the basis seen at timeUs (times non-decreasing). Needs both sides of the book and an index. */
  add(timeUs: number, bestBidTicks: bigint, bestAskTicks: bigint, indexTicks: bigint): void {
    this.evict(timeUs);
    if (this.size === this.capacity) this.dropOldest();
    const basis = bestBidTicks + bestAskTicks - 2n * indexTicks;
    const at = (this.head + this.size) % this.capacity;
    this.timesUs[at] = timeUs;
    this.basisHalfTicks[at] = basis;
    this.size++;
    this.sumHalfTicks += basis;
  }

  /** MA of the samples taken after nowUs − window, in ticks (exact); undefined when there are none. */
  averageTicks(nowUs: number): Rational | undefined {
    this.evict(nowUs);
    if (this.size === 0) return undefined;
    return { num: this.sumHalfTicks, den: 2n * BigInt(this.size) };
  }

  get sampleCount(): number {
    return this.size;
  }

  /** The samples held, oldest first, as (timeUs, half-ticks) pairs: for state hashes and snapshots. */
  stateParts(): bigint[] {
    const parts: bigint[] = [BigInt(this.size)];
    for (let i = 0; i < this.size; i++) {
      const at = (this.head + i) % this.capacity;
      parts.push(BigInt(this.timesUs[at]!), this.basisHalfTicks[at]!);
    }
    return parts;
  }

  /** Snapshots: the samples held, oldest first (stateParts without the count). */
  forEachSample(f: (timeUs: number, basisHalfTicks: bigint) => void): void {
    for (let i = 0; i < this.size; i++) {
      const at = (this.head + i) % this.capacity;
      f(this.timesUs[at]!, this.basisHalfTicks[at]!);
    }
  }

  /** Snapshot decode: replaces the samples (times non-decreasing, at most `capacity` of them). */
  restore(timesUs: readonly number[], basisHalfTicks: readonly bigint[]): void {
    if (timesUs.length > this.capacity || timesUs.length !== basisHalfTicks.length) throw new RangeError(`${timesUs.length} basis samples for a window of ${this.capacity}`);
    this.head = 0;
    this.size = 0;
    this.sumHalfTicks = 0n;
    for (let i = 0; i < timesUs.length; i++) {
      this.timesUs[i] = timesUs[i]!;
      this.basisHalfTicks[i] = basisHalfTicks[i]!;
      this.sumHalfTicks += basisHalfTicks[i]!;
      this.size++;
    }
  }

  private evict(nowUs: number): void {
    const oldest = nowUs - this.windowUs;
    while (this.size > 0 && this.timesUs[this.head]! <= oldest) this.dropOldest();
  }

  private dropOldest(): void {
    this.sumHalfTicks -= this.basisHalfTicks[this.head]!;
    this.head = (this.head + 1) % this.capacity;
    this.size--;
  }
}

export interface MarkInputs {
  /** 0n: no index. */
  readonly indexTicks: bigint;
  readonly indexStale: boolean;
  /** F of the current funding interval, 10^-8. */
  readonly lastFundingRate: bigint;
  readonly timeToFundingUs: number;
  readonly fundingIntervalUs: number;
  /** BasisAverage.averageTicks(now). */
  readonly basisAverageTicks: Rational | undefined;
  /** 0n: none. */
  readonly bestBidTicks: bigint;
  readonly bestAskTicks: bigint;
  readonly lastTradeTicks: bigint;
  /** Band around the index, 10^-8. */
  readonly bandRate: bigint;
  /** Returned while the index is stale (0n if there never was a mark). */
  readonly previousMarkTicks: bigint;
}

export interface MarkResult {
  readonly markTicks: bigint;
  readonly stale: boolean;
}

function medianOfThree(a: bigint, b: bigint, c: bigint): bigint {
  const lo = a < b ? a : b;
  const hi = a < b ? b : a;
  return c < lo ? lo : c > hi ? hi : c;
}

function median(values: Rational[]): Rational {
  values.sort(compareRational);
  if (values.length === 3) return values[1]!;
  if (values.length === 1) return values[0]!;
  const [a, b] = values as [Rational, Rational];
  return { num: a.num * b.den + b.num * a.den, den: 2n * a.den * b.den };
}

export function markPrice(m: MarkInputs): MarkResult {
  const ip = m.indexTicks;
  if (m.indexStale || ip <= 0n) return { markTicks: m.previousMarkTicks, stale: true };
  const estimates: Rational[] = [];
  const interval = BigInt(m.fundingIntervalUs);
  if (interval > 0n) {
    const scale = RATE_ONE * interval;
    estimates.push({ num: ip * (scale + m.lastFundingRate * BigInt(m.timeToFundingUs)), den: scale });
  } else {
    estimates.push({ num: ip, den: 1n });
  }
  const ma = m.basisAverageTicks;
  if (ma !== undefined) estimates.push({ num: ip * ma.den + ma.num, den: ma.den });
  if (m.bestBidTicks > 0n && m.bestAskTicks > 0n && m.lastTradeTicks > 0n) {
    estimates.push({ num: medianOfThree(m.bestBidTicks, m.bestAskTicks, m.lastTradeTicks), den: 1n });
  }
  let mark = median(estimates);
  const lo: Rational = { num: ip * (RATE_ONE - m.bandRate), den: RATE_ONE };
  const hi: Rational = { num: ip * (RATE_ONE + m.bandRate), den: RATE_ONE };
  if (compareRational(mark, lo) < 0) mark = lo;
  else if (compareRational(mark, hi) > 0) mark = hi;
  return { markTicks: roundRationalToward(mark, ip), stale: false };
}
