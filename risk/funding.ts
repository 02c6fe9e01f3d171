// Funding (docs/RISK.md, "Funding"): impact prices, premium samples, the rate, and the payments.
//
//   impact price  average fill price of a market order of the impact notional against the book, exact
//   sample        P = [max(0, impactBid − IP) − max(0, IP − impactAsk)] / IP, in 10^-8, truncated toward 0
//   average       P̄ = Σ w_i·P_i / Σ w_i, w_i = i (LINEAR, the default) or 1 (EQUAL), truncated toward 0
//   8-hour rate   F_8h = P̄ + clamp(I − P̄, −0.05%, +0.05%), then within ±0.75·(IMR_1 − MMR_1) and ±hard cap
//   interval      F = F_8h·hours/8 or F_8h·seconds/28800, truncated toward 0
//   payment       q·MP·atomsPerTickLot·F (> 0: pays): rounded up, so a payer pays the ceiling and a receiver
//                 receives the floor; over balanced open interest the payments sum to a residue ≥ 0 (less
//                 than one atom per position) that goes to the insurance fund
// Samples and rates are measurements, not payouts, so they round toward 0 and favour no side; solvency
// is kept by the payment's rounding alone.
//
// The market shard computes samples (it owns the book); the risk shards apply payments to the positions
// they own. Pure, except PremiumAverage, a three-field accumulator owned by one thread.

import { ceilDiv, floorDiv } from '../engine/market/decimal.js';
import type { TierTable } from './tiers.js';
import { RATE_ONE, type BookLevel, type Rational } from './units.js';

/**
 * Average fill price, in ticks, of a market order for impactNotionalAtoms walking `levels` best-first
 * (bids for the impact bid, asks for the impact ask). The last level fills a fraction of a lot, so the
 * figure is exact: notional / lots filled. undefined when the book is too thin.
 */
export function impactPriceTicks(levels: readonly BookLevel[], impactNotionalAtoms: bigint, atomsPerTickLot: bigint): Rational | undefined {
  if (impactNotionalAtoms <= 0n) return undefined;
  let lots = 0n;
  let notional = 0n;
  for (const level of levels) {
    const levelNotional = level.priceTicks * level.qtyLots * atomsPerTickLot;
    if (notional + levelNotional >= impactNotionalAtoms) {
      // rest atoms at this level buy rest/(p·a) lots: avg = I / (lots + rest/(p·a)) = I·p / (lots·p·a + rest)
      const rest = impactNotionalAtoms - notional;
      return { num: impactNotionalAtoms * level.priceTicks, den: lots * level.priceTicks * atomsPerTickLot + rest };
    }
    lots += level.qtyLots;
    notional += levelNotional;
  }
  return undefined;
}

/**
 * One premium sample in 10^-8, truncated toward 0. A side whose impact price is undefined (thin book)
 * contributes 0, as if it sat at the index. undefined without an index.
 */
export function premiumSampleRate(impactBidTicks: Rational | undefined, impactAskTicks: Rational | undefined, indexTicks: bigint): bigint | undefined {
  if (indexTicks <= 0n) return undefined;
  const bidNum = impactBidTicks ? impactBidTicks.num - indexTicks * impactBidTicks.den : 0n;
  const bidDen = impactBidTicks ? impactBidTicks.den : 1n;
  const askNum = impactAskTicks ? indexTicks * impactAskTicks.den - impactAskTicks.num : 0n;
  const askDen = impactAskTicks ? impactAskTicks.den : 1n;
  const above = bidNum > 0n ? bidNum : 0n;
  const below = askNum > 0n ? askNum : 0n;
  return ((above * askDen - below * bidDen) * RATE_ONE) / (bidDen * askDen * indexTicks);
}

export const PremiumWeighting = { LINEAR: 0, EQUAL: 1 } as const;
export type PremiumWeighting = (typeof PremiumWeighting)[keyof typeof PremiumWeighting];

/** P̄ over the interval's samples, oldest first; 0 without samples. */
export function averagePremiumRate(samples: readonly bigint[], weighting: PremiumWeighting = PremiumWeighting.LINEAR): bigint {
  const acc = new PremiumAverage();
  for (const s of samples) acc.add(s);
  return acc.rate(weighting);
}

/** Running P̄ for one interval: add each sample as it is taken, read the rate at funding time, reset. */
export class PremiumAverage {
  count = 0n;
  sumRate = 0n;
  /** Σ i·P_i with i = 1..count. */
  linearSumRate = 0n;

