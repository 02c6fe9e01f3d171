// TriggerIndex: per market, the prices at which each open position must be looked at again.
//
//   down heap   "at or below": a long's liquidation and margin-call prices and the lower edge of its
//               tier; a short's lower tier edge. Highest key first: longs by LP descending.
//   up heap     "at or above": a short's liquidation and margin-call prices and upper tier edge; a long's
//               upper tier edge. Lowest key first: shorts by LP ascending.
// Each position keeps one key per heap, the nearest of its triggers on that side (trigger-keys.ts): when
// the mark reaches it the scope is evaluated in full and gets fresh keys, so one entry per side is enough.
//
// Setting keys takes the slot's entries out of the heaps at once (the heaps are indexed: O(log n), no stale
// entry is ever left behind) and marks the slot dirty. The next mark update of the market inserts each
// dirty slot's keys, once however often the slot was re-keyed in between (a busy account is re-keyed on
// every fill). That is the same as inserting at once: a key the current mark has not reached cannot fire
// before the mark moves, and a key it has already reached (the scope was just evaluated at this mark)
// must not fire before then either, or a liquidatable scope would fire again and again within one mark;
// such a key counts as parked (parkedFlags, for the state hash).
//
// Also here, because it is per market and keyed the same way: the open positions of the market (funding,
// ADL quintiles) and the cross accounts that hold positions in other markets too (their LPs here move
// when another market's mark does).
// Thread contract: the risk-shard thread.

import { malformed } from '../../engine/snapshot/snapshot-error.js';
import type { SnapshotReader } from '../../engine/snapshot/snapshot-reader.js';
import type { SnapshotWriter } from '../../engine/snapshot/snapshot-writer.js';
import type { CursorLookup } from './key-order.js';
import type { AccountState, PositionState } from './state.js';
import { TriggerHeap } from './trigger-heap.js';

/** No trigger on that side. */
export const NO_KEY = -1;

export class TriggerSlot {
  downKey = NO_KEY;
  upKey = NO_KEY;
  /** Keys set since the last mark update: to be pushed at the next one. */
  dirty = false;
  /** The ADL ranking job (ranking-job.ts) that has already taken this position's snapshot, 0 when none. */
  rankedBy = 0;

  constructor(
    readonly pos: PositionState,
    /** The position's account (the ranking reads its wallet and other positions without a map lookup). */
    readonly account: AccountState,
    /** Creation order within the market: a ranking job ranks the slots created before it started. */
    readonly serial: number,
    /** The slot's entry id in the market's heaps: dense, reused after the slot leaves (trigger-heap.ts). */
    readonly heapId: number,
  ) {}
}

export class MarketTriggers {
  readonly down = new TriggerHeap();
  readonly up = new TriggerHeap();
  /** Slots by heap id; ids of slots that left wait in freeIds for the next slot. */
  private readonly byHeapId: (TriggerSlot | undefined)[] = [];
  private readonly freeIds: number[] = [];
  /** Open (non-flat) positions of this market, by account id. */
  readonly slots = new Map<number, TriggerSlot>();
  /** Cross accounts with an open cross position here and in at least one other market. */
  readonly multiMarketCross = new Set<number>();
  /** Slots re-keyed since the last mark update (a removed slot may linger: skipped when pushed). */
  private dirty: TriggerSlot[] = [];
  /** The mark the keys are compared with (ticks, 0 before the first). */
  markTicks = 0;
  /** Mark updates seen: the ADL quintile cache is valid for one epoch. */
  epoch = 0;
  /** Entries the current mark may have reached are still in the heaps (bounded work carries over). */
  popPending = false;
  /** The serial the next slot gets. */
  nextSerial = 1;

  constructor(readonly marketId: number) {}

  /** Sets the position's keys (NO_KEY: none on that side); its current entries leave the heaps now. */
  setKeys(pos: PositionState, account: AccountState, downKey: number, upKey: number): void {
    let slot = this.slots.get(pos.accountId);
    if (slot === undefined || slot.pos !== pos) {
      if (slot !== undefined) this.release(slot);
      slot = this.newSlot(pos, account);
      this.slots.set(pos.accountId, slot);
    } else this.unlist(slot);
    slot.downKey = downKey;
    slot.upKey = upKey;
    if (!slot.dirty) {
      slot.dirty = true;
      this.dirty.push(slot);
    }
  }

