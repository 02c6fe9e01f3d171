// Auto-deleveraging of one liquidated position's remainder (docs/RISK.md, "Auto-deleveraging"; I6, I10):
// rank this shard's opposite positions in the market with risk/adl.ts, share the remainder (SEQUENTIAL or
// PRO_RATA, pool.adlMode), and for each share cancel the counterparty's open orders in that market
// (CancelAllOrders, reason LIQUIDATION: the cancellation is the pipeline's doing, and the user sees why)
// then send a Deleverage at the liquidated scope's BP (or, for a counterparty whose scope cannot bear a
// BP past the mark, at the price where its equity reaches 0: adlClosePriceTicks). Both commands go down
// the same ring to the same market shard, so the market applies the cancel before the Deleverage without
// a round trip.
//
// Candidates: every account of this shard, ascending id, with a position of the opposite sign in the
// market, except the liquidated account, counterparties already rejected in this event, and scopes that
// are themselves in the pipeline (their position is being closed by their own orders; a Deleverage would
// race them). Each candidate is ranked with its scope's equity (isolated position or cross account); a
// scope whose equity cannot be computed (a market without a mark) ranks as equity 0, last. The shard has
// no system accounts yet, so none is marked system. Cross-shard ranking is the planned extension
// (docs/RISK-SHARD.md); until then a remainder with no candidate here waits (the engine retries).
//
// Pending Deleverages are found by id, never iterated. Thread contract: the risk-shard thread.

import { CancelReason, Side } from '../../engine/enums.js';
import { malformed } from '../../engine/snapshot/snapshot-error.js';
import type { SnapshotReader } from '../../engine/snapshot/snapshot-reader.js';
import type { SnapshotWriter } from '../../engine/snapshot/snapshot-writer.js';
import { adlClosePriceTicks, allocateAdl, rankAdl, type AdlCandidate, type AdlMode } from '../adl.js';
import { absBig } from '../units.js';
import { scopeEquityAtoms, scopeMarketOf } from './liquidation-scope.js';
import type { RiskEffects, StateWords } from './seams.js';
import type { RiskState } from './state.js';

export interface AdlRequest {
  readonly runKey: number;
  readonly liquidationId: number;
  readonly liquidatedAccountId: number;
  readonly marketId: number;
  /** The liquidated position's remaining signed quantity (long > 0). */
  readonly remainingQtyLots: bigint;
  readonly priceTicks: bigint;
  readonly excludedCounterparties: readonly number[];
}

export interface PendingDeleverage {
  readonly deleverageId: number;
  readonly runKey: number;
  readonly liquidationId: number;
  readonly liquidatedAccountId: number;
  readonly counterpartyAccountId: number;
  readonly marketId: number;
  /** The liquidated account's closing side. */
  readonly side: Side;
  readonly qtyLots: bigint;
  readonly priceTicks: bigint;
}

export class AdlExecutor {
  private readonly pending = new Map<number, PendingDeleverage>();

  constructor(
    private readonly state: RiskState,
    private readonly effects: RiskEffects,
    private readonly mode: AdlMode,
    private readonly inPipeline: (accountId: number, marketId: number) => boolean,
  ) {}

  /** The market's opposite-side candidates against a liquidated position of sign liquidatedQtyLots. */
  candidates(marketId: number, liquidatedQtyLots: bigint, liquidatedAccountId: number, excluded: readonly number[]): AdlCandidate[] {
    const out: AdlCandidate[] = [];
    for (const id of this.state.sortedAccountIds()) {
      if (id === liquidatedAccountId || excluded.includes(id)) continue;
      const account = this.state.accounts.get(id)!;
      const pos = account.positions.get(marketId);
      if (pos === undefined || pos.isFlat() || (pos.qtyLots > 0n) === (liquidatedQtyLots > 0n)) continue;
      if (this.inPipeline(id, marketId)) continue;
      out.push({
        accountId: id,
        qtyLots: pos.qtyLots,
        entryCostAtoms: pos.entryCostAtoms,
        scopeEquityAtoms: scopeEquityAtoms(this.state, account, scopeMarketOf(account, marketId)) ?? 0n,
        system: false,
      });
    }
    return out;
  }

