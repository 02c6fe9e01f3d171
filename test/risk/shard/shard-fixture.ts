// Test stand-ins for driving one RiskShard with encoded records:
//
//   RecordingHooks  a LiquidationHooks that records every call and answers isFrozen from a set the test
//                   fills (the real LiquidationEngine has its own tests)
//   ShardFixture    one shard over BTC-PERP (1) and ETH-PERP (2), gateway and market streams in memory;
//                   gw()/mk() feed input 0 / input 1 with contiguous seqs; take() returns the gateway
//                   events written since the last take()

import { OrderType, Side, TimeInForce } from '../../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { decodeRecord, encodeRecord, type DecodedRecord } from '../../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { DEFAULT_POOL, riskMarket, type RiskPoolConfig } from '../../../risk/shard/config.js';
import { RiskShard } from '../../../risk/shard/risk-shard.js';
import type { LiquidationHooks } from '../../../risk/shard/seams.js';
import { place, type Cmd } from '../../support/commands.js';
import { deposit, markPriceUpdated, tradeExecuted } from '../../support/risk-commands.js';

export const BTC_ID = 1;
export const ETH_ID = 2;
/** 60,000 USDT in BTC-PERP ticks (0.1 USDT). */
export const BTC_60K = 600_000;
/** 1 BTC in lots (0.001 BTC). */
export const ONE_BTC = 1_000;

export function usdt(whole: number): bigint {
  return BigInt(whole) * 1_000_000n;
}

export class RecordingHooks implements LiquidationHooks {
  readonly checks: [accountId: number, marketId: number][] = [];
  readonly fills: unknown[][] = [];
  readonly ended: unknown[][] = [];
  readonly marks: number[] = [];
  /** "account:market" pairs, or "account:*", that isFrozen answers true for. */
  readonly frozen = new Set<string>();

  check(accountId: number, marketId: number): void {
    this.checks.push([accountId, marketId]);
  }

  onFill(accountId: number, marketId: number, orderId: number, origin: number, signedQtyLots: bigint, priceTicks: bigint): void {
    this.fills.push([accountId, marketId, orderId, origin, signedQtyLots, priceTicks]);
  }

  onOrderEnded(accountId: number, marketId: number, orderId: number, code: number): void {
    this.ended.push([accountId, marketId, orderId, code]);
  }

  readonly bankrupt: [accountId: number, marketId: number][] = [];

  onBankruptFlatScope(accountId: number, marketId: number): void {
    this.bankrupt.push([accountId, marketId]);
  }

  onMarkUpdated(marketId: number): void {
    this.marks.push(marketId);
  }

  afterRecord(): void {}

  isFrozen(accountId: number, marketId: number): boolean {
    return this.frozen.has(`${accountId}:${marketId}`) || this.frozen.has(`${accountId}:*`);
  }

  /** Recording hooks hold no pipeline state of their own. */
  hashState(): void {}
  writeState(): void {}
  readState(): void {}
}

export interface FixtureOptions {
  pool?: Partial<RiskPoolConfig>;
  shardId?: number;
  shardCount?: number;
}

export class ShardFixture {
  readonly gateway = new MemoryOutput();
  readonly toMarket = new MemoryOutput();
  readonly hooks = new RecordingHooks();
  readonly shard: RiskShard;
  private readonly seqs = [0, 0];
  private readonly scratch = RecordBuffer.allocate(1);
  private taken = 0;
  private takenMarket = 0;
  private nextOrderId = 1;
  private nextRequestId = 1;
  private nextTradeId = 1;

  constructor(o: FixtureOptions = {}) {
    const markets = DEFAULT_MARKETS.map((m) => riskMarket(m));
    this.shard = new RiskShard(o.shardId ?? 0, o.shardCount ?? 1, markets, { ...DEFAULT_POOL, ...o.pool }, () => 0, this.gateway, [this.toMarket], () => this.hooks);
  }

