// The state of one scope in the liquidation pipeline: which step it is in and what that step waits for.
// Every transition happens inside a hook call (liquidation-engine.ts); between calls the run only waits.
//
// The steps and the transitions between them are listed in liquidation-steps.ts; the phases below say
// what a run waits for between two calls: CANCELLING (its cancellations), STEP_DOWN and FULL_CLOSE (its
// order or sweep), ADL (its Deleverages), WAITING (parked: no mark, or nobody to deleverage), QUEUED (the
// turn: an earlier-triggered run is escalating, escalation-order.ts).
//
// Thread contract: the risk-shard thread.

import { malformed } from '../../engine/snapshot/snapshot-error.js';
import type { SnapshotReader } from '../../engine/snapshot/snapshot-reader.js';
import type { SnapshotWriter } from '../../engine/snapshot/snapshot-writer.js';
import { CROSS_SCOPE, type StateWords } from './seams.js';

export const RunPhase = {
  CANCELLING: 1,
  STEP_DOWN: 2,
  FULL_CLOSE: 3,
  ADL: 4,
  WAITING: 5,
  /** At a step boundary, waiting for the turn (escalation-order.ts): an earlier-triggered run escalates first. */
  QUEUED: 6,
} as const;
export type RunPhase = (typeof RunPhase)[keyof typeof RunPhase];

export class LiquidationRun {
  phase: RunPhase = RunPhase.CANCELLING;

  /** The market of the liquidation order in flight (or last sent), its quantity and what has filled of it. */
  orderMarketId = -1;
  orderQtyLots = 0n;
  orderFilledLots = 0n;

  /** Markets whose step-down order filled nothing (or could not be priced in the band): not tried again. */
  readonly stalledMarkets: number[] = [];

  /** Set when the full close begins; from then on the scope closes completely, unless a re-check finds it healthy. */
  committed = false;
  /** The position being fully closed (-1: none yet, or the last one closed). */
  closingMarketId = -1;
  /** The mark at which the last sweep of that position was sent (0n: none yet): ADL only after one at the current mark took nothing. */
  sweepMarkTicks = 0n;
  /** The mark at which the last-resort sweep (the band's edge, whatever the budget) was last sent (0n: not since the last fresh start). */
  lastResortMarkTicks = 0n;
  /** Where ADL closes that position's remainder: its BP when its full close began, at least one tick. */
  adlPriceTicks = 0n;
  adlStarted = false;
  /** Σ |qty|·price·atomsPerTickLot of the book fills of the full close: the CAPPED_FEE base. */
  fullCloseNotionalAtoms = 0n;

  /** Deleverages sent and not yet filled or rejected. */
  outstandingDeleverages = 0;
  /**
   * Counterparties whose Deleverage was rejected since the run last parked: not ranked again until then.
   * A rejection describes a moment (the book had closed the position the risk shard still showed), so the
   * list is cleared when a parked run is retried on a new mark (startAfresh).
   */
  readonly excludedCounterparties: number[] = [];

  constructor(
    readonly key: number,
    readonly accountId: number,
    /** CROSS_SCOPE for the cross account, else the isolated position's market. */
    readonly scopeMarketId: number,
    readonly liquidationId: number,
  ) {}

  hashState(h: StateWords): void {
    h.int(this.key);
    h.int(this.accountId);
    h.int(this.scopeMarketId);
    h.int(this.liquidationId);
    h.int(this.phase);
    h.int(this.orderMarketId + 1);
    h.big(this.orderQtyLots);
    h.big(this.orderFilledLots);
    h.int(this.stalledMarkets.length);
    for (const m of this.stalledMarkets) h.int(m);
    h.int(this.committed ? 1 : 0);
    h.int(this.closingMarketId + 1);
    h.big(this.sweepMarkTicks);
    h.big(this.lastResortMarkTicks);
    h.big(this.adlPriceTicks);
    h.int(this.adlStarted ? 1 : 0);
    h.big(this.fullCloseNotionalAtoms);
    h.int(this.outstandingDeleverages);
    h.int(this.excludedCounterparties.length);
    for (const c of this.excludedCounterparties) h.int(c);
  }

  /** Snapshot (LIQD section, liquidation-snapshot.ts): every field hashState covers, in the same order. */
  writeState(w: SnapshotWriter): void {
    w.uint(this.key);
    w.uint(this.accountId);
    w.int(this.scopeMarketId);
    w.uint(this.liquidationId);
    w.u8(this.phase);
    w.int(this.orderMarketId);
    w.big(this.orderQtyLots);
    w.big(this.orderFilledLots);
    w.uint(this.stalledMarkets.length);
    for (const m of this.stalledMarkets) w.uint(m);
    w.bool(this.committed);
    w.int(this.closingMarketId);
    w.big(this.sweepMarkTicks);
    w.big(this.lastResortMarkTicks);
    w.big(this.adlPriceTicks);
    w.bool(this.adlStarted);
    w.big(this.fullCloseNotionalAtoms);
    w.uint(this.outstandingDeleverages);
    w.uint(this.excludedCounterparties.length);
    for (const c of this.excludedCounterparties) w.uint(c);
  }

  static readState(r: SnapshotReader): LiquidationRun {
    const run = new LiquidationRun(r.uint(), r.uint(), r.int(), r.uint());
    const phase = r.u8();
    if (phase < RunPhase.CANCELLING || phase > RunPhase.QUEUED) throw malformed(`${r.what}: run ${run.key} in phase ${phase}`);
    run.phase = phase as RunPhase;
    run.orderMarketId = r.int();
    run.orderQtyLots = r.big();
    run.orderFilledLots = r.big();
    const stalled = r.count(1);
    for (let i = 0; i < stalled; i++) run.stalledMarkets.push(r.uint());
    run.committed = r.bool();
    run.closingMarketId = r.int();
    run.sweepMarkTicks = r.big();
    run.lastResortMarkTicks = r.big();
    run.adlPriceTicks = r.big();
    run.adlStarted = r.bool();
    run.fullCloseNotionalAtoms = r.big();
    run.outstandingDeleverages = r.uint();
    const excluded = r.count(1);
    for (let i = 0; i < excluded; i++) run.excludedCounterparties.push(r.uint());
    return run;
  }

  get cross(): boolean {
    return this.scopeMarketId === CROSS_SCOPE;
  }

  startOrder(marketId: number, qtyLots: bigint): void {
    this.orderMarketId = marketId;
    this.orderQtyLots = qtyLots;
    this.orderFilledLots = 0n;
  }

  /**
   * A parked run retried on a new mark: forget the rejections (they described the previous moment), the
   * last sweep and last resort and the ADL start, so the position goes back to the book first (liquidity may have
   * returned) and then to ADL with every counterparty ranked again. The ADL price stays the BP taken when
   * the position's full close began.
   */
  startAfresh(): void {
    this.excludedCounterparties.length = 0;
    this.sweepMarkTicks = 0n;
    this.lastResortMarkTicks = 0n;
    this.adlStarted = false;
  }

  /** A new position's full close: its own rounds, BP and ADL. */
  startPositionClose(marketId: number, adlPriceTicks: bigint): void {
    this.closingMarketId = marketId;
    this.sweepMarkTicks = 0n;
    this.adlPriceTicks = adlPriceTicks;
    this.adlStarted = false;
  }
}
