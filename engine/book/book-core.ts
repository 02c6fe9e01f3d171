// BookCore: the fast book's state and the primitive moves every command is built from. order-book.ts
// adds the commands, matching and stop triggering on top.
//
// An order slot is in one of three states:
//   open       resting in a level or waiting in the stop book; in the id indexes (the client-id one
//              when it has a clientOrderId), in its account's reduce-only list if reduce-only, counted
//              in openCount (linkOpen / unlinkOpen)
//   in flight  being matched (a new order, a triggered stop, an amended order that crosses): in no
//              index, so nothing can find or clean it up half-way
//   free       on the pool's free list
//
// Thread contract: one market-shard thread owns the book; nothing is shared.

import { CancelReason, StpMode, type OrderOrigin, type OrderType, type Side } from '../enums.js';
import type { MarketSpec } from '../market/spec.js';
import { AccountRecord, AccountTable } from './account-table.js';
import { EventWriter } from './event-writer.js';
import { ClientIdIndex, OrderIdIndex } from './id-index.js';
import { OrderRecord, OrderPool } from './order-pool.js';
import { reducibleLots } from './order-rules.js';
import { PriceLevels } from './price-levels.js';
import { StopBook } from './stop-book.js';
import { BookEventType, type BookEventSink } from './types.js';

const CANCELLED = BookEventType.ORDER_CANCELLED;
const EXPIRED = BookEventType.ORDER_EXPIRED;
type Ended = typeof CANCELLED | typeof EXPIRED;

// Module-local copies (order-pool.ts says why).
const { F_ORDER_ID, F_PRICE, F_QTY, F_REMAINING, F_STRIDE_SHIFT, F_TIME, FLAG_HAS_CLIENT_ID, FLAG_REDUCE_ONLY, I_ACCOUNT, I_FLAGS, I_LEVEL, I_STRIDE_SHIFT, NIBBLE, ORIGIN_SHIFT, SIDE_SHIFT } = OrderRecord;
const { F_SHIFT: A_F_SHIFT, I_SHIFT: A_I_SHIFT, A_ID, A_POSITION, A_OPEN_COUNT, A_STP } = AccountRecord;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const LINKED_FLAGS = FLAG_HAS_CLIENT_ID | FLAG_REDUCE_ONLY;
const STP_DEFAULT = StpMode.DEFAULT;

/**
 * The orderId ring for a pool capacity: a power of two at least RING_PER_SLOT times the capacity. Open
 * orders live long in ids (deep orders wait while new ids stream past): on the benchmark stream a ring
 * twice the book sends a tenth of them to the overflow hash, four times 3-6 %, at 16 bytes per slot
 * (id-index.ts), which keeps a book with every optional field in use under 128 bytes per order.
 */
const RING_PER_SLOT = 4;
function ringFor(capacity: number): number {
  let b = 16;
  while (b < capacity * RING_PER_SLOT) b *= 2;
  return b;
}

/** What a snapshot keeps of a book besides its orders and accounts. */
export interface BookScalars {
  nextTradeId: number;
  lastPriceTicks: number;
  markPriceTicks: number;
}

/** One open order as a snapshot holds it (book-snapshot.ts); accountSlot indexes the account table. */
export interface RestoredOrder {
  orderId: number;
  accountSlot: number;
  priceTicks: number;
  qtyLots: number;
  remainingLots: number;
  timeUs: number;
  /** The pool's flags word (order-pool.ts), HAS_CLIENT_ID and side included. */
  flags: number;
  clientOrderId: number;
  /** 0 for types without a trigger. */
  triggerPriceTicks: number;
}

export class BookCore {
  readonly pool: OrderPool;
  readonly priceLevels: PriceLevels;
  readonly accounts: AccountTable;
  readonly orderIndex: OrderIdIndex;
  readonly clientIndex: ClientIdIndex;
  readonly stops: StopBook;
  protected readonly out: EventWriter;
  protected nextTradeId = 1;
  protected lastPrice = 0;
  protected mark = 0;
  /** Pool capacity the indexes are sized for. */
  private indexedCapacity: number;
  /** Order ids to sort (cancel-all, reduce-only clean-up); grows on demand. */
  private idScratch = new Float64Array(64);

  constructor(
    readonly spec: MarketSpec,
    sink: BookEventSink,
  ) {
    this.pool = new OrderPool(spec.maxOrders + 1);
    this.priceLevels = new PriceLevels(this.pool);
    this.accounts = new AccountTable(this.pool);
    this.orderIndex = new OrderIdIndex(this.pool, ringFor(this.pool.capacity));
    this.clientIndex = new ClientIdIndex(this.pool);
    this.stops = new StopBook(this.pool);
    this.indexedCapacity = this.pool.capacity;
    this.out = new EventWriter(sink, spec.marketId);
  }

  /**
   * A slot for a new order; resizes the orderId ring with the pool. A grown pool hands out its new slots
   * first (its free list ascends from the old capacity), so the first slot at or past the indexed
   * capacity is the sign of a growth.
   */
  protected allocSlot(): number {
    const slot = this.pool.alloc();
    if (slot < 0 || slot >= this.indexedCapacity) this.poolGrew(slot);
    return slot;
  }

