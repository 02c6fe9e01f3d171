// The power-law exponent of the upper tail of trade sizes (Cong et al., "Crypto Wash Trading": genuine
// trade sizes have a Pareto upper tail whose exponent sits in the range documented for traditional
// markets; wash trading distorts it). Estimated with Hill's estimator over the k largest trades of the
// day, α = k / Σ_{i<k} ln(x_i / x_(k)), on the integer fixed-point logarithm (fixed-log.ts), so the same
// trades give the same α on every machine.
//
// Memory is bounded: a min-heap keeps only the `capacity` largest sizes seen; k is min(capacity, 5% of the
// day's trades, at least 10 for an estimate).

import { LN2_FIXED, LOG_BITS, log2Fixed } from './fixed-log.js';

export class TopSizes {
  private readonly heap: number[] = [];
  seen = 0;

  constructor(readonly capacity = 2_000) {}

  add(qtyLots: number): void {
    this.seen++;
    const h = this.heap;
    if (h.length < this.capacity) {
      h.push(qtyLots);
      let i = h.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (h[p]! <= h[i]!) break;
        [h[p], h[i]] = [h[i]!, h[p]!];
        i = p;
      }
      return;
    }
    if (qtyLots <= h[0]!) return;
    h[0] = qtyLots;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l]! < h[m]!) m = l;
      if (r < h.length && h[r]! < h[m]!) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i]!, h[m]!];
      i = m;
    }
  }

  /** Hill's α × 1000 over the k largest sizes (0 when there are too few trades), and k. */
  hill(): { alphaMilli: number; k: number } {
    const k = Math.min(this.heap.length, Math.floor(this.seen / 20));
    if (k < 10) return { alphaMilli: 0, k };
    const top = [...this.heap].sort((a, b) => b - a).slice(0, k + 1);
    const base = log2Fixed(BigInt(top[k] ?? top[k - 1]!));
    let s = 0n;
    for (let i = 0; i < k; i++) s += log2Fixed(BigInt(top[i]!)) - base;
    if (s === 0n) return { alphaMilli: 0, k };
    // α = k / (ln2 · s / 2^LOG_BITS) with ln2 = LN2_FIXED / 2^LOG_BITS.
    const alphaMilli = (BigInt(k) * 1000n << BigInt(2 * LOG_BITS)) / (LN2_FIXED * s);
    return { alphaMilli: Number(alphaMilli), k };
  }
}
