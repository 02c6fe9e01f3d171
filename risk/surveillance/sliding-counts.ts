// SlidingCounts: a few integer counters per account over a sliding time window, kept in `buckets`
// buckets of `bucketUs` each (the window is buckets × bucketUs). Adding at time t first retires buckets
// that fell out of the window, so sum() is the count over the last (buckets − 1) to buckets bucket
// widths: an episode shorter than (buckets − 1) × bucketUs is always seen whole, wherever it falls (a
// tumbling window would split one that straddles its boundary). Each bucket also keeps the first input
// seq and time that landed in it, so an alert can name where its evidence starts.
//
// One table holds the counters of many accounts, one row each (the caller maps accounts to rows:
// window-states.ts), in two Float64Arrays: the rows' headers (newest bucket index, which slots count,
// totals, and the newest bucket's own counts) side by side, and their bucket slots. Most adds touch only
// a header (the newest bucket is written to its slot when the next one opens), not an object per account
// and an array per field, which at a venue with thousands of accounts was most of what the window
// indicators cost (cache misses). The headers are apart from the slots because most reads want only a
// header: the totals on every order message, the idle test of every row at each sweep (window-states.ts),
// which slots still count when the window moves (a bit each: a slot that holds nothing counted is not
// read; with every header inside its slots, each of those was a cache line of its own).
//
// Integers only; time comes from the records. No allocation but when the table grows. Each metric's sum
// over the buckets is kept as a running total (added on add, taken off when a bucket is retired), so
// reading it is O(1): the indicators read it on every order message. Each slot remembers which bucket it
// holds, so an account back after a whole window of silence (the common case for a one-second window)
// costs O(metrics) in its header, not a sweep of every bucket.

/**
 * A row's header, the fields every add reads first: where the newest bucket ends (µs; 0 before the
 * first add), the totals, the newest bucket's counts; then what a bucket turning over reads: the newest
 * bucket's index (−1 before the first add), its slot, the slots whose counts are in the totals apart from
 * the newest bucket's (bit k: slot k; kept only up to MASK_BUCKETS buckets), the newest bucket's first seq
 * and time. The newest bucket lives in the header and is written to its slot only when a later bucket
 * opens while it still counts: most adds land in an account's newest bucket (a 30 s bucket and a message
 * every few seconds), or open one after a whole window of silence (a one-second window), and then touch
 * only the header, where writing the slot was a second cache line per add, most of them misses. An add
 * into the newest bucket reads and writes only the first 1 + 2 × metrics numbers.
 */
const HEAD_END_US = 0;
const TOTALS = 1;
/**
 * The cold fields, after the totals and the newest bucket's counts or in rows of their own (offsets from
 * where they start: SlidingCounts.coldAt).
 */
const HEAD = 0;
const HEAD_SLOT = 1;
const COUNTED = 2;
const NEWEST_SEQ = 3;
const NEWEST_US = 4;
const COLD_FIELDS = 5;
/** The most buckets whose counted slots fit a header's bit set (exact in int32 arithmetic). */
const MASK_BUCKETS = 30;
/** A slot record: the bucket index held (−1: none; stale unless inside the window), first seq and time, counts. */
const SLOT_HELD = 0;
const SLOT_SEQ = 1;
const SLOT_US = 2;
const SLOT_COUNTS = 3;

/**
 * The headers of several SlidingCounts tables kept side by side, one row per account: the window
 * indicators that count an account's order messages (order-to-trade, fast cancels, quote stuffing) each
 * read their header on the same message, and with a table each that was a cold cache line or two per
 * indicator; in one row they are neighbours. Each table reserves its part of a row when it is made. A
 * table whose buckets seldom turn over may keep its headers' cold fields in other rows (a second
 * HeadRows), so that the hot parts of all the tables in a row sit in fewer cache lines.
 */
