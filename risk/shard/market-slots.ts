// MarketSlots: the open positions of one market, as the rows its trigger index (trigger-index.ts) and
// every per-market walk over positions share. A slot is one open position's row, found through
// pos.triggerId; its id is also the position's entry id in the trigger heaps. A row holds the position and
// its account, the account's id (the walks that need only the id do not visit the position), its serial
// (creation order within the market: an ADL ranking job ranks the slots made before it started) and the
// ranking job that has already taken it (ranking-job.ts).
//
// Rows are columns indexed by slot id, not objects: a snapshot decode of a million positions then fills
// typed arrays instead of building a million objects and a hash table of them (docs/SNAPSHOTS.md). The id of
// a slot that left goes to the next slot made (a stack of free ids), so the columns only grow to the most
// positions the market ever held at once.
//
// The slots are also kept in the order they were made, a doubly linked list over slot ids (the order a map
// by account id used to iterate in): funding walks them by ascending account id (forEachByAccount), and an
// ADL ranking job sweeps them in creation order over many records (startSweep, nextInSweep), never
// visiting a slot that left before it got there.
//
// Kept apart from the triggers because none of this depends on them: MarketTriggers extends it with the
// keys as more columns of the same rows, the heaps and the mark.
// Thread contract: the risk-shard thread.

import { grown } from '../grown.js';
import { ascendingOrder } from './key-order.js';
import type { AccountState, PositionState } from './state.js';

/** No slot (pos.triggerId), no next or previous slot, a sweep at its end. */
export const NO_SLOT = -1;

const INITIAL_IDS = 16;

export class MarketSlots {
  /** Each slot's position and account, by slot id (undefined: a free id). */
  protected readonly posOf: (PositionState | undefined)[] = [];
  protected readonly accountOf: (AccountState | undefined)[] = [];
  /** The position's account id. */
  protected accountIds = new Uint32Array(INITIAL_IDS);
  /** Creation order within the market. */
  protected serials = new Float64Array(INITIAL_IDS);
  /** The ADL ranking job that has already taken the slot's position, 0 when none. */
  protected rankedBys = new Float64Array(INITIAL_IDS);
  /** The slots in the order they were made: a doubly linked list over slot ids. */
  private nextOf = new Int32Array(INITIAL_IDS);
  private prevOf = new Int32Array(INITIAL_IDS);
  private first = NO_SLOT;
  private last = NO_SLOT;
  private count = 0;
  /** Ids of slots that left, for the next slots (a stack). */
  protected readonly freeIds: number[] = [];
  /** The slot a ranking job's sweep visits next (NO_SLOT: the end). */
  private sweepAt = NO_SLOT;
  /** The serial the next slot gets. */
  nextSerial = 1;

  constructor(readonly marketId: number) {}

  /** Open positions of the market (slots). */
  get size(): number {
    return this.count;
  }

  /** The position (of this market) has a slot. */
  has(pos: PositionState): boolean {
    return pos.triggerId !== NO_SLOT;
  }

  accountIdAt(id: number): number {
    return this.accountIds[id]!;
  }

  posAt(id: number): PositionState {
    return this.posOf[id]!;
  }

  accountAt(id: number): AccountState {
    return this.accountOf[id]!;
  }

  serialAt(id: number): number {
    return this.serials[id]!;
  }

  rankedByAt(id: number): number {
    return this.rankedBys[id]!;
  }

  setRankedBy(id: number, job: number): void {
    this.rankedBys[id] = job;
  }

  /** A slot for the position, appended to the creation order with the next serial; its id. */
  protected newSlot(pos: PositionState, account: AccountState): number {
    const id = this.freeIds.length > 0 ? this.freeIds.pop()! : this.newId();
    this.posOf[id] = pos;
    this.accountOf[id] = account;
    this.accountIds[id] = pos.accountId;
    this.serials[id] = this.nextSerial++;
    this.rankedBys[id] = 0;
    this.link(id);
    pos.triggerId = id;
    return id;
  }