  /** The position went flat: it leaves the index and the heaps. */
  remove(accountId: number): void {
    const slot = this.slots.get(accountId);
    if (slot !== undefined) this.release(slot);
    this.slots.delete(accountId);
    this.multiMarketCross.delete(accountId);
  }

  /** Takes the slot's entries out of both heaps (O(log n) each). */
  private unlist(slot: TriggerSlot): void {
    this.down.remove(slot.heapId);
    this.up.remove(slot.heapId);
  }

  private newSlot(pos: PositionState, account: AccountState): TriggerSlot {
    const id = this.freeIds.length > 0 ? this.freeIds.pop()! : this.byHeapId.length;
    const slot = new TriggerSlot(pos, account, this.nextSerial++, id);
    this.byHeapId[id] = slot;
    return slot;
  }

  /** The slot leaves: out of the heaps, its heap id free for the next slot. */
  private release(slot: TriggerSlot): void {
    this.unlist(slot);
    this.byHeapId[slot.heapId] = undefined;
    this.freeIds.push(slot.heapId);
  }

  /**
   * Which of the slot's keys wait for the next mark although the current one has reached them (1: down,
   * 2: up): the parked keys of the state hash.
   */
  parkedFlags(slot: TriggerSlot): number {
    if (!slot.dirty) return 0;
    const mark = this.markTicks;
    if (mark <= 0) return 0;
    return (slot.downKey !== NO_KEY && mark <= slot.downKey ? 1 : 0) | (slot.upKey !== NO_KEY && mark >= slot.upKey ? 2 : 0);
  }

  /** A new mark: the dirty slots' keys join the heaps, and the heaps are to be popped against it. */
  onMark(markTicks: number): void {
    this.markTicks = markTicks;
    this.epoch++;
    const dirty = this.dirty;
    for (let i = 0; i < dirty.length; i++) {
      const slot = dirty[i]!;
      slot.dirty = false;
      const account = slot.pos.accountId;
      if (this.slots.get(account) !== slot) continue;
      if (slot.downKey !== NO_KEY) this.down.insert(slot.heapId, -slot.downKey, account);
      if (slot.upKey !== NO_KEY) this.up.insert(slot.heapId, slot.upKey, account);
    }
    dirty.length = 0;
    this.popPending = true;
  }

  /**
   * Pops the entries the mark has reached, calling fire(slot) for each, until `budget` fired (the heaps
   * hold no stale entry: every one popped is live). Clears popPending once neither heap's top is reached.
   * Returns how many fired.
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
      const slot = this.byHeapId[heap.topId()]!;
      heap.pop();
      used++;
      fire(slot);
    }
    const downReached = down.size > 0 && mark <= -down.topKey();
    const upReached = up.size > 0 && mark >= up.topKey();
    this.popPending = downReached || upReached;
    return used;
  }

  /**
   * Snapshot (MONI section, risk-snapshot.ts): the mark, epoch and counters; the free heap ids in stack
   * order; every slot in map order; the multi-market cross accounts; the dirty slots in push order (live
   * ones only: a lingering removed slot is skipped when pushed anyway); each heap's entries in array
   * order, by heap id (their keys and accounts are the slots').
   */
  writeState(w: SnapshotWriter): void {
    w.uint(this.markTicks);
    w.uint(this.epoch);
    w.bool(this.popPending);
    w.uint(this.nextSerial);
    w.uint(this.byHeapId.length);
    w.uint(this.freeIds.length);
    for (const id of this.freeIds) w.uint(id);
    w.uint(this.slots.size);
    // forEach, not for-of over entries: no [key, value] array per slot.
    this.slots.forEach((slot, accountId) => {
      w.uint(accountId);
      w.uint(slot.heapId);
      w.uint(slot.serial);
      w.int(slot.downKey);
      w.int(slot.upKey);
      w.bool(slot.dirty);
      w.uint(slot.rankedBy);
    });
    w.uint(this.multiMarketCross.size);
    this.multiMarketCross.forEach((id) => w.uint(id));
    const dirty = this.dirty.filter((slot) => this.slots.get(slot.pos.accountId) === slot);
    w.uint(dirty.length);
    for (const slot of dirty) w.uint(slot.heapId);
    for (const heap of [this.down, this.up]) {
      w.uint(heap.size);
      heap.forEach((_key, _account, id) => w.uint(id));
    }
  }

