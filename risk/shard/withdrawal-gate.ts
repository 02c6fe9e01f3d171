// Invariant I11 as this shard applies it (docs/RISK.md, "Withdrawals while a scope is below zero"): a
// withdrawal waits while the money it takes may be owed to a scope below zero.
//
//   - the margin monitor still holds unchecked crossings: any scope may be below zero unseen, so every
//     withdrawal waits (for a bounded number of records: the monitor's work per record is bounded);
//   - a scope below zero outside the liquidation pipeline (a loss nothing is handling, or one the pipeline
//     reported at COMPLETED): every withdrawal waits, as I11 says;
//   - a scope below zero inside the pipeline: its loss goes to the insurance fund's reserved budget and
//     then to ADL, which takes it from the opposite positions in the scope's markets. Only the holders of
//     such positions can lower what ADL can take (ADL never takes a counterparty below zero equity), so
//     only their withdrawals wait; one account's liquidation never blocks everyone else's.
//
// The scopes below zero are few (the evaluator's negativeEquity set); the set's iteration order does not
// matter, only whether any scope blocks. Thread contract: the risk-shard thread.

import { scopeOfKey } from './scope-evaluator.js';
import { CROSS_SCOPE } from './seams.js';
import type { ShardParts } from './shard-parts.js';
import { MarginMode, type AccountState } from './state.js';

export function withdrawalBlocked(p: ShardParts, account: AccountState): boolean {
  if (p.monitor.hasPendingWork()) return true;
  for (const key of p.evaluator.negativeEquity) {
    const { accountId, scopeMarketId } = scopeOfKey(key);
    const owner = p.state.accounts.get(accountId);
    if (owner === undefined || !inPipeline(owner, scopeMarketId)) return true;
    if (mayBeDeleveraged(account, owner, scopeMarketId)) return true;
  }
  return false;
}

function inPipeline(owner: AccountState, scopeMarketId: number): boolean {
  if (scopeMarketId === CROSS_SCOPE) return owner.liquidationId !== 0;
  return (owner.positions.get(scopeMarketId)?.liquidationId ?? 0) !== 0;
}

/** Does `account` hold a position opposite to one of the scope's open positions (an ADL candidate)? */
function mayBeDeleveraged(account: AccountState, owner: AccountState, scopeMarketId: number): boolean {
  if (account === owner) return true;
  for (const pos of owner.positions.values()) {
    if (pos.qtyLots === 0n) continue;
    const inScope = scopeMarketId === CROSS_SCOPE ? pos.marginMode === MarginMode.CROSS : pos.marketId === scopeMarketId;
    if (!inScope) continue;
    const mine = account.positions.get(pos.marketId);
    if (mine !== undefined && mine.qtyLots !== 0n && mine.qtyLots > 0n !== pos.qtyLots > 0n) return true;
  }
  return false;
}