export class HeadRows {
  heads = new Float64Array(0);
  stride = 0;
  capacity = 0;
  /** A cleared row (what each table's part of a new row starts as). */
  private blank: number[] = [];

  /** Reserves `fields` numbers per row, cleared as `blank`; returns where they start in a row. */
  reserve(blank: readonly number[]): number {
    const at = this.stride;
    const stride = at + blank.length;
    const heads = new Float64Array(this.capacity * stride);
    for (let r = 0; r < this.capacity; r++) {
      heads.set(this.heads.subarray(r * at, (r + 1) * at), r * stride);
      heads.set(blank, r * stride + at);
    }
    this.heads = heads;
    this.stride = stride;
    this.blank = [...this.blank, ...blank];
    return at;
  }

  /** Makes room for rows 0 .. rows − 1 (new rows blank). */
  ensureRows(rows: number): void {
    if (rows <= this.capacity) return;
    const old = this.capacity;
    let cap = Math.max(1, old * 2);
    while (cap < rows) cap *= 2;
    const heads = new Float64Array(cap * this.stride);
    heads.set(this.heads);
    for (let r = old; r < cap; r++) heads.set(this.blank, r * this.stride);
    this.heads = heads;
    this.capacity = cap;
  }
}

export class SlidingCounts {
  /** The rows' headers: a table of this one's own, or shared with other tables (HeadRows). */
  private readonly rows: HeadRows;
  /** Where this table's header starts in a row of `rows`. */
  private readonly at: number;
  /**
   * Where the header's cold fields (from HEAD on) are: right after the newest bucket's counts in `rows`,
   * or in rows of their own shared with other tables' cold fields (`colds`), so that the headers' hot
   * parts (what every add reads) of the tables sharing `rows` are neighbours in fewer cache lines.
   */
  private readonly coldRows: HeadRows;
  private readonly coldAt: number;
  private data: Float64Array;
  /** Doubles per slot record and per row's slots. */
  private readonly stride: number;
  private readonly rowStride: number;
  /** Where the newest bucket's counts start in a header. */
  private readonly counts: number;
  /** Whether COUNTED is kept (buckets ≤ MASK_BUCKETS); without it every slot leaving the window is read. */
  private readonly masked: boolean;
  /** Rows the slot table has room for. */
  private capacity: number;

  constructor(
    readonly metrics: number,
    readonly buckets: number,
    readonly bucketUs: number,
    rows = 1,
    /** Headers to keep beside other tables' (one row per account in each); a table of its own if absent. */
    shared?: HeadRows,
    /**
     * Where to keep the headers' cold fields instead of after the hot ones (beside other tables' cold
     * fields): for a table whose adds seldom open a bucket (a bucket many times an account's gap between
     * messages), so its hot part alone sits in `shared`.
     */
    colds?: HeadRows,
  ) {
    this.stride = SLOT_COUNTS + metrics;
    this.rowStride = buckets * this.stride;
    this.counts = TOTALS + metrics;
    /** The hot fields: where the newest bucket ends, the totals, the newest bucket's counts. */
    const hot = this.counts + metrics;
    this.masked = buckets <= MASK_BUCKETS;
    const coldBlank = new Array<number>(COLD_FIELDS).fill(0);
    coldBlank[HEAD] = -1;
    const hotBlank = new Array<number>(hot).fill(0);
    this.rows = shared ?? new HeadRows();
    if (colds !== undefined && colds !== this.rows) {
      this.at = this.rows.reserve(hotBlank);
      this.coldRows = colds;
      this.coldAt = colds.reserve(coldBlank);
      colds.ensureRows(rows);
    } else {
      this.at = this.rows.reserve([...hotBlank, ...coldBlank]);
      this.coldRows = this.rows;
      this.coldAt = this.at + hot;
    }
    this.rows.ensureRows(rows);
    this.capacity = rows;
    this.data = new Float64Array(rows * this.rowStride);
    for (let r = 0; r < rows; r++) this.clearSlots(r);
  }