  /** Reads what writeState wrote into these (fresh) triggers; the accounts and positions are decoded. */
  readState(r: SnapshotReader, accounts: CursorLookup<AccountState>): void {
    const what = `${r.what}, market ${this.marketId}`;
    this.markTicks = r.uint();
    this.epoch = r.uint();
    this.popPending = r.bool();
    this.nextSerial = r.uint();
    const ids = r.uint();
    const free = r.count(1);
    if (free > ids) throw malformed(`${what}: ${free} free heap ids of ${ids}`);
    for (let i = 0; i < free; i++) this.freeIds.push(r.uint());
    const slots = r.count(7);
    if (slots + free !== ids) throw malformed(`${what}: ${slots} slots and ${free} free ids for ${ids} heap ids`);
    // Filled in order first, so the array keeps fast elements (a length set on an empty array would not).
    for (let i = 0; i < ids; i++) this.byHeapId.push(undefined);
    let dirtySlots = 0;
    accounts.rewind();
    for (let i = 0; i < slots; i++) {
      const accountId = r.uint();
      const heapId = r.uint();
      const serial = r.uint();
      const downKey = r.int();
      const upKey = r.int();
      const dirty = r.bool();
      const rankedBy = r.uint();
      const account = accounts.get(accountId);
      const pos = account?.positions.get(this.marketId);
      if (account === undefined || pos === undefined) throw malformed(`${what}: slot of account ${accountId} without a position, or twice`);
      if (heapId >= ids || this.byHeapId[heapId] !== undefined || serial >= this.nextSerial || downKey < NO_KEY || upKey < NO_KEY) throw malformed(`${what}: slot of account ${accountId}: heap id ${heapId}, serial ${serial}, keys ${downKey} ${upKey}`);
      const slot = new TriggerSlot(pos, account, serial, heapId);
      slot.downKey = downKey;
      slot.upKey = upKey;
      slot.dirty = dirty;
      if (dirty) dirtySlots++;
      slot.rankedBy = rankedBy;
      this.byHeapId[heapId] = slot;
      // One map operation per slot: a duplicate account shows as a map that did not grow.
      this.slots.set(accountId, slot);
      if (this.slots.size !== i + 1) throw malformed(`${what}: slot of account ${accountId} without a position, or twice`);
    }
    for (const id of this.freeIds) if (id >= ids || this.byHeapId[id] !== undefined) throw malformed(`${what}: free heap id ${id} in use or out of range`);
    const cross = r.count(1);
    for (let i = 0; i < cross; i++) this.multiMarketCross.add(r.uint());
    const dirty = r.count(1);
    const listed = new Set<TriggerSlot>();
    for (let i = 0; i < dirty; i++) {
      const slot = this.byHeapId[r.uint()];
      if (slot === undefined || !slot.dirty || listed.has(slot)) throw malformed(`${what}: dirty list names a slot that is not dirty, or twice`);
      listed.add(slot);
      this.dirty.push(slot);
    }
    if (this.dirty.length !== dirtySlots) throw malformed(`${what}: dirty slots missing from the dirty list`);
    for (const [heap, down] of [[this.down, true], [this.up, false]] as const) {
      const n = r.count(1);
      const heapIds = new Int32Array(n);
      const keys = new Float64Array(n);
      const accounts = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        const slot = this.byHeapId[r.uint()];
        const key = slot === undefined ? NO_KEY : down ? slot.downKey : slot.upKey;
        // An entry's slot is not dirty (onMark clears the flag as it inserts) and has that key.
        if (slot === undefined || slot.dirty || key === NO_KEY) throw malformed(`${what}: ${down ? 'down' : 'up'} heap entry without a keyed slot`);
        heapIds[i] = slot.heapId;
        keys[i] = down ? -key : key;
        accounts[i] = slot.pos.accountId;
      }
      heap.restore(heapIds, keys, accounts);
    }
  }

  /** Open positions of the market in ascending account order (funding, quintiles: outputs follow it). */
  sortedAccountIds(): number[] {
    return [...this.slots.keys()].sort((a, b) => a - b);
  }

}
