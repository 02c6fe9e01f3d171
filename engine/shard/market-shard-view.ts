// A read-only view over a decoded market-shard snapshot, for operators' tools (the restore tool's
// `inspect`): what the shard holds per market and what one account has there. The snapshot is decoded
// into a detached shard (outputs in memory, never read) and the view only reads it.

import { Side } from '../enums.js';
import type { OrderBook } from '../book/order-book.js';
import type { OrderView } from '../book/types.js';
import { readSnapshotStreams, type ShardStreams } from '../snapshot/shard-streams.js';
import type { SnapshotHeader } from '../snapshot/snapshot-envelope.js';
import { MemoryOutput } from './event-output.js';
import { MarketShard } from './market-shard.js';

export interface MarketBookSummary {
  readonly marketId: number;
  readonly symbol: string;
  /** Orders resting in the book, both sides. */
  readonly restingOrders: number;
  readonly bidOrders: number;
  readonly askOrders: number;
  readonly stopOrders: number;
  readonly bidLevels: number;
  readonly askLevels: number;
  /** 0: that side is empty. */
  readonly bestBidTicks: number;
  readonly bestAskTicks: number;
  readonly lastTradeTicks: number;
  readonly markTicks: number;
  readonly indexTicks: bigint;
  /** Σ long positions the book has matched (= Σ shorts). */
  readonly openInterestLots: number;
  /** Accounts the book has seen. */
  readonly accounts: number;
}

export interface MarketShardSummary {
  readonly kind: 'market';
  readonly header: SnapshotHeader;
  readonly streams: ShardStreams;
  readonly markets: readonly MarketBookSummary[];
}

export interface MarketAccountDetail {
  readonly accountId: number;
  readonly markets: readonly { readonly marketId: number; readonly positionLots: number; readonly openOrders: readonly OrderView[] }[];
}

export class MarketShardView {
  readonly shard: MarketShard;
  readonly header: SnapshotHeader;
  readonly streams: ShardStreams;

  /** Decodes the snapshot (checked as MarketShard.decode checks it). */
  constructor(bytes: Uint8Array) {
    const { header, streams } = readSnapshotStreams(bytes);
    this.header = header;
    this.streams = streams;
    this.shard = MarketShard.decode(
      bytes,
      new MemoryOutput(1, streams.gatewayNextSeq),
      streams.outputNextSeqs.map((seq) => new MemoryOutput(1, seq)),
      { surveillance: streams.surveillanceNextSeq === 0 ? undefined : new MemoryOutput(1, streams.surveillanceNextSeq) },
    );
  }

  summary(): MarketShardSummary {
    const markets = this.shard.marketIds.map((id): MarketBookSummary => {
      const book = this.shard.book(id)!;
      const orders = book.orderCount();
      const bids = book.levels(Side.BUY, Number.MAX_SAFE_INTEGER);
      const asks = book.levels(Side.SELL, Number.MAX_SAFE_INTEGER);
      const bidOrders = bids.reduce((n, l) => n + l.orderCount, 0);
      const askOrders = asks.reduce((n, l) => n + l.orderCount, 0);
      const accounts = this.bookAccounts(id);
      let openInterestLots = 0;
      for (const a of accounts) openInterestLots += Math.max(0, book.positionLots(a));
      return {
        marketId: id,
        symbol: book.spec.symbol,
        restingOrders: bidOrders + askOrders,
        bidOrders,
        askOrders,
        stopOrders: orders - bidOrders - askOrders,
        bidLevels: bids.length,
        askLevels: asks.length,
        bestBidTicks: book.bestBid(),
        bestAskTicks: book.bestAsk(),
        lastTradeTicks: book.lastTradePrice(),
        markTicks: book.markPrice(),
        indexTicks: this.shard.pricingOf(id)!.indexTicks,
        openInterestLots,
        accounts: accounts.length,
      };
    });
    return { kind: 'market', header: this.header, streams: this.streams, markets };
  }

  /** What the account has in each market of the shard; undefined when no book has seen it. */
  account(accountId: number): MarketAccountDetail | undefined {
    const markets = this.shard.marketIds
      .filter((id) => this.bookAccounts(id).includes(accountId))
      .map((id) => {
        const book = this.shard.book(id)!;
        return { marketId: id, positionLots: book.positionLots(accountId), openOrders: book.orders().filter((o) => o.accountId === accountId) };
      });
    return markets.length === 0 ? undefined : { accountId, markets };
  }

  /** The accounts the book has seen (a decoded shard always holds fast books). */
  private bookAccounts(marketId: number): number[] {
    const table = (this.shard.book(marketId) as OrderBook).accounts;
    return Array.from({ length: table.size }, (_, i) => table.idOf(i));
  }
}
