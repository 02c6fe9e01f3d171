// RecentOrders: the last `capacity` orders of an account that a detector noted, as evidence for an alert
// it may raise later. A ring of typed-array columns per row (one row per account, all rows in one array,
// row-rings.ts): noting an order copies a dozen numbers and allocates nothing; list() builds the
// EvidenceOrder objects only when an alert is raised.

import type { EvidenceOrder } from './alert.js';
import { RowRings } from './row-rings.js';
import type { WatchedOrder } from './watched-order.js';

export class RecentOrders extends RowRings {
  constructor(capacity = 16, rows = 1) {
    super(12, capacity, rows);
  }

  note(row: number, o: WatchedOrder): void {
    const b = this.nextEntry(row);
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
    const out: EvidenceOrder[] = [];
    const c = this.cols;
    const count = this.count(row);
    for (let k = 0; k < count; k++) {
      const b = this.entry(row, k);
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
