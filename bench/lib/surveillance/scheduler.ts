// Scheduler: actions due at given times (µs), taken in time order, ties in the order they were added. The
// injection harness merges episode steps into the background flow with it.

export type Action = () => void;

export class Scheduler {
  private readonly times: number[] = [];
  private readonly seqs: number[] = [];
  private readonly actions: Action[] = [];
  private added = 0;

  get size(): number {
    return this.times.length;
  }

  at(timeUs: number, action: Action): void {
    this.times.push(timeUs);
    this.seqs.push(this.added++);
    this.actions.push(action);
    this.up(this.times.length - 1);
  }

  /** Time of the next action (Infinity when none). */
  nextTime(): number {
    return this.times.length === 0 ? Infinity : this.times[0]!;
  }

  /** Removes and returns the next action. */
  pop(): Action {
    const a = this.actions[0]!;
    const last = this.times.length - 1;
    this.swap(0, last);
    this.times.pop();
    this.seqs.pop();
    this.actions.pop();
    this.down(0);
    return a;
  }

  private less(i: number, j: number): boolean {
    return this.times[i]! < this.times[j]! || (this.times[i] === this.times[j] && this.seqs[i]! < this.seqs[j]!);
  }

  private swap(i: number, j: number): void {
    [this.times[i], this.times[j]] = [this.times[j]!, this.times[i]!];
    [this.seqs[i], this.seqs[j]] = [this.seqs[j]!, this.seqs[i]!];
    [this.actions[i], this.actions[j]] = [this.actions[j]!, this.actions[i]!];
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.times.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