  private poolGrew(slot: number): void {
    if (slot < 0) throw new Error('invariant: order pool exhausted below its limit');
    this.indexedCapacity = this.pool.capacity;
    this.orderIndex.resize(ringFor(this.pool.capacity));
  }

  protected linkOpen(slot: number): void {
    const i32 = this.pool.i32;
    const o = slot << I_STRIDE_SHIFT;
    const acct = i32[o + I_ACCOUNT]!;
    const flags = i32[o + I_FLAGS]!;
    this.orderIndex.insert(this.pool.f64[slot << F_STRIDE_SHIFT]!, slot);
    this.accounts.i32[(acct << A_I_SHIFT) + A_OPEN_COUNT]!++;
    if ((flags & LINKED_FLAGS) === 0) return;
    if ((flags & FLAG_HAS_CLIENT_ID) !== 0) this.clientIndex.insert(slot);
    if ((flags & FLAG_REDUCE_ONLY) !== 0) this.accounts.linkReduceOnly(acct, slot);
  }

  protected unlinkOpen(slot: number): void {
    const i32 = this.pool.i32;
    const o = slot << I_STRIDE_SHIFT;
    const acct = i32[o + I_ACCOUNT]!;
    const flags = i32[o + I_FLAGS]!;
    this.orderIndex.remove(this.pool.f64[slot << F_STRIDE_SHIFT]!);
    this.accounts.i32[(acct << A_I_SHIFT) + A_OPEN_COUNT]!--;
    if ((flags & LINKED_FLAGS) === 0) return;
    if ((flags & FLAG_HAS_CLIENT_ID) !== 0) this.clientIndex.remove(slot);
    if ((flags & FLAG_REDUCE_ONLY) !== 0) this.accounts.unlinkReduceOnly(acct, slot);
  }

  /** An in-flight order joins the back of its price level; its queue time is now. */
  protected rest(slot: number): void {
    const pool = this.pool;
    const fo = slot << F_STRIDE_SHIFT;
    pool.f64[fo + F_TIME] = this.out.timeUs;
    this.linkOpen(slot);
    this.priceLevels.append(slot, (pool.i32[(slot << I_STRIDE_SHIFT) + I_FLAGS]! >>> SIDE_SHIFT) & 1, pool.f64[fo + F_PRICE]!);
  }

  /** An open order leaves its level or the stop book and the indexes: it is in flight afterwards. */
  protected removeOpen(slot: number): void {
    if (this.pool.i32[(slot << I_STRIDE_SHIFT) + I_LEVEL]! >= 0) this.priceLevels.remove(slot);
    else this.stops.remove(slot);
    this.unlinkOpen(slot);
  }

  /** ORDER_CANCELLED / ORDER_EXPIRED for an order (open or in flight), from its pool fields. */
  protected emitEnded(type: Ended, slot: number, reason: CancelReason): void {
    const pool = this.pool;
    const o = slot << I_STRIDE_SHIFT;
    const fo = slot << F_STRIDE_SHIFT;
    const f = pool.i32[o + I_FLAGS]!;
    const rem = pool.f64[fo + F_REMAINING]!;
    this.out.ended(
      type,
      reason,
      this.accounts.f64[(pool.i32[o + I_ACCOUNT]! << A_F_SHIFT) + A_ID]!,
      pool.f64[fo + F_ORDER_ID]!,
      (f & FLAG_HAS_CLIENT_ID) !== 0 ? pool.clientOrderId[slot]! : 0,
      ((f >>> SIDE_SHIFT) & 1) as Side,
      (f & NIBBLE) as OrderType,
      ((f >>> ORIGIN_SHIFT) & NIBBLE) as OrderOrigin,
      pool.f64[fo + F_PRICE]!,
      rem,
      pool.f64[fo + F_QTY]! - rem,
    );
  }

  /** Ends an in-flight order: event, then its slot is freed. */
  protected endInFlight(type: Ended, slot: number, reason: CancelReason): void {
    this.emitEnded(type, slot, reason);
    this.pool.free(slot);
  }

  /** Ends an open order: out of the book, event, slot freed. */
  protected closeOpen(type: Ended, slot: number, reason: CancelReason): void {
    this.removeOpen(slot);
    this.endInFlight(type, slot, reason);
  }

  // ---- snapshots (book-snapshot.ts) ----------------------------------------------------------------

  /** The counters and prices a snapshot carries beside the orders. */
  snapshotScalars(): BookScalars {
    return { nextTradeId: this.nextTradeId, lastPriceTicks: this.lastPrice, markPriceTicks: this.mark };
  }

  /** Snapshot decode: room for `orders` open orders, the pool and the orderId ring grown once. */
  reserveForRestore(orders: number): void {
    this.pool.reserve(orders + 1);
    if (this.pool.capacity > this.indexedCapacity) {
      this.indexedCapacity = this.pool.capacity;
      this.orderIndex.resize(ringFor(this.pool.capacity));
    }
  }

