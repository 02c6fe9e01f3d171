// MarketShardState: what a market shard holds that a restarted gateway shows, copied on the shard's own
// thread between batches (the worker serves it on request, a slice of a book per loop turn: control-block.ts
// RequestKind.STATE) with the gateway-stream seq each market's copy stands at. The gateway loads it, then
// applies only the records after that seq (gateway/views/restart-state.ts, docs/ARCHITECTURE.md,
// "Read models after a restart"). Plain data: books as typed-array columns (engine/book/book-columns.ts)
// whose buffers the worker transfers with its reply, so a million orders cost the shard no clone.
//
//   per market: status (halted or open), the L2 levels best-first (what BookLevelChanged records built),
//   the open orders with their owners (resting ones first, then those waiting for their trigger), the
//   mark, index and last trade price, and the shard's time.

import { WholeBookCopy, type BookCopy, type BookCopyResult } from '../book/book-copy.js';
import type { LevelColumns, OrderColumns } from '../book/book-columns.js';
import type { MarketShard } from './market-shard.js';

export interface MarketBookState {
  readonly marketId: number;
  /**
   * The last seq of the shard's gateway stream when this market's copy started: records after it are news
   * (the copy, taken in slices, may hold the result of some of them already: engine/book/book-copy.ts).
   */
  readonly seq: number;
  readonly halted: boolean;
  /** L2 levels best first, as columns (engine/book/book-columns.ts levelsOf reads them). */
  readonly bids: LevelColumns;
  readonly asks: LevelColumns;
  /** Every open order: the `resting` first ones rest in the book, the others wait for their trigger (ordersOf). */
  readonly orders: OrderColumns;
  readonly resting: number;
  readonly markTicks: number;
  readonly indexTicks: number;
  readonly lastTradeTicks: number;
  /** The shard's time when copied (µs). */
  readonly timeUs: number;
}

export interface MarketShardState {
  readonly kind: 'market';
  readonly shard: number;
  /** Journal position after the last input the copy includes (the state is durable once the cut reaches it). */
  readonly position: number;
  readonly markets: readonly MarketBookState[];
}

/** Levels or pool slots a market shard copies per loop turn (a couple of milliseconds at most). */
export const STATE_ITEMS_PER_TURN = 2_048;

/**
 * Builds a shard's state a slice per loop turn (the worker calls step() once per turn), so a shard holding
 * large books keeps handling records meanwhile. A market's copy stands at the seq its first slice saw and
 * is fuzzy past it (engine/book/book-copy.ts says why the records after that seq make it exact); its
 * status, prices and time are those of its last slice.
 */
export class MarketShardStateBuilder {
  private readonly markets: MarketBookState[] = [];
  private next = 0;
  private copy: { copy: BookCopy; seq: number } | undefined;

  constructor(
    private readonly shard: MarketShard,
    private readonly shardId: number,
    /** The last seq the shard's gateway stream has written, now. */
    private readonly gatewaySeq: () => number,
  ) {}

  /** Copies up to `budget` more levels or order slots; true once every market is copied. */
  step(budget = STATE_ITEMS_PER_TURN): boolean {
    const ids = this.shard.marketIds;
    if (this.next >= ids.length) return true;
    const marketId = ids[this.next]!;
    const book = this.shard.book(marketId)!;
    this.copy ??= { copy: book.copy?.() ?? new WholeBookCopy(book), seq: this.gatewaySeq() };
    if (!this.copy.copy.step(budget)) return false;
    this.markets.push(this.finishMarket(marketId, this.copy.seq, this.copy.copy.result()));
    this.copy = undefined;
    return ++this.next >= ids.length;
  }

  finish(position: number): MarketShardState {
    return { kind: 'market', shard: this.shardId, position, markets: this.markets };
  }

  private finishMarket(marketId: number, seq: number, copied: BookCopyResult): MarketBookState {
    const shard = this.shard;
    const book = shard.book(marketId)!;
    return {
      marketId,
      seq,
      halted: shard.haltedMarkets().includes(marketId),
      ...copied,
      markTicks: book.markPrice(),
      indexTicks: Number(shard.pricingOf(marketId)?.indexTicks ?? 0n),
      lastTradeTicks: book.lastTradePrice(),
      timeUs: shard.clock.nowUs,
    };
  }
}

/** The buffers of a state's columns: the worker transfers them with its reply rather than copying them. */
export function transferables(state: MarketShardState): ArrayBuffer[] {
  return state.markets.flatMap((m) => [m.bids.nums.buffer, m.asks.nums.buffer, m.orders.nums.buffer, m.orders.bytes.buffer] as ArrayBuffer[]);
}
