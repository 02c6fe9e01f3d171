// LevelSide: one side of a market's L2 book as the surveillance worker rebuilds it from BookLevelChanged
// records: price levels with their total quantity, kept as parallel typed arrays sorted so that the best
// level is LAST (keys ascend: a bid's key is its price, an ask's key its negated price), as the matching
// book's own SortedLevels does. Best is O(1); levels change mostly near the top, so the shift is short.

export class LevelSide {
  private keys = new Float64Array(64);
  private qty = new Float64Array(64);
  private count = new Float64Array(64);
  len = 0;

  constructor(readonly isBid: boolean) {}

  /** Best price in ticks, 0 when the side is empty. */
  best(): number {
    if (this.len === 0) return 0;
    const k = this.keys[this.len - 1]!;
    return this.isBid ? k : -k;
  }

  /** Sets the level's total and order count (0 removes it): what BookLevelChanged says. */
  set(priceTicks: number, qtyLots: number, orderCount: number): void {
    const key = this.isBid ? priceTicks : -priceTicks;
    const i = this.search(key);
    if (i >= 0) {
      if (qtyLots === 0) this.removeAt(i);
      else {
        this.qty[i] = qtyLots;
        this.count[i] = orderCount;
      }
      return;
    }
    if (qtyLots === 0) return;
    this.insertAt(-i - 1, key, qtyLots, orderCount);
  }

  /** Quantity at a price, 0 when no level is there. */
  qtyAt(priceTicks: number): number {
    const i = this.search(this.isBid ? priceTicks : -priceTicks);
    return i >= 0 ? this.qty[i]! : 0;
  }

  /** Total quantity of the levels within `ticks` of the best price (inclusive). */
  depthWithin(ticks: number): number {
    if (this.len === 0) return 0;
    const limit = this.keys[this.len - 1]! - ticks;
    let sum = 0;
    for (let i = this.len - 1; i >= 0 && this.keys[i]! >= limit; i--) sum += this.qty[i]!;
    return sum;
  }

  /** Total quantity of the best n levels. */
  depthInTop(n: number): number {
    let sum = 0;
    for (let i = this.len - 1; i >= 0 && i >= this.len - n; i--) sum += this.qty[i]!;
    return sum;
  }

  /** Both of the above in one pass, into an order's near-touch fields (sideDepthLots, sideOrders). */
  topInto(n: number, o: { sideDepthLots: number; sideOrders: number }): void {
    let lots = 0;
    let orders = 0;
    for (let i = this.len - 1; i >= 0 && i >= this.len - n; i--) {
      lots += this.qty[i]!;
      orders += this.count[i]!;
    }
    o.sideDepthLots = lots;
    o.sideOrders = orders;
  }

  /** Orders resting in the best n levels. */
  ordersInTop(n: number): number {
    let sum = 0;
    for (let i = this.len - 1; i >= 0 && i >= this.len - n; i--) sum += this.count[i]!;
    return sum;
  }

  /** Orders resting in the levels within `ticks` of the best price (inclusive). */
  ordersWithin(ticks: number): number {
    if (this.len === 0) return 0;
    const limit = this.keys[this.len - 1]! - ticks;
    let sum = 0;
    for (let i = this.len - 1; i >= 0 && this.keys[i]! >= limit; i--) sum += this.count[i]!;
    return sum;
  }

  /** The best `n` levels as [priceTicks, qtyLots], best first (allocates: evidence only). */
  top(n: number): [number, number][] {
    const out: [number, number][] = [];
    for (let i = this.len - 1; i >= 0 && out.length < n; i--) out.push([this.isBid ? this.keys[i]! : -this.keys[i]!, this.qty[i]!]);
    return out;
  }

  clear(): void {
    this.len = 0;
  }

  /** Index of key, or −(insertion index) − 1. */
  private search(key: number): number {
    const keys = this.keys;
    let j = this.len - 1;
    // Most changes are near the top (the end): a short walk before bisecting.
    const stop = j - 8;
    while (j >= 0 && j > stop && keys[j]! > key) j--;
    if (j < 0) return -1;
    if (keys[j] === key) return j;
    if (keys[j]! < key) return -(j + 1) - 1;
    let lo = 0;
    let hi = j;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return keys[lo] === key ? lo : -lo - 1;
  }

  private insertAt(i: number, key: number, qtyLots: number, orderCount: number): void {
    if (this.len === this.keys.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(this.len * 2);
        b.set(a);
        return b;
      };
      this.keys = grow(this.keys);
      this.qty = grow(this.qty);
      this.count = grow(this.count);
    }
    this.keys.copyWithin(i + 1, i, this.len);
    this.qty.copyWithin(i + 1, i, this.len);
    this.count.copyWithin(i + 1, i, this.len);
    this.keys[i] = key;
    this.qty[i] = qtyLots;
    this.count[i] = orderCount;
    this.len++;
  }

  private removeAt(i: number): void {
    this.keys.copyWithin(i, i + 1, this.len);
    this.qty.copyWithin(i, i + 1, this.len);
    this.count.copyWithin(i, i + 1, this.len);
    this.len--;
  }
}
