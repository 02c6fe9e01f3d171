// A read-only view over a decoded risk-shard snapshot, for operators' tools (the restore tool's
// `inspect`): the shard's ledgers, its markets' open interest, and one account in detail. The snapshot is
// decoded into a detached shard (outputs in memory, never read) and the view only reads it; the account's
// cross figures are computed with the shard's own valuer, which writes nothing.

import { MemoryOutput } from '../../engine/shard/event-output.js';
import { readSnapshotStreams, type ShardStreams } from '../../engine/snapshot/shard-streams.js';
import type { SnapshotHeader } from '../../engine/snapshot/snapshot-envelope.js';
import { ScopeFigures } from './scope-figures.js';
import { RiskShard } from './risk-shard.js';
import { MarginMode } from './state.js';

export interface RiskMarketSummary {
  readonly marketId: number;
  readonly symbol: string;
  readonly markTicks: bigint;
  readonly indexTicks: bigint;
  /** Σ long quantity of this shard's accounts. */
  readonly longLots: bigint;
  /** Σ |short quantity| of this shard's accounts (equals longLots over all risk shards). */
  readonly shortLots: bigint;
  readonly openPositions: number;
  readonly openOrders: number;
}

export interface RiskShardSummary {
  readonly kind: 'risk';
  readonly header: SnapshotHeader;
  readonly streams: ShardStreams;
  readonly accounts: number;
  /** Positions with a non-zero quantity. */
  readonly openPositions: number;
  readonly openOrders: number;
  readonly insuranceFundAtoms: bigint;
  readonly feePoolAtoms: bigint;
  readonly fundingClearingAtoms: bigint;
  readonly netDepositsAtoms: bigint;
  /** Scopes in the liquidation pipeline. */
  readonly liquidationsInProgress: number;
  readonly markets: readonly RiskMarketSummary[];
}

export interface RiskPositionDetail {
  readonly marketId: number;
  readonly qtyLots: bigint;
  readonly entryCostAtoms: bigint;
  readonly realizedPnlAtoms: bigint;
  readonly marginMode: 'cross' | 'isolated';
  readonly leverage: bigint;
  readonly isolatedMarginAtoms: bigint;
  readonly orderMarginAtoms: bigint;
  readonly liquidationPriceTicks: bigint;
  readonly bankruptcyPriceTicks: bigint;
  readonly unrealizedPnlAtoms: bigint;
  readonly tier: number;
  readonly adlQuintile: number;
  /** Non-zero while the position's isolated scope is being liquidated. */
  readonly liquidationId: number;
  readonly openOrders: readonly { readonly orderId: number; readonly clientOrderId: number; readonly side: number; readonly priceTicks: bigint; readonly remainingLots: bigint; readonly filledLots: bigint; readonly reduceOnly: boolean; readonly origin: number }[];
}

export interface RiskAccountDetail {
  readonly accountId: number;
  readonly walletAtoms: bigint;
  readonly feeTier: number;
  /** Non-zero while the cross scope is being liquidated. */
  readonly liquidationId: number;
  readonly marginCalled: boolean;
  /** The cross scope at the snapshot's marks. */
  readonly crossEquityAtoms: bigint;
  readonly crossMaintenanceAtoms: bigint;
  readonly availableAtoms: bigint;
  readonly withdrawableAtoms: bigint;
  readonly appliedRequests: number;
  readonly positions: readonly RiskPositionDetail[];
}

export class RiskShardView {
  readonly shard: RiskShard;
  readonly header: SnapshotHeader;
  readonly streams: ShardStreams;

  /** Decodes the snapshot (checked as RiskShard.decode checks it). */
  constructor(bytes: Uint8Array) {
    const { header, streams } = readSnapshotStreams(bytes);
    this.header = header;
    this.streams = streams;
    this.shard = RiskShard.decode(
      bytes,
      new MemoryOutput(1, streams.gatewayNextSeq),
      streams.outputNextSeqs.map((seq) => new MemoryOutput(1, seq)),
    );
  }