  /** Makes room for rows 0 .. rows − 1 (new rows are as cleared). */
  ensureRows(rows: number): void {
    if (rows <= this.capacity) return;
    this.rows.ensureRows(rows);
    this.coldRows.ensureRows(rows);
    const old = this.capacity;
    let cap = old * 2;
    while (cap < rows) cap *= 2;
    const data = new Float64Array(cap * this.rowStride);
    data.set(this.data);
    this.data = data;
    this.capacity = cap;
    for (let r = old; r < cap; r++) this.clearSlots(r);
  }

  private slotBase(row: number, slot: number): number {
    return row * this.rowStride + slot * this.stride;
  }

  /** Where a row's header starts in rows.heads. */
  private headOf(row: number): number {
    return row * this.rows.stride + this.at;
  }

  /** Where a row's cold header fields start in coldRows.heads. */
  private coldOf(row: number): number {
    return row * this.coldRows.stride + this.coldAt;
  }

  /**
   * Moves a row's window to end at timeUs (taking buckets that left it off the totals) and returns where
   * the newest bucket's counts start in the header; a bucket opened here starts at (seq, timeUs), empty.
   */
  private advance(h: Float64Array, r: number, row: number, timeUs: number, seq: number): number {
    const counts = r + this.counts;
    if (timeUs < h[r + HEAD_END_US]!) return counts;
    const ch = this.coldRows.heads;
    const c = this.coldOf(row);
    const index = Math.floor(timeUs / this.bucketUs);
    const head = ch[c + HEAD]!;
    if (index <= head) return counts;
    const b = this.buckets;
    const m = this.metrics;
    const totals = r + TOTALS;
    if (head < 0 || index - head >= b) {
      // The whole window left: nothing in it counts any more.
      for (let k = 0; k < m; k++) h[totals + k] = 0;
      ch[c + COUNTED] = 0;
      // index mod b without a floating-point remainder (exact: index and b are integers below 2^53).
      ch[c + HEAD_SLOT] = index - Math.floor(index / b) * b;
    } else {
      // The newest bucket still counts: to its slot, with the others.
      const d = this.data;
      let slot = ch[c + HEAD_SLOT]!;
      let base = this.slotBase(row, slot);
      d[base + SLOT_HELD] = head;
      d[base + SLOT_SEQ] = ch[c + NEWEST_SEQ]!;
      d[base + SLOT_US] = ch[c + NEWEST_US]!;
      for (let k = 0; k < m; k++) d[base + SLOT_COUNTS + k] = h[counts + k]!;
      let counted = ch[c + COUNTED]! | (this.masked ? 1 << slot : 0);
      // Buckets head − b + 1 .. index − b leave the window (those written are taken off); bucket g's slot
      // is g mod b, counted on from the head's (head − b + 1 is congruent to head + 1). The last of them
      // is congruent to index, so the loop ends on the new head's slot.
      for (let gone = head - b + 1; gone <= index - b; gone++) {
        slot = slot + 1 === b ? 0 : slot + 1;
        if (gone < 0) continue;
        if (this.masked && (counted & (1 << slot)) === 0) continue;
        base = this.slotBase(row, slot);
        if (d[base + SLOT_HELD] !== gone) continue;
        for (let k = 0; k < m; k++) h[totals + k] -= d[base + SLOT_COUNTS + k]!;
        d[base + SLOT_HELD] = -1;
        counted &= ~(1 << slot);
      }
      ch[c + COUNTED] = counted;
      ch[c + HEAD_SLOT] = index - Math.floor(index / b) * b;
    }
    ch[c + HEAD] = index;
    h[r + HEAD_END_US] = (index + 1) * this.bucketUs;
    ch[c + NEWEST_SEQ] = seq;
    ch[c + NEWEST_US] = timeUs;
    for (let k = 0; k < m; k++) h[counts + k] = 0;
    return counts;
  }

