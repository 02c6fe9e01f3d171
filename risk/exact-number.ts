// Exact integer arithmetic on doubles, for the number fast paths beside the bigint formulas of risk/*.ts.
//
// Every figure of the risk layer is an integer. A double holds every integer of magnitude ≤ 2^53 exactly,
// and IEEE-754 arithmetic is correctly rounded: when the exact result of +, −, × or ÷ of two doubles is
// itself representable, that exact result is what comes out. So a chain of integer operations is exact as
// long as every intermediate result is an integer of magnitude ≤ 2^53. The fast paths keep that true with
// guards on their inputs; a guard that fails returns NaN and the caller takes the bigint path instead.
// A NaN input fails every guard here (each guard is written so that NaN compares false into the fallback).
//
// mulDivFloor(a, b, c) = floor(a·b/c) with its remainder, for integers 0 ≤ a, b < 2^52 and 1 ≤ c < 2^51
// whose quotient is below 2^50, although a·b itself may reach 2^104. Proof (u = 2^-53, the unit roundoff):
//   1. Estimate: s = fl(fl(a·b)/c) lies in Q·[(1 − u)^2, (1 + u)^2], Q = a·b/c ≥ 0. The estimate
//      q̂ = floor(s) is refused unless q̂ < 2^50; then Q < 2^50 + 1, |s − Q| < Q·2.01u < 0.51 and
//      |q̂ − Q| < 1.51, so the exact remainder r = a·b − q̂·c = (Q − q̂)·c has |r| < 1.51·c < 2^53.
//   2. Exact remainder with 26-bit limbs: x = x1·2^26 + x0, x1 = floor(x/2^26) (a division by a power of
//      two, exact, then floor), x1, x0 < 2^26 for x < 2^52 (q1 < 2^24, c1 < 2^25). Then
//        r = (a1b1 − q1c1)·2^52 + (a1b0 + a0b1 − q1c0 − q0c1)·2^26 + (a0b0 − q0c0) = (t2·2^26 + t1)·2^26 + t0
//      Each limb product is < 2^52 and each sum of two of them < 2^53, so t2, t1, t0 are exact. The exact
//      value of t2·2^26 + t1 is (r − t0)/2^26, an integer of magnitude < 2^28 (|r| < 2^53, |t0| < 2^52):
//      representable, so the rounded sum is that value; the same holds for r = (…)·2^26 + t0.
//   3. Correction: r is brought into [0, c) by at most two steps of ±c, each exact.
//   Small products (a·b < 2^52, the common case) skip the limbs: the product is exact, |q̂ − a·b/c| < 1.5,
//   so q̂·c < 2^52 + 1.5·2^51 < 2^53 and r = a·b − q̂·c are exact.
//   A result that is not NaN is the exact floor, below 2^50 + 2.
//
// Pure and allocation-free; results other than the quotient come back through remainder().
// Thread contract: any thread (module state is the last remainder only, read right after the call).

const TWO_26 = 67_108_864;
const TWO_50 = 2 ** 50;
export const TWO_51 = 2 ** 51;
export const TWO_52 = 2 ** 52;
export const TWO_53 = 2 ** 53;

let lastRemainder = 0;

/** The remainder of the last mulDivFloor / floorDivExact that did not return NaN: in [0, c). */
export function remainder(): number {
  return lastRemainder;
}

/**
 * floor(a·b/c) exactly, for integers 0 ≤ a, b < 2^52 and 1 ≤ c < 2^51 whose quotient is below 2^50;
 * NaN when an argument or the quotient is outside that range (take the bigint path). Sets remainder().
 */
export function mulDivFloor(a: number, b: number, c: number): number {
  if (!(a >= 0 && a < TWO_52 && b >= 0 && b < TWO_52 && c >= 1 && c < TWO_51)) return NaN;
  const p = a * b;
  let q: number;
  let r: number;
  if (p < TWO_52) {
    q = Math.floor(p / c);
    if (!(q < TWO_50)) return NaN;
    r = p - q * c;
  } else {
    q = Math.floor(p / c);
    if (!(q < TWO_50)) return NaN;
    const a1 = Math.floor(a / TWO_26);
    const a0 = a - a1 * TWO_26;
    const b1 = Math.floor(b / TWO_26);
    const b0 = b - b1 * TWO_26;
    const q1 = Math.floor(q / TWO_26);
    const q0 = q - q1 * TWO_26;
    const c1 = Math.floor(c / TWO_26);
    const c0 = c - c1 * TWO_26;
    const t2 = a1 * b1 - q1 * c1;
    const t1 = a1 * b0 + a0 * b1 - (q1 * c0 + q0 * c1);
    const t0 = a0 * b0 - q0 * c0;
    r = (t2 * TWO_26 + t1) * TWO_26 + t0;
  }
  while (r < 0) {
    q--;
    r += c;
  }
  while (r >= c) {
    q++;
    r -= c;
  }
  lastRemainder = r;
  return q;
}

/** ceil(a·b/c) under mulDivFloor's conditions; NaN outside them. */
export function mulDivCeil(a: number, b: number, c: number): number {
  const q = mulDivFloor(a, b, c);
  return lastRemainder > 0 ? q + 1 : q;
}

/**
 * floor(x/d) exactly for integers |x| < 2^52 and 1 ≤ d < 2^52 (any sign of x); NaN outside. The float
 * quotient is off by at most one; q·d then lies within d of x, below 2^53, so the remainder is exact.
 */
export function floorDivExact(x: number, d: number): number {
  if (!(x > -TWO_52 && x < TWO_52 && d >= 1 && d < TWO_52)) return NaN;
  let q = Math.floor(x / d);
  let r = x - q * d;
  if (r < 0) {
    q--;
    r += d;
  } else if (r >= d) {
    q++;
    r -= d;
  }
  lastRemainder = r;
  return q;
}

/** ceil(x/d) under floorDivExact's conditions. */
export function ceilDivExact(x: number, d: number): number {
  const q = floorDivExact(x, d);
  return lastRemainder > 0 ? q + 1 : q;
}
