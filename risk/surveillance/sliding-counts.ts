// SlidingCounts: a few integer counters of one account over a sliding time window, kept in `buckets`
// buckets of `bucketUs` each (the window is buckets × bucketUs). Adding at time t first retires buckets
// that fell out of the window, so sum() is the count over the last (buckets − 1) to buckets bucket
// widths: an episode shorter than (buckets − 1) × bucketUs is always seen whole, wherever it falls (a
// tumbling window would split one that straddles its boundary). Each bucket also keeps the first input
// seq and time that landed in it, so an alert can name where its evidence starts.
//
// Integers only; time comes from the records. No allocation after construction. Each metric's sum over
// the buckets is kept as a running total (added on add, taken off when a bucket is retired), so reading
// it is O(1): the indicators read it on every order message. Each slot remembers which bucket it holds
// and is zeroed only when written for a new one, so an account back after a whole window of silence
// (the common case for a one-second window) costs O(metrics), not a sweep of every bucket.

/** A slot record: the bucket index held, the first seq and time in it, then its counts. */
const SLOT_HELD = 0;
const SLOT_SEQ = 1;
const SLOT_US = 2;
const SLOT_COUNTS = 3;

export class SlidingCounts {
  /**
   * Everything in one array, so an add touches one or two cache lines of one allocation: the running
   * totals (metrics), then one record per slot: the bucket index it holds (−1: none; its counts are stale
   * unless it is inside the window), the first seq and time that landed in it, and its counts (metrics).
   */
  private readonly data: Float64Array;
  /** Doubles per slot record. */
  private readonly stride: number;
  /** Index (time / bucketUs) of the newest bucket, −1 before the first add. */
  private headIndex = -1;
  /** Where the newest bucket ends (µs): a time before it is in that bucket, with no division. */
  private headEndUs = 0;
  /** Offset of the newest bucket's slot record (valid once headIndex ≥ 0). */
  private headBase = 0;
  /** Time of the newest add, µs. */
  lastUs = 0;

  constructor(
    readonly metrics: number,
    readonly buckets: number,
    readonly bucketUs: number,
  ) {
    this.stride = SLOT_COUNTS + metrics;
    this.data = new Float64Array(metrics + buckets * this.stride);
    for (let slot = 0; slot < buckets; slot++) this.data[this.slotBase(slot) + SLOT_HELD] = -1;
  }

  private slotBase(slot: number): number {
    return this.metrics + slot * this.stride;
  }

  /** Moves the window to end at timeUs (taking buckets that left it off the totals). */
  advance(timeUs: number): void {
    if (timeUs < this.headEndUs) return;
    const index = Math.floor(timeUs / this.bucketUs);
    const head = this.headIndex;
    if (index <= head) return;
    const b = this.buckets;
    const m = this.metrics;
    const d = this.data;
    if (head < 0 || index - head >= b) {
      // The whole window left: nothing in it counts any more.
      for (let k = 0; k < m; k++) d[k] = 0;
    } else {
      // Buckets head − b + 1 .. index − b leave the window (those written are taken off).
      for (let gone = head - b + 1; gone <= index - b; gone++) {
        if (gone < 0) continue;
        const base = this.slotBase(gone % b);
        if (d[base + SLOT_HELD] !== gone) continue;
        for (let k = 0; k < m; k++) d[k] -= d[base + SLOT_COUNTS + k]!;
        d[base + SLOT_HELD] = -1;
      }
    }
    this.headIndex = index;
    this.headEndUs = (index + 1) * this.bucketUs;
    this.headBase = this.slotBase(index % b);
  }

  /** Adds n to metric at (timeUs, seq); time never goes back within one market stream. */
  add(metric: number, n: number, timeUs: number, seq: number): void {
    const base = this.headSlot(timeUs, seq);
    const d = this.data;
    d[base + metric] += n;
    d[metric] += n;
  }

  /**
   * Adds 1 to two metrics at once (an order message that is also an acceptance or a cancel): the same as
   * two add() calls, with one move of the window.
   */
  addBoth(metric: number, other: number, timeUs: number, seq: number): void {
    const base = this.headSlot(timeUs, seq);
    const d = this.data;
    d[base + metric] += 1;
    d[metric] += 1;
    d[base + other] += 1;
    d[other] += 1;
  }

  /** Moves the window to timeUs and returns where the newest bucket's counts start (zeroed if new). */
  private headSlot(timeUs: number, seq: number): number {
    this.advance(timeUs);
    const base = this.headBase;
    const d = this.data;
    if (d[base + SLOT_HELD] !== this.headIndex) {
      for (let k = 0; k < this.metrics; k++) d[base + SLOT_COUNTS + k] = 0;
      d[base + SLOT_HELD] = this.headIndex;
      d[base + SLOT_SEQ] = seq;
      d[base + SLOT_US] = timeUs;
    }
    this.lastUs = timeUs;
    return base + SLOT_COUNTS;
  }

  /** The metric's count over the window as of the newest add. */
  sum(metric: number): number {
    return this.data[metric]!;
  }

  /** Back to as constructed (for reuse by another account). */
  clear(): void {
    for (let slot = 0; slot < this.buckets; slot++) this.data[this.slotBase(slot) + SLOT_HELD] = -1;
    this.clearIdle();
  }

  /**
   * clear() for a state that is idle (idleAt) at the time of its next add, in O(1): what AccountStates
   * reuses is only ever such a state (swept as idle, and a market's time never goes back). The slots keep
   * the bucket indices they held, all at least a whole window before any bucket the next add can open, so
   * none of them is ever read as live again. Accounts at a busy venue fall idle and return all the time
   * under a one-second window, and the fills of clear() were a noticeable part of every returning
   * account's first message.
   */
  clearIdle(): void {
    for (let k = 0; k < this.metrics; k++) this.data[k] = 0;
    this.headIndex = -1;
    this.headEndUs = 0;
    this.lastUs = 0;
  }

  /** The earliest input seq and time still inside the window (0 when empty). */
  firstInWindow(): { seq: number; timeUs: number } {
    let seq = 0;
    let timeUs = 0;
    const oldest = this.headIndex - this.buckets + 1;
    for (let slot = 0; slot < this.buckets; slot++) {
      const base = this.slotBase(slot);
      const h = this.data[base + SLOT_HELD]!;
      if (h < 0 || h < oldest) continue;
      const s = this.data[base + SLOT_SEQ]!;
      if (seq === 0 || s < seq) {
        seq = s;
        timeUs = this.data[base + SLOT_US]!;
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
