// A minimal in-process exchange for the risk shard's tests: one RiskShard and one real MarketShard
// (BTC-PERP and ETH-PERP) wired through in-memory streams, so orders really match and the risk shard
// settles the trades the book produces.
//
//   gateway ──▶ risk (input 0) ──riskToMarket──▶ market (input 1) ──marketToRisk──▶ risk (input 1)
//   mark() / funding() append MarkPriceUpdated / FundingRateApplied to marketToRisk, as the market shard
//   will once it computes them (and SetMarkPrice to the market's own input 0, for its bands and stops).
//
// pump() delivers until both streams are empty. Liquidation hooks are a RecordingHooks unless the test
// passes a factory.

import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { QueueOutput } from '../../../engine/shard/event-output.js';
import { encodeRecord } from '../../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { MarketShard } from '../../../engine/shard/market-shard.js';
import { DEFAULT_POOL, riskMarket, type RiskPoolConfig } from '../../../risk/shard/config.js';
import { RiskShard, type LiquidationFactory } from '../../../risk/shard/risk-shard.js';
import { setMark, type Cmd } from '../../support/commands.js';
import { fundingRateApplied, markPriceUpdated } from '../../support/risk-commands.js';
import { RecordingHooks } from './shard-fixture.js';

export class MiniExchange {
  readonly riskGateway = new MemoryOutput();
  readonly marketGateway = new MemoryOutput();
  readonly riskToMarket = new QueueOutput();
  readonly marketToRisk = new QueueOutput();
  readonly hooks = new RecordingHooks();
  readonly market: MarketShard;
  readonly risk: RiskShard;
  private readonly scratch = RecordBuffer.allocate(1);
  private gatewaySeq = 0;
  private marketInputSeq = 0;
  /** Sees every record the risk shard is handed, in order, before it handles it. */
  tap: (buf: RecordBuffer, at: number, input: number) => void = () => {};

  constructor(pool: Partial<RiskPoolConfig> = {}, liquidation?: LiquidationFactory) {
    this.market = new MarketShard([...DEFAULT_MARKETS], this.marketGateway, [this.marketToRisk]);
    this.risk = new RiskShard(0, 1, DEFAULT_MARKETS.map((m) => riskMarket(m)), { ...DEFAULT_POOL, ...pool }, () => 0, this.riskGateway, [this.riskToMarket], liquidation ?? (() => this.hooks));
  }

  /** A gateway command to the risk shard, carried to quiescence. */
  send(cmd: Cmd): void {
    encodeRecord(this.scratch, 0, cmd.layout, { ...cmd.header, seq: ++this.gatewaySeq }, cmd.body);
    this.tap(this.scratch, 0, 0);
    this.risk.handle(this.scratch, 0, 0);
    this.risk.flush();
    this.pump();
  }

  /** A new mark for both the book (bands) and the risk shard. */
  mark(marketId: number, markTicks: number, timeUs = 1): void {
    const m = setMark(markTicks, marketId);
    encodeRecord(this.scratch, 0, m.layout, { ...m.header, seq: ++this.marketInputSeq }, m.body);
    this.market.handle(this.scratch, 0, 0);
    this.market.flush();
    const r = markPriceUpdated(marketId, markTicks, { timeUs });
    encodeRecord(this.scratch, 0, r.layout, r.header, r.body);
    this.marketToRisk.append(this.scratch, 0);
    this.pump();
  }

  funding(marketId: number, rate: bigint, markTicks: number): void {
    const r = fundingRateApplied(marketId, rate, markTicks);
    encodeRecord(this.scratch, 0, r.layout, r.header, r.body);
    this.marketToRisk.append(this.scratch, 0);
    this.pump();
  }

  pump(): void {
    for (;;) {
      let moved = 0;
      const toMarket = this.riskToMarket;
      while (toMarket.pending > 0) {
        this.market.handle(toMarket.records, toMarket.frontAt(), 1);
        toMarket.shift();
        moved++;
      }
      this.market.flush();
      const toRisk = this.marketToRisk;
      while (toRisk.pending > 0) {
        this.tap(toRisk.records, toRisk.frontAt(), 1);
        this.risk.handle(toRisk.records, toRisk.frontAt(), 1);
        toRisk.shift();
        moved++;
      }
      this.risk.flush();
      if (moved === 0) return;
    }
  }
}
