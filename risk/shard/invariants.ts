// Invariants of docs/RISK.md that can be read off the risk shard's state (tests call these after every
// record; nothing on the hot path does):
//
//   I1   open interest: per market Σ q = 0, when every account trading there lives on this shard
//   I2   conservation, exactly:  Σ(WB + M_iso) − Σ signed entry cost + IF + fee pool + funding clearing
//        = net deposits (a long's entry cost counts +, a short's −: Σ q·EP), and, at the current marks,
//        Σ Equity + IF + fee pool + funding clearing = net deposits (which needs I1 to hold)
//   I5   insurance fund ≥ 0
// Two are properties of transitions rather than states; the shard keeps what they need:
//   I9   reduce-only never grows or flips a position: ShardParts.reduceOnlyBreaches counts fills that did
//   I11  no withdrawal while money it takes may be owed to a scope below zero: scopesHoldingBack() lists
//        the scopes a test checks before each withdrawal it expects to be refused (every scope below zero
//        outside the pipeline; inside it, only for holders of an opposite position: withdrawal-gate.ts)

import { MarginMode, type RiskState } from './state.js';
import { CROSS_SCOPE } from './seams.js';

export interface InvariantOptions {
  /** Every account that trades this shard's markets lives on this shard (single risk shard). */
  readonly allAccountsHere: boolean;
}

/** Violations found, as readable lines; empty when all hold. */
export function checkInvariants(state: RiskState, options: InvariantOptions): string[] {
  const out: string[] = [];
  const openInterest = new Map<number, bigint>();
  let holdings = 0n;
  let signedCost = 0n;
  let upnl = 0n;
  for (const id of state.sortedAccountIds()) {
    const account = state.accounts.get(id)!;
    holdings += account.walletAtoms;
    for (const pos of account.positions.values()) {
      holdings += pos.isolatedMarginAtoms;
      if (pos.qtyLots === 0n) {
        if (pos.entryCostAtoms !== 0n) out.push(`account ${id} market ${pos.marketId}: flat with entry cost ${pos.entryCostAtoms}`);
        continue;
      }
      signedCost += pos.qtyLots > 0n ? pos.entryCostAtoms : -pos.entryCostAtoms;
      openInterest.set(pos.marketId, (openInterest.get(pos.marketId) ?? 0n) + pos.qtyLots);
      upnl += unrealized(state, pos.marketId, pos.qtyLots, pos.entryCostAtoms);
    }
  }
  const ledgers = state.insuranceFundAtoms + state.feePoolAtoms + state.fundingClearingAtoms;
  if (options.allAccountsHere) {
    for (const [marketId, q] of [...openInterest].sort((a, b) => a[0] - b[0])) {
      if (q !== 0n) out.push(`I1: market ${marketId} open interest sums to ${q}`);
    }
    const ledgerSide = holdings - signedCost + ledgers;
    if (ledgerSide !== state.netDepositsAtoms) out.push(`I2: holdings − Σq·EP + ledgers = ${ledgerSide}, net deposits ${state.netDepositsAtoms}`);
    const equitySide = holdings + upnl + ledgers;
    if (equitySide !== state.netDepositsAtoms) out.push(`I2: Σ equity at mark + ledgers = ${equitySide}, net deposits ${state.netDepositsAtoms}`);
  }
  if (state.insuranceFundAtoms < 0n) out.push(`I5: insurance fund ${state.insuranceFundAtoms} < 0`);
  return out;
}

export interface ScopeRef {
  readonly accountId: number;
  /** CROSS_SCOPE or the isolated position's market. */
  readonly marketId: number;
  readonly equityAtoms: bigint;
}

/** Every scope whose equity at the current marks is negative (I11), by account then market. */
export function scopesWithNegativeEquity(state: RiskState): ScopeRef[] {
  const out: ScopeRef[] = [];
  for (const id of state.sortedAccountIds()) {
    const account = state.accounts.get(id)!;
    let cross = account.walletAtoms;
    const isolated: ScopeRef[] = [];
    for (const marketId of [...account.positions.keys()].sort((a, b) => a - b)) {
      const pos = account.positions.get(marketId)!;
      const u = unrealized(state, marketId, pos.qtyLots, pos.entryCostAtoms);
      if (pos.marginMode === MarginMode.CROSS) cross += u;
      else if (pos.isolatedMarginAtoms + u < 0n) isolated.push({ accountId: id, marketId, equityAtoms: pos.isolatedMarginAtoms + u });
    }
    if (cross < 0n) out.push({ accountId: id, marketId: CROSS_SCOPE, equityAtoms: cross });
    out.push(...isolated);
  }
  return out;
}

/** q·MP·a − Σq·EP for one position; 0 before its market has a mark (valued at entry, as scope-margin.ts). */
function unrealized(state: RiskState, marketId: number, qtyLots: bigint, entryCostAtoms: bigint): bigint {
  const m = state.markets.get(marketId)!;
  if (qtyLots === 0n || m.markPriceTicks <= 0n) return 0n;
  return qtyLots * m.markPriceTicks * m.spec.atomsPerTickLot - (qtyLots > 0n ? entryCostAtoms : -entryCostAtoms);
}

/**
 * The scopes below zero that hold back a withdrawal by `accountId` (I11, docs/RISK.md): all of them
 * outside the liquidation pipeline; one inside it only when the account may be its ADL counterparty
 * (holds the other side of one of the scope's markets) or owns it.
 */
export function scopesHoldingBack(state: RiskState, accountId: number): ScopeRef[] {
  const me = state.accounts.get(accountId);
  return scopesWithNegativeEquity(state).filter((s) => {
    const owner = state.accounts.get(s.accountId)!;
    const held = s.marketId === CROSS_SCOPE ? owner.liquidationId : owner.positions.get(s.marketId)!.liquidationId;
    if (held === 0 || s.accountId === accountId) return true;
    return [...owner.positions.values()].some((p) => {
      const inScope = s.marketId === CROSS_SCOPE ? p.marginMode === MarginMode.CROSS : p.marketId === s.marketId;
      const mine = me?.positions.get(p.marketId)?.qtyLots ?? 0n;
      return inScope && p.qtyLots * mine < 0n;
    });
  });
}
