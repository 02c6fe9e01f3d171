// RecentOrders: the last `capacity` orders of an account that a detector noted, as evidence for an alert
// it may raise later. A ring of typed-array columns per row (one row per account, all rows in one array,
// as in sliding-counts.ts): noting an order copies a dozen numbers and allocates nothing; list() builds
// the EvidenceOrder objects only when an alert is raised.

import type { EvidenceOrder } from './alert.js';
import type { WatchedOrder } from './watched-order.js';

const FIELDS = 12;
/** A row: the next entry to write and the entries held, then the ring. */
const NEXT = 0;
const COUNT = 1;
const RING = 2;

export class RecentOrders {
  private cols: Float64Array;
  private readonly rowStride: number;
  private rows: number;

  constructor(
    readonly capacity = 16,
    rows = 1,
  ) {
    this.rowStride = RING + capacity * FIELDS;
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

  note(row: number, o: WatchedOrder): void {
    const c = this.cols;
    const r = row * this.rowStride;
    const next = c[r + NEXT]!;
    const b = r + RING + next * FIELDS;
    c[b] = o.orderId;
    c[b + 1] = o.accountId;
    c[b + 2] = o.side;
    c[b + 3] = o.priceTicks;
    c[b + 4] = o.qtyLots;
    c[b + 5] = o.filledLots;
    c[b + 6] = o.acceptedUs;
    c[b + 7] = o.acceptedSeq;
    c[b + 8] = o.endedUs;
    c[b + 9] = o.endedSeq;
    c[b + 10] = o.endReason;
    c[b + 11] = o.touchTicks;
    c[r + NEXT] = next + 1 === this.capacity ? 0 : next + 1;
    const count = c[r + COUNT]!;
    if (count < this.capacity) c[r + COUNT] = count + 1;
  }

  /** Orders a row holds. */
  count(row: number): number {
    return this.cols[row * this.rowStride + COUNT]!;
  }

  clear(row: number): void {
    this.cols[row * this.rowStride + NEXT] = 0;
    this.cols[row * this.rowStride + COUNT] = 0;
  }

  list(row: number): EvidenceOrder[] {
    const out: EvidenceOrder[] = [];
    const c = this.cols;
    const r = row * this.rowStride;
    const next = c[r + NEXT]!;
    const count = c[r + COUNT]!;
    for (let k = 0; k < count; k++) {
      const b = r + RING + ((next - count + k + this.capacity) % this.capacity) * FIELDS;
      out.push({
        orderId: c[b]!,
        accountId: c[b + 1]!,
        side: c[b + 2]!,
        priceTicks: c[b + 3]!,
        qtyLots: c[b + 4]!,
        filledLots: c[b + 5]!,
        acceptedUs: c[b + 6]!,
        acceptedSeq: c[b + 7]!,
        endedUs: c[b + 8]!,
        endedSeq: c[b + 9]!,
        endReason: c[b + 10]!,
        touchTicks: c[b + 11]!,
      });
    }
    return out;
  }
}
