// The liquidation pipeline's section of a risk-shard snapshot (LIQD, docs/SNAPSHOTS.md): the engine's own
// state, the same parts its hashState covers, each in its own iteration order.
//
//   runs          count, then each run in map order (liquidation-run.ts writeState)
//   awaited       count, then (order id, run key) per order in flight, in map order
//   parked        the waiting scopes and the round-robin cursor (liquidation-waiting.ts)
//   reservations  the insurance fund's reservations and their total (insurance-fund.ts)
//   Deleverages   the pending ones (adl-executor.ts)
//   open inputs   only when a market stream is in the middle of one input's records (escalation-order.ts):
//                 count, then the inputs ascending; absent between inputs
//
// The escalation order itself is not written: it follows from the runs' liquidation ids and phases, and
// is rebuilt from them (escalation-order.ts).
//
// Kept next to the engine so a change to the pipeline's state changes this file with it: a new field of
// a run is written where hashState hashes it.
// Thread contract: the risk-shard thread between records (encode), the decoding thread (decode).

import { malformed } from '../../engine/snapshot/snapshot-error.js';
import type { SnapshotReader } from '../../engine/snapshot/snapshot-reader.js';
import type { SnapshotWriter } from '../../engine/snapshot/snapshot-writer.js';
import type { AdlExecutor } from './adl-executor.js';
import type { EscalationOrder } from './escalation-order.js';
import type { InsuranceFund } from './insurance-fund.js';
import { LiquidationRun } from './liquidation-run.js';
import type { WaitingScopes } from './liquidation-waiting.js';
import { scopeKey } from './liquidation-scope.js';
import { CROSS_SCOPE } from './seams.js';
import type { RiskState } from './state.js';

/** The engine's parts a snapshot carries. */
export interface LiquidationParts {
  readonly runs: Map<number, LiquidationRun>;
  readonly byOrderId: Map<number, LiquidationRun>;
  readonly waiting: WaitingScopes;
  readonly escalation: EscalationOrder;
  readonly insuranceFund: InsuranceFund;
  readonly adl: AdlExecutor;
}

export function writeLiquidation(w: SnapshotWriter, p: LiquidationParts): void {
  w.uint(p.runs.size);
  for (const run of p.runs.values()) run.writeState(w);
  w.uint(p.byOrderId.size);
  for (const [orderId, run] of p.byOrderId) {
    w.uint(orderId);
    w.uint(run.key);
  }
  p.waiting.writeState(w);
  p.insuranceFund.writeState(w);
  p.adl.writeState(w);
  p.escalation.writeState(w);
}

/** Reads a LIQD section into fresh parts; the accounts and positions must be in `state` already. */
export function readLiquidation(r: SnapshotReader, state: RiskState, p: LiquidationParts): void {
  const runs = r.count(20);
  for (let i = 0; i < runs; i++) {
    const run = LiquidationRun.readState(r);
    const account = state.accounts.get(run.accountId);
    const scopeId = run.scopeMarketId === CROSS_SCOPE ? account?.liquidationId : account?.positions.get(run.scopeMarketId)?.liquidationId;
    if (run.key !== scopeKey(run.accountId, run.scopeMarketId) || p.runs.has(run.key) || scopeId !== run.liquidationId) {
      throw malformed(`${r.what}: run ${run.key} of ${run.accountId}/${run.scopeMarketId} (liquidation ${run.liquidationId}) does not match its scope, or twice`);
    }
    p.runs.set(run.key, run);
  }
  const awaited = r.count(2);
  for (let i = 0; i < awaited; i++) {
    const orderId = r.uint();
    const run = p.runs.get(r.uint());
    if (run === undefined || p.byOrderId.has(orderId)) throw malformed(`${r.what}: order ${orderId} awaited by no run, or twice`);
    p.byOrderId.set(orderId, run);
  }
  p.waiting.readState(r);
  p.waiting.forEachKey((key) => {
    if (!p.runs.has(key)) throw malformed(`${r.what}: parked scope ${key} has no run`);
  });
  p.insuranceFund.readState(r);
  p.adl.readState(r);
  p.escalation.readState(r);
  r.done();
  p.escalation.rebuild(p.runs.values());
}
