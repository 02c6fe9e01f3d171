// Number storage for the risk shard's integer state. Each bigint field of the state keeps its value in a
// number slot, exact while the value lies within ±(2^53 − 1), and in a bigint slot beside it otherwise;
// the number slot then holds NaN, which fails every guard of the fast paths and sends them to bigint.
// The fields keep their bigint getters and setters for every reader that is not a fast path: each pair is
// the same two lines over its own two slots, written with the three helpers below.
//
//   get xAtoms(): bigint { return slotValue(this.xN, this.xBig); }
//   set xAtoms(v: bigint) { this.xN = numberSlot(v); this.xBig = bigSlot(v); }
//
// Thread contract: the risk-shard thread.

const MAX_EXACT = Number.MAX_SAFE_INTEGER;
const MAX_EXACT_BIG = BigInt(MAX_EXACT);

/** True when v fits a number slot. */
export function fitsNumber(v: bigint): boolean {
  return v >= -MAX_EXACT_BIG && v <= MAX_EXACT_BIG;
}

/** The value a field's number slot and bigint slot hold together. */
export function slotValue(n: number, big: bigint): bigint {
  return n === n ? BigInt(n) : big;
}

/** What the number slot holds for v: v itself when it fits, else NaN (the value is in the bigint slot). */
export function numberSlot(v: bigint): number {
  return fitsNumber(v) ? Number(v) : NaN;
}

/** What the bigint slot holds for v: v when it does not fit a number slot, else 0n (nothing kept alive). */
export function bigSlot(v: bigint): bigint {
  return fitsNumber(v) ? 0n : v;
}

/**
 * a + b for exact integers (NaN propagates), or NaN when the exact sum passes ±(2^53 − 1): such a sum
 * rounds to at least 2^53 in magnitude, so the range test sees it.
 */
export function addExact(a: number, b: number): number {
  const s = a + b;
  return s <= MAX_EXACT && s >= -MAX_EXACT ? s : NaN;
}
