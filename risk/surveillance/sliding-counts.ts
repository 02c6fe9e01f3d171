// SlidingCounts: a few integer counters of one account over a sliding time window, kept in `buckets`
// buckets of `bucketUs` each (the window is buckets × bucketUs). Adding at time t first retires buckets
// that fell out of the window, so sum() is the count over the last (buckets − 1) to buckets bucket
// widths: an episode shorter than (buckets − 1) × bucketUs is always seen whole, wherever it falls (a
// tumbling window would split one that straddles its boundary). Each bucket also keeps the first input
// seq and time that landed in it, so an alert can name where its evidence starts.
//
// Integers only; time comes from the records. No allocation after construction. Each metric's sum over
// the buckets is kept as a running total (added on add, taken off when a bucket is retired), so reading
// it is O(1): the indicators read it on every order message.

export class SlidingCounts {
  private readonly counts: Float64Array;
  private readonly totals: Float64Array;
  private readonly firstSeq: Float64Array;
  private readonly firstUs: Float64Array;
  /** Index (time / bucketUs) of the newest bucket written, −1 before the first add. */
  private headIndex = -1;
  /** Time of the newest add, µs. */
  lastUs = 0;

  constructor(
    readonly metrics: number,
    readonly buckets: number,
    readonly bucketUs: number,
  ) {
    this.counts = new Float64Array(metrics * buckets);
    this.totals = new Float64Array(metrics);
    this.firstSeq = new Float64Array(buckets);
    this.firstUs = new Float64Array(buckets);
  }

  /** Moves the window to end at timeUs (clearing buckets that left it). */
  advance(timeUs: number): void {
    const index = Math.floor(timeUs / this.bucketUs);
    if (index <= this.headIndex) return;
    const b = this.buckets;
    const stale = this.headIndex < 0 ? b : Math.min(b, index - this.headIndex);
    for (let k = 1; k <= stale; k++) {
      const slot = (((this.headIndex + k) % b) + b) % b;
      for (let m = 0; m < this.metrics; m++) {
        this.totals[m] -= this.counts[slot * this.metrics + m]!;
        this.counts[slot * this.metrics + m] = 0;
      }
      this.firstSeq[slot] = 0;
      this.firstUs[slot] = 0;
    }
    this.headIndex = index;
  }

  /** Adds n to metric at (timeUs, seq); time never goes back within one market stream. */
  add(metric: number, n: number, timeUs: number, seq: number): void {
    this.advance(timeUs);
    const slot = this.headIndex % this.buckets;
    this.counts[slot * this.metrics + metric] += n;
    this.totals[metric] += n;
    if (this.firstSeq[slot] === 0) {
      this.firstSeq[slot] = seq;
      this.firstUs[slot] = timeUs;
    }
    this.lastUs = timeUs;
  }

  /** The metric's count over the window as of the newest add. */
  sum(metric: number): number {
    return this.totals[metric]!;
  }

  /** Back to as constructed (for reuse by another account). */
  clear(): void {
    this.counts.fill(0);
    this.totals.fill(0);
    this.firstSeq.fill(0);
    this.firstUs.fill(0);
    this.headIndex = -1;
    this.lastUs = 0;
  }

  /** The earliest input seq and time still inside the window (0 when empty). */
  firstInWindow(): { seq: number; timeUs: number } {
    let seq = 0;
    let timeUs = 0;
    for (let slot = 0; slot < this.buckets; slot++) {
      const s = this.firstSeq[slot]!;
      if (s !== 0 && (seq === 0 || s < seq)) {
        seq = s;
        timeUs = this.firstUs[slot]!;
      }
    }
    return { seq, timeUs };
  }

  /** True when nothing was added within the window ending at timeUs (the owner may be dropped). */
  idleAt(timeUs: number): boolean {
    return this.headIndex < 0 || Math.floor(timeUs / this.bucketUs) - this.headIndex >= this.buckets;
  }

  /** Window length in µs. */
  get windowUs(): number {
    return this.buckets * this.bucketUs;
  }
}
