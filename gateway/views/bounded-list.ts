// A list that keeps only its newest `cap` items: order history and fills per account.

export class BoundedList<T> {
  private readonly items: T[] = [];
  private head = 0;

  constructor(private readonly cap: number) {}

  push(item: T): void {
    if (this.items.length < this.cap) this.items.push(item);
    else {
      this.items[this.head] = item;
      this.head = (this.head + 1) % this.cap;
    }
  }

  /** Newest first, at most `limit`. */
  newest(limit: number): T[] {
    const n = this.items.length;
    const out: T[] = [];
    for (let i = 0; i < Math.min(limit, n); i++) out.push(this.items[(this.head + n - 1 - i) % n]!);
    return out;
  }

  get length(): number {
    return this.items.length;
  }
}