  /** Restores them into a fresh book (snapshot decode only). */
  restoreScalars(s: BookScalars): void {
    this.nextTradeId = s.nextTradeId;
    this.lastPrice = s.lastPriceTicks;
    this.mark = s.markPriceTicks;
  }

  /**
   * Snapshot decode only: an open order, as it was, joins a fresh book: a slot, the indexes and its
   * account, then the back of its price level (resting) or its stop list (untriggered: level −1). The
   * caller (book-snapshot.ts) has checked every field and feeds levels worst price first, so each new
   * level lands at the top of its side's sorted array.
   */
  restoreOpenOrder(o: RestoredOrder, stop: boolean): void {
    const slot = this.allocSlot();
    const pool = this.pool;
    const fo = slot << F_STRIDE_SHIFT;
    pool.f64[fo + F_ORDER_ID] = o.orderId;
    pool.f64[fo + F_PRICE] = o.priceTicks;
    pool.f64[fo + F_QTY] = o.qtyLots;
    pool.f64[fo + F_REMAINING] = o.remainingLots;
    pool.f64[fo + F_TIME] = o.timeUs;
    pool.i32[(slot << I_STRIDE_SHIFT) + I_ACCOUNT] = o.accountSlot;
    pool.i32[(slot << I_STRIDE_SHIFT) + I_FLAGS] = o.flags;
    if ((o.flags & FLAG_HAS_CLIENT_ID) !== 0) {
      pool.useClientIds();
      pool.clientOrderId[slot] = o.clientOrderId;
    }
    if (o.triggerPriceTicks !== 0) {
      pool.useTriggers();
      pool.triggerPriceTicks[slot] = o.triggerPriceTicks;
    }
    this.linkOpen(slot);
    if (stop) this.stops.add(slot);
    else this.priceLevels.link(slot, (o.flags >>> SIDE_SHIFT) & 1, o.priceTicks);
  }

  /** Positions are bounded far below 2^53 by risk limits; the check makes a breach loud, not silent. */
  protected addPosition(acct: number, deltaLots: number): void {
    const f64 = this.accounts.f64;
    const o = (acct << A_F_SHIFT) + A_POSITION;
    const p = f64[o]! + deltaLots;
    if (p > MAX_SAFE || p < -MAX_SAFE) throw new RangeError(`position of account ${this.accounts.idOf(acct)} left the exact integer range`);
    f64[o] = p;
  }

  /**
   * After a trade of the account: cancel (REDUCE_ONLY) its reduce-only orders that can no longer reduce
   * its position (all of them at 0, those on the growing side otherwise), by orderId.
   */
  protected cleanUpReduceOnly(acct: number): void {
    const pool = this.pool;
    const pos = this.accounts.positionOf(acct);
    let n = 0;
    for (let s = this.accounts.reduceOnlyHeadOf(acct); s >= 0; s = pool.roNext[s]!) {
      if (reducibleLots(pos, pool.side(s)) === 0) n = this.pushId(n, pool.orderId(s));
    }
    this.closeSorted(n, CancelReason.REDUCE_ONLY);
  }

  /**
   * Cancels every open order of the account by orderId; returns how many. It walks every open order of
   * the book (levels, then stops): O(book), not O(account), the price of keeping no per-account list
   * on the hot path (account-table.ts). An account without open orders costs nothing.
   */
  protected cancelAccount(acct: number, reason: CancelReason): number {
    if (this.accounts.openCountOf(acct) === 0) return 0;
    const pool = this.pool;
    const levels = this.priceLevels;
    let n = 0;
    for (const side of levels.sides) {
      for (let i = 0; i < side.len; i++) {
        for (let s = levels.headOf(side.slots[i]!); s >= 0; s = pool.next(s)) if (pool.account(s) === acct) n = this.pushId(n, pool.orderId(s));
      }
    }
    this.stops.forEach((s) => {
      if (pool.account(s) === acct) n = this.pushId(n, pool.orderId(s));
    });
    this.closeSorted(n, reason);
    return n;
  }

  protected resolveStp(acct: number, stpMode: number): number {
    return stpMode === STP_DEFAULT ? this.accounts.i32[(acct << A_I_SHIFT) + A_STP]! : stpMode;
  }

  private pushId(n: number, orderId: number): number {
    if (n === this.idScratch.length) {
      const b = new Float64Array(n * 2);
      b.set(this.idScratch);
      this.idScratch = b;
    }
    this.idScratch[n] = orderId;
    return n + 1;
  }

  /** Cancels the first n ids of the scratch in ascending orderId order (a rare path: sorting allocates a view). */
  private closeSorted(n: number, reason: CancelReason): void {
    if (n === 0) return;
    const ids = n === 1 ? this.idScratch : this.idScratch.subarray(0, n).sort();
    for (let i = 0; i < n; i++) this.closeOpen(CANCELLED, this.orderIndex.find(ids[i]!), reason);
  }
}
