// What-if scan of one snapshot's scopes under price shocks: for each shock, every scope's equity and
// maintenance margin at the shocked marks, exactly as risk/margin.ts defines them (the same integer
// formulas, the same tier tables), summed into a ShockTally. Pure and order-free: a tally is a sum plus
// a maximum with a fixed tie-break, so tallies of any split of the scopes merge into the same result
// (mergeTallies), which lets shock-scanner.ts spread one scan over a pool of threads.
//
//   shocked mark   max(1, floor(MP·(10,000 + bps)/10,000)) per market, bps ≥ −10,000
//   liquidatable   Equity ≤ Σ MM (the scope holds a position by construction)
//   bankrupt       Equity < 0; deficit = −Equity: what the insurance fund, then ADL, would have to absorb
//                  if the scope were closed at the shocked marks; the fund pays each at most the
//                  pool's per-event cap (cappedDeficit), and at most its balance over all of them
//   worst          the largest deficit, ties to the lower account id, then the lower scope market

import { absBig } from '../units.js';
import { maintenanceMarginAtoms } from '../tiers.js';
import type { ScanSnapshot } from './scan-snapshot.js';

/** One scenario: a move in basis points per market, aligned with the snapshot's markets (missing = 0). */
export interface Shock {
  readonly name: string;
  readonly bps: readonly number[];
}

export interface ShockTally {
  scopes: number;
  liquidatable: number;
  bankrupt: number;
  deficitAtoms: bigint;
  /** Σ min(deficit, per-event cap): what the fund could pay towards them, were its balance enough. */
  cappedDeficitAtoms: bigint;
  /** Σ MM at the shocked marks over every scope. */
  maintenanceAtoms: bigint;
  worstDeficitAtoms: bigint;
  /** -1 when no scope is bankrupt. */
  worstAccountId: number;
  worstScopeMarketId: number;
}

export function emptyTally(): ShockTally {
  return { scopes: 0, liquidatable: 0, bankrupt: 0, deficitAtoms: 0n, cappedDeficitAtoms: 0n, maintenanceAtoms: 0n, worstDeficitAtoms: 0n, worstAccountId: -1, worstScopeMarketId: -1 };
}

const BPS = 10_000n;

export function shockedMarkTicks(markTicks: bigint, bps: number): bigint {
  if (!Number.isSafeInteger(bps) || bps < -10_000) throw new RangeError(`shock of ${bps} bps: a move is an integer ≥ −10,000 bps`);
  const m = (markTicks * (BPS + BigInt(bps))) / BPS;
  return m > 1n ? m : 1n;
}

/** Uniform shocks: each move applied to every market of the snapshot at once. */
export function uniformShocks(bpsList: readonly number[], marketCount: number): Shock[] {
  return bpsList.map((bps) => ({ name: `${bps >= 0 ? '+' : ''}${bps / 100}%`, bps: new Array<number>(marketCount).fill(bps) }));
}

function worse(t: ShockTally, deficit: bigint, accountId: number, scopeMarketId: number): boolean {
  if (deficit !== t.worstDeficitAtoms) return deficit > t.worstDeficitAtoms;
  if (t.worstAccountId < 0) return true;
  if (accountId !== t.worstAccountId) return accountId < t.worstAccountId;
  return scopeMarketId < t.worstScopeMarketId;
}

/** Scans scopes [from, to) of the snapshot under every shock; one tally per shock. */
export function scanScopes(snap: ScanSnapshot, shocks: readonly Shock[], from = 0, to = snap.scopeCount): ShockTally[] {
  const K = shocks.length;
  const M = snap.markets.length;
  // Shocked marks, [shock][market].
  const marks: bigint[][] = shocks.map((s) => snap.markets.map((m, i) => shockedMarkTicks(m.markTicks, s.bps[i] ?? 0)));
  const tallies = shocks.map(emptyTally);
  const equity = new Array<bigint>(K);
  const maintenance = new Array<bigint>(K);
  const cap = snap.perEventCapAtoms;
  const { scopeStart, positionMarket, positionQtyLots, positionEntryCostAtoms, scopeCollateralAtoms, scopeAccount, scopeMarketId } = snap;
  for (let s = from; s < to; s++) {
    const collateral = scopeCollateralAtoms[s]!;
    for (let k = 0; k < K; k++) {
      equity[k] = collateral;
      maintenance[k] = 0n;
    }
    for (let p = scopeStart[s]!, end = scopeStart[s + 1]!; p < end; p++) {
      const mi = positionMarket[p]!;
      if (mi < 0 || mi >= M) throw new RangeError(`scan snapshot: position ${p} names market index ${mi}`);
      const market = snap.markets[mi]!;
      const q = positionQtyLots[p]!;
      const lots = absBig(q);
      const cost = positionEntryCostAtoms[p]!;
      for (let k = 0; k < K; k++) {
        const n = lots * marks[k]![mi]! * market.atomsPerTickLot;
        equity[k] = equity[k]! + (q > 0n ? n - cost : cost - n);
        maintenance[k] = maintenance[k]! + maintenanceMarginAtoms(market.tiers, n);
      }
    }
    for (let k = 0; k < K; k++) {
      const t = tallies[k]!;
      const e = equity[k]!;
      t.scopes++;
      t.maintenanceAtoms += maintenance[k]!;
      if (e <= maintenance[k]!) t.liquidatable++;
      if (e < 0n) {
        t.bankrupt++;
        t.deficitAtoms -= e;
        t.cappedDeficitAtoms += -e < cap ? -e : cap;
        if (worse(t, -e, scopeAccount[s]!, scopeMarketId[s]!)) {
          t.worstDeficitAtoms = -e;
          t.worstAccountId = scopeAccount[s]!;
          t.worstScopeMarketId = scopeMarketId[s]!;
        }
      }
    }
  }
  return tallies;
}

/** Adds `b` into `a` (same shock); the result does not depend on how the scopes were split. */
export function mergeTally(a: ShockTally, b: ShockTally): ShockTally {
  a.scopes += b.scopes;
  a.liquidatable += b.liquidatable;
  a.bankrupt += b.bankrupt;
  a.deficitAtoms += b.deficitAtoms;
  a.cappedDeficitAtoms += b.cappedDeficitAtoms;
  a.maintenanceAtoms += b.maintenanceAtoms;
  if (b.worstAccountId >= 0 && worse(a, b.worstDeficitAtoms, b.worstAccountId, b.worstScopeMarketId)) {
    a.worstDeficitAtoms = b.worstDeficitAtoms;
    a.worstAccountId = b.worstAccountId;
    a.worstScopeMarketId = b.worstScopeMarketId;
  }
  return a;
}
