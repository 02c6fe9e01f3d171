// Binary logarithm in fixed point, by integer arithmetic only (bigint): the same bits on every machine and
// every run, which a Math.log of a double does not promise across platforms. The classic digit-by-digit
// method: the integer part is the bit length, each fraction bit comes from squaring the mantissa.

/** Fraction bits of every fixed-point logarithm here. */
export const LOG_BITS = 32;
const P = 62n;
const TWO = 2n << P;

/** log2(x) · 2^LOG_BITS, truncated, for an integer x ≥ 1. */
export function log2Fixed(x: bigint): bigint {
  if (x < 1n) throw new RangeError('log2Fixed needs x ≥ 1');
  const n = BigInt(x.toString(2).length - 1);
  // The mantissa x / 2^n in [1, 2) with P fraction bits (bits below P are dropped: sizes stay < 2^53).
  let y = n >= P ? x >> (n - P) : x << (P - n);
  let result = n << BigInt(LOG_BITS);
  for (let i = LOG_BITS - 1; i >= 0; i--) {
    y = (y * y) >> P;
    if (y >= TWO) {
      y >>= 1n;
      result |= 1n << BigInt(i);
    }
  }
  return result;
}

/** ln 2 · 2^LOG_BITS, rounded (0.6931471805599453 · 2^32 = 2977044471.82). */
export const LN2_FIXED = 2_977_044_472n;