  /** Ranks, shares and sends; returns the number of Deleverages sent (0: no candidate took any lot). */
  dispatch(req: AdlRequest, timeUs: number): number {
    const market = this.state.markets.get(req.marketId);
    if (market === undefined || req.remainingQtyLots === 0n) return 0;
    const candidates = this.candidates(req.marketId, req.remainingQtyLots, req.liquidatedAccountId, req.excludedCounterparties);
    const ranked = rankAdl(candidates, req.remainingQtyLots, req.liquidatedAccountId, market.markPriceTicks, market.atomsPerTickLot);
    const shares = allocateAdl(ranked, absBig(req.remainingQtyLots), this.mode).lots;
    const side = req.remainingQtyLots > 0n ? Side.SELL : Side.BUY;
    let sent = 0;
    for (let i = 0; i < ranked.length; i++) {
      const qtyLots = shares[i]!;
      if (qtyLots === 0n) continue;
      const counterparty = ranked[i]!.accountId;
      const candidate = candidates[ranked[i]!.index]!;
      const priceTicks = adlClosePriceTicks(req.priceTicks, market.markPriceTicks, candidate.qtyLots > 0n ? 1 : -1, qtyLots, candidate.scopeEquityAtoms, market.atomsPerTickLot);
      if (this.state.accounts.get(counterparty)!.positions.get(req.marketId)!.orderCount > 0) {
        this.effects.cancelAllOrders(counterparty, req.marketId, CancelReason.LIQUIDATION, timeUs);
      }
      const id = this.effects.deleverage(req.liquidatedAccountId, counterparty, req.marketId, side, qtyLots, priceTicks, timeUs);
      this.pending.set(id, {
        deleverageId: id,
        runKey: req.runKey,
        liquidationId: req.liquidationId,
        liquidatedAccountId: req.liquidatedAccountId,
        counterpartyAccountId: counterparty,
        marketId: req.marketId,
        side,
        qtyLots,
        priceTicks,
      });
      sent++;
    }
    return sent;
  }

  /** Pending Deleverages by id, ascending. */
  hashState(h: StateWords): void {
    const ids = [...this.pending.keys()].sort((a, b) => a - b);
    h.int(ids.length);
    for (const id of ids) {
      const d = this.pending.get(id)!;
      h.int(id);
      h.int(d.runKey);
      h.int(d.liquidationId);
      h.int(d.liquidatedAccountId);
      h.int(d.counterpartyAccountId);
      h.int(d.marketId);
      h.int(d.side);
      h.big(d.qtyLots);
      h.big(d.priceTicks);
    }
  }

  /** Deleverages sent and not yet filled or rejected. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Snapshot: the pending Deleverages in map order. */
  writeState(w: SnapshotWriter): void {
    w.uint(this.pending.size);
    for (const d of this.pending.values()) {
      w.uint(d.deleverageId);
      w.uint(d.runKey);
      w.uint(d.liquidationId);
      w.uint(d.liquidatedAccountId);
      w.uint(d.counterpartyAccountId);
      w.uint(d.marketId);
      w.u8(d.side);
      w.big(d.qtyLots);
      w.big(d.priceTicks);
    }
  }

  readState(r: SnapshotReader): void {
    const n = r.count(9);
    for (let i = 0; i < n; i++) {
      const d: PendingDeleverage = {
        deleverageId: r.uint(),
        runKey: r.uint(),
        liquidationId: r.uint(),
        liquidatedAccountId: r.uint(),
        counterpartyAccountId: r.uint(),
        marketId: r.uint(),
        side: r.u8() as Side,
        qtyLots: r.big(),
        priceTicks: r.big(),
      };
      if (this.pending.has(d.deleverageId) || d.side > Side.SELL || !this.state.markets.has(d.marketId)) throw malformed(`${r.what}: Deleverage ${d.deleverageId} twice, side ${d.side} or market ${d.marketId}`);
      this.pending.set(d.deleverageId, d);
    }
  }

  find(deleverageId: number): PendingDeleverage | undefined {
    return this.pending.get(deleverageId);
  }

  /**
   * The liquidated side's fill of a Deleverage (the market executes one as a single trade, perhaps clipped):
   * publishes AdlExecuted for the counterparty with its own closing side, and the Deleverage is done. The
   * counterparty's side of the same trade needs nothing more, so one publication point serves whatever
   * order the core reports the two sides in.
   */
  filled(d: PendingDeleverage, signedQtyLots: bigint, priceTicks: bigint, timeUs: number): void {
    this.pending.delete(d.deleverageId);
    const counterpartySide = d.side === Side.SELL ? Side.BUY : Side.SELL;
    this.effects.adlExecuted(d.counterpartyAccountId, d.marketId, d.liquidationId, d.liquidatedAccountId, counterpartySide, absBig(signedQtyLots), priceTicks, timeUs);
  }

  /** The Deleverage ended without a fill (rejected). */
  ended(d: PendingDeleverage): void {
    this.pending.delete(d.deleverageId);
  }
}
