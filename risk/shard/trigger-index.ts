// TriggerIndex: per market, the prices at which each open position must be looked at again.
//
//   down heap   "at or below": a long's liquidation and margin-call prices and the lower edge of its
//               tier; a short's lower tier edge. Highest key first: longs by LP descending.
//   up heap     "at or above": a short's liquidation and margin-call prices and upper tier edge; a long's
//               upper tier edge. Lowest key first: shorts by LP ascending.
// Each position keeps one key per heap, the nearest of its triggers on that side (trigger-keys.ts): when
// the mark reaches it the scope is evaluated in full and gets fresh keys, so one entry per side is enough.
//
// A key that the current mark has already reached when it is set (the scope was just evaluated at this
// mark) is parked rather than pushed: it enters its heap at the next mark update of its market. Otherwise
// a liquidatable scope would fire again and again within one mark. Re-keying bumps the slot's version
// (one counter per market, never reused), which makes every older entry stale.
//
// Also here, because it is per market and keyed the same way: the open positions of the market (funding,
// ADL quintiles) and the cross accounts that hold positions in other markets too (their LPs here move
// when another market's mark does).
// Thread contract: the risk-shard thread.

import type { PositionState } from './state.js';
import { TriggerHeap } from './trigger-heap.js';

/** No trigger on that side. */
export const NO_KEY = -1;

export class TriggerSlot {
  version = 0;
  downKey = NO_KEY;
  upKey = NO_KEY;
  constructor(readonly pos: PositionState) {}
}

export class MarketTriggers {
  readonly down = new TriggerHeap();
  readonly up = new TriggerHeap();
  /** Open (non-flat) positions of this market, by account id. */
  readonly slots = new Map<number, TriggerSlot>();
  /** Cross accounts with an open cross position here and in at least one other market. */
  readonly multiMarketCross = new Set<number>();
  /** Parked entries (account, version, key, up ? 1 : 0), flattened: they join the heaps at the next mark. */
  parked: number[] = [];
  /** The mark the keys are compared with (ticks, 0 before the first). */
  markTicks = 0;
  /** Mark updates seen: the ADL quintile cache is valid for one epoch. */
  epoch = 0;
  /** Entries the current mark may have reached are still in the heaps (bounded work carries over). */
  popPending = false;
  private nextVersion = 1;
  private readonly live = (accountId: number, version: number): boolean => this.isLive(accountId, version);

  constructor(readonly marketId: number) {}

  /** Sets the position's keys (NO_KEY: none on that side) and makes its older entries stale. */
  setKeys(pos: PositionState, downKey: number, upKey: number): void {
    let slot = this.slots.get(pos.accountId);
    if (slot === undefined) {
      slot = new TriggerSlot(pos);
      this.slots.set(pos.accountId, slot);
    }
    const version = this.nextVersion++;
    slot.version = version;
    slot.downKey = downKey;
    slot.upKey = upKey;
    const mark = this.markTicks;
    if (downKey !== NO_KEY) {
      if (mark > 0 && mark <= downKey) this.parked.push(pos.accountId, version, downKey, 0);
      else this.down.push(-downKey, pos.accountId, version);
    }
    if (upKey !== NO_KEY) {
      if (mark > 0 && mark >= upKey) this.parked.push(pos.accountId, version, upKey, 1);
      else this.up.push(upKey, pos.accountId, version);
    }
    this.compactIfSparse();
  }

  /** The position went flat: it leaves the index (its entries go stale). */
  remove(accountId: number): void {
    this.slots.delete(accountId);
    this.multiMarketCross.delete(accountId);
  }

  isLive(accountId: number, version: number): boolean {
    const slot = this.slots.get(accountId);
    return slot !== undefined && slot.version === version;
  }

  /** A new mark: parked entries join the heaps, and the heaps are to be popped against it. */
  onMark(markTicks: number): void {
    this.markTicks = markTicks;
    this.epoch++;
    const p = this.parked;
    for (let i = 0; i < p.length; i += 4) {
      const account = p[i]!;
      const version = p[i + 1]!;
      if (!this.isLive(account, version)) continue;
      if (p[i + 3] === 1) this.up.push(p[i + 2]!, account, version);
      else this.down.push(-p[i + 2]!, account, version);
    }
    this.parked = [];
    this.popPending = true;
  }

  /**
   * Pops the entries the mark has reached, calling fire(slot) for live ones, until `budget` live entries
   * fired; stale entries are dropped on the way without counting (each was pushed once, so they cost
   * O(1) amortised, and not counting them keeps the pop order a function of the live keys alone).
   * Clears popPending once neither heap's top is reached. Returns how many fired.
   */
  popReached(budget: number, fire: (slot: TriggerSlot) => void): number {
    const mark = this.markTicks;
    let used = 0;
    if (mark <= 0) {
      this.popPending = false;
      return 0;
    }
    const down = this.down;
    const up = this.up;
    while (used < budget) {
      let heap: TriggerHeap;
      if (down.size > 0 && mark <= -down.topKey()) heap = down;
      else if (up.size > 0 && mark >= up.topKey()) heap = up;
      else {
        this.popPending = false;
        return used;
      }
      const account = heap.topAccount();
      const version = heap.topVersion();
      heap.pop();
      const slot = this.slots.get(account);
      if (slot === undefined || slot.version !== version) continue;
      used++;
      fire(slot);
    }
    const downReached = down.size > 0 && mark <= -down.topKey();
    const upReached = up.size > 0 && mark >= up.topKey();
    this.popPending = downReached || upReached;
    return used;
  }

  /** Open positions of the market in ascending account order (funding, quintiles: outputs follow it). */
  sortedAccountIds(): number[] {
    return [...this.slots.keys()].sort((a, b) => a - b);
  }

  private compactIfSparse(): void {
    const limit = 2 * this.slots.size + 1024;
    if (this.down.size > limit) this.down.compact(this.live);
    if (this.up.size > limit) this.up.compact(this.live);
  }
}
