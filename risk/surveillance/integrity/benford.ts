// First-significant-digit test of trade sizes (Cong, Li, Tang, Yang, "Crypto Wash Trading", 2021: sizes
// of genuine trades follow Benford's law, P(d) = log10(1 + 1/d); fabricated ones tend not to).
//
// Exact where it can be: digit counts are integers; the expected probabilities are rationals built from
// the integer fixed-point logarithm (fixed-log.ts), p_d = (log2(d+1) − log2 d) / log2 10, the same on
// every machine; Pearson's χ² = Σ (O_d − N p_d)² / (N p_d) is summed term by term as exact rationals, each
// rounded down to 0.001; the mean absolute deviation (Nigrini's conformity measure) in parts per million.

import { log2Fixed } from './fixed-log.js';

const LOG2_10 = log2Fixed(10n);
/** a_d with p_d = a_d / LOG2_10, d = 1..9 (index 0 unused). */
const A = [0n, ...Array.from({ length: 9 }, (_, i) => log2Fixed(BigInt(i + 2)) - log2Fixed(BigInt(i + 1)))];

/** Benford's probability of first digit d in parts per million (for reports). */
export function benfordPpm(d: number): number {
  return Number((A[d]! * 1_000_000n) / LOG2_10);
}

/** The first significant digit of a positive integer. */
export function firstDigit(x: number): number {
  let v = x;
  while (v >= 10) v = Math.floor(v / 10);
  return v;
}

export interface BenfordResult {
  /** Trades counted per first digit 1..9 (index 0 unused). */
  counts: number[];
  total: number;
  /** Pearson χ² against Benford, × 1000 (8 degrees of freedom: 15.507 is the 5% critical value). */
  chiSquareMilli: number;
  /** Mean |observed share − Benford share| over the nine digits, ppm (Nigrini: < 6,000 close conformity). */
  madPpm: number;
}

export function benford(counts: readonly number[]): BenfordResult {
  const total = counts.slice(1, 10).reduce((a, b) => a + b, 0);
  let chi = 0n;
  let madNum = 0n;
  const n = BigInt(total);
  for (let d = 1; d <= 9; d++) {
    if (total === 0) break;
    const o = BigInt(counts[d] ?? 0);
    // (O − N a/b)² / (N a/b) = (O b − N a)² / (N a b)
    const diff = o * LOG2_10 - n * A[d]!;
    chi += (diff * diff * 1000n) / (n * A[d]! * LOG2_10);
    madNum += (diff < 0n ? -diff : diff) * 1_000_000n / (n * LOG2_10);
  }
  return { counts: [...counts], total, chiSquareMilli: Number(chi), madPpm: Number(madNum / 9n) };
}
