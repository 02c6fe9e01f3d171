// RecentTrades: the last `capacity` trades a detector noted for one account or episode, as typed-array
// columns (noting allocates nothing); list() builds EvidenceTrade objects only when an alert is raised.

import type { EvidenceTrade } from './alert.js';
import type { TradeView } from './market-watch.js';

const FIELDS = 10;

export class RecentTrades {
  private readonly cols: Float64Array;
  private next = 0;
  count = 0;
  /** Time of the newest trade noted (µs). */
  lastUs = 0;

  constructor(readonly capacity = 32) {
    this.cols = new Float64Array(capacity * FIELDS);
  }

  note(t: TradeView): void {
    const c = this.cols;
    const b = this.next * FIELDS;
    c[b] = t.tradeId;
    c[b + 1] = t.seq;
    c[b + 2] = t.timeUs;
    c[b + 3] = t.priceTicks;
    c[b + 4] = t.qtyLots;
    c[b + 5] = t.takerAccountId;
    c[b + 6] = t.makerAccountId;
    c[b + 7] = t.takerOrderId;
    c[b + 8] = t.makerOrderId;
    c[b + 9] = t.takerSide;
    this.lastUs = t.timeUs;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    if (this.count < this.capacity) this.count++;
  }

  clear(): void {
    this.next = 0;
    this.count = 0;
  }

  list(): EvidenceTrade[] {
    const out: EvidenceTrade[] = [];
    const c = this.cols;
    for (let k = 0; k < this.count; k++) {
      const b = ((this.next - this.count + k + this.capacity) % this.capacity) * FIELDS;
      out.push({
        tradeId: c[b]!,
        seq: c[b + 1]!,
        timeUs: c[b + 2]!,
        priceTicks: c[b + 3]!,
        qtyLots: c[b + 4]!,
        takerAccountId: c[b + 5]!,
        makerAccountId: c[b + 6]!,
        takerOrderId: c[b + 7]!,
        makerOrderId: c[b + 8]!,
        takerSide: c[b + 9]!,
      });
    }
    return out;
  }
}
