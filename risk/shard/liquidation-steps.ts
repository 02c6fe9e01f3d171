// The liquidation pipeline's steps, in one place (docs/RISK.md "Liquidation pipeline", docs/RISK-SHARD.md).
// One run per scope (liquidation-run.ts holds its state); the engine (liquidation-engine.ts) calls
// nextStep() at every step boundary and does what it names; the arithmetic lives in the modules named
// beside each step.
//
//   TRIGGERED ─open orders─▶ CANCELLING ─all ended─┐            (liquidation-engine.ts trigger/afterCancel)
//        └──── none ───────────────────────────────┤
//                                                  ▼
//   ┌──────────────────────────────────────▶ boundary: nextStep()
//   │                                              │
//   │   not committed                              │   committed (the full close began)
//   │   ─ a position without a mark: PARK          │   ─ positions left and healthy at the current mark:
//   │   ─ not liquidatable: HEALTHY (positions     │     HEALTHY (what is left is kept)
//   │     kept), or COMMIT when flat below zero    │   ─ the position being closed is still open:
//   │   ─ liquidatable, equity > 0: STEP_DOWN      │       the last sweep, sent at the current mark and
//   │     (an IOC at BP to the next tier's cap,    │       not forgotten by a wait, took nothing: ADL 
//   │     liquidation.ts, liquidation-prices.ts); │       otherwise: SWEEP (LiquidationSweep: the book
//   │     nothing to step down: COMMIT             │       within band and budget, sweep-plan.ts)
//   │   ─ liquidatable, equity ≤ 0: COMMIT         │   ─ no position left: COMPLETE (settle surplus or
//   │                                              │     shortfall, liquidation-settlement.ts)
//   │                                              │   ─ otherwise: NEXT_POSITION (largest MM first)
//   │                                              ▼
//   └──── the order / sweep / Deleverages ended ─ STEP_DOWN, SWEEP, ADL (adl-executor.ts: rank, cancel the
//                                                 counterparty's orders, Deleverage at the ADL price);
//                                                 ADL with nobody to take it: the last resort, a sweep to
//                                                 the band's edge with no budget limit, once per mark,
//                                                 else PARK
//
//   PARK (WAITING, liquidation-waiting.ts): resumed by the next check of the scope or round-robin on
//   marks; a resume on a mark starts afresh (refused counterparties ranked again, the book swept again).
//   COMMIT reserves the event's insurance budget (insurance-fund.ts) and goes to the boundary again.
//
// Pure.

export const Next = {
  PARK: 1,
  HEALTHY: 2,
  COMMIT: 3,
  STEP_DOWN: 4,
  SWEEP: 5,
  ADL: 6,
  NEXT_POSITION: 7,
  COMPLETE: 8,
} as const;
export type Next = (typeof Next)[keyof typeof Next];

/** What a boundary decides on, read from the state by the engine. */
export interface BoundaryFacts {
  /** The full close has begun. */
  readonly committed: boolean;
  /** At the current marks; undefined while a position of the scope has no mark. */
  readonly liquidatable: boolean | undefined;
  readonly equityAtoms: bigint;
  /** The scope holds no open position. */
  readonly flat: boolean;
  /** Committed: the position whose close began is still open. */
  readonly closingOpen: boolean;
  /**
   * Committed: its last sweep was sent at the current mark, took nothing, and no wait came since. Only
   * such a sweep saw the book as it stands: one that took something moved the last price, which may have
   * fired stops that rest new liquidity.
   */
  readonly sweptEmpty: boolean;
}

export function nextStep(f: BoundaryFacts): Next {
  if (!f.committed) {
    if (f.liquidatable === undefined) return Next.PARK;
    // A flat scope is never liquidatable, but one its own orders closed below zero before the cancels
    // landed still has its shortfall covered (I4).
    if (!f.liquidatable) return f.flat && f.equityAtoms < 0n ? Next.COMMIT : Next.HEALTHY;
    // With equity ≤ 0 the scope is past bankruptcy: a limit at BP cannot fill, go straight to the close.
    return f.equityAtoms > 0n ? Next.STEP_DOWN : Next.COMMIT;
  }
  if (!f.flat && f.liquidatable === false) return Next.HEALTHY;
  if (f.closingOpen) return f.sweptEmpty ? Next.ADL : Next.SWEEP;
  return f.flat ? Next.COMPLETE : Next.NEXT_POSITION;
}
