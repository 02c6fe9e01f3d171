// ScanSnapshot: a risk shard's open positions, grouped by margin scope, copied into flat typed arrays over
// SharedArrayBuffer so that a pool of worker threads (shock-scanner.ts) can read one snapshot at once
// without copying it. Built on the risk shard's own thread (the worker serves it on request; see
// risk-shard-worker.ts), read anywhere.
//
//   scopes     S rows, ascending account id, the cross scope before the account's isolated ones in
//              ascending market id: account, scope market (CROSS_SCOPE or the isolated market), collateral
//              (the wallet for cross, M_iso for isolated), and [start, start+1) into the positions
//   positions  P rows: market index (into `markets`), signed quantity in lots, entry cost in atoms
//   markets    ascending id: mark, atoms per tick·lot and the tier table at the time of the snapshot
//
// Only scopes with an open position are copied, and only when every market they hold has a mark (the
// others are counted in `unmarkedScopes`). Money and sizes stay integers: 64-bit words, checked on the
// way in (a value past 2^63 refuses the snapshot with a RangeError rather than wrap).

import { CROSS_SCOPE } from '../shard/seams.js';
import { MarginMode, type AccountState, type PositionState, type RiskState } from '../shard/state.js';
import type { TierTable } from '../tiers.js';

export interface ScanMarket {
  readonly marketId: number;
  readonly markTicks: bigint;
  readonly atomsPerTickLot: bigint;
  readonly tiers: TierTable;
}

export interface ScanSnapshot {
  readonly shardId: number;
  readonly insuranceFundAtoms: bigint;
  /** The pool's per-event cap on what the fund pays one liquidation. */
  readonly perEventCapAtoms: bigint;
  readonly markets: readonly ScanMarket[];
  readonly scopeCount: number;
  readonly positionCount: number;
  /** Scopes left out because a market they hold had no mark yet. */
  readonly unmarkedScopes: number;
  readonly scopeAccount: Int32Array;
  readonly scopeMarketId: Int32Array;
  readonly scopeCollateralAtoms: BigInt64Array;
  /** S + 1 offsets into the position arrays. */
  readonly scopeStart: Int32Array;
  readonly positionMarket: Int32Array;
  readonly positionQtyLots: BigInt64Array;
  readonly positionEntryCostAtoms: BigInt64Array;
}

const MIN_64 = -(2n ** 63n);
const MAX_64 = 2n ** 63n - 1n;

/** A bigint as a 64-bit word, or a RangeError naming it. */
function checked(v: bigint, what: string, accountId: number): bigint {
  if (v < MIN_64 || v > MAX_64) throw new RangeError(`scan snapshot: account ${accountId} ${what} ${v} does not fit 64 bits`);
  return v;
}

const TWO_32 = 4_294_967_296;

/**
 * Stores the exact integer n (|n| < 2^53) as the 64-bit two's-complement word `i` of `words`, through
 * its 32-bit halves (little-endian; assertLittleEndian holds on every thread): no BigInt is made, so a
 * snapshot of a million positions allocates nothing per position.
 */
function putExact(halves: Uint32Array, i: number, n: number): void {
  halves[2 * i] = n >>> 0;
  halves[2 * i + 1] = Math.floor(n / TWO_32) >>> 0;
}

/** Writes a number slot (exact, or NaN with the value in the bigint slot) as word i of `words`. */
function putSlot(words: BigInt64Array, halves: Uint32Array, i: number, n: number, big: bigint | undefined, what: string, accountId: number): void {
  if (n === n) putExact(halves, i, n);
  else words[i] = checked(big!, what, accountId);
}

function shared<T>(make: (sab: SharedArrayBuffer) => T, bytes: number): T {
  return make(new SharedArrayBuffer(Math.max(bytes, 8)));
}

/** The accounts in ascending id, without a lookup per id (already in order when created in order). */
function accountsById(state: RiskState): AccountState[] {
  const out = [...state.accounts.values()];
  for (let i = 1; i < out.length; i++) {
    if (out[i - 1]!.id > out[i]!.id) return out.sort((a, b) => a.id - b.id);
  }
  return out;
}

/** True when the position is open and in a market with a mark. */
type Marked = (marketId: number) => boolean;

/** Scopes and positions the snapshot will hold, and the scopes left out for want of a mark. */
function count(accounts: readonly AccountState[], marked: Marked): { scopes: number; positions: number; unmarked: number } {
  let scopes = 0;
  let positions = 0;
  let unmarked = 0;
  for (let i = 0; i < accounts.length; i++) {
    const held = accounts[i]!.positionsInOrder();
    let cross = 0;
    let crossMarked = true;
    for (let j = 0; j < held.length; j++) {
      const pos = held[j]!;
      if (pos.qtyN === 0) continue;
      if (pos.marginMode === MarginMode.ISOLATED) {
        if (marked(pos.marketId)) {
          scopes++;
          positions++;
        } else unmarked++;
      } else {
        cross++;
        if (!marked(pos.marketId)) crossMarked = false;
      }
    }
    if (cross > 0) {
      if (crossMarked) {
        scopes++;
        positions += cross;
      } else unmarked++;
    }
  }
  return { scopes, positions, unmarked };
}

