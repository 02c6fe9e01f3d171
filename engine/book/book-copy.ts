// BookCopy: a book's L2 levels and open orders copied a slice at a time, with commands handled between
// slices (a restarted gateway's state query: engine/shard/market-shard-state.ts, docs/ARCHITECTURE.md,
// "Read models after a restart"), so a market shard holding a million orders never stops for the copy.
//
// The copy is fuzzy, as a database's fuzzy checkpoint is: it stands at the seq where it started, and each
// item is copied as it is when its slice reaches it. The gateway applies every record after that start
// seq on top, and each of those records states a result, not a change (a level's aggregate, an order's
// remaining lots, its new price and size, its end), so applying one to an item copied after it changes
// nothing, and the copy plus those records is the book at the last of them. For that to hold, every
// item that lives through the copy must be copied once, whatever moves meanwhile:
//
//   levels   per side from the best down, resuming strictly below the last price copied (a sorted
//            array: an index would shift under inserts); a level created behind the cursor, or emptied
//            ahead of it, is the subject of a record after the start seq
//   orders   by pool slot, ascending: an order keeps its slot from acceptance to its end (amend and
//            triggering move it between levels, never between slots); a slot is open iff the orderId
//            index maps its id to it (between commands no order is in flight); resting iff it is in a
//            level, else it waits for its trigger
//
// Thread contract: the market-shard thread, between two commands.

import { Side } from '../enums.js';
import { LevelWriter, levelColumns, orderColumns, OrderWriter, type LevelColumns, type OrderColumns } from './book-columns.js';
import { orderView, type BookParts } from './book-views.js';
import type { OrderIdIndex } from './id-index.js';
import type { LevelView, OrderView } from './types.js';

/** A book's copy as columns (book-columns.ts): they cross threads as transferred buffers. */
export interface BookCopyResult {
  /** L2 levels, best first. */
  readonly bids: LevelColumns;
  readonly asks: LevelColumns;
  /** Every open order: the `resting` first ones rest in the book, the others wait for their trigger. */
  readonly orders: OrderColumns;
  readonly resting: number;
}

export interface BookCopy {
  /** Copies up to `budget` more levels or pool slots; true once the copy is whole. */
  step(budget: number): boolean;
  result(): BookCopyResult;
}

/** The fast book's parts a sliced copy walks. */
export interface CopiedBook extends BookParts {
  readonly orderIndex: OrderIdIndex;
}

export class SlicedBookCopy implements BookCopy {
  private readonly levels = [new LevelWriter(), new LevelWriter()] as const;
  private readonly resting = new OrderWriter();
  private readonly untriggered = new OrderWriter();
  private side: number = Side.BUY;
  /** Key (price for bids, −price for asks: sorted-levels.ts) of the last level copied on `side`. */
  private lastKey = Number.POSITIVE_INFINITY;
  private slot = 0;

  constructor(private readonly book: CopiedBook) {}

  step(budget: number): boolean {
    let left = budget;
    while (left > 0 && this.side <= Side.SELL) left = this.levelSlice(left);
    const pool = this.book.pool;
    const index = this.book.orderIndex;
    for (; left > 0 && this.slot < pool.capacity; left--, this.slot++) {
      const s = this.slot;
      if (index.find(pool.orderId(s)) !== s) continue;
      (pool.level(s) >= 0 ? this.resting : this.untriggered).push(orderView(this.book, s));
    }
    return this.side > Side.SELL && this.slot >= pool.capacity;
  }

  result(): BookCopyResult {
    const orders = this.resting;
    const resting = orders.count;
    orders.pushAll(this.untriggered.done());
    return { bids: this.levels[Side.BUY].done(), asks: this.levels[Side.SELL].done(), orders: orders.done(), resting };
  }

  /** Copies up to `budget` levels of the current side below the last copied; returns the budget left. */
  private levelSlice(budget: number): number {
    const l = this.book.priceLevels;
    const s = l.sides[this.side]!;
    let i = s.len - 1;
    if (this.lastKey !== Number.POSITIVE_INFINITY) {
      const at = s.search(this.lastKey);
      i = at >= 0 ? at - 1 : -at - 2;
    }
    const out = this.levels[this.side]!;
    for (; i >= 0 && budget > 0; i--, budget--) {
      const lv = s.slots[i]!;
      this.lastKey = s.keys[i]!;
      // Dormant levels (price-levels.ts) are no levels.
      if (l.countOf(lv) > 0) out.push({ priceTicks: l.priceOf(lv), qtyLots: l.qtyOf(lv), orderCount: l.countOf(lv) });
    }
    if (i < 0) {
      this.side++;
      this.lastKey = Number.POSITIVE_INFINITY;
    }
    return budget;
  }
}

/** A book without a sliced copy (the reference book): copied whole on the first step. */
export class WholeBookCopy implements BookCopy {
  private copied: BookCopyResult | undefined;

  constructor(private readonly book: { levels(side: Side, max: number): LevelView[]; orders(): OrderView[] }) {}

  step(): boolean {
    const bids = this.book.levels(Side.BUY, Number.MAX_SAFE_INTEGER);
    const asks = this.book.levels(Side.SELL, Number.MAX_SAFE_INTEGER);
    let resting = 0;
    for (const l of bids) resting += l.orderCount;
    for (const l of asks) resting += l.orderCount;
    // Book.orders() lists the resting orders (bids, then asks, each best-first FIFO), then the stops.
    this.copied = { bids: levelColumns(bids), asks: levelColumns(asks), orders: orderColumns(this.book.orders()), resting };
    return true;
  }

  result(): BookCopyResult {
    return this.copied!;
  }
}
