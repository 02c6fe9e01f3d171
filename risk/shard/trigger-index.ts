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
// The index is built on the market's slots (market-slots.ts: one row of columns per open position, in
// creation order, also what funding and ADL ranking walk): a slot's keys and dirty flag are more columns of
// its row, and its slot id is its entry id in both heaps. Also here, because it is per market: the cross
// accounts that hold positions in other markets too (their LPs here move when another market's mark does).
// Thread contract: the risk-shard thread.

import { malformed } from '../../engine/snapshot/snapshot-error.js';
import type { SnapshotReader } from '../../engine/snapshot/snapshot-reader.js';
import type { SnapshotWriter } from '../../engine/snapshot/snapshot-writer.js';
import { grown } from '../grown.js';
import type { CursorLookup } from './key-order.js';
import { MarketSlots, NO_SLOT } from './market-slots.js';
import type { AccountState, PositionState } from './state.js';
import { TriggerHeap } from './trigger-heap.js';

/** No trigger on that side. */
export const NO_KEY = -1;

export class MarketTriggers extends MarketSlots {
  readonly down = new TriggerHeap();
  readonly up = new TriggerHeap();
  /** The slot's keys (NO_KEY: none on that side), by slot id: columns as long as the slots' own. */
  private downKeys = new Float64Array(this.serials.length);
  private upKeys = new Float64Array(this.serials.length);
  /** Keys set since the last mark update: to be pushed at the next one. */
  private dirtyFlags = new Uint8Array(this.serials.length);
  /** Cross accounts with an open cross position here and in at least one other market. */
  readonly multiMarketCross = new Set<number>();
  /**
   * Slots re-keyed since the last mark update, as (slot id, serial): a slot that left may linger, and its
   * id may be another slot's since; the serial tells them apart (skipped when pushed).
   */
  private dirtyIds: number[] = [];
  private dirtySerials: number[] = [];
  /** The mark the keys are compared with (ticks, 0 before the first). */
  markTicks = 0;
  /** Mark updates seen: the ADL quintile cache is valid for one epoch. */
  epoch = 0;
  /** Entries the current mark may have reached are still in the heaps (bounded work carries over). */
  popPending = false;

  downKeyAt(id: number): number {
    return this.downKeys[id]!;
  }

  upKeyAt(id: number): number {
    return this.upKeys[id]!;
  }

  /** Sets the position's keys (NO_KEY: none on that side); its current entries leave the heaps now. */
  setKeys(pos: PositionState, account: AccountState, downKey: number, upKey: number): void {
    let id = pos.triggerId;
    if (id === NO_SLOT) {
      id = this.newSlot(pos, account);
      this.dirtyFlags[id] = 0;
    } else this.unlist(id);
    this.downKeys[id] = downKey;
    this.upKeys[id] = upKey;
    if (this.dirtyFlags[id] === 0) {
      this.dirtyFlags[id] = 1;
      this.dirtyIds.push(id);
      this.dirtySerials.push(this.serials[id]!);
    }
  }

  /** The position went flat: it leaves the index and the heaps. */
  remove(pos: PositionState): void {
    const id = pos.triggerId;
    if (id !== NO_SLOT) {
      this.unlist(id);
      this.dirtyFlags[id] = 0;
      this.release(id);
    }
    this.multiMarketCross.delete(pos.accountId);
  }

  /** Takes the slot's entries out of both heaps (O(log n) each). */
  private unlist(id: number): void {
    this.down.remove(id);
    this.up.remove(id);
  }

  /** The key columns grow with the slots'. */
  protected override reserveIds(n: number): void {
    if (n > this.downKeys.length) {
      const last = n - 1;
      this.downKeys = grown(this.downKeys, last);
      this.upKeys = grown(this.upKeys, last);
      this.dirtyFlags = grown(this.dirtyFlags, last);
    }
    super.reserveIds(n);
  }

  /**
   * Which of the slot's keys wait for the next mark although the current one has reached them (1: down,
   * 2: up): the parked keys of the state hash.
   */
  parkedFlags(id: number): number {
    if (this.dirtyFlags[id] === 0) return 0;
    const mark = this.markTicks;
    if (mark <= 0) return 0;
    const down = this.downKeys[id]!;
    const up = this.upKeys[id]!;
    return (down !== NO_KEY && mark <= down ? 1 : 0) | (up !== NO_KEY && mark >= up ? 2 : 0);
  }

  /** The dirty-list entry (id, serial) is the slot's that is there now. */
  private live(id: number, serial: number): boolean {
    return this.posOf[id] !== undefined && this.serials[id] === serial;
  }