/**
 * Copies the shard's open positions by scope (see the file comment): one pass to count, one to fill,
 * reading the state's number slots (positionsInOrder keeps each account's positions sorted already).
 * This runs on the risk shard's thread between two batches, so it allocates nothing per position
 * beyond the 64-bit words it stores.
 */
export function buildScanSnapshot(state: RiskState): ScanSnapshot {
  const marketIds = state.sortedMarketIds();
  const marketIndex = new Map(marketIds.map((id, i) => [id, i]));
  const markets: ScanMarket[] = marketIds.map((id) => {
    const m = state.markets.get(id)!;
    return { marketId: id, markTicks: m.markPriceTicks, atomsPerTickLot: m.atomsPerTickLot, tiers: m.tiers };
  });
  const markedByIndex = markets.map((m) => m.markTicks > 0n);
  const marked = (marketId: number): boolean => {
    const i = marketIndex.get(marketId);
    return i !== undefined && markedByIndex[i]!;
  };
  const accounts = accountsById(state);
  const { scopes: S, positions: P, unmarked } = count(accounts, marked);
  const snap: ScanSnapshot = {
    shardId: state.shardId,
    insuranceFundAtoms: state.insuranceFundAtoms,
    perEventCapAtoms: state.pool.insurancePerEventCapAtoms,
    markets,
    scopeCount: S,
    positionCount: P,
    unmarkedScopes: unmarked,
    scopeAccount: shared((b) => new Int32Array(b, 0, S), 4 * S),
    scopeMarketId: shared((b) => new Int32Array(b, 0, S), 4 * S),
    scopeCollateralAtoms: shared((b) => new BigInt64Array(b, 0, S), 8 * S),
    scopeStart: shared((b) => new Int32Array(b, 0, S + 1), 4 * (S + 1)),
    positionMarket: shared((b) => new Int32Array(b, 0, P), 4 * P),
    positionQtyLots: shared((b) => new BigInt64Array(b, 0, P), 8 * P),
    positionEntryCostAtoms: shared((b) => new BigInt64Array(b, 0, P), 8 * P),
  };
  let s = 0;
  let p = 0;
  // Number slots are exact when not NaN (exact-slot.ts); the bigint getter is read only when one is NaN.
  const qty = new Uint32Array(snap.positionQtyLots.buffer, 0, 2 * P);
  const cost = new Uint32Array(snap.positionEntryCostAtoms.buffer, 0, 2 * P);
  const collateral = new Uint32Array(snap.scopeCollateralAtoms.buffer, 0, 2 * S);
  const putPosition = (pos: PositionState): void => {
    snap.positionMarket[p] = marketIndex.get(pos.marketId)!;
    putSlot(snap.positionQtyLots, qty, p, pos.qtyN, pos.qtyN === pos.qtyN ? undefined : pos.qtyLots, 'quantity', pos.accountId);
    putSlot(snap.positionEntryCostAtoms, cost, p, pos.entryCostN, pos.entryCostN === pos.entryCostN ? undefined : pos.entryCostAtoms, 'entry cost', pos.accountId);
    p++;
  };
  const openScope = (accountId: number, scopeMarketId: number, n: number, big: bigint | undefined): void => {
    snap.scopeAccount[s] = accountId;
    snap.scopeMarketId[s] = scopeMarketId;
    putSlot(snap.scopeCollateralAtoms, collateral, s, n, big, 'collateral', accountId);
    snap.scopeStart[s] = p;
    s++;
  };
  for (let i = 0; i < accounts.length; i++) {
    const account = accounts[i]!;
    const held = account.positionsInOrder();
    // The cross scope first, when it holds an open position and every one of its markets has a mark.
    let cross = 0;
    let crossMarked = true;
    for (let j = 0; j < held.length; j++) {
      const pos = held[j]!;
      if (pos.qtyN === 0 || pos.marginMode === MarginMode.ISOLATED) continue;
      cross++;
      if (!marked(pos.marketId)) crossMarked = false;
    }
    if (cross > 0 && crossMarked) {
      openScope(account.id, CROSS_SCOPE, account.walletN, account.walletN === account.walletN ? undefined : account.walletAtoms);
      for (let j = 0; j < held.length; j++) {
        const pos = held[j]!;
        if (pos.qtyN !== 0 && pos.marginMode !== MarginMode.ISOLATED) putPosition(pos);
      }
    }
    for (let j = 0; j < held.length; j++) {
      const pos = held[j]!;
      if (pos.qtyN === 0 || pos.marginMode !== MarginMode.ISOLATED || !marked(pos.marketId)) continue;
      openScope(account.id, pos.marketId, pos.isolatedMarginN, pos.isolatedMarginN === pos.isolatedMarginN ? undefined : pos.isolatedMarginAtoms);
      putPosition(pos);
    }
  }
  if (s !== S || p !== P) throw new Error(`scan snapshot: counted ${S} scopes and ${P} positions, filled ${s} and ${p}`);
  snap.scopeStart[S] = p;
  return snap;
}