  /** Adds n to a row's metric at (timeUs, seq); time never goes back within one market stream. */
  add(row: number, metric: number, n: number, timeUs: number, seq: number): void {
    const h = this.rows.heads;
    const r = this.headOf(row);
    const counts = this.advance(h, r, row, timeUs, seq);
    h[counts + metric] += n;
    h[r + TOTALS + metric] += n;
  }

  /**
   * Adds 1 to two metrics at once (an order message that is also an acceptance or a cancel): the same as
   * two add() calls, with one move of the window.
   */
  addBoth(row: number, metric: number, other: number, timeUs: number, seq: number): void {
    const h = this.rows.heads;
    const r = this.headOf(row);
    const counts = this.advance(h, r, row, timeUs, seq);
    const totals = r + TOTALS;
    h[counts + metric] += 1;
    h[totals + metric] += 1;
    h[counts + other] += 1;
    h[totals + other] += 1;
  }

  /** A row's count of the metric over the window as of its newest add. */
  sum(row: number, metric: number): number {
    return this.rows.heads[this.headOf(row) + TOTALS + metric]!;
  }

  /** A row back to as constructed (for reuse by another account). */
  clear(row: number): void {
    this.clearSlots(row);
    this.clearIdle(row);
  }

  private clearSlots(row: number): void {
    for (let slot = 0; slot < this.buckets; slot++) this.data[this.slotBase(row, slot) + SLOT_HELD] = -1;
  }

  /**
   * clear() for a row that is idle (idleAt) at the time of its next add, in O(1): what AccountStates
   * reuses is only ever such a row (swept as idle, and a market's time never goes back). The slots keep
   * the bucket indices they held, all at least a whole window before any bucket the next add can open, so
   * none of them is ever read as live again. Accounts at a busy venue fall idle and return all the time
   * under a one-second window, and the fills of clear() were a noticeable part of every returning
   * account's first message.
   */
  clearIdle(row: number): void {
    const h = this.rows.heads;
    const r = this.headOf(row);
    for (let k = 0; k < this.metrics; k++) h[r + TOTALS + k] = 0;
    h[r + HEAD_END_US] = 0;
    const ch = this.coldRows.heads;
    const c = this.coldOf(row);
    ch[c + HEAD] = -1;
    ch[c + COUNTED] = 0;
  }

  /** The earliest input seq and time still inside a row's window (0 when empty). */
  firstInWindow(row: number): { seq: number; timeUs: number } {
    const d = this.data;
    const h = this.coldRows.heads;
    const c = this.coldOf(row);
    let seq = 0;
    let timeUs = 0;
    const head = h[c + HEAD]!;
    if (head < 0) return { seq, timeUs };
    const headSlot = h[c + HEAD_SLOT]!;
    const oldest = head - this.buckets + 1;
    for (let slot = 0; slot < this.buckets; slot++) {
      let s: number;
      let us: number;
      if (slot === headSlot) {
        // The newest bucket, in the header (its slot holds a bucket that has left the window, or none).
        s = h[c + NEWEST_SEQ]!;
        us = h[c + NEWEST_US]!;
      } else {
        const base = this.slotBase(row, slot);
        const held = d[base + SLOT_HELD]!;
        if (held < 0 || held < oldest) continue;
        s = d[base + SLOT_SEQ]!;
        us = d[base + SLOT_US]!;
      }
      if (seq === 0 || s < seq) {
        seq = s;
        timeUs = us;
      }
    }
    return { seq, timeUs };
  }

  /** True when nothing was added to the row within the window ending at timeUs (its account may be dropped). */
  idleAt(row: number, timeUs: number): boolean {
    const head = this.coldRows.heads[this.coldOf(row) + HEAD]!;
    return head < 0 || Math.floor(timeUs / this.bucketUs) - head >= this.buckets;
  }

  /** Window length in µs. */
  get windowUs(): number {
    return this.buckets * this.bucketUs;
  }
}