  summary(): RiskShardSummary {
    const s = this.shard.state;
    const markets = s.sortedMarketIds().map((id) => ({ id, symbol: s.markets.get(id)!.spec.symbol, longLots: 0n, shortLots: 0n, openPositions: 0, openOrders: 0 }));
    const byId = new Map(markets.map((m) => [m.id, m]));
    let openPositions = 0;
    let openOrders = 0;
    let liquidations = 0;
    for (const a of s.accounts.values()) {
      if (a.liquidationId !== 0) liquidations++;
      for (const pos of a.positions.values()) {
        const m = byId.get(pos.marketId)!;
        const q = pos.qtyLots;
        if (pos.liquidationId !== 0) liquidations++;
        if (q > 0n) m.longLots += q;
        else m.shortLots -= q;
        if (q !== 0n) {
          m.openPositions++;
          openPositions++;
        }
        m.openOrders += pos.orderCount;
        openOrders += pos.orderCount;
      }
    }
    return {
      kind: 'risk',
      header: this.header,
      streams: this.streams,
      accounts: s.accounts.size,
      openPositions,
      openOrders,
      insuranceFundAtoms: s.insuranceFundAtoms,
      feePoolAtoms: s.feePoolAtoms,
      fundingClearingAtoms: s.fundingClearingAtoms,
      netDepositsAtoms: s.netDepositsAtoms,
      liquidationsInProgress: liquidations,
      markets: markets.map((m) => ({
        marketId: m.id,
        symbol: m.symbol,
        markTicks: s.markets.get(m.id)!.markPriceTicks,
        indexTicks: s.markets.get(m.id)!.indexPriceTicks,
        longLots: m.longLots,
        shortLots: m.shortLots,
        openPositions: m.openPositions,
        openOrders: m.openOrders,
      })),
    };
  }

  /** One account in detail; undefined when this shard does not hold it. */
  account(accountId: number): RiskAccountDetail | undefined {
    const a = this.shard.state.accounts.get(accountId);
    if (a === undefined) return undefined;
    const cross = this.shard.parts.valuer.cross(a, new ScopeFigures());
    return {
      accountId,
      walletAtoms: a.walletAtoms,
      feeTier: a.feeTier,
      liquidationId: a.liquidationId,
      marginCalled: a.marginCalled,
      crossEquityAtoms: cross.equityAtoms,
      crossMaintenanceAtoms: cross.maintenanceAtoms,
      availableAtoms: cross.availableAtoms,
      withdrawableAtoms: cross.withdrawableAtoms,
      appliedRequests: a.appliedRequests.size,
      positions: a.positionsInOrder().map((p) => ({
        marketId: p.marketId,
        qtyLots: p.qtyLots,
        entryCostAtoms: p.entryCostAtoms,
        realizedPnlAtoms: p.realizedPnlAtoms,
        marginMode: p.marginMode === MarginMode.ISOLATED ? ('isolated' as const) : ('cross' as const),
        leverage: p.leverage,
        isolatedMarginAtoms: p.isolatedMarginAtoms,
        orderMarginAtoms: p.orderMarginAtoms,
        liquidationPriceTicks: p.derived.liquidationPriceTicks,
        bankruptcyPriceTicks: p.derived.bankruptcyPriceTicks,
        unrealizedPnlAtoms: p.derived.unrealizedPnlAtoms,
        tier: p.derived.tier,
        adlQuintile: p.derived.adlQuintile,
        liquidationId: p.liquidationId,
        openOrders: [...p.orders.values()]
          .sort((x, y) => x.orderId - y.orderId)
          .map((o) => ({ orderId: o.orderId, clientOrderId: o.clientOrderId, side: o.side, priceTicks: o.priceTicks, remainingLots: o.remainingLots, filledLots: o.filledLots, reduceOnly: o.reduceOnly, origin: o.origin })),
      })),
    };
  }
}
