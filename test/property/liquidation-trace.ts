// LiquidationTrace: one liquidation event (one scope's run through the pipeline) as the gateway saw it,
// rebuilt from LiquidationProgressed, InsuranceFundChanged and AdlExecuted records. The property checks
// read it (ADL only after ADL_STARTED, in the started market, on the opposite side) and the crash reports
// add the traces up.

import { LiquidationStep } from '../../risk/shard/events.js';

export const TraceOutcome = { OPEN: 0, HEALTHY: 1, COMPLETED: 2 } as const;
export type TraceOutcome = (typeof TraceOutcome)[keyof typeof TraceOutcome];

export class LiquidationTrace {
  /** How often each LiquidationStep was published (index = step number). */
  readonly stepCounts: number[] = new Array<number>(LiquidationStep.COMPLETED + 1).fill(0);
  outcome: TraceOutcome = TraceOutcome.OPEN;
  partialFilledLots = 0n;
  fullFilledLots = 0n;
  /** Lots the liquidated side closed through ADL (ADL_FILL), and the lots AdlExecuted reported to counterparties. */
  adlFilledLots = 0n;
  adlExecutedLots = 0n;
  /** What the insurance fund took (fees, surplus) and paid (shortfall) for this event. */
  fundTookAtoms = 0n;
  fundPaidAtoms = 0n;
  /** The scope's equity published with COMPLETED (or HEALTHY). */
  endEquityAtoms = 0n;
  /** Market and closing direction (sign of the qty, a sale < 0) of the last ADL_STARTED; 0: none yet. */
  adlMarketId = 0;
  adlClosingSign = 0n;

  constructor(
    readonly accountId: number,
    readonly riskShard: number,
    readonly liquidationId: number,
    /** ScopeKind (risk/shard/events.ts): CROSS or ISOLATED. */
    readonly scope: number,
    /** The isolated position's market, 0 for a cross scope. */
    readonly scopeMarketId: number,
  ) {}

  /** The full close began (a FULL_ORDER, or ADL straight away). */
  get committed(): boolean {
    return this.stepCounts[LiquidationStep.FULL_ORDER]! > 0 || this.stepCounts[LiquidationStep.ADL_STARTED]! > 0;
  }

  /** Stepped down at least once and ended healthy: a partial liquidation. */
  get partialOnly(): boolean {
    return this.outcome === TraceOutcome.HEALTHY && this.stepCounts[LiquidationStep.PARTIAL_FILL]! > 0;
  }
}

/** A key for a liquidation event: ids are per risk shard. */
export function traceKey(riskShard: number, liquidationId: number): number {
  return liquidationId * 256 + riskShard;
}