  /** A new mark: the dirty slots' keys join the heaps, and the heaps are to be popped against it. */
  onMark(markTicks: number): void {
    this.markTicks = markTicks;
    this.epoch++;
    const ids = this.dirtyIds;
    const serials = this.dirtySerials;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (!this.live(id, serials[i]!)) continue;
      this.dirtyFlags[id] = 0;
      const account = this.accountIds[id]!;
      const down = this.downKeys[id]!;
      const up = this.upKeys[id]!;
      if (down !== NO_KEY) this.down.insert(id, -down, account);
      if (up !== NO_KEY) this.up.insert(id, up, account);
    }
    ids.length = 0;
    serials.length = 0;
    this.popPending = true;
  }

  /**
   * Pops the entries the mark has reached, calling fire(position) for each, until `budget` fired (the
   * heaps hold no stale entry: every one popped is live). Clears popPending once neither heap's top is
   * reached. Returns how many fired.
   */
  popReached(budget: number, fire: (pos: PositionState) => void): number {
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
      const pos = this.posOf[heap.topId()]!;
      heap.pop();
      used++;
      fire(pos);
    }
    const downReached = down.size > 0 && mark <= -down.topKey();
    const upReached = up.size > 0 && mark >= up.topKey();
    this.popPending = downReached || upReached;
    return used;
  }

  /**
   * Snapshot (MONI section, risk-snapshot.ts): the mark, epoch and counters; the free heap ids in stack
   * order; every slot in creation order; the multi-market cross accounts; the dirty slots in push order
   * (live ones only: a lingering removed slot is skipped when pushed anyway); each heap's entries in
   * array order, by heap id (their keys and accounts are the slots').
   */
  writeState(w: SnapshotWriter): void {
    w.uint(this.markTicks);
    w.uint(this.epoch);
    w.bool(this.popPending);
    w.uint(this.nextSerial);
    w.uint(this.posOf.length);
    w.uint(this.freeIds.length);
    for (const id of this.freeIds) w.uint(id);
    w.uint(this.size);
    this.forEachSlot((id) => {
      w.uint(this.accountIds[id]!);
      w.uint(id);
      w.uint(this.serials[id]!);
      w.int(this.downKeys[id]!);
      w.int(this.upKeys[id]!);
      w.bool(this.dirtyFlags[id] !== 0);
      w.uint(this.rankedBys[id]!);
    });
    w.uint(this.multiMarketCross.size);
    this.multiMarketCross.forEach((id) => w.uint(id));
    const dirty: number[] = [];
    for (let i = 0; i < this.dirtyIds.length; i++) if (this.live(this.dirtyIds[i]!, this.dirtySerials[i]!)) dirty.push(this.dirtyIds[i]!);
    w.uint(dirty.length);
    for (const id of dirty) w.uint(id);
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
    this.reserveIds(ids);
    const posOf = this.posOf;
    const accountOf = this.accountOf;
    // Filled in order first, so the arrays keep fast elements (a length set on an empty array would not).
    for (let i = 0; i < ids; i++) {
      posOf.push(undefined);
      accountOf.push(undefined);
    }
    const downKeys = this.downKeys;
    const upKeys = this.upKeys;
    const serials = this.serials;
    const rankedBys = this.rankedBys;
    const dirtyFlags = this.dirtyFlags;
    const accountIds = this.accountIds;
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
      if (account === undefined || pos === undefined || pos.triggerId !== NO_SLOT) throw malformed(`${what}: slot of account ${accountId} without a position, or twice`);
      if (heapId >= ids || posOf[heapId] !== undefined || serial >= this.nextSerial || downKey < NO_KEY || upKey < NO_KEY) throw malformed(`${what}: slot of account ${accountId}: heap id ${heapId}, serial ${serial}, keys ${downKey} ${upKey}`);
      posOf[heapId] = pos;
      accountOf[heapId] = account;
      accountIds[heapId] = accountId;
      serials[heapId] = serial;
      downKeys[heapId] = downKey;
      upKeys[heapId] = upKey;
      dirtyFlags[heapId] = dirty ? 1 : 0;
      if (dirty) dirtySlots++;
      rankedBys[heapId] = rankedBy;
      pos.triggerId = heapId;
      this.link(heapId);
    }
    for (const id of this.freeIds) if (id >= ids || posOf[id] !== undefined) throw malformed(`${what}: free heap id ${id} in use or out of range`);
    const cross = r.count(1);
    for (let i = 0; i < cross; i++) this.multiMarketCross.add(r.uint());
    const dirty = r.count(1);
    const listed = new Uint8Array(ids);
    for (let i = 0; i < dirty; i++) {
      const id = r.uint();
      if (id >= ids || posOf[id] === undefined || dirtyFlags[id] === 0 || listed[id] !== 0) throw malformed(`${what}: dirty list names a slot that is not dirty, or twice`);
      listed[id] = 1;
      this.dirtyIds.push(id);
      this.dirtySerials.push(serials[id]!);
    }
    if (this.dirtyIds.length !== dirtySlots) throw malformed(`${what}: dirty slots missing from the dirty list`);
    for (const [heap, down] of [[this.down, true], [this.up, false]] as const) {
      const n = r.count(1);
      const heapIds = new Int32Array(n);
      const keys = new Float64Array(n);
      const entryAccounts = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        const id = r.uint();
        const pos = id < ids ? posOf[id] : undefined;
        const key = pos === undefined ? NO_KEY : down ? downKeys[id]! : upKeys[id]!;
        // An entry's slot is not dirty (onMark clears the flag as it inserts) and has that key.
        if (pos === undefined || dirtyFlags[id] !== 0 || key === NO_KEY) throw malformed(`${what}: ${down ? 'down' : 'up'} heap entry without a keyed slot`);
        heapIds[i] = id;
        keys[i] = down ? -key : key;
        entryAccounts[i] = accountIds[id]!;
      }
      heap.restore(heapIds, keys, entryAccounts);
    }
  }
}
