// RowRings: the storage RecentOrders and RecentTradeRows share: for each row (an account, by the detector's
// row number) a ring of the last `capacity` entries of `fields` numbers, all rows' rings in one
// Float64Array, and each row's position (the next entry to write, the entries held) in a dense Int32Array
// of its own. Noting writes numbers and allocates nothing; the subclasses build evidence objects only
// when an alert is raised. The positions are apart from the rings so that noting an entry touches the
// ring only where the entry goes, and clearing a row (an account taken again after an idle window, every
// few seconds per account under a one-second window) touches no ring at all: with the position at the
// head of each row's ring (a row is 1.5-4 KB), each of those was a cache miss of its own.

/** Per row in `pos`: the next entry to write and the entries held. */
const NEXT = 0;
const COUNT = 1;

export class RowRings {
  protected cols: Float64Array;
  private pos: Int32Array;
  private readonly rowStride: number;
  private rows: number;

  constructor(
    private readonly fields: number,
    readonly capacity: number,
    rows: number,
  ) {
    this.rowStride = capacity * fields;
    this.rows = rows;
    this.cols = new Float64Array(rows * this.rowStride);
    this.pos = new Int32Array(2 * rows);
  }

  /** Makes room for rows 0 .. rows − 1 (new rows empty). */
  ensureRows(rows: number): void {
    if (rows <= this.rows) return;
    let cap = this.rows * 2;
    while (cap < rows) cap *= 2;
    const cols = new Float64Array(cap * this.rowStride);
    cols.set(this.cols);
    this.cols = cols;
    const pos = new Int32Array(2 * cap);
    pos.set(this.pos);
    this.pos = pos;
    this.rows = cap;
  }

  /** Where the row's next entry goes (its fields are then written there); the oldest is overwritten when full. */
  protected nextEntry(row: number): number {
    const p = this.pos;
    const next = p[2 * row + NEXT]!;
    p[2 * row + NEXT] = next + 1 === this.capacity ? 0 : next + 1;
    const count = p[2 * row + COUNT]!;
    if (count < this.capacity) p[2 * row + COUNT] = count + 1;
    return row * this.rowStride + next * this.fields;
  }

  /** Entries a row holds. */
  count(row: number): number {
    return this.pos[2 * row + COUNT]!;
  }

  clear(row: number): void {
    this.pos[2 * row + NEXT] = 0;
    this.pos[2 * row + COUNT] = 0;
  }

  /** Where the row's k-th entry, oldest first, starts (k < count(row)). */
  protected entry(row: number, k: number): number {
    const next = this.pos[2 * row + NEXT]!;
    const count = this.pos[2 * row + COUNT]!;
    return row * this.rowStride + ((next - count + k + this.capacity) % this.capacity) * this.fields;
  }
}
