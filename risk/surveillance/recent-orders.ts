// RecentOrders: the last `capacity` orders of an account that a detector noted, as evidence for an alert
// it may raise later. A ring of typed-array columns per row (one row per account, all rows in one array,
// row-rings.ts): noting an order copies a dozen numbers and allocates nothing; list() builds the
// EvidenceOrder objects only when an alert is raised.

import type { EvidenceOrder } from './alert.js';
import { grown } from '../grown.js';
import { RowRings } from './row-rings.js';
import type { WatchedOrder } from './watched-order.js';

export class RecentOrders extends RowRings {
  constructor(capacity = 16, rows = 1) {
    super(12, capacity, rows);
  }

  note(row: number, o: WatchedOrder): void {
    this.write(this.nextEntry(row), o);
  }

  private write(b: number, o: WatchedOrder): void {
    const c = this.cols;
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
  }

  list(row: number): EvidenceOrder[] {
    return this.listLast(row, this.count(row), 0);
  }

  /** note() as the row's n-th entry (its owner counts them; RowRings.entryAt). */
  noteAt(row: number, n: number, o: WatchedOrder): void {
    this.write(this.entryAt(row, n), o);
  }

  /** list() of a row whose owner counted `total` entries (noteAt). */
  listCounted(row: number, total: number): EvidenceOrder[] {
    const out: EvidenceOrder[] = [];
    const count = total < this.capacity ? total : this.capacity;
    for (let n = total - count; n < total; n++) out.push(this.read(this.entryAt(row, n)));
    return out;
  }

  /** The `count` entries before the `skip` newest, oldest first (count + skip ≤ count(row)). */
  listLast(row: number, count: number, skip: number): EvidenceOrder[] {
    const out: EvidenceOrder[] = [];
    for (let k = 0; k < count; k++) out.push(this.read(this.entryBack(row, skip + count - 1 - k)));
    return out;
  }

  private read(b: number): EvidenceOrder {
    const c = this.cols;
    return {
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
    };
  }
}

/**
 * Orders noted once for several detectors that each list an account's recent ones: order-to-trade and
 * quote stuffing both note every order an account cancels on request, each as its last 16 since it took
 * the account's row (RecentOrderView). One ring per account instead of one per detector: a cancel
 * writes one entry, where two rings were two cold rows (their positions and the entry's lines).
 */
export class SharedRecentOrders {
  readonly ring: RecentOrders;
  /** Per row: notes ever written to it (never reset; a view counts from where it took the row). */
  notes = new Float64Array(64);
  /** The newest note: its row and order (id and end seq), so an order several views note is written once. */
  lastRow = -1;
  lastOrderId = -1;
  lastSeq = -1;

  /** capacity: the views' (one more is kept, so a view that has yet to note the newest still sees as many). */
  constructor(readonly capacity = 16) {
    this.ring = new RecentOrders(capacity + 1, 64);
  }

  ensureRows(rows: number): void {
    this.ring.ensureRows(rows);
    if (rows > this.notes.length) this.notes = grown(this.notes, rows - 1);
  }
}

/**
 * One detector's recent orders per row in a SharedRecentOrders, as RecentOrders of its own would give
 * them: the last `capacity` it noted since it cleared the row. Every view of a shared ring must note the
 * same orders (the same condition on the same hook), in whatever order the detectors run: the first to
 * note an order writes it; a view that lists before it notes the newest, which another view wrote in
 * this record, does not see it yet; one that cleared the row after another view wrote it sees it once it
 * notes it.
 */
export class RecentOrderView {
  /** Per row: the shared ring's note count when this view cleared it. */
  private since = new Float64Array(64);
  /** The order this view noted last (id and end seq). */
  private notedId = -1;
  private notedSeq = -1;

  constructor(private readonly shared: SharedRecentOrders) {}

  ensureRows(rows: number): void {
    this.shared.ensureRows(rows);
    if (rows > this.since.length) this.since = grown(this.since, rows - 1);
  }

  clear(row: number): void {
    this.since[row] = this.shared.notes[row]!;
  }

  note(row: number, o: WatchedOrder): void {
    const s = this.shared;
    if (s.lastRow === row && s.lastOrderId === o.orderId && s.lastSeq === o.endedSeq) {
      // Another view wrote it in this record; a clear since then would leave it out.
      if (this.since[row] === s.notes[row]) this.since[row]!--;
    } else {
      s.ring.note(row, o);
      s.notes[row]!++;
      s.lastRow = row;
      s.lastOrderId = o.orderId;
      s.lastSeq = o.endedSeq;
    }
    this.notedId = o.orderId;
    this.notedSeq = o.endedSeq;
  }

  /** Orders listed for the row. */
  count(row: number): number {
    const noted = this.shared.notes[row]! - this.since[row]! - this.pending(row);
    return noted < this.shared.capacity ? noted : this.shared.capacity;
  }

  list(row: number): EvidenceOrder[] {
    return this.shared.ring.listLast(row, this.count(row), this.pending(row));
  }

  /** 1 when the row's newest entry is one another view wrote and this one has yet to note (and it is after the clear). */
  private pending(row: number): number {
    const s = this.shared;
    if (s.lastRow !== row || (s.lastOrderId === this.notedId && s.lastSeq === this.notedSeq)) return 0;
    return s.notes[row]! > this.since[row]! ? 1 : 0;
  }
}
