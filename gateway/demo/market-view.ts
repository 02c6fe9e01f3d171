// What the demo's live view shows, kept from the records the exchange hands the gateway (a poll() tap):
// per market the book's levels (BookLevelChanged), the last trades, mark, index, funding rate and next
// funding time (MarkPriceUpdated), open interest (the sum of long positions, from PositionUpdated), and
// across markets the insurance fund (each risk shard's partition, InsuranceFundChanged), liquidations and
// ADL as they happen. All integers: ticks, lots, atoms, rates in 10^-8.

import { Side } from '../../engine/enums.js';
import { MarketSpec, type MarketConfig } from '../../engine/market/spec.js';
import { AdlExecutedLayout } from '../../engine/ring/layouts/adl-executed.js';
import { BookLevelChangedLayout } from '../../engine/ring/layouts/book-level-changed.js';
import { InsuranceFundChangedLayout } from '../../engine/ring/layouts/insurance-fund-changed.js';
import { LiquidationProgressedLayout } from '../../engine/ring/layouts/liquidation-progressed.js';
import { MarkPriceUpdatedLayout } from '../../engine/ring/layouts/mark-price-updated.js';
import { PositionUpdatedLayout } from '../../engine/ring/layouts/position-updated.js';
import { TradeExecutedLayout } from '../../engine/ring/layouts/trade-executed.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import type { GatewaySource } from '../../exchange/in-process-exchange.js';
import type { ShardStates } from '../../exchange/shard-states.js';
import { LiquidationStep } from '../../risk/shard/events.js';
import { levelsOf } from '../../engine/book/book-columns.js';

const LVL = BookLevelChangedLayout.offsets;
const TRD = TradeExecutedLayout.offsets;
const MPU = MarkPriceUpdatedLayout.offsets;
const POS = PositionUpdatedLayout.offsets;
const INS = InsuranceFundChangedLayout.offsets;
const LIQ = LiquidationProgressedLayout.offsets;
const ADL = AdlExecutedLayout.offsets;

export interface Level {
  readonly priceTicks: number;
  readonly qtyLots: number;
  readonly orders: number;
}

export interface TradeLine {
  readonly timeUs: number;
  readonly takerSide: number;
  readonly priceTicks: number;
  readonly qtyLots: number;
}

/** A liquidation or ADL as it happened, for the view's event lines. */
export interface RiskLine {
  readonly timeUs: number;
  readonly marketId: number;
  readonly accountId: number;
  readonly kind: 'liquidation' | 'adl';
  readonly qtyLots: number;
  readonly priceTicks: number;
}

export class MarketState {
  readonly bids = new Map<number, Level>();
  readonly asks = new Map<number, Level>();
  readonly trades: TradeLine[] = [];
  markTicks = 0;
  indexTicks = 0;
  stale = false;
  fundingRate = 0n;
  nextFundingUs = 0;
  lastTradeTicks = 0;
  /** Sum of long positions (lots): the open interest. */
  openInterestLots = 0n;
  /** Each account's position in this market (lots, signed). */
  readonly positions = new Map<number, bigint>();

  constructor(readonly spec: MarketSpec) {}

  /** The best `n` levels of a side, best first. */
  top(side: 'bids' | 'asks', n: number): Level[] {
    const levels = [...this[side].values()];
    levels.sort((a, b) => (side === 'bids' ? b.priceTicks - a.priceTicks : a.priceTicks - b.priceTicks));
    return levels.slice(0, n);
  }
}

export class MarketView {
  readonly markets = new Map<number, MarketState>();
  /** Insurance fund balance per risk shard partition. */
  readonly insurance = new Map<number, bigint>();
  readonly riskEvents: RiskLine[] = [];
  liquidations = 0;
  adl = 0;
  /** Trades seen, all markets. */
  trades = 0;

  constructor(markets: readonly MarketConfig[], private readonly keepTrades = 8, private readonly keepRiskEvents = 6) {
    for (const m of markets) this.addMarket(m);
  }

  /** A market listed at run time (MarketRegistry.onAdd): shown from its first record on. */
  addMarket(m: MarketConfig): void {
    if (!this.markets.has(m.marketId)) this.markets.set(m.marketId, new MarketState(new MarketSpec(m)));
  }

  get insuranceFundAtoms(): bigint {
    let sum = 0n;
    for (const v of this.insurance.values()) sum += v;
    return sum;
  }

