// TouchTape: the recent history of one market's best bid and ask, a fixed ring of (timeUs, seq, bid, ask)
// appended only when the touch changes. It is what a case report draws the market with. Bounded by
// construction (capacity entries), so a day of trading holds no more memory than a minute of it.

import type { TouchPoint } from './alert.js';

export class TouchTape {
  private readonly timeUs: Float64Array;
  private readonly seq: Float64Array;
  private readonly bid: Float64Array;
  private readonly ask: Float64Array;
  private next = 0;
  private count = 0;
  private lastBid = -1;
  private lastAsk = -1;

  constructor(readonly capacity = 4_096) {
    this.timeUs = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.bid = new Float64Array(capacity);
    this.ask = new Float64Array(capacity);
  }

  /** Records the touch if it differs from the last one recorded. */
  note(timeUs: number, seq: number, bidTicks: number, askTicks: number): void {
    if (bidTicks === this.lastBid && askTicks === this.lastAsk) return;
    this.lastBid = bidTicks;
    this.lastAsk = askTicks;
    const i = this.next;
    this.timeUs[i] = timeUs;
    this.seq[i] = seq;
    this.bid[i] = bidTicks;
    this.ask[i] = askTicks;
    this.next = i + 1 === this.capacity ? 0 : i + 1;
    if (this.count < this.capacity) this.count++;
  }

  /**
   * The touches in [fromUs, toUs], oldest first, plus the one in force at fromUs (so a chart starts with
   * a price), at most `max` of them (the newest kept). Allocates: evidence only.
   */
  between(fromUs: number, toUs: number, max = 2_000): TouchPoint[] {
    const out: TouchPoint[] = [];
    let before: TouchPoint | undefined;
    for (let k = 0; k < this.count; k++) {
      const i = (this.next - this.count + k + this.capacity) % this.capacity;
      const t = this.timeUs[i]!;
      const p = { timeUs: t, seq: this.seq[i]!, bidTicks: this.bid[i]!, askTicks: this.ask[i]! };
      if (t < fromUs) before = p;
      else if (t <= toUs) out.push(p);
    }
    if (before) out.unshift(before);
    return out.length > max ? out.slice(out.length - max) : out;
  }
}