  add(sampleRate: bigint): void {
    this.count += 1n;
    this.sumRate += sampleRate;
    this.linearSumRate += this.count * sampleRate;
  }

  /**
   * add(sampleRate) `times` times, in O(1): the samples of a gap between records all see the same book
   * and index. Their weights are count+1 .. count+times, which sum to times·count + times·(times+1)/2.
   */
  addRepeated(sampleRate: bigint, times: bigint): void {
    if (times <= 0n) return;
    this.linearSumRate += sampleRate * (times * this.count + (times * (times + 1n)) / 2n);
    this.count += times;
    this.sumRate += times * sampleRate;
  }

  rate(weighting: PremiumWeighting = PremiumWeighting.LINEAR): bigint {
    if (this.count === 0n) return 0n;
    if (weighting === PremiumWeighting.EQUAL) return this.sumRate / this.count;
    return (this.linearSumRate * 2n) / (this.count * (this.count + 1n));
  }

  reset(): void {
    this.count = 0n;
    this.sumRate = 0n;
    this.linearSumRate = 0n;
  }
}

export interface FundingRateParams {
  /** I, per 8 hours: 0.01%. */
  readonly interestRate: bigint;
  /** The clamp on I − P̄: ±0.05%. */
  readonly premiumClampRate: bigint;
  /** ±0.75·(IMR_1 − MMR_1), from the market's tiers. */
  readonly capRate: bigint;
  /** The absolute cap whatever the tiers say. */
  readonly hardCapRate: bigint;
}

/** 0.75·(IMR_1 − MMR_1), rounded down (the tighter cap). */
export function fundingCapRate(tiers: TierTable): bigint {
  return floorDiv(3n * (tiers[0]!.imrRate - tiers[0]!.mmrRate), 4n);
}

/** docs/RISK.md's defaults for a market with these tiers; hard cap 3% per 8 hours. */
export function defaultFundingParams(tiers: TierTable): FundingRateParams {
  return { interestRate: 10_000n, premiumClampRate: 50_000n, capRate: fundingCapRate(tiers), hardCapRate: 3_000_000n };
}

function clamp(v: bigint, lo: bigint, hi: bigint): bigint {
  return v < lo ? lo : v > hi ? hi : v;
}

/** F_8h from P̄. */
export function fundingRate8h(averagePremiumRate: bigint, p: FundingRateParams): bigint {
  const f = averagePremiumRate + clamp(p.interestRate - averagePremiumRate, -p.premiumClampRate, p.premiumClampRate);
  const cap = p.capRate < p.hardCapRate ? p.capRate : p.hardCapRate;
  return clamp(f, -cap, cap);
}

/** F for an interval of whole hours: F_8h·hours/8, truncated toward 0. */
export function fundingRateForHours(rate8h: bigint, hours: number): bigint {
  return (rate8h * BigInt(hours)) / 8n;
}

/** F for an interval of whole seconds: F_8h·seconds/28800, truncated toward 0. */
export function fundingRateForSeconds(rate8h: bigint, seconds: number): bigint {
  return (rate8h * BigInt(seconds)) / 28_800n;
}

/** q·MP·atomsPerTickLot·F, rounded up: > 0 the position pays, < 0 it receives (the floor of its due). */
function fundingPaymentAtoms(qtyLots: bigint, markTicks: bigint, atomsPerTickLot: bigint, rate: bigint): bigint {
  return ceilDiv(qtyLots * markTicks * atomsPerTickLot * rate, RATE_ONE);
}

export interface FundingPayments {
  /** Per position, in input order: > 0 pays, < 0 receives. */
  readonly paymentsAtoms: bigint[];
  /** Σ payments: what the insurance fund receives. ≥ 0 when the positions' quantities sum to 0. */
  readonly residueAtoms: bigint;
}

/** Payments of every position of a market at one funding time (or of the positions one risk shard owns). */
export function fundingPayments(qtysLots: readonly bigint[], markTicks: bigint, atomsPerTickLot: bigint, rate: bigint): FundingPayments {
  const paymentsAtoms = new Array<bigint>(qtysLots.length);
  let residue = 0n;
  for (let i = 0; i < qtysLots.length; i++) {
    const p = fundingPaymentAtoms(qtysLots[i]!, markTicks, atomsPerTickLot, rate);
    paymentsAtoms[i] = p;
    residue += p;
  }
  return { paymentsAtoms, residueAtoms: residue };
}