  /** A poll() tap. */
  readonly observe = (buf: RecordBuffer, at: number, from: GatewaySource): void => {
    const type = buf.type(at);
    const m = this.markets.get(buf.marketId(at));
    switch (type) {
      case RecordType.BookLevelChanged: {
        if (!m) return;
        const side = buf.u8At(at, LVL.side) === Side.BUY ? m.bids : m.asks;
        const priceTicks = buf.u53At(at, LVL.priceTicks);
        const qtyLots = buf.u53At(at, LVL.levelQtyLots);
        if (qtyLots === 0) side.delete(priceTicks);
        else side.set(priceTicks, { priceTicks, qtyLots, orders: buf.u32At(at, LVL.orderCount) });
        return;
      }
      case RecordType.TradeExecuted: {
        if (!m) return;
        const priceTicks = buf.u53At(at, TRD.priceTicks);
        m.lastTradeTicks = priceTicks;
        this.trades++;
        m.trades.unshift({ timeUs: buf.timeUs(at), takerSide: buf.u8At(at, TRD.takerSide), priceTicks, qtyLots: buf.u53At(at, TRD.qtyLots) });
        if (m.trades.length > this.keepTrades) m.trades.pop();
        return;
      }
      case RecordType.MarkPriceUpdated: {
        if (!m) return;
        const mark = buf.u53At(at, MPU.markPriceTicks);
        if (mark > 0) m.markTicks = mark;
        m.indexTicks = buf.u53At(at, MPU.indexPriceTicks);
        m.fundingRate = buf.i64At(at, MPU.fundingRate);
        m.nextFundingUs = buf.u53At(at, MPU.nextFundingTimeUs);
        m.stale = buf.u8At(at, MPU.stale) === 1;
        return;
      }
      case RecordType.PositionUpdated: {
        if (!m) return;
        const account = buf.accountId(at);
        const qty = buf.i64At(at, POS.qtyLots);
        const before = m.positions.get(account) ?? 0n;
        m.openInterestLots += (qty > 0n ? qty : 0n) - (before > 0n ? before : 0n);
        if (qty === 0n) m.positions.delete(account);
        else m.positions.set(account, qty);
        return;
      }
      case RecordType.InsuranceFundChanged:
        this.insurance.set(from.shard, buf.i64At(at, INS.balanceAtoms));
        return;
      case RecordType.LiquidationProgressed: {
        const step = buf.u8At(at, LIQ.step);
        if (step === LiquidationStep.TRIGGERED) this.liquidations++;
        if (step === LiquidationStep.TRIGGERED || step === LiquidationStep.PARTIAL_FILL || step === LiquidationStep.FULL_FILL) {
          const q = buf.i64At(at, LIQ.qtyLots);
          this.riskLine({ timeUs: buf.timeUs(at), marketId: buf.marketId(at), accountId: buf.accountId(at), kind: 'liquidation', qtyLots: Number(q < 0n ? -q : q), priceTicks: buf.u53At(at, LIQ.priceTicks) });
        }
        return;
      }
      case RecordType.AdlExecuted:
        this.adl++;
        this.riskLine({ timeUs: buf.timeUs(at), marketId: buf.marketId(at), accountId: buf.accountId(at), kind: 'adl', qtyLots: buf.u53At(at, ADL.qtyLots), priceTicks: buf.u53At(at, ADL.priceTicks) });
        return;
    }
  };

  /** A restarted exchange: books, mark, index and last trade from the market shards, positions from the risk shards. */
  restore(states: ShardStates): void {
    for (const shard of states.market) {
      for (const b of shard.markets) {
        const m = this.markets.get(b.marketId);
        if (!m) continue;
        for (const [levels, side] of [[b.bids, m.bids], [b.asks, m.asks]] as const) {
          side.clear();
          for (const l of levelsOf(levels)) side.set(l.priceTicks, { priceTicks: l.priceTicks, qtyLots: l.qtyLots, orders: l.orderCount });
        }
        if (b.markTicks > 0) m.markTicks = b.markTicks;
        m.indexTicks = b.indexTicks;
        m.lastTradeTicks = b.lastTradeTicks;
      }
    }
    for (const r of states.risk) {
      const buf = new RecordBuffer(r.records.buffer as ArrayBuffer, r.records.byteOffset, r.records.byteLength);
      for (let i = 0; i < r.count; i++) this.observe(buf, buf.at(i), { kind: 'risk', shard: r.shard });
    }
  }

  private riskLine(l: RiskLine): void {
    this.riskEvents.unshift(l);
    if (this.riskEvents.length > this.keepRiskEvents) this.riskEvents.pop();
  }
}