  /** A slot id never handed out before, with room in the columns. */
  private newId(): number {
    const id = this.posOf.length;
    this.reserveIds(id + 1);
    this.posOf.push(undefined);
    this.accountOf.push(undefined);
    return id;
  }

  /** The columns hold at least n ids (each doubled until it does). A subclass with columns grows its own too. */
  protected reserveIds(n: number): void {
    if (n <= this.serials.length) return;
    const last = n - 1;
    this.serials = grown(this.serials, last);
    this.rankedBys = grown(this.rankedBys, last);
    this.accountIds = grown(this.accountIds, last);
    this.nextOf = grown(this.nextOf, last);
    this.prevOf = grown(this.prevOf, last);
  }

  /** Appends the slot to the creation order. */
  protected link(id: number): void {
    this.prevOf[id] = this.last;
    this.nextOf[id] = NO_SLOT;
    if (this.last === NO_SLOT) this.first = id;
    else this.nextOf[this.last] = id;
    this.last = id;
    this.count++;
  }

  /** The slot leaves: out of the creation order, its id free for the next slot. */
  protected release(id: number): void {
    this.posOf[id]!.triggerId = NO_SLOT;
    this.posOf[id] = undefined;
    this.accountOf[id] = undefined;
    const prev = this.prevOf[id]!;
    const next = this.nextOf[id]!;
    if (prev === NO_SLOT) this.first = next;
    else this.nextOf[prev] = next;
    if (next === NO_SLOT) this.last = prev;
    else this.prevOf[next] = prev;
    // A sweep about to visit the slot visits the one after it instead (as a Map's iterator skips an entry
    // deleted before it got there).
    if (this.sweepAt === id) this.sweepAt = next;
    this.count--;
    this.freeIds.push(id);
  }

  /** f(slot id) for every slot in the order the slots were made. */
  forEachSlot(f: (id: number) => void): void {
    const next = this.nextOf;
    for (let id = this.first; id !== NO_SLOT; id = next[id]!) f(id);
  }

  /**
   * f(slot id) for every slot by ascending account id: in the creation order when that is ascending (the
   * usual case: positions opened in account order), else through a native sort (key-order.ts).
   */
  forEachByAccount(f: (id: number) => void): void {
    const next = this.nextOf;
    const accountIds = this.accountIds;
    let ascending = true;
    let prev = -Infinity;
    for (let id = this.first; id !== NO_SLOT; id = next[id]!) {
      const account = accountIds[id]!;
      if (account <= prev) {
        ascending = false;
        break;
      }
      prev = account;
    }
    if (ascending) {
      this.forEachSlot(f);
      return;
    }
    const n = this.count;
    const keys = new Float64Array(n);
    const ids = new Int32Array(n);
    let j = 0;
    for (let id = this.first; id !== NO_SLOT; id = next[id]!) {
      keys[j] = accountIds[id]!;
      ids[j++] = id;
    }
    const order = ascendingOrder(keys, n);
    for (let k = 0; k < n; k++) f(ids[order[k]!]!);
  }

  /** Open positions of the market in ascending account order (funding: its outputs follow it). */
  sortedPositions(): PositionState[] {
    const out: PositionState[] = [];
    this.forEachByAccount((id) => void out.push(this.posOf[id]!));
    return out;
  }

  /**
   * A ranking job's sweep starts at the first slot. Only one runs per market at a time (its job); a slot
   * that leaves before the sweep reaches it is not visited, and one made since is visited after the older
   * ones (a new slot is never a member of a job that started before it).
   */
  startSweep(): void {
    this.sweepAt = this.first;
  }

  /** The next slot of the sweep (NO_SLOT: none left). */
  nextInSweep(): number {
    const id = this.sweepAt;
    if (id !== NO_SLOT) this.sweepAt = this.nextOf[id]!;
    return id;
  }
}
