// RowRings: the storage RecentOrders and RecentTradeRows share: for each row (an account, by the detector's
// row number) a ring of the last `capacity` entries of `fields` numbers, all rows in one Float64Array
// (a row: the next entry to write and the entries held, then the ring). Noting writes numbers and
// allocates nothing; the subclasses build evidence objects only when an alert is raised.

/** A row: the next entry to write and the entries held, then the ring. */
const NEXT = 0;
const COUNT = 1;
const RING = 2;

export class RowRings {
  protected cols: Float64Array;
  private readonly rowStride: number;
  private rows: number;

  constructor(
    private readonly fields: number,
    readonly capacity: number,
    rows: number,
  ) {
    this.rowStride = RING + capacity * fields;
    this.rows = rows;
    this.cols = new Float64Array(rows * this.rowStride);
  }

  /** Makes room for rows 0 .. rows − 1 (new rows empty). */
  ensureRows(rows: number): void {
    if (rows <= this.rows) return;
    let cap = this.rows * 2;
    while (cap < rows) cap *= 2;
    const cols = new Float64Array(cap * this.rowStride);
    cols.set(this.cols);
    this.cols = cols;
    this.rows = cap;
  }

  /** Where the row's next entry goes (its fields are then written there); the oldest is overwritten when full. */
  protected nextEntry(row: number): number {
    const c = this.cols;
    const r = row * this.rowStride;
    const next = c[r + NEXT]!;
    c[r + NEXT] = next + 1 === this.capacity ? 0 : next + 1;
    const count = c[r + COUNT]!;
    if (count < this.capacity) c[r + COUNT] = count + 1;
    return r + RING + next * this.fields;
  }

  /** Entries a row holds. */
  count(row: number): number {
    return this.cols[row * this.rowStride + COUNT]!;
  }

  clear(row: number): void {
    this.cols[row * this.rowStride + NEXT] = 0;
    this.cols[row * this.rowStride + COUNT] = 0;
  }

  /**
   * Where a row's n-th entry (counting from 0 since the row was last begun) goes, for an owner that counts
   * its row's entries itself (momentum ignition's bursts): the row's own position is then neither read
   * nor written, one cold line less per note.
   */
  protected entryAt(row: number, n: number): number {
    return row * this.rowStride + RING + (n % this.capacity) * this.fields;
  }

  /** Where the entry `back` places before the row's newest starts (0: the newest; back < count(row)). */
  protected entryBack(row: number, back: number): number {
    const r = row * this.rowStride;
    const next = this.cols[r + NEXT]!;
    return r + RING + ((next - 1 - back + 2 * this.capacity) % this.capacity) * this.fields;
  }

  /** Where the row's k-th entry, oldest first, starts (k < count(row)). */
  protected entry(row: number, k: number): number {
    const r = row * this.rowStride;
    const next = this.cols[r + NEXT]!;
    const count = this.cols[r + COUNT]!;
    return r + RING + ((next - count + k + this.capacity) % this.capacity) * this.fields;
  }
}
