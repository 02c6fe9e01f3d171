// The public market-data messages the hub publishes, one shape per channel (docs/MARKET-DATA.md lists
// every field with its unit). Integers only: prices in ticks, quantities in lots, money in collateral
// atoms, rates in 10^-8 units, times in µs of the exchange's clock (the events' own time, never the
// wall clock). Fields that are i64 in the engine's records are bigint here.

import type { LevelTuple } from './l2-book.js';

export const CHANNELS = ['book', 'trades', 'ticker', 'mark', 'index', 'funding', 'liquidations', 'adl', 'insurance'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The insurance fund is exchange-wide: its channel's market name. */
export const EXCHANGE_WIDE = 'all';

export interface BookSnapshot {
  readonly channel: 'book';
  readonly type: 'snapshot';
  readonly market: string;
  /** The seq of the last diff this snapshot includes (0: none yet). The next diff has prevSeq = seq. */
  readonly seq: number;
  readonly timeUs: number;
  readonly bids: readonly LevelTuple[];
  readonly asks: readonly LevelTuple[];
  /** bookChecksum of the full book (checksum.ts): equal to the client's after it loads these levels. */
  readonly checksum: number;
}

export interface BookDiff {
  readonly channel: 'book';
  readonly type: 'diff';
  readonly market: string;
  readonly seq: number;
  readonly prevSeq: number;
  readonly timeUs: number;
  /** Levels as they are now; qtyLots 0 removes the level. */
  readonly bids: readonly LevelTuple[];
  readonly asks: readonly LevelTuple[];
  /** bookChecksum of the book after this diff. */
  readonly checksum: number;
}

export interface Trade {
  readonly channel: 'trades';
  readonly market: string;
  readonly tradeId: number;
  readonly priceTicks: number;
  readonly qtyLots: number;
  /** engine Side of the taker: 0 buy, 1 sell. */
  readonly takerSide: number;
  readonly timeUs: number;
}

export interface Ticker {
  readonly channel: 'ticker';
  readonly market: string;
  readonly timeUs: number;
  /** First minute of the rolling 24 h window, µs. */
  readonly windowStartUs: number;
  /** Trade prices in the window (0 when no trade). */
  readonly openTicks: number;
  readonly highTicks: number;
  readonly lowTicks: number;
  readonly lastTicks: number;
  readonly volumeLots: bigint;
  /** Σ price·qty over the window, in tick·lot units (× atoms per tick·lot gives collateral). */
  readonly quoteVolume: bigint;
  readonly tradeCount: number;
  readonly bestBidTicks: number;
  readonly bestAskTicks: number;
  readonly markTicks: number;
  readonly indexTicks: number;
  readonly fundingRate: bigint;
}

export interface Mark {
  readonly channel: 'mark';
  readonly market: string;
  readonly timeUs: number;
  readonly markTicks: number;
  readonly indexTicks: number;
  readonly stale: boolean;
}

export interface Index {
  readonly channel: 'index';
  readonly market: string;
  readonly timeUs: number;
  readonly indexTicks: number;
  /** The index is stale: the mark is frozen and the market reduce-only. */
  readonly stale: boolean;
}

export interface Funding {
  readonly channel: 'funding';
  readonly market: string;
  readonly timeUs: number;
  /** 'current': the rate in force and the next funding time (with every mark); 'applied': a funding settled. */
  readonly type: 'current' | 'applied';
  /** 10^-8 per funding interval; positive: longs pay shorts. */
  readonly rate: bigint;
  readonly nextFundingTimeUs: number;
  /** 'applied' only: the interval's average premium (10^-8), the mark it settled at, the interval's length. */
  readonly premiumRate?: bigint;
  readonly markTicks?: number;
  readonly intervalUs?: number;
}

export interface Liquidation {
  readonly channel: 'liquidations';
  readonly market: string;
  readonly timeUs: number;
  readonly liquidationId: number;
  /** risk/shard/events.ts LiquidationStep. */
  readonly step: number;
  /** 0 cross account, 1 isolated position. */
  readonly scope: number;
  readonly qtyLots: bigint;
  readonly priceTicks: number;
  /** What the insurance fund took (> 0) or paid (< 0) in this step. */
  readonly insuranceAtoms: bigint;
}

export interface Adl {
  readonly channel: 'adl';
  readonly market: string;
  readonly timeUs: number;
  readonly liquidationId: number;
  readonly qtyLots: number;
  readonly priceTicks: number;
  /** Side of the deleveraged counterparty's position: 0 long, 1 short. */
  readonly side: number;
}

export interface InsuranceFund {
  readonly channel: 'insurance';
  readonly market: typeof EXCHANGE_WIDE;
  readonly timeUs: number;
  /** The risk shard whose partition changed. */
  readonly partition: number;
  readonly deltaAtoms: bigint;
  readonly balanceAtoms: bigint;
  /** Σ of every partition's last published balance. */
  readonly totalAtoms: bigint;
  /** risk/shard/events.ts InsuranceReason. */
  readonly reason: number;
}

export type MarketDataMessage = BookSnapshot | BookDiff | Trade | Ticker | Mark | Index | Funding | Liquidation | Adl | InsuranceFund;
export type Sink = (m: MarketDataMessage) => void;
