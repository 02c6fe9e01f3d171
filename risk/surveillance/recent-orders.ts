// RecentOrders: the last `capacity` orders of one account that a detector noted, as evidence for an alert
// it may raise later. A ring of typed-array columns: noting an order copies a dozen numbers and allocates
// nothing; list() builds the EvidenceOrder objects only when an alert is raised.

import type { EvidenceOrder } from './alert.js';
import type { WatchedOrder } from './watched-order.js';

const FIELDS = 12;

export class RecentOrders {
  private readonly cols: Float64Array;
  private next = 0;
  count = 0;

  constructor(readonly capacity = 16) {
    this.cols = new Float64Array(capacity * FIELDS);
  }

  note(o: WatchedOrder): void {
    const c = this.cols;
    const b = this.next * FIELDS;
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
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    if (this.count < this.capacity) this.count++;
  }

  clear(): void {
    this.next = 0;
    this.count = 0;
  }

  list(): EvidenceOrder[] {
    const out: EvidenceOrder[] = [];
    const c = this.cols;
    for (let k = 0; k < this.count; k++) {
      const b = ((this.next - this.count + k + this.capacity) % this.capacity) * FIELDS;
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
