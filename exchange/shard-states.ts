// ShardStates: every shard's state as a restarted gateway loads it (docs/ARCHITECTURE.md, "Read models
// after a restart"): per market shard its books, open orders and statuses, per risk shard its accounts'
// balances and positions as records, each part with the gateway-stream seq it stands at. The threaded
// exchange asks every worker between two batches and hands the answers out only once the journal's cut
// covers them (nothing shown runs ahead of the journal); the in-process exchange copies them at once.

import type { MarketShardState } from '../engine/shard/market-shard-state.js';
import type { RiskShardState } from '../risk/shard/risk-shard-state.js';

export interface ShardStates {
  /** Market shard s at index s. */
  readonly market: readonly MarketShardState[];
  /** Risk shard r at index r. */
  readonly risk: readonly RiskShardState[];
}

export type { MarketShardState, RiskShardState };

/** True when a state copied after the inputs before `position` is inside a cut whose low 32 bits are `cutLow`. */
function insideCut(position: number, cutLow: number): boolean {
  return ((cutLow - (position >>> 0)) | 0) >= 0;
}

/**
 * Resolves once the journal's cut covers every copied state (market shard s is journal stream s, risk shard
 * r stream S + r); throws what `stopped` returns once it returns something. Off the hot path, once per
 * gateway start: a short sleep between checks, not a second waiter on the gateway's doorbell.
 */
export async function whenInsideCut(states: ShardStates, cutLow: (stream: number) => number, stopped: () => Error | undefined): Promise<void> {
  const S = states.market.length;
  const covered = () => states.market.every((m, s) => insideCut(m.position, cutLow(s))) && states.risk.every((r, i) => insideCut(r.position, cutLow(S + i)));
  while (!covered()) {
    const stop = stopped();
    if (stop) throw stop;
    await new Promise((r) => setTimeout(r, 2));
  }
}