  get state() {
    return this.shard.state;
  }

  /** One gateway command (input 0). */
  gw(cmd: Cmd): void {
    this.feed(0, cmd);
  }

  /** One market-shard event (input 1). */
  mk(cmd: Cmd): void {
    this.feed(1, cmd);
  }

  /** A record already encoded, as the gateway's next command (its seq is set here): hostile bytes included. */
  gwRecord(buf: RecordBuffer, at = 0): void {
    buf.setSeq(at, ++this.seqs[0]!);
    this.shard.handle(buf, at, 0);
  }

  /** Gateway events written since the last take(). */
  take(): DecodedRecord[] {
    const out: DecodedRecord[] = [];
    for (; this.taken < this.gateway.length; this.taken++) out.push(decodeRecord(this.gateway.records, this.gateway.offsetOf(this.taken)));
    return out;
  }

  /** Records sent towards the market since the last call. */
  takeMarket(): DecodedRecord[] {
    const out: DecodedRecord[] = [];
    for (; this.takenMarket < this.toMarket.length; this.takenMarket++) out.push(decodeRecord(this.toMarket.records, this.toMarket.offsetOf(this.takenMarket)));
    return out;
  }

  hash(): bigint {
    return this.shard.stateHash();
  }

  requestId(): number {
    return this.nextRequestId++;
  }

  orderId(): number {
    return this.nextOrderId++;
  }

  fund(accountId: number, atoms: bigint): void {
    this.gw(deposit(accountId, atoms, this.requestId()));
  }

  mark(marketId: number, markTicks: number): void {
    this.mk(markPriceUpdated(marketId, markTicks));
  }

  /** A GTC limit order from the gateway; returns its id. */
  order(accountId: number, side: Side, priceTicks: number, qtyLots: number, extra: Partial<Parameters<typeof place>[0]> = {}): number {
    const orderId = extra.orderId ?? this.orderId();
    this.gw(place({ orderId, accountId, side, priceTicks, qtyLots, orderType: OrderType.LIMIT, timeInForce: TimeInForce.GTC, ...extra }));
    return orderId;
  }

  /**
   * Two orders that meet: the maker's rests, the taker's fills it completely at the maker's price (as the
   * market shard would report). Both orders must pass pre-trade; returns [makerOrderId, takerOrderId].
   */
  cross(maker: number, taker: number, takerSide: Side, priceTicks: number, qtyLots: number, marketId = BTC_ID): [number, number] {
    const makerSide = takerSide === Side.BUY ? Side.SELL : Side.BUY;
    const m = this.order(maker, makerSide, priceTicks, qtyLots, { marketId });
    const t = this.order(taker, takerSide, priceTicks, qtyLots, { marketId });
    this.mk(tradeExecuted({ taker, maker, takerOrderId: t, makerOrderId: m, takerSide, priceTicks, qtyLots, tradeId: this.nextTradeId++, marketId }));
    return [m, t];
  }

  /**
   * A trade the market reports without the shard having seen the orders (no pre-trade): how a test sets
   * up positions its wallets could not open through the checks.
   */
  trade(maker: number, taker: number, takerSide: Side, priceTicks: number, qtyLots: number, marketId = BTC_ID): void {
    const ids = this.nextOrderId;
    this.nextOrderId += 2;
    this.mk(tradeExecuted({ taker, maker, takerOrderId: ids + 1, makerOrderId: ids, takerSide, priceTicks, qtyLots, tradeId: this.nextTradeId++, marketId }));
  }

  private feed(input: number, cmd: Cmd): void {
    const b = this.scratch;
    encodeRecord(b, 0, cmd.layout, { ...cmd.header, seq: ++this.seqs[input]! }, cmd.body);
    this.shard.handle(b, 0, input);
  }
}

/** The events of one type, by record type name. */
export function ofType(events: readonly DecodedRecord[], type: string): DecodedRecord[] {
  return events.filter((e) => e.type === type);
}
