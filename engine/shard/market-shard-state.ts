// MarketShardState: what a market shard holds that a restarted gateway shows, copied on the shard's own
// thread between two batches (the worker serves it on request, a market per loop turn: control-block.ts
// RequestKind.STATE) with the gateway-stream seq each market's copy stands at. The gateway loads it, then
// applies only the records after that seq (gateway/views/restart-state.ts, docs/ARCHITECTURE.md,
// "Read models after a restart"). Plain data: it crosses threads by structured clone.
//
//   per market: status (halted or open), the L2 levels best-first (what BookLevelChanged records built),
//   the open orders with their owners (resting ones first, then those waiting for their trigger), the
//   mark, index and last trade price, and the shard's time.

import { Side } from '../enums.js';
import type { LevelView, OrderView } from '../book/types.js';
import type { MarketShard } from './market-shard.js';

export interface MarketBookState {
  readonly marketId: number;
  /** The last seq of the shard's gateway stream this copy includes: records after it are news. */
  readonly seq: number;
  readonly halted: boolean;
  readonly bids: readonly LevelView[];
  readonly asks: readonly LevelView[];
  /** Every open order: the `resting` first ones rest in the book, the others wait for their trigger. */
  readonly orders: readonly OrderView[];
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

/** One market's copy, `seq` being the last seq the shard's gateway stream has written. */
export function marketBookState(shard: MarketShard, marketId: number, seq: number): MarketBookState {
  const book = shard.book(marketId)!;
  const bids = book.levels(Side.BUY, Number.MAX_SAFE_INTEGER);
  const asks = book.levels(Side.SELL, Number.MAX_SAFE_INTEGER);
  let resting = 0;
  for (const l of bids) resting += l.orderCount;
  for (const l of asks) resting += l.orderCount;
  const index = shard.pricingOf(marketId)?.indexTicks ?? 0n;
  return {
    marketId,
    seq,
    halted: shard.haltedMarkets().includes(marketId),
    bids,
    asks,
    // Book.orders() lists the resting orders (bids, then asks, each best-first FIFO), then the stops.
    orders: book.orders(),
    resting,
    markTicks: book.markPrice(),
    indexTicks: Number(index),
    lastTradeTicks: book.lastTradePrice(),
    timeUs: shard.clock.nowUs,
  };
}

/**
 * Builds a shard's state a market at a time (the worker calls step() once per loop turn), so a shard of
 * several large books keeps handling records between them; each market is copied whole, with its own seq.
 */
export class MarketShardStateBuilder {
  private readonly markets: MarketBookState[] = [];
  private next = 0;

  constructor(
    private readonly shard: MarketShard,
    private readonly shardId: number,
    /** The last seq the shard's gateway stream has written, now. */
    private readonly gatewaySeq: () => number,
  ) {}

  /** Copies the next market; true once every market is copied. */
  step(): boolean {
    const ids = this.shard.marketIds;
    if (this.next < ids.length) this.markets.push(marketBookState(this.shard, ids[this.next++]!, this.gatewaySeq()));
    return this.next >= ids.length;
  }

  finish(position: number): MarketShardState {
    return { kind: 'market', shard: this.shardId, position, markets: this.markets };
  }
}

/** The whole state at once (the in-process exchange, tests). */
export function marketShardState(shard: MarketShard, shardId: number, gatewaySeq: number, position = 0): MarketShardState {
  const b = new MarketShardStateBuilder(shard, shardId, () => gatewaySeq);
  while (!b.step());
  return b.finish(position);
}
